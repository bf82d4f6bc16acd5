// No user-visible English in the components: every text node and every visible attribute (title=, placeholder=,
// aria-label=, alt=, label=, and the cards' and stats' subtitle=, hint=, message=) comes from the catalogues
// through t(). The scanner reads each .svelte file's template with Svelte's own parser and lists file:line for
// literal text with letters, including string literals an expression shows as they are ({busy ? 'Saving…' : x}).
import { describe, expect, it } from 'vitest';
import { parse } from 'svelte/compiler';

/** Attributes (and component props) whose value the user reads or hears. */
const VISIBLE_ATTRIBUTES = new Set(['title', 'placeholder', 'aria-label', 'aria-description', 'aria-valuetext', 'alt', 'label', 'subtitle', 'hint', 'message']);

/** Elements whose text is code, not language (paths, column names, file names quoted in a sentence). */
const CODE_ELEMENTS = new Set(['code', 'kbd', 'samp', 'pre']);

/**
 * What may stay literal because it is not language: each entry is removed (as a whole word) before looking for
 * letters. Keep it short; a word of a sentence belongs in the catalogues.
 */
const ALLOWED = [
  'SER Studio', // the product's name, in every language
  'SHA-256', // a hash's name (the clips' and duplicates' column)
  'CSV', // a file format (the datasets list's source kind)
  'RAVDESS', // a corpus's name (its file-name convention)
  'PC1', // principal components: the explorer's axes
  'PC2',
  'loss', // Keras's metric names, as the training log prints them (the reference report's words)
  'val_loss',
  'acc',
  'val_acc',
];
const ALLOWED_WORDS = ALLOWED.map((word) => new RegExp(`(?<![\\p{L}\\d_])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\d_])`, 'gu'));

export interface Finding {
  file: string;
  line: number;
  text: string;
}

type Node = { type?: string; start?: number; [key: string]: unknown };

const hasLanguage = (text: string) => /\p{L}/u.test(ALLOWED_WORDS.reduce((s, word) => s.replace(word, ' '), text));

/** String literals an expression shows as they are: a conditional's branches, a fallback, a concatenation, a template's text. */
function shownLiterals(expr: Node | null | undefined): { text: string; start: number }[] {
  if (!expr || typeof expr !== 'object') return [];
  switch (expr.type) {
    case 'Literal':
      return typeof expr.value === 'string' ? [{ text: expr.value, start: expr.start ?? 0 }] : [];
    case 'TemplateLiteral':
      return [
        ...(expr.quasis as Node[]).map((q) => ({ text: String((q.value as { cooked: string }).cooked ?? ''), start: q.start ?? 0 })),
        ...(expr.expressions as Node[]).flatMap(shownLiterals),
      ];
    case 'ConditionalExpression':
      return [...shownLiterals(expr.consequent as Node), ...shownLiterals(expr.alternate as Node)];
    case 'LogicalExpression':
      return [...shownLiterals(expr.left as Node), ...shownLiterals(expr.right as Node)];
    case 'BinaryExpression':
      return expr.operator === '+' ? [...shownLiterals(expr.left as Node), ...shownLiterals(expr.right as Node)] : [];
    default:
      return [];
  }
}

/** Keys of a template node that hold expressions or bindings, not markup: never shown as they are. */
const NOT_MARKUP = new Set(['expression', 'test', 'key', 'context', 'index', 'parameters', 'metadata', 'name_loc', 'attributes']);

