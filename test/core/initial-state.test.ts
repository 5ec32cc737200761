// The state the element's shell shows before the conversation's code is here: what a new
// client's state is, so an integrator reading `el.state` early reads what they read after.
import { expect } from '@open-wc/testing';
import { createChatClient } from '../../src/core/client.ts';
import { INITIAL_STATE } from '../../src/core/initial-state.ts';
import { memoryStorage } from '../../src/core/storage.ts';

describe('the initial state', () => {
  it("is a new client's state, field for field, and frozen to the bottom as it is", () => {
    const client = createChatClient({ chatbotId: 'initial-state', baseUrl: 'http://127.0.0.1:9', storage: memoryStorage() });
    expect(INITIAL_STATE).to.deep.equal(client.state);
    expect(Object.keys(INITIAL_STATE)).to.deep.equal(Object.keys(client.state));
    for (const value of [INITIAL_STATE, INITIAL_STATE.connection, INITIAL_STATE.messages]) expect(Object.isFrozen(value)).to.equal(true);
    client.dispose();
  });
});
