/**
 * Every text the element shows or announces, in English. Integrators override any subset
 * through the `strings` property. `{name}`, `{seconds}` and `{count}` are filled in.
 */
export const defaultStrings = {
  title: 'Chat',
  openChat: 'Open chat',
  closeChat: 'Close chat',
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
};

export type WebchatStrings = typeof defaultStrings;

/** Replaces `{key}` placeholders; unknown keys stay as they are. */
export function fill(text: string, values: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (all, key: string) => String(values[key] ?? all));
}
