// The import form's own checks, as the user types: why Import cannot start yet, and a name that already exists.
import type { DatasetSummary } from './types';
import { t } from './i18n';

/** Why the Import button is disabled ('' when it is not). */
export function importBlocker(f: { source: string; name: string; running: boolean; canPick: boolean }): string {
  if (f.running) return '';
  if (!f.source.trim()) return t(f.canPick ? 'ui.import.whySourcePick' : 'ui.import.whySource');
  if (!f.name.trim()) return t('ui.import.whyName');
  return '';
}

const norm = (p: string) => p.trim().replace(/[\\/]+$/, '');

/**
 * What importing under an existing name does: the same source again updates the dataset (unchanged files are
 * not read again); another source replaces its clips with that source's. '' when the name is new.
 */
export function nameClash(name: string, source: string, datasets: readonly Pick<DatasetSummary, 'name' | 'source' | 'clips'>[]): string {
  const existing = datasets.find((d) => d.name === name.trim());
  if (!existing) return '';
  const clips = t('common.clips', { count: existing.clips });
  const same = source.trim() !== '' && norm(source) === norm(existing.source);
  return same ? t('ui.import.clashSame', { name: existing.name, clips }) : t('ui.import.clashOther', { name: existing.name, clips, source: existing.source });
}

/** What the confirmation of a replacing import names: the dataset that exists under the name, and its size. */
export interface ReplaceQuestion {
  name: string;
  source: string;
  clips: number;
}

/**
 * The dataset an import refused with dataset_exists would replace: from the error's details (the engine names the
 * existing source and its clip count), else from the datasets the page lists; null when neither knows it.
 */
export function replaceQuestion(details: unknown, name: string, datasets: readonly Pick<DatasetSummary, 'name' | 'source' | 'clips'>[]): ReplaceQuestion | null {
  const d = (details ?? {}) as { name?: unknown; source?: unknown; clips?: unknown };
  if (typeof d.source === 'string' && typeof d.clips === 'number') return { name: typeof d.name === 'string' ? d.name : name.trim(), source: d.source, clips: d.clips };
  const known = datasets.find((x) => x.name === name.trim());
  return known ? { name: known.name, source: known.source, clips: known.clips } : null;
}
