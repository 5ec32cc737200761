/**
 * The agent console: sign in with the token, watch the session list, take a session
 * over, chat with the visitor, end the chat. Plain DOM and textContent only (the page
 * runs under a strict CSP with Trusted Types); frames are parsed with the core's schemas.
 */
import {
  isLiveChat,
  liveChatUrl,
  MAX_MESSAGE_LENGTH,
  parseServerFrame,
  type ClientFrame,
  type LiveMessageFrame,
  type ServerFrame,
  type SessionSummary,
} from '../src/core/protocol.ts';

const CHATBOT_ID = 'demo';
const TYPING_IDLE_MS = 2500;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const ui = {
  connection: $('connection'),
  login: $('login'),
  loginForm: $<HTMLFormElement>('login-form'),
  token: $<HTMLInputElement>('token'),
  name: $<HTMLInputElement>('agent-name'),
  loginError: $('login-error'),
  desk: $('desk'),
  sessions: $<HTMLUListElement>('sessions'),
  noSessions: $('no-sessions'),
  title: $('conversation-title'),
  meta: $('conversation-meta'),
  log: $('log'),
  typing: $('typing'),
  composer: $<HTMLFormElement>('composer'),
  message: $<HTMLTextAreaElement>('message'),
  send: $<HTMLButtonElement>('send'),
  end: $<HTMLButtonElement>('end'),
  error: $('conversation-error'),
};
ui.message.maxLength = MAX_MESSAGE_LENGTH;

let token = sessionStorage.getItem('agent-token') ?? '';
let sessions: SessionSummary[] = [];
let watcher: WebSocket | undefined;
let watchRetry = 0;

/** The conversation this console has open: one admin socket joined to it. */
let current: { sessionId: string; socket: WebSocket; seen: Set<string>; typingTimer?: number; typing: boolean } | undefined;

const agentName = () => ui.name.value.trim() || 'Agent';

function send(socket: WebSocket | undefined, frame: ClientFrame): void {
  if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(frame));
}

function onFrames(socket: WebSocket, handle: (frame: ServerFrame) => void): void {
  socket.addEventListener('message', (event) => {
    const parsed = parseServerFrame(event.data);
    if (parsed.kind === 'frame') handle(parsed.frame);
    else if (parsed.kind === 'invalid') console.warn('Ignored an invalid frame:', parsed.reason);
  });
}

// ---------------------------------------------------------------------------------------
// Signing in and the session list

function watch(): void {
  const socket = new WebSocket(liveChatUrl(location.origin));
  watcher = socket;
  ui.connection.textContent = 'Connecting…';
  socket.addEventListener('open', () => send(socket, { type: 'client:watch', token, chatbotId: CHATBOT_ID }));
  onFrames(socket, (frame) => {
    if (frame.type === 'livechat:sessions') {
      watchRetry = 0;
      if (ui.desk.hidden) signedIn();
      sessions = frame.sessions;
      renderSessions();
    } else if (frame.type === 'livechat:error' && frame.code === 'unauthorized') {
      signOut('That token was not accepted.');
    }
  });
  socket.addEventListener('close', () => {
    if (watcher !== socket || !token) return;
    // Reconnect with a growing delay while signed in (server restart, network blip).
    ui.connection.textContent = 'Reconnecting…';
    const delay = Math.min(10_000, 500 * 2 ** watchRetry++);
    setTimeout(() => watcher === socket && token && watch(), delay);
  });
}

function signedIn(): void {
  sessionStorage.setItem('agent-token', token);
  ui.login.hidden = true;
  ui.desk.hidden = false;
  ui.connection.textContent = `Signed in as ${agentName()}`;
}

function signOut(reason: string): void {
  token = '';
  sessionStorage.removeItem('agent-token');
  watcher = undefined;
  ui.desk.hidden = true;
  ui.login.hidden = false;
  ui.loginError.textContent = reason;
  ui.connection.textContent = 'Signed out';
  ui.token.focus();
}

