// @vitest-environment node
/**
 * The locales are complete and consistent, and every piece of UI text goes through them: each key used with `t()`
 * exists in English and Spanish, both files have the same keys and placeholders, and Preact components contain no
 * user-visible literal text (a heuristic over JSX text and the text attributes).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

type Messages = Record<
  string,
  { message: string; description?: string; placeholders?: Record<string, { content: string }> }
>;
const LOCALES_DIR = path.resolve('public/_locales');
const readLocale = (lang: string): Messages =>
  JSON.parse(readFileSync(path.join(LOCALES_DIR, lang, 'messages.json'), 'utf8'));
const LANGS = readdirSync(LOCALES_DIR).sort();
const en = readLocale('en');
const es = readLocale('es');

function sourceFiles(dir: string, exts: string[]): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full, exts);
    return exts.some((ext) => name.endsWith(ext)) ? [full] : [];
  });
}
const SOURCES = ['entrypoints', 'components', 'utils'].flatMap((dir) =>
  sourceFiles(path.resolve(dir), ['.ts', '.tsx']),
);
const COMPONENTS = SOURCES.filter((file) => file.endsWith('.tsx'));
const relative = (file: string) => path.relative(process.cwd(), file);

const TEXT_ATTRIBUTES = new Set(['title', 'alt', 'placeholder', 'aria-label', 'aria-description', 'label']);
/** Words a person would read: letters, and either a space or a leading letter (format hints like "@username" pass). */
const looksLikeWords = (text: string) =>
  /[A-Za-z]{2,}/.test(text) &&
  (/\s/.test(text.trim()) || /^[A-Za-z]/.test(text.trim())) &&
  !/^[a-z]+:\/\/\S*$/.test(text.trim());

/** Literal text in JSX (text children and text attributes) found by parsing the component with TypeScript. */
function literalUiText(fileName: string, source: string): string[] {
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isJsxText(node) && looksLikeWords(node.text)) found.push(`"${node.text.trim()}"`);
    if (ts.isJsxAttribute(node) && node.initializer && ts.isStringLiteral(node.initializer)) {
      const name = node.name.getText();
      if (TEXT_ATTRIBUTES.has(name) && looksLikeWords(node.initializer.text))
        found.push(`${name}="${node.initializer.text}"`);
    }
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX));
  return found;
}

/** `$1`… substitutions a message uses, directly or through its named placeholders. */
function substitutions(entry: Messages[string]): string[] {
  const direct = entry.message.match(/\$\d/g) ?? [];
  const named = (entry.message.match(/\$[A-Za-z_][A-Za-z0-9_]*\$/g) ?? []).map(
    (name) => entry.placeholders?.[name.slice(1, -1).toLowerCase()]?.content ?? name,
  );
  return [...new Set([...direct, ...named])].sort();
}

/** Keys used in code: `t('key')` and string literals typed as message keys (`'options_…'` in a MessageKey map). */
function usedKeys(): Map<string, string> {
  const used = new Map<string, string>();
  for (const file of SOURCES) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/\bt\(\s*'([A-Za-z0-9_]+)'/g)) used.set(match[1]!, relative(file));
    for (const match of text.matchAll(/getMessage\(\s*'([A-Za-z0-9_]+)'/g)) used.set(match[1]!, relative(file));
  }
  return used;
}

describe('locales', () => {
  it('ship English and Spanish, with English as the manifest default', () => {
    expect(LANGS).toEqual(expect.arrayContaining(['en', 'es']));
    expect(readFileSync('wxt.config.ts', 'utf8')).toMatch(/default_locale:\s*'en'/);
  });

  it('have exactly the same keys in every language', () => {
    for (const lang of LANGS) {
      const keys = Object.keys(readLocale(lang)).sort();
      expect({
        lang,
        missing: Object.keys(en).filter((k) => !keys.includes(k)),
        extra: keys.filter((k) => !(k in en)),
      }).toEqual({ lang, missing: [], extra: [] });
    }
  });

  it('have the same placeholders for each key, and no empty message', () => {
    const mismatched = Object.keys(en).filter(
      (key) => es[key] && substitutions(en[key]!).join() !== substitutions(es[key]!).join(),
    );
    expect(mismatched).toEqual([]);
    const empty = LANGS.flatMap((lang) =>
      Object.entries(readLocale(lang))
        .filter(([, v]) => !v.message.trim())
        .map(([k]) => `${lang}:${k}`),
    );
    expect(empty).toEqual([]);
  });

  it('are really translated: Spanish differs from English for most messages', () => {
    const same = Object.keys(en).filter((key) => en[key]!.message === es[key]?.message);
    expect(same.length / Object.keys(en).length).toBeLessThan(0.15);
  });

  it('name the extension from the locales (extName, extDescription)', () => {
    expect(en.extName && es.extName && en.extDescription && es.extDescription).toBeTruthy();
    expect(readFileSync('wxt.config.ts', 'utf8')).toContain('__MSG_extName__');
    expect(readFileSync('wxt.config.ts', 'utf8')).toContain('__MSG_extDescription__');
  });
});

describe('code', () => {
  it('uses only keys that exist in every language', () => {
    const missing = [...usedKeys()]
      .filter(([key]) => LANGS.some((lang) => !(key in readLocale(lang))))
      .map(([key, file]) => `${key} (${file})`);
    expect(missing).toEqual([]);
  });

  it('keeps user-visible text out of Preact components', () => {
    const offenders = COMPONENTS.flatMap((file) =>
      literalUiText(file, readFileSync(file, 'utf8')).map((text) => `${relative(file)}: ${text}`),
    );
    expect(offenders).toEqual([]);
  });

  it('the heuristic catches a literal when there is one, and lets t() calls and format hints through', () => {
    const sample = `const A = () => <div title="Close panel" aria-label={t('x')}><b>{t('y')}</b>Send reply<input placeholder="@username" /><input placeholder="Your name" /></div>;`;
    expect(literalUiText('sample.tsx', sample)).toEqual([
      'title="Close panel"',
      '"Send reply"',
      'placeholder="Your name"',
    ]);
  });
});
