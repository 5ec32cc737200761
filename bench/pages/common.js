// Page side of the benchmarks, shared by the element's pages and the plain-DOM baseline's.
// Node drives it through `page.evaluate('bench.…')`; every time is epoch-based
// (`performance.timeOrigin + performance.now()`) so it compares with Node's clock.
'use strict';
window.bench = (() => {
  const now = () => performance.timeOrigin + performance.now();
  const STORAGE_KEY = 'webchat-agent:bench';

  /** The first task that may run after the current one: a user-blocking one, which runs before
   * the page's own timers and messages, so that work the page queued for after a frame is not
   * counted in that frame (a message's round trip is about 6 ms later on this machine). */
  const nextTask = (then) => {
    if (window.scheduler?.postTask) return void scheduler.postTask(then, { priority: 'user-blocking' });
    const channel = new MessageChannel();
    channel.port1.onmessage = then;
    channel.port2.postMessage(0);
  };
  /** The next frame: when its rAF ran (before style, layout, paint) and the task after it (after). */
  const frame = () =>
    new Promise((resolve) =>
      requestAnimationFrame(() => {
        const raf = now();
        nextTask(() => resolve({ raf, painted: now() }));
      }),
    );
  const afterPaint = async () => (await frame()).painted;

  /**
   * Start-up's frames, watched from before the script under test runs (mark.js): each frame's
   * rAF notes what the page shows, and the task after it when that frame was painted. A script
   * that reads the DOM after the script under test would run after the parser next yields,
   * which may be after the first frame: it would time the second one.
   */
  const startupFrames = [];
  let watching = false;
  const shows = () => {
    const el = document.querySelector('webchat-agent');
    const peer = document.querySelector('deep-chat');
    const root = peer ? peer.shadowRoot : el ? el.shadowRoot : document;
    return {
      // The element's first textbox (the shell's early one, for a new conversation) or the
      // conversation's own, beside its log; deep-chat's contenteditable input.
      textbox: !!root?.querySelector(peer ? '#text-input' : 'textarea'),
      whole: !!root?.querySelector(peer ? '#text-input' : el ? '[role=log] ~ form textarea' : 'textarea'),
      launcher: !!root?.querySelector('.launcher'),
    };
  };
  const watchStartup = () => {
    watching = true;
    const watch = () =>
      requestAnimationFrame(() => {
        const frame = { raf: now(), ...shows() };
        nextTask(() => {
          frame.painted = now();
          startupFrames.push(frame);
        });
        // Until the page is whole (an inline panel) or its launcher shows, for at most 10 s.
        if (!frame.whole && !frame.launcher && startupFrames.length < 600) watch();
        else nextTask(() => (watching = false));
      });
    watch();
  };
  /** The first frame painted that showed `what` (a key of `shows`); an error once the watch
   * has ended without one. */
  const startupPainted = async (what) => {
    for (;;) {
      const frame = startupFrames.find((f) => f[what] && f.painted);
      if (frame) return frame.painted;
      if (!watching) throw new Error(`no frame showed the ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };

  /** A persisted conversation: visitor questions, HTML bot replies with sources, agent lines. */
  function conversation(count) {
    const start = Date.parse('2026-01-05T08:00:00Z');
    const messages = [];
    for (let i = 0; i < count; i++) {
      const createdAt = new Date(start + i * 1000).toISOString();
      const kind = i % 10;
      if (kind < 5) {
        messages.push({ id: `u${i}`, clientMessageId: `u${i}`, serverId: `s${i}`, sender: 'user', html: false, sources: [], createdAt, delivery: 'sent',
          content: `Question ${i}: how do I connect to the VPN from a new laptop when the password has expired?` });
      } else if (kind < 9) {
        messages.push({ id: `s${i}`, serverId: `s${i}`, sender: 'bot', html: true, createdAt,
          content: `<p>Reply ${i}. Open <strong>Settings → Network</strong>, choose <em>VPN</em> and sign in again.</p><ul><li>Renew the password first</li><li>Then restart the client</li></ul><p>More in <a href="https://intranet.example/kb/vpn">the VPN article</a>.</p>`,
          sources: [
            { type: 'web', source: `https://intranet.example/kb/vpn-${i % 7}` },
            { type: 'product', source: `p-${i}`, data: { name: `Laptop ${i % 13}`, url: `https://shop.example/p/${i % 13}` } },
          ] });
      } else {
        messages.push({ id: `s${i}`, serverId: `s${i}`, sender: 'admin', html: false, sources: [], createdAt, agent: { name: 'Sam' },
          content: `Agent note ${i}: I have reset the VPN token on our side, please try again now.` });
      }
    }
    return messages;
  }

  /** Writes the persisted conversation the element restores (the baseline reads the same). */
  // The shape a returning visitor's storage has (src/core/saved-transcript.ts): a head
  // listing the span of messages, and the messages in chunks of 100 under `<key>:<n>`.
  const CHUNK = 100;
  function seed(count) {
    localStorage.clear();
    const messages = conversation(count);
    localStorage.setItem(STORAGE_KEY, JSON.stringify({ v: 2, sessionId: 'bench-session', mode: 'bot', status: null, agent: null, outbox: [], unread: 0, span: { from: 0, to: messages.length }, rev: 'bench' }));
    for (let n = 0; n * CHUNK < messages.length; n++) localStorage.setItem(`${STORAGE_KEY}:${n}`, JSON.stringify(messages.slice(n * CHUNK, (n + 1) * CHUNK)));
    return messages.length;
  }

  /** What the storage holds, chunks joined: the baseline's restore reads it as the element does. */
  function stored() {
    const head = JSON.parse(localStorage.getItem(STORAGE_KEY));
    const messages = [];
    for (let n = Math.floor(head.span.from / CHUNK); n * CHUNK < head.span.to; n++) messages.push(...JSON.parse(localStorage.getItem(`${STORAGE_KEY}:${n}`)));
    return { ...head, messages };
  }

  function panel() {
    const section = document.createElement('section');
    section.className = 'panel';
    section.setAttribute('aria-label', 'Chat');
    section.innerHTML = '<h2>Chat</h2><div class="log" role="log" tabindex="0"></div><form><textarea aria-label="Message"></textarea><button>Send</button></form>';
    return section;
  }

  function row(text) {
    const div = document.createElement('div');
    div.textContent = text;
    return div;
  }

  let el = null;
  let log = null;
  let rows = null;
  // The element may group its rows: count message rows wherever they sit (a live collection).
  let messageRows = null;
  let count = () => (messageRows ? messageRows.length : rows.childElementCount);
  // The newest row without counting them all (it may sit last in a last block of rows).
  let newestRow = () => {
    const last = rows.lastElementChild;
    return !messageRows || last?.classList.contains('message') ? last : last?.lastElementChild;
  };

  const atBottom = () => log.scrollHeight - log.scrollTop - log.clientHeight <= 2;

  /** After paint, and once the log shows its end (bounded: 120 frames). */
  async function paintedAtBottom() {
    for (let frame = 0; frame < 120; frame++) {
      const t = await afterPaint();
      if (atBottom()) return t;
    }
    throw new Error('the log never reached its end');
  }

  /** The element's conversation has rendered: the script tag's chat part may still be on
   * its way when the element first renders (its time counts, as it does for a visitor). */
  async function chatShown() {
    for (let i = 0; i < 10_000 && !el.shadowRoot?.querySelector('[role=log]'); i++) await new Promise((resolve) => setTimeout(resolve, 0));
    await el.updateComplete;
    if (!el.shadowRoot.querySelector('[role=log]')) throw new Error('the conversation never rendered');
  }

  async function mountElement(attributes) {
    el = document.createElement('webchat-agent');
    // No greeting: the rows are the conversation's, as on the other sides.
    for (const [name, value] of Object.entries({ layout: 'inline', greeting: '', ...attributes })) el.setAttribute(name, value);
    document.body.append(el);
    await chatShown();
    log = el.shadowRoot.querySelector('[role=log]');
    rows = log.querySelector('.blocks');
    messageRows = rows.getElementsByClassName('message');
  }

  function mountBaseline() {
    const section = panel();
    document.body.append(section);
    log = rows = section.querySelector('.log');
  }

  /** Restore: a persisted conversation → its newest rows rendered and the log at its end,
   * painted. The element builds the last 50 to 99 rows of a long conversation first
   * (the older ones as the reader scrolls up: showAllElement). */
  async function restoreElement(expected) {
    const t0 = now();
    await mountElement({ 'chatbot-id': 'bench', 'base-url': location.origin, persist: 'local' });
    const t = (await paintedAtBottom()) - t0;
    // Checked after the clock stops: counting 5,000 rows in a big tree is not the element's work.
    const last = stored().messages.at(-1);
    if (count() < Math.min(expected, 50)) throw new Error(`rendered ${count()} of ${expected} rows`);
    if (last && !newestRow()?.textContent.includes(last.content.replace(/<[^>]+>/g, '').slice(0, 20))) throw new Error('the newest message is not the last row');
    return t;
  }

  /** Scrolls the element's log to its top until every row is in the DOM. */
  async function showAllElement(expected) {
    for (let i = 0; i < 1000 && count() < expected; i++) {
      log.scrollTop = 0;
      await frame();
    }
    if (count() !== expected) throw new Error(`showed ${count()} of ${expected} rows`);
  }

  /** DOM nodes (elements and text) of a plain text row, the row's own element included: the
   * visitor's and the agent's rows, whose content is one text. */
  function plainRowNodes() {
    const plain = el?.localName === 'deep-chat'
      ? [...messageRows].filter((row) => row.querySelector('.user-message-text'))
      : messageRows ? [...messageRows].filter((row) => !row.classList.contains('bot')) : [...rows.children];
    const nodes = (node) => 1 + [...node.childNodes].reduce((sum, child) => sum + nodes(child), 0);
    return plain.reduce((sum, row) => sum + nodes(row), 0) / plain.length;
  }

  async function restoreBaseline(expected) {
    const t0 = now();
    mountBaseline();
    const { messages } = stored();
    const fragment = document.createDocumentFragment();
    for (const message of messages) fragment.append(row(message.content));
    rows.append(fragment);
    log.scrollTop = log.scrollHeight;
    const t = (await paintedAtBottom()) - t0;
    if (count() !== expected) throw new Error(`rendered ${count()} of ${expected} rows`);
    return t;
  }

  /**
   * Append: one more message → in the DOM and painted. `ms` is the wall time to the painted
   * frame (it includes waiting for that frame's turn); `work` is what the main thread spent:
   * the script up to the DOM change, plus that frame's rendering. `frames` counts the frames
   * until the log showed its end (1: the very next one).
   */
  async function timedAppend(text, append) {
    const before = count();
    const t0 = now();
    await append();
    const inDom = now();
    if (!newestRow()?.textContent.includes(text)) throw new Error('the message did not show');
    for (let frames = 1; frames <= 120; frames++) {
      const { raf, painted } = await frame();
      if (!atBottom()) continue;
      if (count() !== before + 1) throw new Error('not exactly one more row');
      return { ms: painted - t0, work: inDom - t0 + (painted - raf), frames };
    }
    throw new Error('the log never reached its end');
  }

  async function appendElement(text) {
    let sent;
    const result = await timedAppend(text, () => {
      sent = el.send(text);
      return el.updateComplete;
    });
    await sent; // the reply (here a 404) and its re-render stay out of the next sample
    return result;
  }

  function appendBaseline(text) {
    return timedAppend(text, () => {
      rows.append(row(text));
      log.scrollTop = log.scrollHeight;
    });
  }

  /** The peer, deep-chat, given the same stored conversation as its history (it keeps no
   * storage of its own: reading and parsing the stored copy is part of its time, as it is
   * of the element's). Bot HTML goes in as HTML, the rest as text. */
  async function mountPeer() {
    await customElements.whenDefined('deep-chat');
    const { messages } = stored();
    el = document.createElement('deep-chat');
    el.style.inlineSize = '400px';
    el.style.blockSize = '600px';
    el.connect = { url: `${location.origin}/api/deep-chat` };
    // Its default shows only the last 4,000: all of them, as the element does.
    el.maxVisibleMessages = 1e6;
    el.history = messages.map((m) => (m.sender === 'user' ? { role: 'user', text: m.content } : m.html ? { role: 'ai', html: m.content } : { role: 'ai', text: m.content }));
    document.body.append(el);
    for (let i = 0; i < 600 && !el.shadowRoot?.querySelector('#messages'); i++) await frame();
    log = el.shadowRoot.querySelector('#messages');
    messageRows = log.getElementsByClassName('outer-message-container');
    count = () => messageRows.length;
    newestRow = () => messageRows[messageRows.length - 1];
  }

  async function restorePeer(expected) {
    const t0 = now();
    await mountPeer();
    for (let i = 0; i < 600 && count() < expected; i++) await frame();
    const t = (await paintedAtBottom()) - t0;
    if (count() !== expected) throw new Error(`rendered ${count()} of ${expected} rows`);
    return t;
  }

  function appendPeer(text) {
    return timedAppend(text, () => el.addMessage({ role: 'user', text }));
  }

  /**
   * The element's save after one new message (debounced: it runs on its own, a moment
   * later): the main-thread time from the first JSON.stringify or storage write of that save
   * to the last one's end, which holds the save's whole work.
   */
  async function timedSave(text) {
    const spans = [];
    const wrap = (target, name) => {
      const original = target[name];
      target[name] = function (...args) {
        const start = now();
        try {
          return original.apply(this, args);
        } finally {
          spans.push([start, now()]);
        }
      };
      return () => (target[name] = original);
    };
    await appendElement(text);
    spans.length = 0;
    const unwrap = [wrap(JSON, 'stringify'), wrap(Storage.prototype, 'setItem')];
    await new Promise((resolve) => setTimeout(resolve, 600));
    for (const undo of unwrap) undo();
    if (!spans.length) throw new Error('nothing was saved');
    return spans.at(-1)[1] - spans[0][0];
  }

  /** Live chat: the element asks for a human and joins; resolves with the session id. */
  async function liveElement(baseUrl) {
    await mountElement({ 'chatbot-id': 'demo', 'base-url': baseUrl });
    await el.requestHuman();
    for (let i = 0; i < 500 && el.state.connection.state !== 'joined'; i++) await new Promise((r) => setTimeout(r, 10));
    if (el.state.connection.state !== 'joined') throw new Error(`not joined: ${JSON.stringify(el.state.connection)}`);
    return el.state.sessionId;
  }

  const liveNow = () => (el ? el.state.conversation === 'live' : baselineLive);
  let baselineLive = false;

  /** Live chat, plain: a raw WebSocket joined as the visitor, each message a <div>. */
  function liveBaseline(wsUrl, chatbotId, sessionId) {
    mountBaseline();
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(wsUrl);
      socket.onopen = () => socket.send(JSON.stringify({ type: 'client:join', chatbotId, sessionId, as: 'user' }));
      socket.onerror = () => reject(new Error('socket error'));
      socket.onmessage = (event) => {
        const frame = JSON.parse(event.data);
        if (frame.type === 'livechat:status' && frame.ok) resolve(sessionId);
        if (frame.sessionId !== sessionId) return;
        if (frame.type === 'livechat:status') baselineLive = frame.status === 'open';
        if (frame.type === 'livechat:message') {
          rows.append(row(frame.content));
          log.scrollTop = log.scrollHeight;
        }
      };
    });
  }

  /**
   * Arms a wait for `extra` more rows; `bench.armed` then resolves with the painted time.
   * Rows are counted from the mutation records (a new block brings its rows along), so
   * the wait costs the page the same little on both sides, however long the log.
   */
  function arm(extra) {
    let seen = count();
    const target = seen + extra;
    const rowsIn = (node) => (node.nodeType !== 1 ? 0 : !messageRows || node.classList.contains('message') ? 1 : node.getElementsByClassName('message').length);
    bench.armed = new Promise((resolve) => {
      const observer = new MutationObserver((records) => {
        for (const record of records) for (const node of record.addedNodes) seen += rowsIn(node);
        if (seen < target) return;
        observer.disconnect();
        paintedAtBottom().then(resolve);
      });
      observer.observe(rows, { childList: true, subtree: true });
    });
    return target;
  }

  return { now, afterPaint, watchStartup, startupPainted, seed, panel, restoreElement, showAllElement, plainRowNodes, restoreBaseline, restorePeer, appendElement, appendBaseline, appendPeer, timedSave, liveElement, liveBaseline, liveNow, arm, rowCount: count, armed: null };
})();
