import { expect } from '@open-wc/testing';
import {
  ChatRequest,
  ChatResponse,
  HistoryResponse,
  MAX_MESSAGE_LENGTH,
  isValidMessageText,
  liveChatUrl,
  parseClientFrame,
  parseServerFrame,
} from '../src/core/protocol.ts';

describe('protocol: REST bodies', () => {
  it('accepts a reply with web, product and unknown source types, keeping extra fields', () => {
    const result = ChatResponse.safeParse({
      reply: '<p>Hi</p>',
      sources: [
        { type: 'web', source: 'https://example.com/vpn' },
        { type: 'product', source: 'sku-1', data: { name: 'Laptop' } },
        { type: 'video', source: { id: 3 } },
      ],
      mode: 'bot',
      status: 'open',
      extra: true,
    });
    expect(result.success).to.equal(true);
    if (!result.success) return;
    expect(result.data.sources).to.have.length(3);
    expect(result.data.sources?.[2]?.type).to.equal('video');
    expect((result.data as Record<string, unknown>).extra).to.equal(true);
  });

  it('checks each source is an object with a type, and keeps web titles and product data', () => {
    const ok = ChatResponse.safeParse({
      reply: 'x',
      sources: [
        { type: 'web', source: 'https://example.com', title: 'Example' },
        { type: 'product', source: 7, data: { name: 'Dock', url: 'https://shop.example/7' } },
      ],
    });
    expect(ok.success && ok.data.sources?.map((s) => s.title ?? s.data?.name)).to.deep.equal(['Example', 'Dock']);
    expect(ChatResponse.safeParse({ reply: 'x', sources: ['https://example.com'] }).success).to.equal(false);
    expect(ChatResponse.safeParse({ reply: 'x', sources: [{ source: 'https://example.com' }] }).success).to.equal(false);
    expect(ChatResponse.safeParse({ reply: 'x', sources: [{ type: 'web', data: 'not an object' }] }).success).to.equal(false);
  });

  it('tolerates a reply without sources, mode or status, and nulls for optional fields', () => {
    expect(ChatResponse.safeParse({ reply: 'ok' }).success).to.equal(true);
    expect(ChatResponse.safeParse({ reply: 'ok', sources: null, status: null, messageId: null }).success).to.equal(true);
  });

  it('rejects a reply without text or with an unknown mode', () => {
    expect(ChatResponse.safeParse({ sources: [] }).success).to.equal(false);
    expect(ChatResponse.safeParse({ reply: 'x', mode: 'robot' }).success).to.equal(false);
  });

  it('enforces 1..700 characters after trimming on a chat request', () => {
    const chatbotId = 'bot-1';
    expect(ChatRequest.safeParse({ message: '  hi  ', chatbotId }).success).to.equal(true);
    expect(ChatRequest.safeParse({ message: '   ', chatbotId }).success).to.equal(false);
    expect(ChatRequest.safeParse({ message: 'x'.repeat(MAX_MESSAGE_LENGTH), chatbotId }).success).to.equal(true);
    expect(ChatRequest.safeParse({ message: 'x'.repeat(MAX_MESSAGE_LENGTH + 1), chatbotId }).success).to.equal(false);
    expect(isValidMessageText(` ${'x'.repeat(MAX_MESSAGE_LENGTH)} `)).to.equal(true);
  });

  it('parses a history body', () => {
    const result = HistoryResponse.safeParse({
      messages: [{ id: '1', sender: 'admin', content: 'Hello', createdAt: '2026-01-01T00:00:00Z', agent: { name: 'Ana' } }],
      mode: 'human',
      status: 'open',
    });
    expect(result.success).to.equal(true);
  });
});

describe('protocol: WebSocket frames', () => {
  it('tells the join acknowledgement from a status change', () => {
    const ack = parseServerFrame('{"type":"livechat:status","ok":true}');
    expect(ack).to.deep.equal({ kind: 'frame', frame: { type: 'livechat:status', ok: true } });
    const change = parseServerFrame({ type: 'livechat:status', sessionId: 's', mode: 'human', status: 'open', agent: { name: 'Ana' } });
    expect(change.kind).to.equal('frame');
  });

  it('ignores unknown frame types instead of failing', () => {
    expect(parseServerFrame('{"type":"livechat:reaction","x":1}')).to.deep.equal({ kind: 'ignored', type: 'livechat:reaction' });
  });

  it('reports garbage and frames that fail their schema, with the reason', () => {
    expect(parseServerFrame('not json')).to.deep.equal({ kind: 'invalid', reason: 'not JSON' });
    expect(parseServerFrame('[1,2]').kind).to.equal('invalid');
    expect(parseServerFrame('{"no":"type"}')).to.deep.equal({ kind: 'invalid', reason: 'type: missing' });
    const bad = parseServerFrame({ type: 'livechat:message', sessionId: 's', sender: 'user', content: 'x' });
    expect(bad.kind).to.equal('invalid');
    if (bad.kind === 'invalid') expect(bad.reason).to.match(/^livechat:message: id/);
  });

  it('checks client frames: roles, senders and message length', () => {
    const base = { chatbotId: 'b', sessionId: 's' };
    expect(parseClientFrame({ type: 'client:join', ...base, as: 'user' }).kind).to.equal('frame');
    expect(parseClientFrame({ type: 'client:join', ...base, as: 'root' }).kind).to.equal('invalid');
    expect(parseClientFrame({ type: 'client:message', ...base, sender: 'user', content: 'x'.repeat(701) }).kind).to.equal('invalid');
    expect(parseClientFrame({ type: 'client:message', ...base, sender: 'bot', content: 'x' }).kind).to.equal('invalid');
    expect(parseClientFrame({ type: 'client:typing', ...base, sender: 'user', isTyping: true }).kind).to.equal('frame');
  });
});

describe('protocol: URLs', () => {
  it('derives the live-chat URL from the REST base URL', () => {
    expect(liveChatUrl('https://app.webchatagent.com')).to.equal('wss://app.webchatagent.com/api/livechat');
    expect(liveChatUrl('http://localhost:8787/')).to.equal('ws://localhost:8787/api/livechat');
    expect(liveChatUrl('https://intranet.example/chat-proxy')).to.equal('wss://intranet.example/chat-proxy/api/livechat');
  });
});
