/**
 * The public snapshot: exactly the documented `ChatState` fields of the model, frozen to
 * the bottom, so a page script can't push a message into it or edit one. A new snapshot
 * only when one of those fields changed; the reducer's working fields stay out of sight.
 */
import { STATE_KEYS, type Model } from './model.ts';
import type { ChatState } from './types.ts';

export function publicState(model: Model, previous: ChatState | null): ChatState {
  if (previous && STATE_KEYS.every((key) => previous[key] === model[key])) return previous;
  const state = {} as Record<(typeof STATE_KEYS)[number], unknown>;
  for (const key of STATE_KEYS) state[key] = deepFreeze(model[key]);
  return Object.freeze(state) as unknown as ChatState;
}

/** Freezes a value and what it holds. Messages are immutable already (each change is a new
 * object), so one frozen stays frozen: only new ones are walked. Depth is bounded by the
 * schemas (sources, agents), so the walk is too. */
export function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  Object.freeze(value);
  // Values, not keys: a transcript's array is new with each message, and its keys as
  // strings were thousands more to allocate each time.
  for (const item of Object.values(value)) deepFreeze(item);
  return value;
}
