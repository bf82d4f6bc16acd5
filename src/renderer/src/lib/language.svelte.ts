// The window's language as reactive state: every t() read in a template follows it. It starts from the system's
// locale (navigator.languages) and becomes the user's choice once the settings are read (settings:get) or changed
// here, in the header's switch, or in another window or the desktop menu (a 'settings' event). <html lang> follows.
import type { ApiClient } from './types';
import { bindLanguage, languageOf, type Lang } from './i18n';

export const language = $state<{ current: Lang }>({ current: languageOf(typeof navigator === 'undefined' ? [] : navigator.languages) });

bindLanguage(() => language.current);

/** Shows the window in `lang` (no call: the choice is already stored, or is the system's). */
export function applyLanguage(lang: Lang): void {
  language.current = lang;
  document.documentElement.lang = lang;
}

/** The user's choice: shown at once, then remembered (settings.json) and told to every window. */
export async function chooseLanguage(api: ApiClient, lang: Lang): Promise<void> {
  applyLanguage(lang);
  await api.call('settings:set', { language: lang });
}

/** The language the settings name, or the system's when the user has not chosen one. */
export function settingsLanguage(chosen: Lang | undefined): Lang {
  return chosen ?? languageOf(typeof navigator === 'undefined' ? [] : navigator.languages);
}
