/**
 * `node --import tsx bench/profile.ts [restore|append|burst] [messages]`: where the element's time goes,
 * as the top self-time functions of a CPU profile (and the bottom-up chain of each).
 * A tool for finding why a figure of `npm run bench` is what it is; not part of the run.
 */
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../scripts/chromium.mjs';
import { startServer } from '../server/app.ts';
import { joinAsAgent } from './agent.ts';
import { startStaticServer } from './static-server.ts';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  parent?: number;
  children?: number[];
}

const what = process.argv[2] ?? 'restore';
/** Messages in the stored conversation: `restore 1000` profiles the smaller restore. */
const count = Number(process.argv[3] ?? 5000);
const site = await startStaticServer();
const unlimited = { limit: 1e9, windowMs: 1000 };
const reference = await startServer({ port: 0, rateLimit: { socket: unlimited, session: unlimited, ip: unlimited } });
const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
try {
  const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
  await page.goto(`${site.url}/element.html`);
  await page.evaluate(`bench.seed(${count})`);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  let agent: Awaited<ReturnType<typeof joinAsAgent>> | undefined;
  if (what === 'append') await page.evaluate(`bench.restoreElement(${count})`);
  if (what === 'burst') {
    const wsUrl = `${reference.url.replace(/^http/, 'ws')}/api/livechat`;
    const sessionId = await page.evaluate<string>(`bench.liveElement(${JSON.stringify(reference.url)})`);
    agent = await joinAsAgent(wsUrl, 'demo', sessionId, reference.agentToken);
    await page.waitForFunction('bench.liveNow()');
  }
  await cdp.send('Profiler.start');
  let ms: number;
  if (what === 'append') {
    ms = await page.evaluate<number>(`(async () => { let t = 0; for (let i = 0; i < 5; i++) { await new Promise(r => setTimeout(r, 400)); t += (await bench.appendElement('one more ' + i)).ms; } return t / 5; })()`);
  } else if (agent) {
    await page.evaluate('bench.arm(1000)');
    const t0 = performance.timeOrigin + performance.now();
    for (let i = 0; i < 1000; i++) agent.send(`Burst message ${i}: here is one more line of the runbook for you.`);
    ms = (await page.evaluate<number>('bench.armed')) - t0;
    agent.close();
  } else {
    ms = await page.evaluate<number>(`bench.restoreElement(${count})`);
  }
  const { profile } = await cdp.send('Profiler.stop');
  const nodes = new Map<number, Node>((profile.nodes as Node[]).map((n) => [n.id, n]));
  for (const n of nodes.values()) for (const c of n.children ?? []) nodes.get(c)!.parent = n.id;
  const self = new Map<number, number>();
  const deltas = profile.timeDeltas ?? [];
  (profile.samples ?? []).forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (deltas[i] ?? 0) / 1000));
  const name = (n: Node) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber + 1}:${n.callFrame.columnNumber + 1}`;
  const byName = new Map<string, { ms: number; stack: string }>();
  for (const [id, t] of self) {
    const n = nodes.get(id)!;
    const chain: string[] = [];
    for (let p = n.parent; p && chain.length < 6; p = nodes.get(p)!.parent) chain.push(name(nodes.get(p)!));
    const key = name(n);
    const entry = byName.get(key) ?? { ms: 0, stack: chain.join(' ← ') };
    entry.ms += t;
    byName.set(key, entry);
  }
  console.log(`${what}: ${ms.toFixed(1)} ms (element${what === 'burst' ? ', 1,000 live messages' : `, ${count} messages`})`);
  for (const [key, { ms: t, stack }] of [...byName].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25)) {
    console.log(`${t.toFixed(1).padStart(8)} ms  ${key}\n            ← ${stack}`);
  }
} finally {
  await browser.close();
  await reference.close();
  await site.close();
}
