// What the desktop shell (and, for settings, the web bridge) pushes to the window: the user's settings (the
// language chosen in the header or the View menu, the recent workspaces) and menu commands (File > Import folder…
// hands its folder to the import form).
import type { Settings } from '../../../shared/settings';
import type { ApiClient } from './types';
import { navigate } from './router.svelte';
import { applyLanguage, settingsLanguage } from './language.svelte';

export const shellState = $state<{ settings: Settings | null; importSource: string | null }>({ settings: null, importSource: null });

function apply(settings: Settings) {
  shellState.settings = settings;
  applyLanguage(settingsLanguage(settings.language));
}

/** Reads the settings and follows the shell's events; returns the unsubscribe. */
export function followShell(api: ApiClient): () => void {
  api.call('settings:get', {}).then(apply, () => undefined);
  return api.onProgress((e) => {
    if (e.kind === 'settings') apply(e.settings);
    else if (e.kind === 'menu' && e.command === 'import-folder') {
      shellState.importSource = e.path;
      navigate({ page: 'datasets' });
    }
  });
}
