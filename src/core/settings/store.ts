/**
 * The user's settings in a small JSON file (settings.json in the application-data folder): the language and the
 * recent workspaces. One writer per file (the desktop shell, or a `ser-studio serve`); every write replaces the
 * file whole (a temporary file renamed over it), so a crash never leaves half a file. A missing or unreadable
 * file reads as the defaults; unknown keys are dropped.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_SETTINGS, MAX_RECENT_WORKSPACES, SettingsSchema, withRecent, type Settings, type SettingsPatch } from '../../shared/settings';

/** What the engine's handlers need: read, and change what a window may change. */
export interface SettingsAccess {
  get(): Promise<Settings>;
  set(patch: SettingsPatch): Promise<Settings>;
}

export class SettingsStore implements SettingsAccess {
  constructor(readonly file: string) {}

  read(): Settings {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch {
      return structuredClone(DEFAULT_SETTINGS);
    }
    try {
      const raw = JSON.parse(text) as Record<string, unknown>;
      // Field by field: one bad value (a hand-edited file) costs that value, not the others.
      const parsed = SettingsSchema.safeParse(raw);
      if (parsed.success) return parsed.data;
      const language = SettingsSchema.shape.language.safeParse(raw.language);
      const recent = Array.isArray(raw.recentWorkspaces) ? raw.recentWorkspaces.filter((d): d is string => typeof d === 'string' && d.length > 0 && d.length <= 4096) : [];
      return SettingsSchema.parse({ ...(language.success && language.data ? { language: language.data } : {}), recentWorkspaces: recent.slice(0, MAX_RECENT_WORKSPACES) });
    } catch {
      return structuredClone(DEFAULT_SETTINGS);
    }
  }

  write(settings: Settings): Settings {
    const value = SettingsSchema.parse(settings);
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`);
    fs.renameSync(tmp, this.file);
    return value;
  }

  update(change: (s: Settings) => Settings): Settings {
    return this.write(change(this.read()));
  }

  /** Puts `dir` first in the recent workspaces. */
  addRecent(dir: string): Settings {
    return this.update((s) => ({ ...s, recentWorkspaces: withRecent(s.recentWorkspaces, dir) }));
  }

  removeRecent(dir: string): Settings {
    return this.update((s) => ({ ...s, recentWorkspaces: s.recentWorkspaces.filter((d) => d !== dir) }));
  }

  async get(): Promise<Settings> {
    return this.read();
  }

  async set(patch: SettingsPatch): Promise<Settings> {
    return this.update((s) => ({ ...s, ...patch }));
  }
}

/** Settings that live as long as the process (an engine with no settings file: the tests, the CLI). */
export function memorySettings(initial: Settings = DEFAULT_SETTINGS): SettingsAccess {
  let current = structuredClone(initial);
  return {
    get: async () => structuredClone(current),
    set: async (patch) => {
      current = SettingsSchema.parse({ ...current, ...patch });
      return structuredClone(current);
    },
  };
}
