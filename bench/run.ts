/**
 * `npm run bench`: size, start-up, long conversations, live-chat throughput and memory of
 * <webchat-agent>, each timing beside the same work done by a plain-DOM baseline in the
 * same run (the ratio is what holds on a noisy machine). Prints a markdown table and writes
 * bench/results.json. Everything runs on 127.0.0.1 and is bounded in time.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import os from 'node:os';
import { chromium, type Browser, type Page } from 'playwright-core';
import { DEFAULT_HUMAN_REQUEST, SESSION_HEADER } from '../src/core/protocol.ts';
import { startServer } from '../server/app.ts';
import { chromiumArgs, chromiumPath } from '../scripts/chromium.mjs';
import { CHAT_FILES, kb, sizes } from '../scripts/sizes.mjs';
import { joinAsAgent } from './agent.ts';
import { epochNow, median, percentile } from './stats.ts';
import { startStaticServer } from './static-server.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const QUICK = process.argv.includes('--quick');
const RUNS = { startup: QUICK ? 3 : 15, restore: QUICK ? 2 : 5, appends: QUICK ? 3 : 6, live: QUICK ? 1 : 3 };
const SINGLES = QUICK ? 50 : 200;
const BURST = 1000;
const CHATBOT = 'demo';

// The whole run stays well inside its 10 minutes, whatever hangs.
const watchdog = setTimeout(() => {
  console.error('bench: still running after 9 minutes, giving up');
  process.exit(1);
}, 9 * 60_000);

type Kind = 'element' | 'baseline' | 'peer';
/** The peer: deep-chat, in bench/peer (its own package.json and lock: never the package's). */
const PEER_DIR = `${ROOT}bench/peer/`;
const PEER_BUNDLE = `${PEER_DIR}node_modules/deep-chat/dist/deepChat.bundle.js`;
/** Live chat needs the service's protocol, which the peer does not speak: element and baseline only. */
const LIVE_KINDS: Kind[] = ['element', 'baseline'];
let KINDS: Kind[] = ['element', 'baseline', 'peer'];
const NAMES: Record<Kind, string> = { element: 'Element', baseline: 'Baseline', peer: 'Peer' };