/** The literal user-visible text of one component's template. */
export function scanSvelte(source: string, file: string): Finding[] {
  const ast = parse(source, { modern: true }) as unknown as { fragment: Node };
  const findings: Finding[] = [];
  const lineOf = (offset: number) => source.slice(0, offset).split('\n').length;
  const report = (text: string, start: number) => {
    if (hasLanguage(text)) findings.push({ file, line: lineOf(start), text: text.trim().replace(/\s+/g, ' ') });
  };
  const value = (v: unknown) => {
    for (const part of Array.isArray(v) ? (v as Node[]) : typeof v === 'object' && v ? [v as Node] : []) {
      if (part.type === 'Text') report(String(part.data), part.start ?? 0);
      else if (part.type === 'ExpressionTag') for (const l of shownLiterals(part.expression as Node)) report(l.text, l.start);
    }
  };

  const walk = (node: unknown, inCode: boolean): void => {
    if (Array.isArray(node)) return node.forEach((n) => walk(n, inCode));
    if (!node || typeof node !== 'object') return;
    const n = node as Node;
    if (n.type === 'Text') return inCode ? undefined : report(String(n.data), n.start ?? 0);
    if (n.type === 'ExpressionTag') {
      if (!inCode) for (const l of shownLiterals(n.expression as Node)) report(l.text, l.start);
      return;
    }
    if (n.type === 'Comment' || n.type === 'ConstTag' || n.type === 'RenderTag' || n.type === 'HtmlTag') return;
    const code = inCode || (typeof n.name === 'string' && CODE_ELEMENTS.has(n.name));
    if (Array.isArray(n.attributes)) {
      for (const a of n.attributes as Node[]) if (a.type === 'Attribute' && VISIBLE_ATTRIBUTES.has(String(a.name))) value(a.value);
    }
    for (const [k, child] of Object.entries(n)) if (!NOT_MARKUP.has(k)) walk(child, code);
  };
  walk(ast.fragment, false);
  return findings;
}

const SOURCES = import.meta.glob<string>('../../src/renderer/src/**/*.svelte', { query: '?raw', import: 'default', eager: true });

describe('the literal scanner', () => {
  const scan = (source: string) => scanSvelte(source, 'Sample.svelte').map((f) => `${f.line}: ${f.text}`);

  it('finds literal text, visible attributes and the literals an expression shows', () => {
    expect(scan('<p>Hello</p>')).toEqual(['1: Hello']);
    expect(scan('<div>\n  <input placeholder="Search" aria-label={busy ? "Busy" : t(\'ui.x\')} />\n</div>')).toEqual(['2: Search', '2: Busy']);
    expect(scan("<Card title=\"Results\" subtitle={`${n} files`}>{#if a}<span>{n === 1 ? 'file' : 'files'}</span>{/if}</Card>")).toEqual([
      '1: Results',
      '1: files',
      '1: file',
      '1: files',
    ]);
    expect(scan('<svelte:head><title>Classify · SER Studio</title></svelte:head>')).toEqual(['1: Classify · SER Studio']);
    // An allowed word is allowed whole, not inside another word.
    expect(scan('<th>accuracy</th><th>CSVs</th>')).toEqual(['1: accuracy', '1: CSVs']);
  });

  it('lets messages, code, data, symbols and the allowlist through', () => {
    expect(
      scan(
        [
          '<script>const label = "Not shown: scripts are not scanned";</script>',
          "<p title={t('ui.a.b')}>{t('ui.a.c', { n })} · {num(n)} / {total} — 50% ▲</p>",
          '<code>anger/…</code> <span class="x" data-testid="some-id">{name}</span>',
          '<!-- a comment --><svelte:head><title>SER Studio</title></svelte:head><th>SHA-256</th><th>val_loss</th>',
          "{#if kind === 'folder'}<button onclick={() => go('csv')}>{'#'}</button>{/if}",
          '<style>p { font-family: Arial; }</style>',
        ].join('\n'),
      ),
    ).toEqual([]);
  });
});

describe('components', () => {
  it('are found', () => {
    expect(Object.keys(SOURCES).length).toBeGreaterThan(50);
  });

  it('show no literal user-visible text (every string comes from the catalogues)', () => {
    const findings = Object.entries(SOURCES).flatMap(([file, source]) => scanSvelte(source, file.replace(/^(\.\.\/)+/, '')));
    expect(findings.map((f) => `${f.file}:${f.line}: ${f.text}`)).toEqual([]);
  });
});
