/**
 * One rule decides whether a conversation is in live chat: `isLiveChat(mode, status)` from
 * the shared protocol. The server and the agent console must not write their own version,
 * or the two sides drift apart the day the rule changes.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const sources = [...readdirSync(`${root}server`).filter((file) => file.endsWith('.ts')).map((file) => `server/${file}`), 'demo/agent.ts'];

/** A line that compares a status with both live statuses is the rule written out again. */
const RULE_WRITTEN_OUT = /status [!=]== '(waiting|open)'.*status [!=]== '(?!\1')(?:waiting|open)'/;

describe('the live-chat rule', () => {
  test('the server and the agent console use isLiveChat instead of writing the rule out', () => {
    const copies = sources.flatMap((file) =>
      readFileSync(`${root}${file}`, 'utf8')
        .split('\n')
        .flatMap((line, index) => (RULE_WRITTEN_OUT.test(line) ? [`${file}:${index + 1}: ${line.trim()}`] : [])),
    );
    assert.deepEqual(copies, []);
  });
});