/** Installs the peer on first use (npm ci from its lock); without it, the run goes on without. */
function ensurePeer(): boolean {
  if (existsSync(PEER_BUNDLE)) return true;
  log('installing the peer (deep-chat) into bench/peer…');
  try {
    execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--silent'], { cwd: PEER_DIR, stdio: ['ignore', 'ignore', 'inherit'] });
  } catch {
    log('could not install deep-chat: measuring without the peer');
  }
  return existsSync(PEER_BUNDLE);
}

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: over ${ms} ms`)), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** `bench.…` in the page, bounded. */
function call<T>(page: Page, expression: string, ms = 30_000): Promise<T> {
  return within(page.evaluate(expression) as Promise<T>, ms, expression.slice(0, 60));
}

/** A fresh context per page: no cache, no storage, nothing left from the previous run. */
async function withPage<T>(browser: Browser, url: string, work: (page: Page) => Promise<T>): Promise<T> {
  const context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
  try {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(url, { waitUntil: 'load', timeout: 30_000 });
    const result = await work(page);
    if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
    return result;
  } finally {
    await context.close();
  }
}

/** Runs the kinds alternately, so drift on the machine hits all alike. */
async function alternate(runs: number, once: (kind: Kind, run: number) => Promise<void>, kinds: Kind[] = KINDS): Promise<void> {
  for (let run = 0; run < runs; run++) for (const kind of run % 2 ? [...kinds].reverse() : kinds) await once(kind, run);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const started = Date.now();
  const loadBefore = os.loadavg()[0]!;
  log('building the bundles…');
  execFileSync(process.execPath, ['scripts/build.mjs', '--bundles-only'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (!ensurePeer()) KINDS = ['element', 'baseline'];
  const peerBytes = existsSync(PEER_BUNDLE) ? readFileSync(PEER_BUNDLE) : null;
  const payload = {
    iife: sizes('webchat-agent.iife.js'),
    // A visitor who chats: the main bundle and the chat part, each file as served.
    chat: CHAT_FILES.map(sizes).reduce((sum, s) => ({ min: sum.min + s.min, gzip: sum.gzip + s.gzip, brotli: sum.brotli + s.brotli })),
    es: sizes('webchat-agent.js'),
    peer: peerBytes && { min: peerBytes.length, gzip: gzipSync(peerBytes, { level: 9 }).length, brotli: brotliCompressSync(peerBytes).length },
  };

  const site = await startStaticServer();
  const reference = await startServer({
    port: 0,
    chatbotIds: [CHATBOT],
    // The agent sends as fast as the socket allows: the hub's flood limits and caps stay out of the way.
    rateLimit: { socket: { limit: 1e9, windowMs: 1000 }, session: { limit: 1e9, windowMs: 1000 }, ip: { limit: 1e9, windowMs: 1000 } },
    maxSocketsPerIp: 1e6,
    maxMessagesPerSession: 1e6,
    maxBufferedBytes: 64 * 1024 * 1024,
  });
  const wsUrl = `${reference.url.replace(/^http/, 'ws')}/api/livechat`;
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, timeout: 30_000 });
  const chromiumVersion = browser.version();
  const samples: Record<string, Record<Kind, number[]>> = {};
  const record = (figure: string, kind: Kind, value: number) => {
    samples[figure] ??= { element: [], baseline: [], peer: [] };
    samples[figure][kind].push(value);
  };

  try {
    log(`start-up × ${RUNS.startup}…`);
    await alternate(RUNS.startup, (kind) =>
      withPage(browser, `${site.url}/startup-${kind}.html`, async (page) => {
        await page.waitForFunction('window.readyMs !== undefined || window.startupError !== undefined', null, { timeout: 30_000 });
        const error = await page.evaluate('window.startupError');
        if (error) throw new Error(`start-up (${kind}): ${error}`);
        record('startup', kind, await page.evaluate<number>('window.startupMs'));
        record('startupReady', kind, await page.evaluate<number>('window.readyMs'));
      }),
    );
    log(`start-up of a closed launcher × ${RUNS.startup}…`);
    // deep-chat has no launcher: the element and a plain button only.
    await alternate(
      RUNS.startup,
      (kind) =>
        withPage(browser, `${site.url}/startup-launcher-${kind}.html`, async (page) => {
          await page.waitForFunction('window.startupMs !== undefined || window.startupError !== undefined', null, { timeout: 30_000 });
          const error = await page.evaluate('window.startupError');
          if (error) throw new Error(`start-up of a launcher (${kind}): ${error}`);
          record('startupLauncher', kind, await page.evaluate<number>('window.startupMs'));
        }),
      ['element', 'baseline'],
    );

    for (const count of [1000, 5000]) {
      log(`restore ${count} × ${RUNS.restore}${count === 5000 ? `, then ${RUNS.appends} appends` : ''}…`);
      await alternate(RUNS.restore, (kind) =>
        withPage(browser, `${site.url}/${kind}.html`, async (page) => {
          await call(page, `bench.seed(${count})`);
          const name = NAMES[kind];
          record(`restore${count}`, kind, await call<number>(page, `bench.restore${name}(${count})`, 60_000));
          if (count !== 5000) return;
          for (let i = 0; i < RUNS.appends; i++) {
            // Quiet first: the previous append's debounced save (250 ms) must not land in this one.
            await sleep(400);
            const append = await call<{ ms: number; work: number; frames: number }>(page, `bench.append${name}('One more question, number ${i}?')`);
            record('append5000', kind, append.ms);
            record('append5000work', kind, append.work);
            record('append5000frames', kind, append.frames);
          }
          // The element's save after one more message (the others keep no storage).
          if (kind === 'element') for (let i = 0; i < RUNS.appends; i++) record('save5000', kind, await call<number>(page, `bench.timedSave('One more to save, number ${i}?')`));
        }),
      );
    }

    // A conversation is kept so that it follows the visitor from page to page of the site:
    // the page before, in the same tab, showed the chat (its own restore, smaller), and the
    // browser kept what it compiled of the scripts. The restore above is a first page.
    log(`restore 1000 on the next page of the site × ${RUNS.restore}…`);
    await alternate(RUNS.restore, (kind) =>
      withPage(browser, `${site.url}/${kind}.html`, async (page) => {
        const name = NAMES[kind];
        await call(page, 'bench.seed(120)');
        await call(page, `bench.restore${name}(120)`, 60_000);
        await sleep(300);
        await page.goto(`${site.url}/${kind}.html`, { waitUntil: 'load', timeout: 30_000 });
        await call(page, 'bench.seed(1000)');
        record('restoreNext1000', kind, await call<number>(page, `bench.restore${name}(1000)`, 60_000));
      }),
    );

    log('memory…');
    for (const kind of KINDS) {
      // From one message to 5,000: what messages cost, not what the first parse builds once
      // (the schemas, on first use) or an empty panel holds.
      for (const count of [1, 5000]) {
        // A browser of its own: pages of one site share one V8 heap, and the code the
        // earlier runs left optimised in it would count as this page's.
        const fresh = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, timeout: 30_000 });
        await withPage(fresh, `${site.url}/${kind}.html`, async (page) => {
          await call(page, `bench.seed(${count})`);
          await call(page, `bench.restore${NAMES[kind]}(${count})`, 60_000);
          // Every row in the DOM: the element builds a long conversation's older rows as the
          // reader scrolls up, and memory counts them all.
          if (kind === 'element') await call(page, `bench.showAllElement(${count})`, 120_000);
          await sleep(500);
          const cdp = await page.context().newCDPSession(page);
          await cdp.send('Performance.enable');
          for (let i = 0; i < 3; i++) await cdp.send('HeapProfiler.collectGarbage');
          const { metrics } = await cdp.send('Performance.getMetrics');
          const metric = (name: string) => metrics.find((m) => m.name === name)?.value ?? NaN;
          record(`heap${count}`, kind, metric('JSHeapUsedSize'));
          record(`nodes${count}`, kind, metric('Nodes'));
          // After the heap is read: walking the rows gives every node a JS wrapper, which the
          // heap then keeps as long as the node.
          if (count === 5000) record('plainRowNodes', kind, await call<number>(page, 'bench.plainRowNodes()'));
        }).finally(() => fresh.close());
      }
    }

    log(`live chat × ${RUNS.live}: ${SINGLES} single messages, then a burst of ${BURST}…`);
    await alternate(RUNS.live, (kind) =>
      withPage(browser, `${site.url}/${kind}.html`, async (page) => {
        let sessionId: string;
        if (kind === 'element') {
          sessionId = await call<string>(page, `bench.liveElement(${JSON.stringify(reference.url)})`);
        } else {
          const response = await fetch(`${reference.url}/api/chat`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ message: DEFAULT_HUMAN_REQUEST, chatbotId: CHATBOT }),
          });
          sessionId = response.headers.get(SESSION_HEADER)!;
          await call(page, `bench.liveBaseline(${JSON.stringify(wsUrl)}, ${JSON.stringify(CHATBOT)}, ${JSON.stringify(sessionId)})`);
        }
        const agent = await joinAsAgent(wsUrl, CHATBOT, sessionId, reference.agentToken);
        try {
          await page.waitForFunction('bench.liveNow()', null, { timeout: 10_000 });
          // A first message settles the takeover's own rows before anything is timed.
          await call(page, 'bench.arm(1)');
          agent.send('Hello, I am looking into it.');
          await call(page, 'bench.armed');
          for (let i = 0; i < SINGLES; i++) {
            await call(page, 'bench.arm(1)');
            const sent = epochNow();
            agent.send(`Single message ${i}: could you tell me which laptop model you are using?`);
            record('single', kind, (await call<number>(page, 'bench.armed')) - sent);
          }
          await call(page, `bench.arm(${BURST})`);
          const echoed = agent.echoed(BURST);
          const sent = epochNow();
          for (let i = 0; i < BURST; i++) agent.send(`Burst message ${i}: here is one more line of the runbook for you.`);
          record('burst', kind, (await call<number>(page, 'bench.armed', 120_000)) - sent);
          record('burstEcho', kind, (await echoed) - sent);
        } finally {
          agent.close();
        }
      }),
      LIVE_KINDS,
    );
  } finally {
    await browser.close();
    await reference.close();
    await site.close();
  }

  const figures = summarise(samples);
  // Other work on the machine moves the absolute times (the ratios much less): say how busy it was.
  const load = { before: loadBefore, after: os.loadavg()[0]! };
  const table = `${renderTable(figures, payload)}\n\nLoad average (1 min) on ${os.cpus().length} cores: ${load.before.toFixed(1)} before the run, ${load.after.toFixed(1)} after.`;
  console.log(table);
  writeFileSync(
    new URL('results.json', import.meta.url),
    `${JSON.stringify({ date: new Date().toISOString(), machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memory: os.totalmem(), node: process.version, chromium: chromiumVersion }, load, runs: RUNS, singles: SINGLES, burst: BURST, payload, figures, samples, table, seconds: Math.round((Date.now() - started) / 1000) }, null, 2)}\n`,
  );
  log(`done in ${Math.round((Date.now() - started) / 1000)} s; samples in bench/results.json`);
}

interface Figure {
  name: string;
  unit: 'ms' | 'KB' | 'nodes';
  element: number;
  baseline: number;
  /** deep-chat's; NaN where it can't be measured (live chat, saving). */
  peer: number;
  target: string;
  met: boolean | null;
}

function summarise(samples: Record<string, Record<Kind, number[]>>): Figure[] {
  const med = (figure: string, kind: Kind) => median(samples[figure]?.[kind] ?? []);
  const both = (figure: string, fn: (kind: Kind) => number) => ({ element: fn('element'), baseline: fn('baseline'), peer: samples[figure]?.peer.length ? fn('peer') : NaN });
  const perThousand = (metric: string) => (kind: Kind) => (med(`${metric}5000`, kind) - med(`${metric}1`, kind)) / 4.999;
  const startup = both('startup', (k) => med('startup', k));
  const startupLauncher = both('startupLauncher', (k) => med('startupLauncher', k));
  const startupReady = both('startupReady', (k) => med('startupReady', k));
  const restore1000 = both('restore1000', (k) => med('restore1000', k));
  const restore5000 = both('restore5000', (k) => med('restore5000', k));
  const restoreNext1000 = both('restoreNext1000', (k) => med('restoreNext1000', k));
  const append = both('append5000', (k) => med('append5000', k));
  const appendWork = both('append5000work', (k) => med('append5000work', k));
  const nextFrame = (k: Kind) => (samples['append5000frames']?.[k] ?? []).filter((frames) => frames === 1).length / (samples['append5000frames']?.[k]?.length || 1);
  const burst = both('burst', (k) => med('burst', k));
  const p50 = both('single', (k) => percentile(samples['single']?.[k] ?? [], 50));
  const p99 = both('single', (k) => percentile(samples['single']?.[k] ?? [], 99));
  const heap = both('heap5000', (k) => perThousand('heap')(k) / 1024);
  const nodes = both('nodes5000', perThousand('nodes'));
  const rowNodes = both('plainRowNodes', (k) => med('plainRowNodes', k));
  const save = both('save5000', (k) => med('save5000', k));
  return [
    { name: 'start-up (inline panel with a textbox, painted: the shell\'s early one, which a new conversation paints first)', unit: 'ms', ...startup, target: '≤ 1.3× baseline', met: startup.element <= 1.3 * startup.baseline },
    { name: 'start-up, inline panel: the conversation\'s own (the chat part run, its view painted)', unit: 'ms', ...startupReady, target: 'report', met: null },
    { name: 'start-up, closed launcher (its button painted; most visitors never open it)', unit: 'ms', ...startupLauncher, target: '≤ 1.3× baseline', met: startupLauncher.element <= 1.3 * startupLauncher.baseline },
    { name: 'restore 1,000 messages (the end rendered and painted; the element builds the newest 50 to 99 rows first)', unit: 'ms', ...restore1000, target: '≤ 1× baseline', met: restore1000.element <= restore1000.baseline },
    { name: 'restore 1,000 on the next page of the site (same tab: the page before showed the chat)', unit: 'ms', ...restoreNext1000, target: '≤ 1× baseline', met: restoreNext1000.element <= restoreNext1000.baseline },
    { name: 'restore 5,000 messages', unit: 'ms', ...restore5000, target: '≤ 1× baseline', met: restore5000.element <= restore5000.baseline },
    { name: 'append at 5,000: send → painted (wall time, waits for the frame)', unit: 'ms', ...append, target: '—', met: null },
    { name: `append at 5,000: main-thread work (script + next frame's rendering); painted in the next frame ${Math.round(nextFrame('element') * 100)}% / ${Math.round(nextFrame('baseline') * 100)}%`, unit: 'ms', ...appendWork, target: '≤ 16 ms (one frame)', met: appendWork.element <= 16 && nextFrame('element') >= 0.5 },
    { name: `live burst: ${BURST.toLocaleString('en')} agent messages → all rendered`, unit: 'ms', ...burst, target: '≤ 1,000 ms', met: burst.element <= 1000 },
    { name: `live burst, for scale: the server echoing all ${BURST.toLocaleString('en')} back to the agent`, unit: 'ms', ...both('burstEcho', (k) => med('burstEcho', k)), target: '—', met: null },
    { name: 'live single message: agent send → visible, p50', unit: 'ms', ...p50, target: '—', met: null },
    { name: 'live single message: agent send → visible, p99', unit: 'ms', ...p99, target: '≤ 50 ms', met: p99.element <= 50 },
    { name: 'JS heap per 1,000 messages (after GC, every row in the DOM)', unit: 'KB', ...heap, target: '≤ 700 KB', met: heap.element <= 700 },
    { name: 'DOM nodes per 1,000 messages (every row; 40% are bot HTML of ~18 nodes each, text on the plain page)', unit: 'nodes', ...nodes, target: 'report', met: null },
    { name: 'DOM nodes per plain text row (the visitor\'s, the agent\'s)', unit: 'nodes', ...rowNodes, target: '≤ 6', met: rowNodes.element <= 6 },
    { name: 'saving after one new message at 5,000 (main thread)', unit: 'ms', ...save, target: '≤ 2 ms', met: save.element <= 2 },
  ];
}

