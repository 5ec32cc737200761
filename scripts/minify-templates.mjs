// A Vite plugin that squeezes the whitespace out of the element's Lit `html` and `css`
// templates (whitespace that no minifier may touch inside template literals). Text is
// rewritten only inside the templates' literal parts, found with TypeScript's parser, and
// the plugin hands on a source map of its edits, so the bundle's maps still point at the
// right source lines.
import MagicString from 'magic-string';
import ts from 'typescript';

const squeezeCss = (text) =>
  text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([{};,>])\s*/g, '$1')
    .replace(/:\s/g, ':')
    .replace(/([\s:,(])0\.(\d)/g, '$1.$2')
    .replace(/\[([\w-]+)='([\w-]+)'\]/g, '[$1=$2]')
    .replace(/;}/g, '}');

// Newlines in the templates only indent tags, attributes and expressions: next to a tag they
// go, between attributes one space stays. Spaces on a single line (inline text) are kept.
const squeezeHtml = (text) => text.replace(/>\s*\n\s*/g, '>').replace(/\s*\n\s*</g, '<').replace(/\s*\n\s*/g, ' ');

export function minifyTemplates({ include = /\/src\/components\/.*\.ts$/ } = {}) {
  return {
    name: 'minify-lit-templates',
    enforce: 'pre',
    transform(code, id) {
      if (!include.test(id)) return null;
      const file = ts.createSourceFile(id, code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
      const edits = [];
      const visit = (node) => {
        if (ts.isTaggedTemplateExpression(node) && ts.isIdentifier(node.tag) && /^(html|css|svg)$/.test(node.tag.text)) {
          const squeeze = node.tag.text === 'css' ? squeezeCss : squeezeHtml;
          const t = node.template;
          const parts = ts.isNoSubstitutionTemplateLiteral(t) ? [t] : [t.head, ...t.templateSpans.map((s) => s.literal)];
          for (const part of parts) {
            // The raw text sits between the backtick / `}` and the backtick / `${`.
            const start = part.getStart(file) + 1;
            const end = part.getEnd() - (ts.isTemplateHead(part) || ts.isTemplateMiddle(part) ? 2 : 1);
            edits.push([start, end, squeeze(code.slice(start, end))]);
          }
        }
        ts.forEachChild(node, visit);
      };
      visit(file);
      if (edits.length === 0) return null;
      const out = new MagicString(code);
      for (const [start, end, text] of edits) if (end > start) text ? out.overwrite(start, end, text) : out.remove(start, end);
      return { code: out.toString(), map: out.generateMap({ hires: true, source: id, includeContent: true }) };
    },
  };
}
