// The window's messages and numbers in the chosen language: `t(key, params)` over the shared catalogues
// (src/shared/i18n), and the shared number formats. Plain TypeScript so the pure helpers that write UI text can be
// tested without a window: the language comes from a source that language.svelte.ts binds to its reactive state,
// so a template (or a $derived) that calls t() re-renders when the user switches language.
import {
  fill,
  formatDecimal,
  formatInteger,
  formatPercent,
  isMessageKey,
  languageOf,
  messageTemplate,
  type Lang,
  type MessageKey,
  type Params,
} from '../../../shared/i18n';

export type { Lang, MessageKey, Params };
export { languageOf };

let source: () => Lang = () => 'en';

/** Where the language comes from (the window's store; English until bound, as in the unit tests). */
export function bindLanguage(get: () => Lang): void {
  source = get;
}

/** The language the window shows now (a reactive read inside components). */
export function lang(): Lang {
  return source();
}

/**
 * The message `key` in the current language with its {placeholders} filled. A plural message picks its form by
 * params.count and shows the count grouped ("2,620 clips", "2 620 записей").
 */
export function t(key: MessageKey, params: Params = {}): string {
  const language = source();
  const template = messageTemplate(language, key, params.count);
  const count = params.count;
  return fill(template, typeof count === 'number' && Number.isInteger(count) ? { ...params, count: formatInteger(language, count) } : params);
}

/**
 * A message around one placeholder that the page renders itself (a <code>, a link): the text before and after it,
 * the other placeholders filled. "The {column} column is optional" → ["The ", " column is optional"].
 */
export function tSplit(key: MessageKey, name: string, params: Params = {}): [string, string] {
  const marker = '\u0000';
  const [before, after = ''] = t(key, { ...params, [name]: marker }).split(marker);
  return [before, after];
}

/** A piece of a message: its text, or a placeholder (`slot`) the page renders itself. */
export type MessagePart = { text: string; slot?: undefined } | { slot: string; text?: undefined };

/**
 * A message with several placeholders the page renders itself (<strong>, links): its pieces in order.
 * "Best class by F1: {label} ({f1})." with slot 'label' → [text "Best class by F1: ", slot label, text " (0.812)."].
 */
export function tParts(key: MessageKey, slots: readonly string[], params: Params = {}): MessagePart[] {
  const marks = Object.fromEntries(slots.map((name, i) => [name, `\u0000${i}\u0000`]));
  return t(key, { ...params, ...marks })
    .split(/\u0000(\d+)\u0000/)
    .map((piece, i): MessagePart => (i % 2 ? { slot: slots[Number(piece)] } : { text: piece }))
    .filter((part) => part.slot !== undefined || part.text !== '');
}

/** A message whose key is built from data (`ui.error.${code}`): the fallback when the catalogue has no such key. */
export function tKey(key: string, fallback: string, params: Params = {}): string {
  return isMessageKey(key) ? t(key, params) : fallback;
}

/** A whole number grouped per language: "2,620" / "2 620". */
export function num(n: number): string {
  return formatInteger(source(), n);
}

/** A number with `digits` decimals: "0.650" / "0,650". */
export function dec(n: number, digits: number): string {
  return formatDecimal(source(), n, digits);
}

/** A 0..1 share as a percentage: "66.3%" / "66,3 %". */
export function pct(share: number, digits = 1): string {
  return formatPercent(source(), share, digits);
}
