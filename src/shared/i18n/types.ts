// The shapes of a message catalogue. No zod, no DOM, no Node: the renderer will import the catalogues too.

export const LANGS = ['en', 'ru'] as const;
export type Lang = (typeof LANGS)[number];

export function isLang(value: string): value is Lang {
  return (LANGS as readonly string[]).includes(value);
}

/** Each language in its own name, as language switches show them. */
export const LANGUAGE_NAMES: Record<Lang, string> = { en: 'English', ru: 'Русский' };

/**
 * The first of the system's preferred locales we have a catalogue for ("ru-RU" → ru), else English: the
 * language before the user has chosen one (navigator.languages in a window, app.getLocale() in the shell).
 */
export function languageOf(locales: readonly string[]): Lang {
  for (const locale of locales) {
    const base = locale.trim().toLowerCase().split(/[-_]/)[0];
    if (isLang(base)) return base;
  }
  return 'en';
}

/** English plural categories (Intl.PluralRules('en')): one, other. */
export interface EnPlural {
  one: string;
  other: string;
}

/** Russian plural categories (Intl.PluralRules('ru')): one (1, 21), few (2–4, 22), many (5–20, 25), other (fractions). */
export interface RuPlural {
  one: string;
  few: string;
  many: string;
  other: string;
}

/** A message: a template with {name} placeholders, or one template per plural category of its `count`. */
export type EnMessage = string | EnPlural;

/** The Russian catalogue has exactly the English one's keys, a string where it has a string and all four plural forms where it has plurals. */
export type RuCatalogue<E extends Record<string, EnMessage>> = { [K in keyof E]: E[K] extends string ? string : RuPlural };
