// [ext] An upload started while the browser is offline waits for the connection: no byte goes
// out, the message shows as sending with nothing uploaded, and once the network is back the
// file uploads once and the message goes with it.
import { expect } from '@open-wc/testing';
import { FILES_PATH, type FileLimits } from '../../src/core/protocol.ts';
import { newClient, service, until } from './harness.ts';

const LIMITS: FileLimits = { maxBytes: 4096, maxPerMessage: 3, maxPerSession: 20, types: ['image/png', 'application/pdf'] };
const uploads = async (chatbotId: string) => (await service.log(chatbotId)).requests.filter((r) => r.path === FILES_PATH);
const frames = async (chatbotId: string) =>
  (await service.log(chatbotId)).frames.map((f) => f.frame).filter((f) => f.type === 'client:message' && (f as { attachments?: unknown[] }).attachments?.length);

describe('core: a file sent while offline [ext]', () => {
  it('waits for the network: nothing is uploaded until it is back, then one upload and one message', async () => {
    const { client, chatbotId } = newClient();
    await service.configure(chatbotId, { files: LIMITS });
    await client.start();
    await client.requestHuman();
    await until(client, (s) => s.connection.state === 'joined' && s.files !== null, 'the join with the file limits');
    await service.act(chatbotId, client.state.sessionId!, { type: 'takeover', agent: { name: 'Mia' } });
    await until(client, (s) => s.conversation === 'live', 'the takeover');

    window.dispatchEvent(new Event('offline'));
    await client.sendFile(new File([new Uint8Array(512)], 'report.pdf', { type: 'application/pdf' }), { caption: 'While offline' });
    const waiting = client.state.messages.find((m) => m.content === 'While offline');
    expect(waiting?.delivery, 'the message is kept, sending').to.equal('sending');
    expect(waiting?.upload?.progress).to.equal(0);
    // Long enough for an upload on this machine to have started, had it not waited.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await uploads(chatbotId), 'no byte out while offline').to.have.length(0);
    expect(client.state.messages.find((m) => m.content === 'While offline')?.delivery).to.equal('sending');

    window.dispatchEvent(new Event('online'));
    await until(client, (s) => s.messages.some((m) => m.content === 'While offline' && m.delivery === 'sent'), 'the file message sent once online');
    expect(await uploads(chatbotId)).to.have.length(1);
    const sent = await frames(chatbotId);
    expect(sent).to.have.length(1);
    expect((sent[0] as { attachments: { name: string }[] }).attachments[0]!.name).to.equal('report.pdf');
  });
});
