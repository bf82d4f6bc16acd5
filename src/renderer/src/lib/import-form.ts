// The import form's own checks, as the user types: why Import cannot start yet, and a name that already exists.
import type { DatasetSummary } from './types';

/** Why the Import button is disabled ('' when it is not). */
export function importBlocker(f: { source: string; name: string; running: boolean; canPick: boolean }): string {
  if (f.running) return '';
  if (!f.source.trim()) return `Type the path of a folder or a CSV manifest${f.canPick ? ', or choose a folder' : ''}.`;
  if (!f.name.trim()) return 'Name the dataset.';
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
  const clips = `${existing.clips.toLocaleString('en-US')} ${existing.clips === 1 ? 'clip' : 'clips'}`;
  const same = source.trim() !== '' && norm(source) === norm(existing.source);
  return same
    ? `A dataset named “${existing.name}” exists (${clips}, from this source): importing it again updates it; unchanged files are not read again.`
    : `A dataset named “${existing.name}” exists (${clips} from ${existing.source}): importing under this name replaces its clips with this source's. Choose another name to keep both.`;
}
