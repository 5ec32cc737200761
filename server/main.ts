/**
 * `node --import tsx server/main.ts [--data-dir <folder>]`: the reference server from the command line.
 * Environment: PORT (8787), HOST (127.0.0.1), AGENT_TOKEN (generated and printed when
 * unset; never printed when set), ALLOWED_ORIGINS (comma-separated; unset allows any), HANDOFF_TIMEOUT_MS,
 * DATA_DIR (./data: the SQLite file), REDIS_URL (then Redis holds the state instead, shared with
 * every instance on it), PRESENCE_GRACE_MS, STALE_LIVE_MS; behind a proxy or a shared NAT, where
 * every visitor has one address: RATE_LIMIT_IP_PER_MIN (120), MAX_SOCKETS_PER_IP (64).
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startServer, type ServerOptions } from './app.ts';
import { DATA_FILE } from './store/open.ts';

function numberFrom(name: string): number | undefined {
  const value = process.env[name];
  if (value === undefined || value === '') return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0) {
    console.error(`${name} must be a whole number, got "${value}".`);
    process.exit(2);
  }
  return number;
}

function flags(): { dataDir?: string } {
  try {
    const { values } = parseArgs({ options: { 'data-dir': { type: 'string' } }, strict: true });
    return { ...(values['data-dir'] && { dataDir: values['data-dir'] }) };
  } catch (error) {
    console.error(`${(error as Error).message}\nUsage: server/main.ts [--data-dir <folder>]`);
    process.exit(64);
  }
}

const redisUrl = process.env.REDIS_URL || undefined;
const dataDir = resolve(flags().dataDir ?? (process.env.DATA_DIR || 'data'));
const origins = process.env.ALLOWED_ORIGINS?.split(',').map((o) => o.trim()).filter(Boolean);
const options: ServerOptions = {
  port: numberFrom('PORT') ?? 8787,
  host: process.env.HOST || '127.0.0.1',
  ...(process.env.AGENT_TOKEN && { agentToken: process.env.AGENT_TOKEN }),
  // [ext] Visitor identities verified by HMAC-SHA256(secret, id) from the host's backend.
  ...(process.env.IDENTITY_SECRET && { identitySecret: process.env.IDENTITY_SECRET }),
  ...(origins?.length && { allowedOrigins: origins }),
  ...(numberFrom('HANDOFF_TIMEOUT_MS') !== undefined && { handoffTimeoutMs: numberFrom('HANDOFF_TIMEOUT_MS') }),
  ...(numberFrom('PRESENCE_GRACE_MS') !== undefined && { presenceGraceMs: numberFrom('PRESENCE_GRACE_MS') }),
  ...(numberFrom('STALE_LIVE_MS') !== undefined && { staleLiveMs: numberFrom('STALE_LIVE_MS') }),
  ...(numberFrom('MAX_SOCKETS_PER_IP') !== undefined && { maxSocketsPerIp: numberFrom('MAX_SOCKETS_PER_IP') }),
  ...(numberFrom('RATE_LIMIT_IP_PER_MIN') !== undefined && { rateLimit: { ip: { limit: numberFrom('RATE_LIMIT_IP_PER_MIN')!, windowMs: 60_000 } } }),
  ...(redisUrl ? { redisUrl } : { dataDir }),
};

const server = await startServer(options).catch((error: NodeJS.ErrnoException) => {
  if (error.code === 'EADDRINUSE') console.error(`Port ${options.port} is in use: set PORT to another one.`);
  else console.error(error.message ?? error);
  process.exit(1);
});

/** Closing waits for sockets; a stuck one must not keep Ctrl-C from working. */
const STOP_TIMEOUT_MS = 5000;

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  setTimeout(() => {
    console.error(`The server did not close within ${STOP_TIMEOUT_MS / 1000} s: exiting anyway.`);
    process.exit(1);
  }, STOP_TIMEOUT_MS).unref();
  await server.close();
  console.log('Server stopped.');
  process.exit(0);
}
// Signals are handled before the banner: whoever reads it may stop the server at once.
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

console.log(`
  Demo page (the widget):  ${server.url}/
  Agent console:           ${server.url}/agent.html
  Agent token:             ${process.env.AGENT_TOKEN ? '(from AGENT_TOKEN)' : `${server.agentToken} (generated: set AGENT_TOKEN to choose one)`}
  Helpdesk articles:       ${server.url}/kb/
  State:                   ${redisUrl ? `Redis (${redactUrl(redisUrl)}), instance ${server.store.instanceId.slice(0, 8)}` : `${resolve(dataDir, DATA_FILE)} (SQLite)`}

  Ctrl-C stops the server.
`);

/** A Redis URL may carry a password: the banner shows where, not with what. */
function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'REDIS_URL';
  }
}
