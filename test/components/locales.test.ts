// The shipped locales: each one complete and translated, with its language's plural forms;
// the panel speaking the visitor's language (its own lang, the page's, the browser's), right
// to left where the language is, with `strings` still overriding any text.
import { expect, fixture, html } from '@open-wc/testing';
import { LOCALES, matchLocale } from '../../src/components/locale.ts';
import { loadLocale } from '../../src/components/locale-loader.ts';
import { defaultStrings, plural, type Translation } from '../../src/components/strings.ts';
import type { WebChatAgent } from '../../src/components/webchat-agent.ts';
import { $, button, service, waitFor } from './helpers.ts';
import { freshChatbotId } from '../support/control.ts';

/** Texts that are rightly the same as the English ones in that language. */
const SAME_AS_ENGLISH: Record<string, string[]> = {
  de: ['title'],
  fr: ['conversation', 'message', 'sources', 'bot'],
  es: ['title'],
  it: ['title'],
  nl: ['title'],
  pt: ['title'],
  da: ['title', 'send'],
  nb: ['title', 'send'],
  fi: ['title'],
  cs: ['title'],
};

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const keys = Object.keys(defaultStrings) as (keyof typeof defaultStrings)[];

describe('every shipped locale', () => {
  const locales: Record<string, Translation> = {};
  before(async () => {
    for (const locale of LOCALES) locales[locale] = (await loadLocale(locale)).default;
  });

  it('are the 22 besides English the issue lists', () => {
    expect([...LOCALES].sort()).to.deep.equal(['ar', 'cs', 'da', 'de', 'es', 'fa', 'fi', 'fr', 'he', 'it', 'ja', 'ko', 'nb', 'nl', 'pl', 'pt', 'ru', 'sv', 'tr', 'uk', 'zh-Hans', 'zh-Hant']);
  });

  for (const locale of LOCALES) {
    it(`${locale}: every text, translated, with the same placeholders`, () => {
      const texts = locales[locale]! as Record<string, string | undefined>;
      for (const key of keys) {
        const text = texts[key];
        expect(text, `${locale}.${key}`).to.be.a('string');
        expect(text!.trim(), `${locale}.${key}`).not.to.equal('');
        if (!SAME_AS_ENGLISH[locale]?.includes(key)) expect(text, `${locale}.${key} is translated`).not.to.equal(defaultStrings[key]);
        if (!key.startsWith('unread_')) expect(placeholders(text!), `${locale}.${key}'s placeholders`).to.deep.equal(placeholders(defaultStrings[key]));
      }
      // Nothing beyond the English keys but plural forms.
      for (const key of Object.keys(texts)) expect(keys.includes(key as never) || /^unread_(zero|one|two|few|many|other)$/.test(key), `${locale}.${key}`).to.equal(true);
    });

    it(`${locale}: a text for each plural category of the language`, () => {
      const texts = locales[locale]! as Record<string, string | undefined>;
      const categories = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;
      for (const category of categories) {
        const text = texts[`unread_${category}`];
        expect(text, `${locale}.unread_${category}`).to.be.a('string');
        // "one", "two" and "zero" may spell the number out; the others show it.
        if (!['zero', 'one', 'two'].includes(category)) expect(text, `${locale}.unread_${category}`).to.include('{count}');
      }
    });
  }

  it('count in their own plural forms', () => {
    const counted = (locale: string, counts: number[]) => counts.map((n) => plural({ ...defaultStrings, ...locales[locale]! }, 'unread', n, locale));
    expect(counted('pl', [1, 2, 5, 22])).to.deep.equal(['1 nieprzeczytana wiadomość', '2 nieprzeczytane wiadomości', '5 nieprzeczytanych wiadomości', '22 nieprzeczytane wiadomości']);
    expect(counted('ru', [1, 3, 11, 21])).to.deep.equal(['1 непрочитанное сообщение', '3 непрочитанных сообщения', '11 непрочитанных сообщений', '21 непрочитанное сообщение']);
    expect(counted('uk', [1, 4, 7])).to.deep.equal(['1 непрочитане повідомлення', '4 непрочитані повідомлення', '7 непрочитаних повідомлень']);
    expect(counted('cs', [1, 3, 5])).to.deep.equal(['1 nepřečtená zpráva', '3 nepřečtené zprávy', '5 nepřečtených zpráv']);
    expect(counted('ar', [1, 2, 3, 11, 100])).to.deep.equal(['رسالة واحدة غير مقروءة', 'رسالتان غير مقروءتين', '3 رسائل غير مقروءة', '11 رسالة غير مقروءة', '100 رسالة غير مقروءة']);
    expect(counted('de', [1, 2])).to.deep.equal(['1 ungelesene Nachricht', '2 ungelesene Nachrichten']);
    expect(counted('ja', [1, 2])).to.deep.equal(['未読メッセージ 1 件', '未読メッセージ 2 件']);
  });
});

