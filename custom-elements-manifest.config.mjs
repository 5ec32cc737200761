// The custom-elements manifest (custom-elements.json) as the package publishes it:
// `npx cem analyze --config custom-elements-manifest.config.mjs` (scripts/build.mjs runs it;
// `--outdir DIR` writes it elsewhere). The analyzer reads the sources; the plugin below makes
// the manifest describe what an integrator installs:
// - module paths are the published files (package.json `exports`), not `src/`;
// - only the public modules are listed, with the declarations they re-export from internal
//   ones brought into them;
// - the registering module has the `custom-element-definition` export of <webchat-agent>
//   (it registers through a helper, which the analyzer does not follow);
// - type aliases that are only a set of values (`LinkTarget`) are spelt out as their union,
//   since the alias is not exported and a reader of the manifest can't look it up;
// - attributes' types lose `| undefined` (an attribute is a string or absent); private and
//   protected members are left out.
import { readFileSync } from 'node:fs';

const TAG = 'webchat-agent';
const CLASS = 'WebChatAgent';
/** The source of each public entry, with the `exports` subpath it is published under. */
const ENTRIES = { 'src/index.ts': '.', 'src/element.ts': './element' };

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

/** The file a browser or bundler gets for an `exports` subpath, e.g. `dist/element.js`. */
function publishedFile(subpath) {
  let target = pkg.exports?.[subpath];
  while (target && typeof target === 'object') target = target.browser ?? target.import ?? target.default;
  return typeof target === 'string' ? target.replace(/^\.\//, '') : undefined;
}

/** Where each public entry's source is published, e.g. `src/element.ts` → `dist/element.js`. */
function publishedPaths() {
  const paths = new Map();
  for (const [source, subpath] of Object.entries(ENTRIES)) {
    const file = publishedFile(subpath);
    if (file) paths.set(source, file);
  }
  const core = publishedFile('./core');
  if (core) paths.set('src/core/index.ts', core);
  return paths;
}

/** `./x.ts` from `src/a/b.ts` → `src/a/x.ts`. */
function resolveSource(from, specifier) {
  const parts = from.split('/').slice(0, -1);
  for (const part of specifier.split('/')) {
    if (part === '..') parts.pop();
    else if (part !== '.') parts.push(part);
  }
  return parts.join('/');
}

const isValueUnion = (text) => /^\s*(?:'[^']*'|"[^"]*")(?:\s*\|\s*(?:'[^']*'|"[^"]*"))*\s*$/.test(text);
const withoutUndefined = (text) => text.split('|').map((t) => t.trim()).filter((t) => t !== 'undefined').join(' | ');

function publishedManifest() {
  /** `type X = 'a' | 'b'` found in the analysed sources. */
  const valueAliases = new Map();
  /** Per module, what it exports as types only (`export type *`, `export { type X }`): not
   * part of a JavaScript module's exports. */
  const typeOnly = new Map();
  const markTypeOnly = (module, name) => typeOnly.set(module, new Set([...(typeOnly.get(module) ?? []), name]));
  return {
    name: 'webchat-agent published manifest',
    analyzePhase({ ts, node, moduleDoc }) {
      if (ts.isTypeAliasDeclaration(node) && isValueUnion(node.type.getText())) valueAliases.set(node.name.getText(), node.type.getText());
      if (ts.isExportDeclaration(node)) {
        const from = node.moduleSpecifier ? resolveSource(moduleDoc.path, node.moduleSpecifier.text) : moduleDoc.path;
        if (node.isTypeOnly && !node.exportClause) markTypeOnly(moduleDoc.path, `* ${from}`);
        else if (node.exportClause && ts.isNamedExports(node.exportClause)) {
          for (const specifier of node.exportClause.elements) if (node.isTypeOnly || specifier.isTypeOnly) markTypeOnly(moduleDoc.path, specifier.name.getText());
        }
      }
    },
    packageLinkPhase({ customElementsManifest }) {
      const paths = publishedPaths();
      const spell = (type) => (type?.text ? { ...type, text: type.text.replace(/\b[A-Z]\w*\b/g, (name) => valueAliases.get(name) ?? name) } : type);
      const sources = new Map(customElementsManifest.modules.map((module) => [module.path, module]));
      const publicModules = customElementsManifest.modules.filter((module) => paths.has(module.path) && ENTRIES[module.path]);

      for (const module of publicModules) {
        const file = paths.get(module.path);
        const declarations = module.declarations ?? [];
        const exports = [];
        for (const entry of module.exports ?? []) {
          if (entry.kind === 'custom-element-definition') continue;
          const { name, module: target, package: specifier } = entry.declaration;
          let from = target ?? specifier ?? module.path;
          if (from.startsWith('.')) from = resolveSource(module.path, from);
          const types = typeOnly.get(module.path);
          if (types?.has(entry.name) || (entry.name === '*' && types?.has(`* ${from}`))) continue;
          if (from !== module.path && !paths.has(from)) {
            // Re-exported from an internal module: its declaration comes here.
            const declaration = sources.get(from)?.declarations?.find((d) => d.name === name);
            if (!declaration) throw new Error(`${module.path} re-exports ${name} from ${from}, which declares no such thing`);
            declarations.push(declaration);
            from = module.path;
          }
          exports.push({ ...entry, declaration: { name, module: from === module.path ? file : paths.get(from) } });
        }
        module.declarations = declarations;
        module.exports = exports;
      }

      const home = publicModules.find((module) => module.declarations.some((d) => d.name === CLASS));
      if (!home) throw new Error(`No public module exports ${CLASS} by name`);
      const element = home.declarations.find((d) => d.name === CLASS);
      element.members = element.members.filter((member) => !member.privacy || member.privacy === 'public');
      for (const member of element.members) {
        if (member.type) member.type = spell(member.type);
        if (member.return?.type) member.return.type = spell(member.return.type);
        for (const parameter of member.parameters ?? []) if (parameter.type) parameter.type = spell(parameter.type);
      }
      for (const attribute of element.attributes) {
        const field = element.members.find((member) => member.name === attribute.fieldName);
        const type = attribute.type ?? field?.type;
        if (!type) throw new Error(`The attribute ${attribute.name} has no type: give it one in its @attr tag`);
        attribute.type = { text: withoutUndefined(spell(type).text) };
        if (field && !field.type) field.type = attribute.type;
        // `DEFAULT_BASE_URL` says less than the field's resolved `'https://…'`.
        if (/^[A-Za-z_]\w*$/.test(attribute.default ?? '') && field?.default) attribute.default = field.default;
      }
      for (const event of element.events) {
        if (!event.type) throw new Error(`The event ${event.name} has no type: give it one in its @fires tag`);
      }

      home.declarations = [element, ...home.declarations.filter((d) => d !== element)];
      for (const declaration of publicModules.flatMap((module) => module.declarations)) {
        for (const parameter of declaration.parameters ?? []) if (!parameter.type && /^['"]/.test(parameter.default ?? '')) parameter.type = { text: 'string' };
      }

      // The registering entry defines the tag through a helper the analyzer does not follow.
      const registering = publicModules.find((module) => module.path === 'src/index.ts');
      if (!registering) throw new Error('package.json exports no main entry');
      registering.exports.push({ kind: 'custom-element-definition', name: TAG, declaration: { name: CLASS, module: paths.get(home.path) } });

      // The main entry first, then the element's.
      publicModules.sort((a, b) => Object.keys(ENTRIES).indexOf(a.path) - Object.keys(ENTRIES).indexOf(b.path));
      for (const module of publicModules) module.path = paths.get(module.path);
      customElementsManifest.modules = publicModules;
    },
  };
}

export default {
  globs: ['src/index.ts', 'src/element.ts', 'src/components/**/*.ts'],
  exclude: ['src/**/*.test.ts', 'src/components/purify-loader.iife.ts'],
  outdir: '.',
  litelement: true,
  // The analyzer would otherwise rewrite package.json's `customElements` to wherever the
  // manifest is written (a test writes it to a temporary folder).
  packagejson: false,
  quiet: true,
  plugins: [publishedManifest()],
};
