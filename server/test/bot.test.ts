import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DEFAULT_HUMAN_REQUEST } from '../../src/core/protocol.ts';
import { Bot } from '../bot.ts';
import { isHumanRequest } from '../escalation.ts';
import { loadKnowledge } from '../knowledge.ts';

const docs = loadKnowledge(fileURLToPath(new URL('../../demo/knowledge/', import.meta.url)));
const bot = new Bot(docs);
const BASE = 'https://intranet.example/kb/';

describe('the knowledge base', () => {
  test('holds 10 to 20 helpdesk articles, each with a title and sections', () => {
    assert.ok(docs.length >= 10 && docs.length <= 20, `${docs.length} documents`);
    for (const doc of docs) {
      assert.notEqual(doc.title, doc.slug, `${doc.slug} has a # title`);
      assert.ok(doc.sections.length >= 2, `${doc.slug} has sections`);
    }
  });
});

describe('the bot', () => {
  const expected: Array<[string, string, RegExp]> = [
    ['How do I connect to the VPN?', 'vpn', /vpn\.northwind\.example/],
    ['I forgot my password', 'password-reset', /passwordreset\.northwind\.example/],
    ['My laptop is broken', 'laptops', /loan laptop/],
    ['Can I carry over unused leave?', 'leave-policy', /5 unused days/],
    ['What is the hotel limit in London?', 'expenses', /220 EUR/],
    ['guest wifi voucher', 'wifi', /voucher/],
    ['I have a new phone, how do I move the authenticator?', 'mfa', /temporary access pass/],
  ];
  for (const [question, slug, content] of expected) {
    test(`answers "${question}" from ${slug}, citing it`, () => {
      const reply = bot.answer(question, BASE);
      assert.equal(reply.confident, true);
      assert.match(reply.html, content);
      assert.equal(reply.sources[0]?.source, `${BASE}${slug}`);
      assert.ok(reply.sources.every((source) => typeof source.title === 'string' && source.title.length > 0), 'every source has its page title');
    });
  }

  for (const question of ['What is the meaning of life?', 'Do you sell pizza?', 'quantum chromodynamics', '???']) {
    test(`is honest about "${question}" and offers a human`, () => {
      const reply = bot.answer(question, BASE);
      assert.equal(reply.confident, false);
      assert.deepEqual(reply.sources, []);
      assert.ok(reply.html.includes(DEFAULT_HUMAN_REQUEST));
    });
  }
});

describe('asking for a human', () => {
  for (const text of [DEFAULT_HUMAN_REQUEST, 'talk to a human', 'Talk to an agent!', 'human please', 'Can I speak with a real person?', 'I want a human', 'connect me to an agent', 'Agent', 'I’d like to talk to someone']) {
    test(`"${text}" asks for a human`, () => assert.equal(isHumanRequest(text), true));
  }
  for (const text of ['How do I reset my password?', 'my human resources question about leave', 'what does the VPN agent do', 'I need someone to fix my laptop']) {
    test(`"${text}" does not`, () => assert.equal(isHumanRequest(text), false));
  }
});
