// The user's settings, remembered per user (not per workspace) in settings.json in the application-data folder:
// the interface language and the recently opened workspaces. Read and written through the contract.
import { z } from 'zod';
import { LANGS } from './i18n/types';

/** How many recent workspaces the File menu and the header's switcher list. */
export const MAX_RECENT_WORKSPACES = 8;

export const SettingsSchema = z.object({
  /** Absent until the user chooses one: the interface then follows the system's locale (languageOf). */
  language: z.enum(LANGS).optional(),
  /** Most recent first; the current workspace is the first once it has been opened by the desktop app. */
  recentWorkspaces: z.array(z.string().min(1).max(4096)).max(MAX_RECENT_WORKSPACES).default([]),
});
export type Settings = z.infer<typeof SettingsSchema>;

/** What a window may change (the recent list follows the workspaces actually opened). */
export const SettingsPatchSchema = z.object({ language: z.enum(LANGS) }).partial().strict();
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;

export const DEFAULT_SETTINGS: Settings = { recentWorkspaces: [] };

/** The list after opening `dir`: moved (or added) to the front, at most MAX_RECENT_WORKSPACES. */
export function withRecent(list: readonly string[], dir: string): string[] {
  return [dir, ...list.filter((d) => d !== dir)].slice(0, MAX_RECENT_WORKSPACES);
}
