/**
 * The reference bot: finds the best sections of the knowledge base with MiniSearch and
 * answers with a short HTML reply built from them. Every piece of document text is
 * escaped; the only markup is the one built here.
 */
import MiniSearch, { type SearchResult } from 'minisearch';
import { DEFAULT_HUMAN_REQUEST, type WebSource } from '../src/core/protocol.ts';
import { escapeHtml, type Block, type KnowledgeDoc } from './knowledge.ts';

export interface BotReply {
  /** Safe HTML. */
  html: string;
  sources: WebSource[];
  confident: boolean;
}

interface IndexedSection {
  id: string;
  slug: string;
  title: string;
  heading: string;
  text: string;
  blocks: Block[];
}

const STOP_WORDS = new Set(
  'a an and are as at be but by can could do does for from get got how i if in is it its me my of on or our should so that the their there this to was we what when where which who why will with would you your hi hello please thanks thank much many more some any need want know tell about'.split(' '),
);

/** Hyphens join words ("Wi-Fi" and "wifi" are one term). */
const tokenize = (text: string): string[] => text.split(/[^\p{L}\p{N}-]+/u);
const processTerm = (term: string): string | null => {
  const word = term.toLowerCase().replace(/-/g, '');
  return word.length < 2 || STOP_WORDS.has(word) ? null : word;
};

/** Below this share of the question's words found in the best section, the bot says it is unsure. */
const MIN_TERM_COVERAGE = 0.6;
const MIN_SCORE = 4;
const MAX_REPLY_CHARS = 520;

export class Bot {
  readonly #search: MiniSearch<IndexedSection>;
  readonly #titles = new Map<string, string>();

  constructor(docs: KnowledgeDoc[]) {
    this.#search = new MiniSearch<IndexedSection>({
      fields: ['title', 'heading', 'text'],
      storeFields: ['slug', 'title', 'heading', 'blocks'],
      tokenize,
      processTerm,
      searchOptions: { boost: { title: 2, heading: 3 }, prefix: (term) => term.length > 3, fuzzy: 0.15, tokenize, processTerm },
    });
    for (const doc of docs) {
      this.#titles.set(doc.slug, doc.title);
      this.#search.addAll(
        doc.sections.map((section, i) => ({
          id: `${doc.slug}#${i}`,
          slug: doc.slug,
          title: doc.title,
          heading: section.heading,
          text: section.blocks.flatMap((b) => b.items).join(' '),
          blocks: section.blocks,
        })),
      );
    }
  }

  /** `pageBase` is the absolute URL the document pages are served under (…/kb/). */
  answer(question: string, pageBase: string): BotReply {
    const terms = tokenize(question).map((t) => processTerm(t)).filter((t) => t !== null);
    const results = terms.length > 0 ? this.#search.search(question) : [];
    const best = results[0];
    const coverage = best ? new Set(best.queryTerms).size / new Set(terms).size : 0;
    if (!best || best.score < MIN_SCORE || coverage < MIN_TERM_COVERAGE) return this.#unsure(question);

    const related = results.filter((r) => r.slug !== best.slug && r.score >= best.score * 0.6).slice(0, 2);
    const slugs = [best.slug as string, ...new Set(related.map((r) => r.slug as string))];
    const sources = slugs.map((slug) => ({ type: 'web' as const, source: new URL(encodeURIComponent(slug), pageBase).href }));
    let html = `<p><strong>${escapeHtml(heading(best))}</strong></p>${passage(best.blocks as Block[])}`;
    if (related[0]) html += `<p>See also: ${[...new Set(related.map((r) => r.title as string))].map(escapeHtml).join(', ')}.</p>`;
    return { html, sources, confident: true };
  }

  #unsure(question: string): BotReply {
    const greeting = /^\s*(hi|hello|hey|good (morning|afternoon|evening))\b/i.test(question);
    const html = greeting
      ? '<p>Hello! I can help with IT and HR questions: VPN, passwords, laptops, leave, expenses and more. What do you need?</p>'
      : `<p>I'm not sure I have a good answer to that. Try rephrasing, or I can connect you with a person from the helpdesk: just say “${escapeHtml(DEFAULT_HUMAN_REQUEST)}”.</p>`;
    return { html, sources: [], confident: false };
  }
}

function heading(result: SearchResult): string {
  return result.heading === result.title ? String(result.title) : `${result.title}: ${result.heading}`;
}

/** The section's first blocks, up to a short reply's length (always at least one block). */
function passage(blocks: Block[]): string {
  let html = '';
  let length = 0;
  for (const block of blocks) {
    if (html && length + block.items.join(' ').length > MAX_REPLY_CHARS) break;
    length += block.items.join(' ').length;
    html +=
      block.kind === 'p'
        ? `<p>${escapeHtml(block.items[0] ?? '')}</p>`
        : `<${block.kind}>${block.items.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</${block.kind}>`;
  }
  return html;
}