function renderTable(figures: Figure[], payload: { iife: Sizes; chat: Sizes; es: Sizes; peer: Sizes | null }): string {
  const size = (s: Sizes) => `${kb(s.min)} min · ${kb(s.gzip)} gzip · ${kb(s.brotli)} brotli`;
  const value = (f: Figure, v: number) => (!Number.isFinite(v) ? '—' : f.unit === 'ms' ? `${v.toFixed(1)} ms` : f.unit === 'KB' ? `${Math.round(v)} KB` : v < 100 ? v.toFixed(1) : `${Math.round(v)}`);
  const ratio = (a: number, b: number) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}×` : '—');
  const verdict = (met: boolean | null) => (met === null ? '' : met ? ' ✅' : ' ❌');
  const peerRatio = (s: Sizes) => (payload.peer ? `${ratio(s.gzip, payload.peer.gzip)} (gzip)` : '—');
  return [
    '| figure | webchat-agent | plain DOM | deep-chat 2.4.2 | × plain DOM | × deep-chat | target |',
    '|---|---|---|---|---|---|---|',
    `| payload: script tag, every visitor | ${size(payload.iife)} | | ${payload.peer ? size(payload.peer) : '—'} | | ${peerRatio(payload.iife)} | ≤ 25 KB gzip${verdict(payload.iife.gzip <= 25 * 1024)} |`,
    `| payload: script tag, a visitor who chats (+ chat part) | ${size(payload.chat)} | | | | ${peerRatio(payload.chat)} | report |`,
    `| payload: ES build | ${size(payload.es)} | | | | | |`,
    ...figures.map((f) => `| ${f.name} | ${value(f, f.element)} | ${value(f, f.baseline)} | ${value(f, f.peer)} | ${ratio(f.element, f.baseline)} | ${ratio(f.element, f.peer)} | ${f.target}${verdict(f.met)} |`),
  ].join('\n');
}

type Sizes = { min: number; gzip: number; brotli: number };

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => clearTimeout(watchdog));
