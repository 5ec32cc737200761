// The phone layout: below the 600 px breakpoint (or with layout="fullscreen") the open panel
// is a full-screen sheet that follows the visual viewport and holds the page still.
import { expect } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import { PHONE_BREAKPOINT } from '../../src/components/sheet.ts';
import type { WebChatAgent } from '../../src/components/webchat-agent.ts';
import { $, button, focused, mount, textarea, waitFor } from './helpers.ts';

const box = (el: WebChatAgent, selector: string) => $(el, selector)!.getBoundingClientRect();
const rounded = (r: DOMRect) => [r.left, r.top, r.width, r.height].map(Math.round);

/** Stands in for the browser's visual viewport, which the on-screen keyboard shrinks. */
function fakeVisualViewport(height: number) {
  const viewport = Object.assign(new EventTarget(), { offsetTop: 0, offsetLeft: 0, height, width: innerWidth, scale: 1, pageTop: 0, pageLeft: 0 });
  Object.defineProperty(window, 'visualViewport', { value: viewport, configurable: true });
  return viewport;
}

describe('<webchat-agent> on a phone', () => {
  afterEach(async () => {
    delete (window as { visualViewport?: unknown }).visualViewport;
    await setViewport({ width: 800, height: 600 });
  });

  it(`below ${PHONE_BREAKPOINT} px the open panel is a full-screen sheet with a close button, and the page behind holds still`, async () => {
    await setViewport({ width: 390, height: 844 });
    const { el } = await mount({ layout: 'launcher' });
    button(el, 'Open chat')!.click();
    await waitFor(() => el.hasAttribute('sheet'), 'the sheet');
    await el.updateComplete;
    expect(rounded(box(el, '[part=panel]'))).to.deep.equal([0, 0, 390, 844]);
    const panel = getComputedStyle($(el, '[part=panel]')!);
    expect([panel.borderTopLeftRadius, panel.borderTopWidth]).to.deep.equal(['0px', '0px']);
    // No zoom into the inputs on iOS.
    expect(parseFloat(getComputedStyle(textarea(el)).fontSize)).to.be.at.least(16);
    expect(focused(el)).to.equal('textarea "Message", part input');
    // The floating launcher is out of the way; the header's button closes.
    expect(getComputedStyle($(el, '[part=launcher]')!).display).to.equal('none');
    // The root's overflow is what a visitor's swipe or wheel scrolls: held while the sheet shows.
    expect(getComputedStyle(document.documentElement).overflow).to.equal('hidden');

    $<HTMLButtonElement>(el, '[part=close]')!.click();
    await waitFor(() => !el.open && !el.hasAttribute('sheet'), 'the sheet closed');
    await el.updateComplete;
    expect(focused(el)).to.equal('button "Open chat", part launcher');
    expect(getComputedStyle(document.documentElement).overflow).to.equal('visible');
  });

  it('follows the visual viewport: with the keyboard up, the header and the focused composer stay visible', async () => {
    await setViewport({ width: 390, height: 844 });
    const viewport = fakeVisualViewport(844);
    const { el } = await mount({ layout: 'launcher' });
    el.show();
    await waitFor(() => el.hasAttribute('sheet'), 'the sheet');
    await el.updateComplete;
    // The keyboard takes about 340 px of the visual viewport.
    viewport.height = 504;
    viewport.dispatchEvent(new Event('resize'));
    const header = box(el, '[part=header]');
    const input = textarea(el).getBoundingClientRect();
    expect(Math.round(header.top)).to.equal(0);
    expect(input.bottom).to.be.at.most(504);
    expect(Math.round(box(el, '[part=panel]').height)).to.equal(504);
    expect(el.shadowRoot!.activeElement).to.equal(textarea(el));
    // Scrolled by the browser to keep the caret in view: the sheet goes along.
    viewport.offsetTop = 120;
    viewport.dispatchEvent(new Event('scroll'));
    expect(Math.round(box(el, '[part=header]').top)).to.equal(120);
  });

  it('wider than the breakpoint it stays a floating card; layout="fullscreen" forces the sheet', async () => {
    await setViewport({ width: 1024, height: 768 });
    const card = await mount({ layout: 'launcher', open: true });
    expect(card.el.hasAttribute('sheet')).to.equal(false);
    expect(Math.round(box(card.el, '[part=panel]').width)).to.equal(370);
    expect($(card.el, '[part=close]')).to.equal(null);
    card.el.remove();

    const { el } = await mount({ layout: 'fullscreen', open: true });
    await waitFor(() => el.hasAttribute('sheet'), 'the sheet');
    await el.updateComplete;
    expect(rounded(box(el, '[part=panel]'))).to.deep.equal([0, 0, 1024, 768]);
    const panel = getComputedStyle($(el, '[part=panel]')!);
    expect([panel.borderTopLeftRadius, panel.borderTopWidth]).to.deep.equal(['0px', '0px']);
    expect(button(el, 'Close chat')).to.not.equal(null);
  });
});

describe('<webchat-agent> sheet without constructable style sheets (older WebKit webviews)', () => {
  it('still opens as a sheet, styled by <style> elements, without an error', async () => {
    const bundle = await fetch('/dist/webchat-agent.iife.js', { method: 'HEAD' });
    expect(bundle.ok, 'dist/webchat-agent.iife.js exists: run `npm run build` first').to.equal(true);
    const frame = document.createElement('iframe');
    // As in WebKit before 16.4: CSSStyleSheet can't be constructed, nor adopted.
    frame.srcdoc = `<!doctype html><script>
      window.errors = [];
      addEventListener('error', (e) => errors.push(String(e.message)));
      const Sheet = CSSStyleSheet;
      delete Sheet.prototype.replace;
      delete Sheet.prototype.replaceSync;
      window.CSSStyleSheet = function CSSStyleSheet() { throw new TypeError('Illegal constructor'); };
      window.CSSStyleSheet.prototype = Sheet.prototype;
    </script><script src="/dist/webchat-agent.iife.js"></script>
    <webchat-agent chatbot-id="old-webkit" base-url="http://127.0.0.1:9" layout="fullscreen" persist="none" open></webchat-agent>`;
    document.body.append(frame);
    try {
      await waitFor(() => frame.contentDocument?.querySelector('webchat-agent')?.shadowRoot?.querySelector('[part=panel]') || (frame.contentWindow as unknown as { errors?: string[] })?.errors?.length, 'the element in the frame');
      expect((frame.contentWindow as unknown as { errors: string[] }).errors).to.deep.equal([]);
      const el = frame.contentDocument!.querySelector('webchat-agent')!;
      await waitFor(() => el.hasAttribute('sheet'), 'the sheet');
      expect(el.shadowRoot!.querySelectorAll('style').length).to.be.greaterThan(0);
      const panel = el.shadowRoot!.querySelector('[part=panel]')!.getBoundingClientRect();
      expect([panel.width, panel.height].map(Math.round)).to.deep.equal([frame.clientWidth, frame.clientHeight]);
    } finally {
      frame.remove();
    }
  });
});
