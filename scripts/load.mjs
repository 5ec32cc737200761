#!/usr/bin/env node
// `npm run load`: the reference server under load, on 127.0.0.1 only, bounded in count and
// time. Two instances on one private Redis, then one instance on SQLite: in each, bot-mode
// visitors ask questions over REST (each call to a random instance: no stickiness), live
// visitors chat over sockets with agents on the other instance, and every message carries
// its send time. Prints p50/p99 for a REST reply and for live delivery, the lost and
// duplicated counts, and each instance's memory.
//
//   npm run load -- [--visitors 500] [--live 50] [--agents 10] [--duration 60] [--store both|redis|sqlite]
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';

const root = fileURLToPath(new URL('..', import.meta.url));
const HOST = '127.0.0.1';
const TOKEN = `load-${randomUUID()}`;
const QUESTIONS = ['How do I reset my password?', 'How do I connect to the VPN?', 'How do I add a printer?', 'Where do I find the Wi-Fi password?', 'How do I book a meeting room?'];
const HUMAN = 'I would like to talk to a human';

const { values } = parseArgs({
  options: {
    visitors: { type: 'string', default: '500' },
    live: { type: 'string', default: '50' },
    agents: { type: 'string', default: '10' },
    duration: { type: 'string', default: '60' },
    store: { type: 'string', default: 'both' },
  },
});
const config = {
  visitors: bounded('visitors', values.visitors, 0, 2000),
  live: bounded('live', values.live, 0, 200),
  agents: bounded('agents', values.agents, 1, 50),
  durationMs: bounded('duration', values.duration, 5, 600) * 1000,
};
if (!['both', 'redis', 'sqlite'].includes(values.store)) usage('--store is both, redis or sqlite');

function bounded(name, text, min, max) {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) usage(`--${name} must be a whole number from ${min} to ${max}`);
  return n;
}
function usage(message) {
  console.error(`${message}\nUsage: npm run load -- [--visitors 500] [--live 50] [--agents 10] [--duration 60] [--store both|redis|sqlite]`);
  process.exit(64);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const pick = (list) => list[Math.floor(Math.random() * list.length)];
const jitter = (min, max) => min + Math.random() * (max - min);

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, HOST, () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** Starts a process and resolves once a line of its output says it is ready. */
function startProcess(command, args, env, ready) {
  const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${command} did not start: ${output}`)), 30_000);
    const onData = (chunk) => {
      output += chunk;
      if (ready.test(output)) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited (${code}): ${output}`));
    });
  });
}

function stop(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Resident memory of a process, from Linux's /proc. */
function rssMiB(pid) {
  try {
    const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
    return kb / 1024;
  } catch {
    return NaN;
  }
}

async function startInstance(env) {
  const port = await freePort();
  const child = await startProcess(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    ...env,
    PORT: String(port),
    HOST,
    AGENT_TOKEN: TOKEN,
    // Every simulated visitor comes from 127.0.0.1: the per-address limits would stop the test itself.
    RATE_LIMIT_IP_PER_MIN: '100000000',
    MAX_SOCKETS_PER_IP: '100000',
  }, /Ctrl-C stops the server\./);
  return { child, url: `http://${HOST}:${port}`, ws: `ws://${HOST}:${port}/api/livechat` };
}

// ---------------------------------------------------------------------------------------
// Measurements

