/**
 * Every text the element shows or announces, in English. Integrators override any subset
 * through the `strings` property. `{name}`, `{seconds}` and `{count}` are filled in.
 */
export const defaultStrings = {
  title: 'Chat',
  openChat: 'Open chat',
  closeChat: 'Close chat',
  /** The launcher's name while messages wait unread; `{unread}` is an `unread_*` text. */
  openChatUnread: 'Open chat, {unread}',
  // One text per Intl.PluralRules category the language uses (`unread_few`, … for others).
  unread_one: '{count} unread message',
  unread_other: '{count} unread messages',
  conversation: 'Conversation',
  message: 'Message',
  placeholder: 'Type your message…',
  send: 'Send',
  talkToHuman: 'Talk to a human',
  endChat: 'End chat',
  retry: 'Retry',
  newMessages: 'New messages',
  sources: 'Sources',
  you: 'You',
  bot: 'Assistant',
  agent: 'Agent',
  system: 'Notice',
  sending: 'Sending…',
  sent: 'Sent',
  failed: 'Not sent',
  typing: '{name} is typing…',
  charactersLeft: '{count} characters left',
  charactersOver: '{count} characters too many',
  statusWaiting: 'Waiting for an agent…',
  statusLive: '{name} joined the chat',
  statusEnded: 'Chat ended',
  statusReconnecting: 'Reconnecting…',
  retryIn: 'next try in {seconds} s',
  statusOffline: 'Offline',
  /** The bot's first words in an empty panel (the `greeting` attribute replaces it). */
  greeting: 'Hello! How can I help you today?',
  /** The name of the group of suggested questions. */
  suggestionsLabel: 'Suggested questions',
  /** The control that shows a translated message's original text. */
  showOriginal: 'Show original',
  /** At the top of a long restored conversation: shows the older messages (also on scrolling up). */
  showEarlier: 'Show earlier messages',
  // [ext] Files in live chat. `{name}`: a file's name; `{size}`: a size with its unit.
  /** The attach button's name. */
  attachFile: 'Attach files',
  removeFile: 'Remove {name}',
  /** The name of the list of chosen files waiting for Send. */
  pendingFiles: 'Files to send',
  dropFiles: 'Drop files here to send them',
  fileAdded: '{name} added.',
  fileRemoved: '{name} removed.',
  fileTooLarge: '{name} is larger than {size}.',
  fileRefused: '{name} cannot be sent: this kind of file is not accepted.',
  fileEmpty: '{name} is empty.',
  tooManyFiles: 'At most {count} files per message.',
  sessionFilesFull: 'No more files can be sent in this chat (at most {count}).',
  /** The upload's progress bar; `{name}`: the files' names. */
  uploading: 'Uploading {name}',
  cancelUpload: 'Cancel',
  /** Why an upload failed (the server's or the connection's reason, in the visitor's words);
   * `{name}`: the file it stopped at; `{status}`: the HTTP status. */
  uploadTooLarge: '{name} is too large to send.',
  uploadChatFull: 'This chat has no room for more files.',
  uploadTimeout: 'Sending {name} took too long. Try again.',
  uploadOffline: '{name} could not be sent: no connection. Try again.',
  uploadUnavailable: '{name} is no longer available: attach it again.',
  uploadServerError: '{name} could not be sent (error {status}). Try again.',
  uploadFailed: '{name} could not be sent. Try again.',
  /** In the full-size image view: the link to the image alone, and the close button. */
  openImage: 'Open in a new tab',
  closeImage: 'Close',
  /** A message's files before the file UI has loaded; `{names}`: their names. */
  fileList: 'Files: {names}',
  // The panel's alert for what went wrong, by the error's code (chat-view.ts): the service's
  // and the core's own wording go to the integrator (`webchat-error`), not to the visitor.
  /** The chat can't work here: set up wrong, refused for this page, or its code unreachable. */
  unavailable: 'This chat is not available at the moment. Please try again later.',
  errorOffline: 'The chat cannot be reached. Check your connection and try again.',
  errorBusy: 'Too many messages at once. Wait a moment and try again.',
  /** The service refused the live chat (a join or a message). */
  errorLive: 'The live chat is not available right now.',
  errorInvalid: 'This message cannot be sent: it is empty or too long.',
  /** Files go from the tab that opened the chat first (the one that holds its socket). */
  errorOtherTab: 'Send files from the tab where the chat was opened first.',
  errorGeneric: 'Something went wrong. Please try again.',
};

/** The plural categories beyond English's: a translation adds the ones its language uses. */
type PluralTexts = Partial<Record<`unread_${Intl.LDMLPluralRule}`, string>>;

export type WebchatStrings = typeof defaultStrings & PluralTexts;

/** A locale (src/components/locales/): every text, and the plural forms its language uses. */
export type Translation = { [K in keyof typeof defaultStrings]: string } & PluralTexts;

/** `{base}_{category}` for `count` in `lang` (Intl.PluralRules), falling back to `_other`,
 * with `{count}` filled in. */
export function plural(strings: WebchatStrings, base: 'unread', count: number, lang: string | undefined): string {
  let category: Intl.LDMLPluralRule = 'other';
  try {
    category = new Intl.PluralRules(lang || undefined).select(count);
  } catch {
    // An invalid language tag: English rules, not a broken element.
  }
  const texts = strings as Record<string, string | undefined>;
  return fill(texts[`${base}_${category}`] ?? strings[`${base}_other`], { count });
}

/** Replaces `{key}` placeholders; unknown keys stay as they are. */
export function fill(text: string, values: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (all, key: string) => String(values[key] ?? all));
}
