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
import { ConsoleRowExtras, LivePresenceFrame } from '../server/protocol-ext.ts';
import { refusal, renderAttachments, uploadAsAgent } from './agent-files.ts';
import type { FileLimits } from '../src/core/protocol.ts';

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
  waitingCount: $('waiting-count'),
  search: $<HTMLInputElement>('search'),
  title: $('conversation-title'),
  meta: $('conversation-meta'),
  details: $('visitor-details'),
  presence: $('presence'),
  back: $<HTMLButtonElement>('back'),
  log: $('log'),
  typing: $('typing'),
  composer: $<HTMLFormElement>('composer'),
  message: $<HTMLTextAreaElement>('message'),
  send: $<HTMLButtonElement>('send'),
  end: $<HTMLButtonElement>('end'),
  error: $('conversation-error'),
  attach: $<HTMLButtonElement>('attach'),
  file: $<HTMLInputElement>('file'),
  upload: $('upload'),
};
ui.message.maxLength = MAX_MESSAGE_LENGTH;

let token = sessionStorage.getItem('agent-token') ?? '';
let sessions: SessionSummary[] = [];
let watcher: WebSocket | undefined;
let watchRetry = 0;
const PAGE_TITLE = document.title;

/** The conversation this console has open: one admin socket joined to it. */
let current: { sessionId: string; socket: WebSocket; seen: Set<string>; typingTimer?: number; typing: boolean; files: FileLimits | null; uploading?: AbortController } | undefined;

const agentName = () => ui.name.value.trim() || 'Agent';

function send(socket: WebSocket | undefined, frame: ClientFrame): void {
  if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(frame));
}