function waited(since: string | null | undefined): string {
  if (!since) return '';
  const minutes = Math.floor((Date.now() - Date.parse(since)) / 60_000);
  return minutes < 1 ? 'waiting < 1 min' : `waiting ${minutes} min`;
}

function rowState(s: SessionSummary): 'waiting' | 'open' | 'bot' {
  if (!isLiveChat(s.mode, s.status)) return 'bot';
  return s.status === 'waiting' ? 'waiting' : 'open';
}

function renderSessions(): void {
  ui.noSessions.hidden = sessions.length > 0;
  // The list is rebuilt on every change: keep the keyboard focus on the same row's button.
  const focused = document.activeElement?.closest<HTMLElement>('#sessions li')?.dataset.sessionId;
  ui.sessions.replaceChildren(
    ...sessions.map((s) => {
      const state = rowState(s);
      const mine = state === 'open' && s.agent?.name === agentName();
      const li = document.createElement('li');
      li.dataset.sessionId = s.sessionId;
      li.classList.toggle('current', current?.sessionId === s.sessionId);
      const badge = text('span', state === 'waiting' ? `Waiting · ${waited(s.waitingSince)}` : state === 'open' ? `Live with ${s.agent?.name ?? 'an agent'}` : 'With the bot', `badge ${state}`);
      const last = text('span', s.lastMessage ?? 'No messages yet', 'row-text');
      const page = text('span', s.pageUrl ?? 'Page unknown', 'row-text muted');
      const parts: HTMLElement[] = [badge, last, page];
      // Taking it again is how a new socket of this console becomes the session's agent.
      if (mine) parts.push(button('Open', () => open(s.sessionId, true)));
      else if (state !== 'open') parts.push(button('Take over', () => open(s.sessionId, true)));
      li.append(...parts);
      return li;
    }),
  );
  if (focused) ui.sessions.querySelector<HTMLElement>(`li[data-session-id="${CSS.escape(focused)}"] button`)?.focus();
  if (current) renderHeader(sessions.find((s) => s.sessionId === current?.sessionId));
}

function text(tag: string, content: string, className = ''): HTMLElement {
  const el = document.createElement(tag);
  el.textContent = content;
  if (className) el.className = className;
  return el;
}

function button(label: string, onClick: () => void): HTMLButtonElement {
  const el = document.createElement('button');
  el.type = 'button';
  el.textContent = label;
  el.addEventListener('click', onClick);
  return el;
}

// ---------------------------------------------------------------------------------------
// One conversation

function open(sessionId: string, takeOver: boolean): void {
  current?.socket.close();
  const socket = new WebSocket(liveChatUrl(location.origin));
  current = { sessionId, socket, seen: new Set(), typing: false };
  const mine = current;
  ui.log.replaceChildren();
  ui.error.textContent = '';
  ui.typing.hidden = true;
  renderSessions();
  socket.addEventListener('open', () => send(socket, { type: 'client:join', chatbotId: CHATBOT_ID, sessionId, as: 'admin', token }));
  onFrames(socket, (frame) => {
    if (current !== mine) return;
    // The join acknowledgement has no sessionId; every other frame must be for this session.
    if (frame.type === 'livechat:status' && frame.ok === true && frame.sessionId === undefined) {
      if (takeOver) send(socket, { type: 'client:takeover', chatbotId: CHATBOT_ID, sessionId, agent: { name: agentName() } });
      return;
    }
    if (frame.type === 'livechat:sessions' || ('sessionId' in frame && frame.sessionId !== sessionId)) return;
    switch (frame.type) {
      case 'livechat:message':
        return addMessage(frame);
      case 'livechat:typing':
        if (frame.sender === 'user') ui.typing.hidden = !frame.isTyping;
        return;
      case 'livechat:status':
        return renderComposer(frame.mode === 'human' && frame.status === 'open' && frame.agent?.name === agentName());
      case 'livechat:ended':
        ui.typing.hidden = true;
        return renderComposer(false);
      case 'livechat:error':
        ui.error.textContent = frame.message;
    }
  });
  socket.addEventListener('close', () => {
    if (current === mine) {
      renderComposer(false);
      ui.error.textContent = 'Disconnected from this conversation. Select it again to reconnect.';
    }
  });
}

