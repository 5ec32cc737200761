/**
 * `node --import tsx bench/trace.ts [element|baseline] [css]`: restores 5,000 messages, then
 * traces four appends and prints where the renderer's main thread spent them (Blink's own
 * phases: style, layout, intersection observers, pre-paint, paint). `css` is added to the
 * element's shadow root first, to try a style change without a rebuild.
 * A tool for finding why a figure of `npm run bench` is what it is; not part of the run.
 */
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../scripts/chromium.mjs';
import { startStaticServer } from './static-server.ts';

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  dur?: number;
  args?: { name?: string };
}

const kind = process.argv[2] ?? 'element';
const css = process.argv[3];
const site = await startStaticServer();
const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
await page.goto(`${site.url}/${kind}.html`);
await page.evaluate('bench.seed(5000)');
const K = kind === 'element' ? 'Element' : 'Baseline';
console.log('restore', await page.evaluate(`bench.restore${K}(5000)`));
if (css) await page.evaluate(`(() => { const el = document.querySelector('webchat-agent'); const s = new CSSStyleSheet(); s.replaceSync(${JSON.stringify(css)}); el.shadowRoot.adoptedStyleSheets = [...el.shadowRoot.adoptedStyleSheets, s]; })()`);
await new Promise(r => setTimeout(r, 1000));
const cdp = await page.context().newCDPSession(page);
const events: TraceEvent[] = [];
cdp.on('Tracing.dataCollected', (e) => events.push(...(e.value as unknown as TraceEvent[])));
const done = new Promise(r => cdp.once('Tracing.tracingComplete', r));
await cdp.send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline,blink,v8.execute', transferMode: 'ReportEvents' });
const times: { ms: number; work: number }[] = [];
for (let i = 0; i < 4; i++) { await new Promise(r => setTimeout(r, 500)); times.push(await page.evaluate<{ ms: number; work: number }>(`bench.append${K}('more ${i}')`)); }
await cdp.send('Tracing.end');
await done;
console.log('append (wall / work, ms)', times.map((t) => `${t.ms.toFixed(1)} / ${t.work.toFixed(1)}`).join('  '));
const main = events.find(e => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
const sums = new Map<string, [number, number]>();
for (const e of events) if (e.ph === 'X' && e.tid === main?.tid && e.pid === main?.pid && e.dur) { const s = sums.get(e.name) ?? [0, 0]; s[0] += e.dur / 1000; s[1]++; sums.set(e.name, s); }
for (const [n, [d, c]] of [...sums].sort((a, b) => b[1][0] - a[1][0]).slice(0, 25)) console.log(d.toFixed(1).padStart(8), String(c).padStart(5), n);
await browser.close(); await site.close();