function onFrames(socket: WebSocket, handle: (frame: ServerFrame) => void, presence?: (frame: LivePresenceFrame) => void): void {
  socket.addEventListener('message', (event) => {
    const parsed = parseServerFrame(event.data);
    if (parsed.kind === 'frame') handle(parsed.frame);
    else if (parsed.kind === 'invalid') console.warn('Ignored an invalid frame:', parsed.reason);
    else if (parsed.type === 'livechat:presence' && presence) {
      // The reference server's own frame [ext]: the shared protocol does not know it.
      const frame = LivePresenceFrame.safeParse(JSON.parse(String(event.data)));
      if (frame.success) presence(frame.data);
    }
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
  // The name says whose conversations are whose: after a reload they are still this agent's.
  sessionStorage.setItem('agent-name', agentName());
  ui.login.hidden = true;
  ui.desk.hidden = false;
  ui.connection.textContent = `Signed in as ${agentName()}`;
}

function signOut(reason: string): void {
  token = '';
  sessionStorage.removeItem('agent-token');
  sessionStorage.removeItem('agent-name');
  watcher = undefined;
  ui.desk.hidden = true;
  ui.login.hidden = false;
  ui.loginError.textContent = reason;
  ui.connection.textContent = 'Signed out';
  ui.token.focus();
}

/** "just now", "4 min", "1 h 5 min": how long a visitor has waited. */
function waited(since: string | null | undefined): string {
  if (!since) return '';
  const minutes = Math.floor((Date.now() - Date.parse(since)) / 60_000);
  if (minutes < 1) return 'just now';
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

function rowState(s: SessionSummary): 'waiting' | 'open' | 'bot' {
  if (!isLiveChat(s.mode, s.status)) return 'bot';
  return s.status === 'waiting' ? 'waiting' : 'open';
}

function extras(s: SessionSummary): ConsoleRowExtras {
  const parsed = ConsoleRowExtras.safeParse(s);
  return parsed.success ? parsed.data : {};
}

/** The visitor as the host named them, else the page they are on; with a short id to tell rows apart. */
function identity(s: SessionSummary): { name: string; shortId: string; page: string } {
  const { visitor, pageTitle } = extras(s);
  const shortId = s.sessionId.replace(/-/g, '').slice(0, 6);
  const page = s.pageUrl ? shortPage(s.pageUrl) : '';
  const named = visitor?.name ?? visitor?.email ?? visitor?.id;
  return { name: named ?? (pageTitle || page || 'Visitor'), shortId, page: pageTitle && page ? `${pageTitle} · ${page}` : page };
}

function shortPage(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  } catch {
    return url;
  }
}

/** One clear label per state: who has the chat and, when waiting, for how long. */
function stateLabel(s: SessionSummary): string {
  const state = rowState(s);
  if (state === 'waiting') return `Waiting · ${waited(s.waitingSince)}`;
  if (state === 'open') return `Live · ${s.agent?.name ?? 'an agent'}`;
  return s.status === 'closed' ? 'Bot · chat ended' : 'Bot';
}

function matches(s: SessionSummary, query: string): boolean {
  if (!query) return true;
  const { visitor } = extras(s);
  const id = identity(s);
  const haystack = [id.name, id.page, id.shortId, s.sessionId, s.lastMessage, s.pageUrl, s.agent?.name, visitor?.email, visitor?.id, stateLabel(s)];
  return haystack.some((field) => field?.toLowerCase().includes(query));
}

function renderSessions(): void {
  const query = ui.search.value.trim().toLowerCase();
  const shown = sessions.filter((s) => matches(s, query));
  ui.noSessions.hidden = shown.length > 0;
  ui.noSessions.textContent = sessions.length === 0 ? 'No conversations yet.' : 'No session matches the search.';
  const waiting = sessions.filter((s) => rowState(s) === 'waiting').length;
  ui.waitingCount.textContent = waiting === 0 ? '' : waiting === 1 ? '1 waiting' : `${waiting} waiting`;
  // The tab says it too, so an agent working in another tab sees a new visitor waiting.
  document.title = waiting > 0 ? `(${waiting}) ${PAGE_TITLE}` : PAGE_TITLE;
  // The list is rebuilt on every change: keep the keyboard focus on the same row's button.
  const focused = document.activeElement?.closest<HTMLElement>('#sessions li')?.dataset.sessionId;
  ui.sessions.replaceChildren(
    ...shown.map((s) => {
      const state = rowState(s);
      const mine = state === 'open' && s.agent?.name === agentName();
      const id = identity(s);
      const li = document.createElement('li');
      li.dataset.sessionId = s.sessionId;
      li.classList.toggle('current', current?.sessionId === s.sessionId);
      const head = document.createElement('div');
      head.className = 'row-head';
      head.append(text('span', id.name, 'who-row'), ...verifiedMark(s), text('span', `#${id.shortId}`, 'muted'), text('span', stateLabel(s), `badge ${state}`));
      if (extras(s).visitorLeftAt) head.append(text('span', 'Visitor left', 'tag-left'));
      const last = text('span', s.lastMessage ?? 'No messages yet', 'row-text');
      const parts: HTMLElement[] = [head, last];
      if (id.page && id.page !== id.name) parts.push(text('span', id.page, 'row-text muted'));
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
  current?.uploading?.abort();
  current = { sessionId, socket, seen: new Set(), typing: false, files: null };
  const mine = current;
  ui.log.replaceChildren();
  ui.error.textContent = '';
  ui.presence.textContent = '';
  ui.typing.hidden = true;
  ui.desk.classList.add('reading');
  renderSessions();
  socket.addEventListener('open', () => send(socket, { type: 'client:join', chatbotId: CHATBOT_ID, sessionId, as: 'admin', token }));
  onFrames(socket, (frame) => {
    if (current !== mine) return;
    // The join acknowledgement has no sessionId; every other frame must be for this session.
    if (frame.type === 'livechat:status' && frame.ok === true && frame.sessionId === undefined) {
      // [ext] Files only where the server advertises them.
      mine.files = frame.files ?? null;
      ui.attach.hidden = !mine.files;
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
  }, (frame) => {
    if (current !== mine || frame.sessionId !== sessionId) return;
    const left = frame.visitor === 'left';
    const time = new Date(frame.at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    ui.presence.textContent = left ? `Visitor left at ${time}` : '';
    addNotice(left ? `Visitor left (${time})` : `Visitor is back (${time})`);
    if (left) ui.typing.hidden = true;
  });
  socket.addEventListener('close', () => {
    if (current === mine) {
      renderComposer(false);
      ui.error.textContent = 'Disconnected from this conversation. Select it again to reconnect.';
    }
  });
}

/** A mark for an identity the server verified (its hash was the host's HMAC of the id):
 * only those may be trusted as who they say they are. */
function verifiedMark(s: SessionSummary): HTMLElement[] {
  if (!extras(s).visitor?.verified) return [];
  const mark = text('span', '✓ verified', 'tag-verified');
  mark.title = 'The host vouched for this identity (HMAC of the id)';
  return [mark];
}

/** What the host said about the visitor beyond a name: its attributes, as a list of terms. */
function renderDetails(summary: SessionSummary | undefined): void {
  const attributes = Object.entries(summary ? (extras(summary).visitor?.attributes ?? {}) : {});
  ui.details.replaceChildren(...attributes.flatMap(([key, value]) => [text('dt', key), text('dd', String(value))]));
  ui.details.hidden = attributes.length === 0;
}

function renderHeader(summary: SessionSummary | undefined): void {
  renderDetails(summary);
  if (!summary) {
    ui.title.textContent = 'Conversation';
    ui.meta.textContent = '';
    return;
  }
  const id = identity(summary);
  const { visitor, visitorLeftAt } = extras(summary);
  ui.title.textContent = `${id.name} · ${stateLabel(summary)}`;
  ui.title.append(...verifiedMark(summary));
  const who = [visitor?.email && visitor.email !== id.name ? visitor.email : '', visitor?.id && visitor.id !== id.name ? `id ${visitor.id}` : ''].filter(Boolean);
  ui.meta.textContent = [...who, id.page && id.page !== id.name ? `On ${id.page}` : '', `#${id.shortId}`].filter(Boolean).join(' · ');
  // The list knows about a departure announced before this conversation was opened.
  if (visitorLeftAt && !ui.presence.textContent) ui.presence.textContent = `Visitor left at ${new Date(visitorLeftAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}`;
  if (!visitorLeftAt) ui.presence.textContent = '';
}

/** A line in the log that is not a message: presence. */
function addNotice(content: string): void {
  ui.log.append(text('div', content, 'msg notice'));
  ui.log.scrollTop = ui.log.scrollHeight;
}

function renderComposer(enabled: boolean): void {
  ui.message.disabled = !enabled;
  ui.send.disabled = !enabled;
  ui.end.disabled = !enabled;
  ui.attach.disabled = !enabled;
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
  if (frame.attachments?.length) el.append(renderAttachments(frame.attachments));
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

// [ext] The agent's file: uploaded with the token, then sent with the text typed so far as its caption.
ui.attach.addEventListener('click', () => ui.file.click());
ui.file.addEventListener('change', () => {
  const file = ui.file.files?.[0];
  ui.file.value = '';
  const mine = current;
  if (!file || !mine) return;
  const refused = refusal(file, mine.files);
  if (refused) return void (ui.error.textContent = refused);
  ui.error.textContent = '';
  const controller = new AbortController();
  mine.uploading = controller;
  ui.upload.textContent = `Uploading ${file.name}…`;
  uploadAsAgent({ file, sessionId: mine.sessionId, chatbotId: CHATBOT_ID, token, progress: (f) => (ui.upload.textContent = `Uploading ${file.name}… ${Math.round(f * 100)}%`) }, controller.signal).then(
    (ref) => {
      if (current !== mine) return;
      ui.upload.textContent = '';
      const content = ui.message.value.trim();
      send(mine.socket, { type: 'client:message', chatbotId: CHATBOT_ID, sessionId: mine.sessionId, sender: 'admin', content, attachments: [ref], clientMessageId: crypto.randomUUID() });
      ui.message.value = '';
    },
    (error: Error) => {
      if (current !== mine) return;
      ui.upload.textContent = '';
      ui.error.textContent = error.message;
    },
  );
});

ui.end.addEventListener('click', () => {
  if (current) send(current.socket, { type: 'client:end', chatbotId: CHATBOT_ID, sessionId: current.sessionId, sender: 'admin' });
});

ui.search.addEventListener('input', () => renderSessions());

// On a phone the list and the conversation take turns; this is the way back to the list.
ui.back.addEventListener('click', () => {
  ui.desk.classList.remove('reading');
  ui.sessions.querySelector<HTMLElement>(`li[data-session-id="${CSS.escape(current?.sessionId ?? '')}"] button`)?.focus();
});

// Waiting times move on even when nothing else changes.
setInterval(() => sessions.length > 0 && renderSessions(), 15_000);

if (token) {
  ui.token.value = token;
  ui.name.value = sessionStorage.getItem('agent-name') ?? ui.name.value;
  watch();
}
