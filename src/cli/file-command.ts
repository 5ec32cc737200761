/**
 * `/file PATH [caption]` in the chat: everything that can be known before a byte goes out is
 * checked here (the path, the chat, the server's limits), each refusal one line; then the
 * core uploads and sends, and the message is followed until it is sent or has failed. Its
 * progress is status text (the caller puts it on the status line of a terminal); a
 * transcript gets a line at each quarter instead, so a large file does not flood it.
 */
import { isLiveChat, isValidMessageText, MAX_MESSAGE_LENGTH } from '../core/index.ts';
import type { ChatClient, ChatError, ChatMessage } from '../core/index.ts';
import { checkFiles } from '../core/file-checks.ts';
import { localFile, parseFileArgs, uploadText } from './files.ts';
import { formatMessage, stripControls } from './render.ts';
import type { Style } from './style.ts';

export interface FileOutput {
  print(text: string): void;
  /** A refusal or a failure: one line. */
  error(text: string): void;
}

export interface FileCommand {
  /** Runs `/file`'s argument; resolves once the core has the message (or it was refused), or
   * with `settled`, once it is sent or has failed too. */
  run(arg: string, options?: { settled?: boolean }): Promise<void>;
  /** What is being uploaded, for the status line ('' when nothing is). */
  status(): string;
  /** Whether an error event is one this command reports itself (so it is not shown twice). */
  owns(error: ChatError): boolean;
  /** Follows the messages it sent: call on every state change. */
  update(): void;
  /** Messages still uploading or waiting to be sent. */
  pending(): number;
}

interface Tracked {
  id: string;
  /** The last quarter reported in a transcript. */
  quarter: number;
  done(): void;
}

/** The core's own refusals of a `sendFile` call: what the checks here would have said. */
const REFUSALS = new Set(['file_rejected', 'invalid_message']);

export function fileCommand(client: ChatClient, out: FileOutput, options: { style: Style; terminal: boolean; home: string }): FileCommand {
  const { style, terminal } = options;
  const tracked = new Map<string, Tracked>();
  let capturing: ChatError[] | null = null;
  const retryHint = terminal ? ' Up and Enter try again.' : '';

  /** Why these files cannot go now, from what the client knows; null when they may. */
  function refusal(files: Parameters<typeof checkFiles>[0]): string | null {
    const { state } = client;
    if (!isLiveChat(state.mode, state.status)) return 'Files go to a person in a live chat: ask for one with /human first. Nothing was sent.';
    if (state.files) {
      const error = checkFiles(files, state.files);
      return error && `${stripControls(error.message)} Nothing was sent.`;
    }
    // Joined, and nothing advertised: this server takes no files. Before the join the core
    // waits for the limits and checks them then.
    if (state.connection.state === 'joined') return 'This chat does not take files. Nothing was sent.';
    return null;
  }

  async function run(arg: string, { settled = false } = {}): Promise<void> {
    const args = parseFileArgs(arg, options.home);
    if ('error' in args) return out.error(args.error);
    const local = localFile(args.path, { moreWords: args.caption !== '' });
    if (!local.ok) return out.error(local.error);
    if (args.caption !== '' && !isValidMessageText(args.caption)) return out.error(`A caption may be at most ${MAX_MESSAGE_LENGTH} characters. Nothing was sent.`);
    const refused = refusal([local.file]);
    if (refused) return out.error(refused);

    const before = new Set(client.state.messages.map((m) => m.id));
    capturing = [];
    let captured: ChatError[];
    try {
      await client.sendFile(args.path, { caption: args.caption });
    } finally {
      captured = capturing;
      capturing = null;
    }
    const message = client.state.messages.find((m) => !before.has(m.id) && m.sender === 'user' && m.upload);
    if (!message) {
      // The file changed between the check and the read, or the chat did.
      const why = captured[0] ? stripControls(captured[0].message) : 'The file could not be sent.';
      return out.error(`${why} Nothing was sent.`);
    }
    if (!terminal) out.print(style.paint('dim', `-- ${uploadText(message.upload!.files, 0)}`));
    const sent = new Promise<void>((done) => tracked.set(message.id, { id: message.id, quarter: 0, done }));
    update();
    if (settled) await sent;
  }

  function settle(entry: Tracked): void {
    tracked.delete(entry.id);
    entry.done();
  }

  function follow(entry: Tracked, message: ChatMessage | undefined): void {
    if (!message) return settle(entry); // taken back (cancelUpload)
    if (message.delivery === 'sent') {
      out.print(formatMessage(message, style));
      return settle(entry);
    }
    if (message.delivery === 'failed') {
      const names = (message.upload?.files ?? message.attachments ?? []).map((f) => stripControls(f.name)).join(', ');
      const error = message.error;
      const why = error ? `${stripControls(error.message).trim().replace(/\.$/, '')}${error.status ? ` (HTTP ${error.status})` : ''}` : 'it failed';
      out.error(`${names} was not sent: ${why}.${retryHint}`);
      // Nothing of the file is kept to retry with once this program ends: the line is.
      if (message.upload) client.cancelUpload(message.id);
      return settle(entry);
    }
    if (!terminal && message.upload) {
      const quarter = Math.floor(message.upload.progress * 4);
      if (quarter > entry.quarter && quarter < 4) out.print(style.paint('dim', `-- ${uploadText(message.upload.files, quarter / 4)}`));
      entry.quarter = Math.max(entry.quarter, quarter);
    }
  }

  function update(): void {
    for (const entry of [...tracked.values()]) follow(entry, client.state.messages.find((m) => m.id === entry.id));
  }

  return {
    run,
    update,
    status() {
      const uploading = client.state.messages.filter((m) => tracked.has(m.id) && m.upload && m.delivery === 'sending');
      return uploading.map((m) => uploadText(m.upload!.files, m.upload!.progress)).join(' · ');
    },
    owns(error) {
      if (capturing && REFUSALS.has(error.code)) {
        capturing.push(error);
        return true;
      }
      // Events come before the snapshot's own event, but the snapshot is already there.
      return client.state.messages.some((m) => tracked.has(m.id) && m.delivery === 'failed');
    },
    pending: () => tracked.size,
  };
}
