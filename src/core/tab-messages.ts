/**
 * What the tabs of one conversation say to each other over their BroadcastChannel. Another
 * tab may run another release of the script (a deploy between two page loads), so every
 * message is checked here; one that fails is ignored, and a follower that misses a step
 * asks the leader for the whole state again.
 */
import * as z from 'zod/mini';
import { MAX_FIELD_LENGTH, bounded } from './protocol.ts';
import { built, lazy, lazySchema } from './lazy-schema.ts';
import { StoredMessage } from './persisted.ts';
import { STATE_KEYS } from './model.ts';
import type { ChatError, ChatEvent, ChatMessage, ChatState } from './types.ts';

const id = /* @__PURE__ */ lazy(() => bounded(MAX_FIELD_LENGTH, 1));
const count = /* @__PURE__ */ lazy(() => z.number().check(z.refine((n) => Number.isInteger(n) && n >= 0, 'a count')));

/** What a follower asks its leader to do; `send`, `retry` and `settle` name the message.
 * `settle` only asks to be told when a message the last leader took has left the queue. */
export const COMMANDS = ['send', 'retry', 'end', 'reset', 'markRead', 'typing', 'reading', 'settle'] as const;
export type CommandOp = (typeof COMMANDS)[number];

const Head = /* @__PURE__ */ lazy(() => z.custom<Record<string, unknown>>((value) => value !== null && typeof value === 'object' && !Array.isArray(value)));

/** One schema per kind: the kind picks it (cheaper in bytes than a discriminated union). */
const SCHEMAS = {
  hello: /* @__PURE__ */ lazySchema(() => z.object({ kind: z.literal('hello'), tab: id(), reading: z.boolean() })),
  bye: /* @__PURE__ */ lazySchema(() => z.object({ kind: z.literal('bye'), tab: id() })),
  leader: /* @__PURE__ */ lazySchema(() => z.object({ kind: z.literal('leader'), tab: id() })),
  command: /* @__PURE__ */ lazySchema(() =>
    z.object({ kind: z.literal('command'), tab: id(), cid: id(), op: z.enum(COMMANDS), id: z.optional(id()), text: z.optional(z.unknown()), on: z.optional(z.boolean()) }),
  ),
  ack: /* @__PURE__ */ lazySchema(() => z.object({ kind: z.literal('ack'), cid: id() })),
  settled: /* @__PURE__ */ lazySchema(() => z.object({ kind: z.literal('settled'), id: id() })),
  update: /* @__PURE__ */ lazySchema(() =>
    z.object({
      kind: z.literal('update'),
      rev: count(),
      to: z.optional(id()),
      keep: count(),
      tail: z.array(built(StoredMessage)),
      head: Head(),
      events: z.array(z.object({ type: z.enum(['message', 'error']), message: z.optional(built(StoredMessage)), error: z.optional(z.unknown()) })),
    }),
  ),
};

type Schemas = typeof SCHEMAS;
export type TabMessage = { [K in keyof Schemas]: z.infer<Schemas[K]> }[keyof Schemas];
export type Command = Extract<TabMessage, { kind: 'command' }>;
export type Update = Extract<TabMessage, { kind: 'update' }>;

/** The message, or null when it is not one this release understands. */
export function readTabMessage(data: unknown): TabMessage | null {
  const kind = (data as { kind?: unknown } | null)?.kind;
  const schema = typeof kind === 'string' && Object.hasOwn(SCHEMAS, kind) ? SCHEMAS[kind as keyof Schemas] : null;
  const parsed = schema?.safeParse(data);
  if (!parsed?.success) return null;
  const message = parsed.data as TabMessage;
  if (message.kind === 'update' && !HEAD_KEYS.every((key) => key in message.head)) return null;
  return message;
}

const HEAD_KEYS = STATE_KEYS.filter((key) => key !== 'messages');

/** The leader's change since `previous`: the state but its messages, and of those only
 * what follows the longest run still the same objects (usually the last one or two). */
export function diff(previous: readonly ChatMessage[], state: ChatState): { head: Record<string, unknown>; keep: number; tail: ChatMessage[] } {
  const messages = state.messages;
  let keep = 0;
  // Past the previous list's end its entry is undefined, never a message: the run stops.
  while (keep < messages.length && previous[keep] === messages[keep]) keep++;
  const head: Record<string, unknown> = {};
  for (const key of HEAD_KEYS) head[key] = state[key];
  return { head, keep, tail: messages.slice(keep) };
}

/** A follower's next state: the leader's head, its own first `keep` messages, the tail. */
export function apply(previous: readonly ChatMessage[], update: Update): ChatState {
  return { ...update.head, messages: [...previous.slice(0, update.keep), ...(update.tail as ChatMessage[])] } as unknown as ChatState;
}

/** Events as the follower's listeners get them. */
export function eventsOf(update: Update): ChatEvent[] {
  return update.events.flatMap((event): ChatEvent[] => {
    if (event.type === 'message' && event.message) return [{ type: 'message', message: event.message as ChatMessage }];
    if (event.type === 'error' && event.error) return [{ type: 'error', error: event.error as ChatError }];
    return [];
  });
}
