/**
 * `node --import tsx bench/heap.ts [count]`: what the element's JS heap holds after
 * restoring `count` messages (default 5,000), from a Chromium heap snapshot: the self size
 * of each constructor (or string, closure, code…), largest first, and the DOM node count.
 * A tool for finding why the bench's heap figure is what it is; not part of the run. Needs
 * `dist/` (`node scripts/build.mjs --bundles-only`).
 */
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../scripts/chromium.mjs';
import { startStaticServer } from './static-server.ts';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

const count = Number(process.argv[2] ?? 5000);
const site = await startStaticServer();
const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
try {
  const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
  await page.goto(`${site.url}/element.html`);
  await page.evaluate(`bench.seed(${count})`);
  await page.evaluate(`bench.restoreElement(${count})`);
  await new Promise((resolve) => setTimeout(resolve, 500));
  const cdp = await page.context().newCDPSession(page);
  for (let i = 0; i < 3; i++) await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('Performance.enable');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const metric = (name: string) => metrics.find((m) => m.name === name)?.value ?? NaN;
  const chunks: string[] = [];
  cdp.on('HeapProfiler.addHeapSnapshotChunk', ({ chunk }) => chunks.push(chunk));
  await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  const heap = JSON.parse(chunks.join('')) as Snapshot;
  const fields = heap.snapshot.meta.node_fields;
  const types = heap.snapshot.meta.node_types[0];
  const [TYPE, NAME, SIZE] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
  const totals = new Map<string, { bytes: number; count: number }>();
  for (let i = 0; i < heap.nodes.length; i += fields.length) {
    const type = types[heap.nodes[i + TYPE!]!]!;
    const name = type === 'object' || type === 'closure' || type === 'native' ? `${type} ${heap.strings[heap.nodes[i + NAME!]!]!.slice(0, 60)}` : type;
    const total = totals.get(name) ?? { bytes: 0, count: 0 };
    total.bytes += heap.nodes[i + SIZE!]!;
    total.count += 1;
    totals.set(name, total);
  }
  const rows = [...totals].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, 40);
  console.log(`JS heap used ${(metric('JSHeapUsedSize') / 1024).toFixed(0)} KB, DOM nodes ${metric('Nodes')}, after ${count} messages`);
  console.log('| what | KB | count | bytes per message |\n|---|---|---|---|');
  for (const [name, { bytes, count: n }] of rows) console.log(`| ${name} | ${(bytes / 1024).toFixed(0)} | ${n} | ${(bytes / count).toFixed(0)} |`);
} finally {
  await browser.close();
  await site.close();
}
