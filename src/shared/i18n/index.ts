// Messages in the reader's language: t(lang, key, params), plural forms by Intl.PluralRules, and numbers,
// percentages, durations and dates formatted per language (a decimal comma in Russian prose: "88,59 %").
// Tables keep the reference report's fixed notation (0.8859) in every language: see fixed().
import { en, type MessageKey } from './en';
import { ru } from './ru';
import type { EnPlural, Lang, RuPlural } from './types';

export { LANGS, LANGUAGE_NAMES, isLang, languageOf, type Lang } from './types';
export type { MessageKey };

export type Params = Record<string, string | number>;

const CATALOGUES: Record<Lang, Record<MessageKey, string | EnPlural | RuPlural>> = { en, ru };

const pluralRules = new Map<Lang, Intl.PluralRules>();
function pluralCategory(lang: Lang, count: number): Intl.LDMLPluralRule {
  let rules = pluralRules.get(lang);
  if (!rules) pluralRules.set(lang, (rules = new Intl.PluralRules(lang)));
  return rules.select(count);
}

/** The template of `key` in `lang`: a plural message's form for `count` (which it needs). */
export function messageTemplate(lang: Lang, key: MessageKey, count?: unknown): string {
  const message = CATALOGUES[lang][key];
  if (typeof message === 'string') return message;
  if (typeof count !== 'number') throw new TypeError(`message ${key} needs a numeric count`);
  const forms = message as Partial<Record<Intl.LDMLPluralRule, string>>;
  return forms[pluralCategory(lang, count)] ?? message.other;
}

/** A template with its {placeholders} filled (unknown ones are left as they are). */
export function fill(template: string, params: Params): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** Whether `key` names a message (for keys built from data: an error code, a status). */
export function isMessageKey(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(CATALOGUES.en, key);
}

/** The message `key` in `lang` with its {placeholders} filled; a plural message picks its form by params.count. */
export function t(lang: Lang, key: MessageKey, params: Params = {}): string {
  return fill(messageTemplate(lang, key, params.count), params);
}

/** The placeholders a template uses, for the catalogue tests. */
export function placeholders(template: string): string[] {
  return [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
}

const numberFormats = new Map<string, Intl.NumberFormat>();
function numberFormat(lang: Lang, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${lang}|${JSON.stringify(options)}`;
  let f = numberFormats.get(key);
  if (!f) numberFormats.set(key, (f = new Intl.NumberFormat(lang, options)));
  return f;
}

/** A number in prose: "0.8859" / "0,8859" with `digits` decimals. */
export function formatDecimal(lang: Lang, value: number, digits: number): string {
  if (!Number.isFinite(value)) return '—';
  return numberFormat(lang, { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: false }).format(value);
}

/** A count in prose, grouped: "84,359" / "84 359". */
export function formatInteger(lang: Lang, value: number): string {
  return numberFormat(lang, { maximumFractionDigits: 0 }).format(value);
}

/** A 0..1 share as a percentage: "88.59%" / "88,59 %". */
export function formatPercent(lang: Lang, value: number, digits = 2): string {
  if (!Number.isFinite(value)) return '—';
  return numberFormat(lang, { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
}

/** Table notation, the same in every language (as the reference report prints it): "0.8859". */
export function fixed(value: number | null | undefined, digits = 4): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(digits);
}

/** "12.3 s", "4 min 05 s", "1 h 02 min" (with the language's units and decimal sign). */
export function formatDuration(lang: Lang, sec: number): string {
  if (!Number.isFinite(sec) || sec < 0) return '—';
  if (sec < 60) return t(lang, 'common.unit.seconds', { value: formatDecimal(lang, sec, sec < 10 ? 2 : 1) });
  const whole = Math.round(sec);
  const m = Math.floor(whole / 60);
  if (m < 60) return t(lang, 'common.unit.minutesSeconds', { minutes: m, seconds: String(whole % 60).padStart(2, '0') });
  return t(lang, 'common.unit.hoursMinutes', { hours: Math.floor(m / 60), minutes: String(m % 60).padStart(2, '0') });
}

/** A stored ISO time as a date and time in UTC: "7 December 2026, 00:23 UTC" / "7 декабря 2026 г., 00:23 UTC". */
export function formatDateTime(lang: Lang, iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC', hourCycle: 'h23' }).format(d)} UTC`;
}
