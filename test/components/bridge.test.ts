// The native bridge: fake channels of each platform, injected before the element attaches,
// receive every public event in order; the app's commands come back through one function.
import { expect } from '@open-wc/testing';
import { ANDROID_INTERFACE, BRIDGED_EVENTS, COMMAND_FUNCTION, FLUTTER_CHANNEL, IOS_HANDLER } from '../../src/components/bridge.ts';
import { $, bubbles, mount, service, waitFor } from './helpers.ts';

type Posted = { source: string; type: string; detail: Record<string, unknown> | null };
const w = window as unknown as Record<string, unknown>;

/** How each platform's app hands the page its channel (what the README's snippets set up). */
const platforms: Record<string, (post: (json: string) => void) => () => void> = {
  'iOS (WKScriptMessageHandler "webchatAgent")': (post) => {
    w['webkit'] = { messageHandlers: { [IOS_HANDLER]: { postMessage: post } } };
    return () => delete w['webkit'];
  },
  'React Native (ReactNativeWebView)': (post) => {
    w['ReactNativeWebView'] = { postMessage: post };
    return () => delete w['ReactNativeWebView'];
  },
  'Android (addJavascriptInterface "WebchatAgentAndroid")': (post) => {
    w[ANDROID_INTERFACE] = { postMessage: post };
    return () => delete w[ANDROID_INTERFACE];
  },
  'Flutter (JavaScriptChannel "WebchatAgentFlutter")': (post) => {
    w[FLUTTER_CHANNEL] = { postMessage: post };
    return () => delete w[FLUTTER_CHANNEL];
  },
};

const command = (input: unknown) => (w[COMMAND_FUNCTION] as (input: unknown) => Promise<void>)(input);

/** A fake app: what it was posted, as parsed JSON. */
function app(install: (post: (json: string) => void) => () => void): { posted: Posted[]; remove: () => void } {
  const posted: Posted[] = [];
  const remove = install((json) => {
    expect(json).to.be.a('string');
    posted.push(JSON.parse(json) as Posted);
  });
  return { posted, remove };
}

/** Every public event the page itself hears, in order. */
function pageEvents(): { types: string[]; stop: () => void } {
  const types: string[] = [];
  const record = (event: Event) => types.push(event.type);
  for (const type of BRIDGED_EVENTS) document.addEventListener(type, record);
  return { types, stop: () => BRIDGED_EVENTS.forEach((type) => document.removeEventListener(type, record)) };
}

describe('<webchat-agent> in a native app', () => {
  let remove: (() => void) | undefined;
  afterEach(() => {
    remove?.();
    remove = undefined;
    localStorage.clear();
  });

  for (const [platform, install] of Object.entries(platforms)) {
    it(`posts every public event to the app, in order, as JSON: ${platform}`, async () => {
      const fake = app(install);
      remove = fake.remove;
      const page = pageEvents();
      try {
        const { el } = await mount({ layout: 'launcher' });
        el.show();
        await el.send('Hello');
        await waitFor(() => bubbles(el).includes('Echo: Hello'), 'the bot reply');
        el.hide();
        await waitFor(() => page.types.includes('webchat-close'), 'closed');
        expect(fake.posted.map((p) => p.type)).to.deep.equal(page.types);
        expect(fake.posted.every((p) => p.source === 'webchat-agent')).to.equal(true);
        for (const type of ['webchat-open', 'webchat-message', 'webchat-state', 'webchat-close']) expect(page.types).to.include(type);
        const reply = fake.posted.filter((p) => p.type === 'webchat-message').at(-1)!;
        expect((reply.detail!['message'] as { content: string }).content).to.equal('Echo: Hello');
      } finally {
        page.stop();
      }
    });
  }

  it('the app commands the chat through webchatAgentCommand (an object or its JSON)', async () => {
    const fake = app(platforms['React Native (ReactNativeWebView)']!);
    remove = fake.remove;
    const { el } = await mount({ layout: 'launcher' });
    await command({ command: 'show' });
    expect(el.open).to.equal(true);
    await command(JSON.stringify({ command: 'send', text: 'From the app' }));
    await waitFor(() => bubbles(el).includes('Echo: From the app'), 'the reply');
    await command({ command: 'setStrings', strings: { title: 'Help desk' } });
    await command({ command: 'setOptions', options: { theme: 'dark' } });
    await el.updateComplete;
    expect($(el, '[part=title]')!.textContent).to.equal('Help desk');
    expect(el.getAttribute('theme')).to.equal('dark');
    await command({ command: 'requestHuman' });
    await waitFor(() => el.state.connection.state === 'joined', 'the live chat');
    await command({ command: 'endLiveChat' });
    await waitFor(() => el.state.ended, 'the live chat ended');
    await command({ command: 'hide' });
    expect(el.open).to.equal(false);
    await command({ command: 'reset' });
    expect(el.state.messages).to.deep.equal([]);
    expect(fake.posted.map((p) => p.type)).to.include.members(['webchat-open', 'webchat-close']);
  });

  it('with a bridge, links go to the app; bridge="off" posts nothing', async () => {
    const fake = app(platforms['Android (addJavascriptInterface "WebchatAgentAndroid")']!);
    remove = fake.remove;
    const { el, chatbotId } = await mount();
    await service.script(chatbotId, { body: { reply: '<p>See <a href="https://example.com/guide">the guide</a></p>', sources: [], mode: 'bot' } });
    await el.send('Where?');
    await waitFor(() => $(el, '[part~=message-bot] a'), 'the reply link');
    let opened = true;
    const last = (event: Event) => {
      opened = !event.defaultPrevented;
      event.preventDefault();
    };
    window.addEventListener('click', last);
    $<HTMLAnchorElement>(el, '[part~=message-bot] a')!.click();
    window.removeEventListener('click', last);
    expect(opened).to.equal(false);
    expect(fake.posted.at(-1)).to.deep.include({ type: 'webchat-link', detail: { url: 'https://example.com/guide', text: 'the guide', source: 'reply' } });

    el.setAttribute('bridge', 'off');
    await el.updateComplete;
    const before = fake.posted.length;
    await el.send('Quiet now');
    await waitFor(() => bubbles(el).includes('Echo: Quiet now'), 'the reply');
    expect(fake.posted.length).to.equal(before);
  });
});
