/**
 * The native bridge: inside an app's webview, every public event of the element is also
 * posted to the app as a JSON string, and the app sends commands back through one global
 * function. Detection is explicit: the first of these channels present when the element
 * is attached (the app injects it before the page's scripts run) is used, unless the
 * element says `bridge="off"`:
 * - React Native (react-native-webview): `window.ReactNativeWebView.postMessage`;
 * - iOS (WKWebView): `window.webkit.messageHandlers.webchatAgent`, a WKScriptMessageHandler
 *   added under the name `webchatAgent`;
 * - Android (WebView): `window.WebchatAgentAndroid.postMessage`, an object added with
 *   `addJavascriptInterface(…, "WebchatAgentAndroid")`;
 * - Flutter (webview_flutter): `window.WebchatAgentFlutter.postMessage`, a JavaScriptChannel
 *   named `WebchatAgentFlutter`.
 * Each message is `{"source":"webchat-agent","type":"webchat-open","detail":…}`.
 */

export const IOS_HANDLER = 'webchatAgent';
export const ANDROID_INTERFACE = 'WebchatAgentAndroid';
export const FLUTTER_CHANNEL = 'WebchatAgentFlutter';
/** The function the app calls with a command (an object, or its JSON). */
export const COMMAND_FUNCTION = 'webchatAgentCommand';

export const BRIDGED_EVENTS = ['webchat-message', 'webchat-state', 'webchat-error', 'webchat-open', 'webchat-close', 'webchat-unread', 'webchat-link'] as const;

export type Platform = 'react-native' | 'ios' | 'android' | 'flutter';

interface Poster {
  postMessage(message: string): void;
}

export interface Bridge {
  readonly platform: Platform;
  post(type: string, detail: unknown): void;
}

const poster = (value: unknown): Poster | null =>
  value && typeof (value as Poster).postMessage === 'function' ? (value as Poster) : null;

/** The app's channel, or null in a plain browser. */
export function detectBridge(): Bridge | null {
  const w = globalThis as Record<string, unknown> & { webkit?: { messageHandlers?: Record<string, unknown> } };
  const found: [Platform, Poster | null][] = [
    ['react-native', poster(w['ReactNativeWebView'])],
    ['ios', poster(w.webkit?.messageHandlers?.[IOS_HANDLER])],
    ['android', poster(w[ANDROID_INTERFACE])],
    ['flutter', poster(w[FLUTTER_CHANNEL])],
  ];
  const [platform, channel] = found.find(([, p]) => p) ?? [null, null];
  if (!platform || !channel) return null;
  return {
    platform,
    post(type, detail) {
      let json: string;
      try {
        json = JSON.stringify({ source: 'webchat-agent', type, detail: detail ?? null });
      } catch {
        json = JSON.stringify({ source: 'webchat-agent', type, detail: null });
      }
      try {
        channel.postMessage(json);
      } catch (error) {
        // An app's handler that throws must not break the chat in the page.
        console.error(error);
      }
    },
  };
}

/** What the element does for a command; unknown commands are refused with a warning. */
export interface CommandTarget {
  show(): void;
  hide(): void;
  send(text: string): Promise<void>;
  requestHuman(): Promise<void>;
  endLiveChat(): void;
  reset(): void;
  setStrings(strings: Record<string, string>): void;
  setOptions(options: Record<string, unknown>): void;
}

/** The elements with a bridge, in the order they were attached: commands go to each. */
const targets = new Set<CommandTarget>();

export function listen(target: CommandTarget): void {
  targets.add(target);
  (globalThis as Record<string, unknown>)[COMMAND_FUNCTION] ??= runCommand;
}

export function unlisten(target: CommandTarget): void {
  targets.delete(target);
}

/** `{ command: 'show' | 'hide' | 'send' (text) | 'requestHuman' | 'endLiveChat' | 'reset' |
 * 'setStrings' (strings) | 'setOptions' (options) }`, or its JSON. Resolves when done. */
export async function runCommand(input: unknown): Promise<void> {
  let command: Record<string, unknown>;
  try {
    command = typeof input === 'string' ? JSON.parse(input) : (input as Record<string, unknown>);
  } catch {
    console.warn('webchat-agent: a bridge command must be an object or its JSON.');
    return;
  }
  const run = (target: CommandTarget): Promise<void> | void => {
    switch (command?.['command']) {
      case 'show':
        return target.show();
      case 'hide':
        return target.hide();
      case 'send':
        return target.send(String(command['text'] ?? ''));
      case 'requestHuman':
        return target.requestHuman();
      case 'endLiveChat':
        return target.endLiveChat();
      case 'reset':
        return target.reset();
      case 'setStrings':
        return target.setStrings((command['strings'] ?? {}) as Record<string, string>);
      case 'setOptions':
        return target.setOptions((command['options'] ?? {}) as Record<string, unknown>);
      default:
        console.warn(`webchat-agent: unknown bridge command ${JSON.stringify(command?.['command'])}.`);
    }
  };
  // An app rarely looks at what its evaluated script returns: a failure is said here, not
  // left as an unhandled rejection (a send whose chat part could not load, say).
  await Promise.all(
    [...targets].map(async (target) => {
      try {
        await run(target);
      } catch (error) {
        console.warn(`webchat-agent: the bridge command ${JSON.stringify(command?.['command'])} failed (${(error as Error)?.message ?? error}).`);
      }
    }),
  );
}