describe('which locale', () => {
  it('is the best match, a region falling back to its language', () => {
    expect(matchLocale(['de-AT'])).to.equal('de');
    expect(matchLocale(['pt-BR'])).to.equal('pt');
    expect(matchLocale(['zh-TW'])).to.equal('zh-Hant');
    expect(matchLocale(['zh-HK'])).to.equal('zh-Hant');
    expect(matchLocale(['zh-Hant-TW'])).to.equal('zh-Hant');
    expect(matchLocale(['zh-CN'])).to.equal('zh-Hans');
    expect(matchLocale(['zh'])).to.equal('zh-Hans');
    expect(matchLocale(['no'])).to.equal('nb');
    expect(matchLocale(['nb-NO'])).to.equal('nb');
    expect(matchLocale(['en-GB'])).to.equal('en');
    // The first language that is shipped wins; none shipped is English.
    expect(matchLocale(['gd', 'cy', 'fr-CA', 'de'])).to.equal('fr');
    expect(matchLocale(['gd', ''])).to.equal('en');
  });
});

describe('the panel in the visitor\'s language', () => {
  async function inside(lang: string, attrs: { lang?: string } = {}): Promise<WebChatAgent> {
    const page = await fixture<HTMLElement>(html`<div lang=${lang}><section><webchat-agent
      chatbot-id=${freshChatbotId()} base-url=${service.url} layout="inline" persist="none" lang=${attrs.lang ?? ''}></webchat-agent></section></div>`);
    const el = page.querySelector('webchat-agent')!;
    if (!attrs.lang) el.removeAttribute('lang');
    return el;
  }

  it('a de-AT page gets German: labels, placeholder, buttons, greeting', async () => {
    const el = await inside('de-AT');
    await waitFor(() => button(el, 'Senden'), 'the German Send button');
    expect($(el, 'textarea')!.getAttribute('placeholder')).to.equal('Nachricht eingeben…');
    expect($(el, 'textarea')!.getAttribute('aria-label')).to.equal('Nachricht');
    expect($(el, '[role=log]')!.getAttribute('aria-label')).to.equal('Unterhaltung');
    expect(button(el, 'Mit einem Menschen sprechen')).not.to.equal(null);
    expect($(el, '[part=greeting]')!.textContent).to.contain('Hallo! Wie kann ich Ihnen helfen?');
    expect($(el, '[part=panel]')!.hasAttribute('dir')).to.equal(false);
  });

  it('an ar page gets Arabic, right to left', async () => {
    const el = await inside('ar');
    await waitFor(() => button(el, 'إرسال'), 'the Arabic Send button');
    const panel = $(el, '[part=panel]')!;
    expect(panel.getAttribute('dir')).to.equal('rtl');
    expect(getComputedStyle(panel).direction).to.equal('rtl');
    expect(getComputedStyle($(el, 'textarea')!).direction).to.equal('rtl');
  });

  it('in a right-to-left panel, each bubble takes its own text\'s direction', async () => {
    const el = await inside('ar');
    await waitFor(() => button(el, 'إرسال'), 'the Arabic Send button');
    await el.send('VPN error 809!');
    await el.send('مرحبا، أحتاج إلى مساعدة');
    const bubbles = await waitFor(() => {
      const found = [...el.shadowRoot!.querySelectorAll<HTMLElement>('[part~=message-user] [part=bubble]')];
      return found.length === 2 && found;
    }, 'both bubbles');
    // A Latin message keeps its punctuation at its end ("809!", not "!809").
    expect(bubbles.map((bubble) => getComputedStyle(bubble).direction)).to.deep.equal(['ltr', 'rtl']);
  });

  it('the element\'s own lang wins over the page\'s, and strings still override', async () => {
    const el = await inside('de', { lang: 'fr' });
    el.strings = { send: 'Expédier' };
    await waitFor(() => button(el, 'Expédier') && button(el, 'Parler à une personne'), 'French, with the override');
    expect($(el, 'textarea')!.getAttribute('placeholder')).to.equal('Écrivez votre message…');
  });

  it('says what went wrong in the panel\'s language, never in the service\'s words; the integrator gets those', async () => {
    const el = await inside('de');
    await waitFor(() => button(el, 'Senden'), 'the German Send button');
    const chatbotId = el.chatbotId!;
    const told: string[] = [];
    el.addEventListener('webchat-error', (event) => told.push(event.detail.error.message));
    const alert = () => $(el, '[part=error][role=alert]')?.textContent;
    await service.script(chatbotId, { status: 500, body: { error: { code: 'boom', message: 'Internal server error' } } });
    await el.send('Hallo?');
    await waitFor(() => alert(), 'the alert');
    expect(alert()).to.equal('Etwas ist schiefgelaufen. Bitte erneut versuchen.');
    expect(told).to.deep.equal(['Internal server error']);
    await service.script(chatbotId, { status: 404, body: { error: { code: 'unknown_chatbot', message: `Unknown chatbot "${chatbotId}".` } } });
    await el.send('Noch da?');
    await waitFor(() => alert() !== 'Etwas ist schiefgelaufen. Bitte erneut versuchen.' && alert(), 'the second alert');
    expect(alert()).to.equal('Dieser Chat ist gerade nicht verfügbar. Bitte später erneut versuchen.');
  });

  it('follows a change of the element\'s lang, and falls back to English for a language not shipped', async () => {
    const el = await inside('de', { lang: 'he' });
    await waitFor(() => button(el, 'שליחה'), 'Hebrew');
    expect($(el, '[part=panel]')!.getAttribute('dir')).to.equal('rtl');
    el.lang = 'gd';
    await waitFor(() => button(el, 'Send'), 'English');
    expect($(el, '[part=panel]')!.hasAttribute('dir')).to.equal(false);
  });
});