class Samples {
  values = [];
  add(ms) {
    this.values.push(ms);
  }
  quantile(q) {
    if (this.values.length === 0) return NaN;
    const sorted = [...this.values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  }
}

function newStats() {
  return { rest: new Samples(), live: new Samples(), restErrors: 0, restCodes: new Map(), liveSent: new Map(), liveReceived: new Map(), liveRefused: 0, socketErrors: 0 };
}

async function post(instance, body, sessionId) {
  const res = await fetch(`${instance.url}/api/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(sessionId && { 'X-Chat-Session-Id': sessionId }) },
    body: JSON.stringify({ chatbotId: 'demo', ...body }),
  });
  const json = await res.json().catch(() => ({}));
  return { status: res.status, sessionId: res.headers.get('x-chat-session-id'), body: json };
}

function openSocket(url, onFrame) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.on('message', (data) => onFrame(JSON.parse(String(data))));
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function sendFrame(ws, frame) {
  if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(frame));
}

// ---------------------------------------------------------------------------------------
// The simulated people

async function botVisitor(instances, stats, until) {
  let sessionId;
  // Spread the first requests over a few seconds: a page load is not a stampede.
  await sleep(jitter(0, 5000));
  while (Date.now() < until) {
    const started = performance.now();
    try {
      const reply = await post(pick(instances), { message: pick(QUESTIONS), pageUrl: 'https://intranet.example/load' }, sessionId);
      stats.restCodes.set(reply.status, (stats.restCodes.get(reply.status) ?? 0) + 1);
      if (reply.status === 200) stats.rest.add(performance.now() - started);
      else stats.restErrors++;
      sessionId = reply.sessionId ?? sessionId;
    } catch {
      stats.restErrors++;
    }
    // The session limit is 20 a minute: a person reads the answer before asking again.
    await sleep(jitter(3500, 6500));
  }
}

/** One message of the live chat, identified by its clientMessageId, with its send time. */
function track(stats, key, direction) {
  stats.liveSent.set(key, { at: performance.now(), direction });
}
function arrived(stats, key) {
  const sent = stats.liveSent.get(key);
  if (!sent) return;
  const count = (stats.liveReceived.get(key) ?? 0) + 1;
  stats.liveReceived.set(key, count);
  if (count === 1) stats.live.add(performance.now() - sent.at);
}

async function liveChats(instances, stats, until) {
  const sessions = [];
  for (let i = 0; i < config.live; i++) {
    const first = await post(instances[i % instances.length], { message: pick(QUESTIONS) });
    const escalated = await post(instances[(i + 1) % instances.length], { message: HUMAN }, first.sessionId);
    if (escalated.body.status !== 'waiting') throw new Error(`no escalation: ${JSON.stringify(escalated.body)}`);
    sessions.push(first.sessionId);
  }
  // Agents: a watcher each (the list fans out to them), and one socket per session they take,
  // on the instance the visitor is not on.
  const watchers = [];
  for (let a = 0; a < config.agents; a++) {
    const ws = await openSocket(instances[a % instances.length].ws, () => {});
    sendFrame(ws, { type: 'client:watch', token: TOKEN, chatbotId: 'demo' });
    watchers.push(ws);
  }
  const chats = await Promise.all(
    sessions.map(async (sessionId, i) => {
      const at = { chatbotId: 'demo', sessionId };
      const visitorOn = instances[i % instances.length];
      const agentOn = instances[(i + 1) % instances.length];
      const agentName = `Agent ${i % config.agents}`;
      let open;
      const isOpen = new Promise((resolve) => (open = resolve));
      const visitor = await openSocket(visitorOn.ws, (frame) => {
        if (frame.type === 'livechat:status' && frame.status === 'open') open();
        if (frame.type === 'livechat:message' && frame.sender === 'admin' && frame.clientMessageId) arrived(stats, frame.clientMessageId);
        if (frame.type === 'livechat:error' && frame.code !== 'rate_limited') stats.liveRefused++;
      });
      sendFrame(visitor, { type: 'client:join', ...at, as: 'user' });
      const agent = await openSocket(agentOn.ws, (frame) => {
        if (frame.type === 'livechat:message' && frame.sender === 'user' && frame.clientMessageId) {
          // A reply to each visitor message: the agent side of the traffic.
          const first = !stats.liveReceived.has(frame.clientMessageId);
          arrived(stats, frame.clientMessageId);
          if (first && Date.now() < until) {
            const key = `a-${randomUUID()}`;
            track(stats, key, 'agent→visitor');
            sendFrame(agent, { type: 'client:message', ...at, sender: 'admin', content: `Looking into "${frame.content.slice(0, 40)}"`, clientMessageId: key });
          }
        }
        if (frame.type === 'livechat:error') stats.liveRefused++;
      });
      visitor.on('error', () => stats.socketErrors++);
      agent.on('error', () => stats.socketErrors++);
      sendFrame(agent, { type: 'client:join', ...at, as: 'admin', token: TOKEN });
      await sleep(50);
      sendFrame(agent, { type: 'client:takeover', ...at, agent: { name: agentName } });
      await isOpen;
      return { at, visitor, agent };
    }),
  );
  await Promise.all(
    chats.map(async ({ at, visitor }) => {
      await sleep(jitter(0, 3000));
      while (Date.now() < until) {
        const key = `u-${randomUUID()}`;
        track(stats, key, 'visitor→agent');
        sendFrame(visitor, { type: 'client:message', ...at, sender: 'user', content: `Still broken at ${new Date().toISOString()}`, clientMessageId: key });
        if (Math.random() < 0.5) sendFrame(visitor, { type: 'client:typing', ...at, sender: 'user', isTyping: true });
        await sleep(jitter(3500, 6000));
      }
    }),
  );
  return { sockets: [...watchers, ...chats.flatMap((c) => [c.visitor, c.agent])] };
}

// ---------------------------------------------------------------------------------------
// One run

async function run(kind) {
  const cleanups = [];
  const instances = [];
  let redis;
  try {
    if (kind === 'redis') {
      const port = await freePort();
      const dir = mkdtempSync(join(tmpdir(), 'webchat-load-redis-'));
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
      redis = await startProcess('redis-server', ['--port', String(port), '--bind', HOST, '--save', '', '--appendonly', 'no', '--dir', dir], {}, /Ready to accept connections/);
      cleanups.push(() => stop(redis));
      for (let i = 0; i < 2; i++) instances.push(await startInstance({ REDIS_URL: `redis://${HOST}:${port}` }));
    } else {
      const dir = mkdtempSync(join(tmpdir(), 'webchat-load-data-'));
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
      instances.push(await startInstance({ DATA_DIR: dir, REDIS_URL: '' }));
    }
    for (const instance of instances) cleanups.push(() => stop(instance.child));

    const stats = newStats();
    const started = Date.now();
    const until = started + config.durationMs;
    console.log(`\n== ${kind === 'redis' ? 'two instances on one Redis' : 'one instance on SQLite'}: ${config.visitors} bot visitors, ${config.live} live chats, ${config.agents} agents, ${config.durationMs / 1000} s ==`);
    const live = liveChats(instances, stats, until);
    await Promise.all([...Array.from({ length: config.visitors }, () => botVisitor(instances, stats, until)), live]);
    // What is still in flight gets a moment to land before it counts as lost.
    await sleep(3000);
    const { sockets } = await live;
    const memory = instances.map((instance, i) => `instance ${String.fromCharCode(65 + i)} ${rssMiB(instance.child.pid).toFixed(0)} MiB`);
    if (redis) memory.push(`redis-server ${rssMiB(redis.pid).toFixed(0)} MiB`);
    for (const ws of sockets) ws.terminate();
    report(stats, memory, Date.now() - started);
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
  }
}