function renderHeader(summary: SessionSummary | undefined): void {
  ui.title.textContent = summary ? `Conversation · ${rowState(summary) === 'bot' ? 'with the bot' : rowState(summary)}` : 'Conversation';
  ui.meta.textContent = summary?.pageUrl ? `On ${summary.pageUrl}` : '';
}

function renderComposer(enabled: boolean): void {
  ui.message.disabled = !enabled;
  ui.send.disabled = !enabled;
  ui.end.disabled = !enabled;
  if (enabled) ui.message.focus();
}

const WHO = { user: 'Visitor', bot: 'Bot', admin: 'Agent', system: '' } as const;

function addMessage(frame: LiveMessageFrame): void {
  if (!current || current.seen.has(frame.id)) return;
  current.seen.add(frame.id);
  const el = document.createElement('div');
  el.className = `msg ${frame.sender}`;
  const who = frame.sender === 'admin' ? (frame.agent?.name ?? WHO.admin) : WHO[frame.sender];
  if (who) el.append(text('span', who, 'who'));
  // Bot replies are HTML; here they are shown as plain text, never parsed as markup.
  el.append(document.createTextNode(frame.sender === 'bot' ? htmlToText(frame.content) : frame.content));
  ui.log.append(el);
  ui.log.scrollTop = ui.log.scrollHeight;
  if (frame.sender === 'user') ui.typing.hidden = true;
}

function htmlToText(html: string): string {
  const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
  return html
    .replace(/<\/(p|li|h\d)>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#\d+|[a-z]+);/gi, (m, e: string) => (e.startsWith('#') ? String.fromCharCode(Number(e.slice(1))) : (entities[e.toLowerCase()] ?? m)))
    .replace(/\n{2,}/g, '\n')
    .trim();
}

function setTyping(on: boolean): void {
  if (!current || current.typing === on) return;
  current.typing = on;
  send(current.socket, { type: 'client:typing', chatbotId: CHATBOT_ID, sessionId: current.sessionId, sender: 'admin', isTyping: on });
}

// ---------------------------------------------------------------------------------------
// Wiring

ui.loginForm.addEventListener('submit', (event) => {
  event.preventDefault();
  token = ui.token.value.trim();
  ui.loginError.textContent = '';
  if (token) watch();
});

ui.message.addEventListener('input', () => {
  if (!current) return;
  setTyping(ui.message.value.trim().length > 0);
  clearTimeout(current.typingTimer);
  current.typingTimer = window.setTimeout(() => setTyping(false), TYPING_IDLE_MS);
});

ui.message.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey) {
    event.preventDefault();
    ui.composer.requestSubmit();
  }
});

ui.composer.addEventListener('submit', (event) => {
  event.preventDefault();
  const content = ui.message.value.trim();
  if (!current || !content) return;
  send(current.socket, { type: 'client:message', chatbotId: CHATBOT_ID, sessionId: current.sessionId, sender: 'admin', content, clientMessageId: crypto.randomUUID() });
  ui.message.value = '';
  setTyping(false);
});

ui.end.addEventListener('click', () => {
  if (current) send(current.socket, { type: 'client:end', chatbotId: CHATBOT_ID, sessionId: current.sessionId, sender: 'admin' });
});

// Waiting times move on even when nothing else changes.
setInterval(() => sessions.length > 0 && renderSessions(), 15_000);

if (token) {
  ui.token.value = token;
  watch();
}