function report(stats, memory, elapsedMs) {
  const ms = (value) => (Number.isNaN(value) ? '-' : `${value.toFixed(1)} ms`);
  let lost = 0;
  let duplicated = 0;
  for (const key of stats.liveSent.keys()) {
    const count = stats.liveReceived.get(key) ?? 0;
    if (count === 0) lost++;
    if (count > 1) duplicated += count - 1;
  }
  const codes = [...stats.restCodes].map(([code, n]) => `${code}×${n}`).join(' ');
  console.log(`REST reply     p50 ${ms(stats.rest.quantile(0.5))}   p99 ${ms(stats.rest.quantile(0.99))}   (${stats.rest.values.length} answered, ${(stats.rest.values.length / (elapsedMs / 1000)).toFixed(0)}/s; statuses ${codes}; ${stats.restErrors} failed)`);
  console.log(`live delivery  p50 ${ms(stats.live.quantile(0.5))}   p99 ${ms(stats.live.quantile(0.99))}   (${stats.liveSent.size} sent, ${stats.live.values.length} delivered)`);
  console.log(`lost ${lost}   duplicated ${duplicated}   refused ${stats.liveRefused}   socket errors ${stats.socketErrors}`);
  console.log(`memory at the end: ${memory.join(', ')}`);
  if (lost > 0 || duplicated > 0) process.exitCode = 1;
}

if (values.store !== 'sqlite') await run('redis');
if (values.store !== 'redis') await run('sqlite');
