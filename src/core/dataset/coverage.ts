/**
 * Class coverage per speaker: the share of the dataset's classes each speaker has clips of. Per-speaker
 * normalisation subtracts each speaker's mean, which is neutral only when the speaker's clips span the classes;
 * a corpus where most speakers have one emotion loses the emotion with the mean (shared/speaker-coverage.ts warns).
 */
import type { SpeakerCoverage } from '../../shared/domain';
import type { Db } from '../store/db';

/** Coverage from clips' (label, speaker); null when no clip has a speaker. Speakers sorted naturally. */
export function speakerCoverage(clips: readonly { label: string; speaker: string | null }[]): SpeakerCoverage | null {
  const classes = new Set<string>();
  const bySpeaker = new Map<string, Set<string>>();
  let unassigned = 0;
  for (const c of clips) {
    classes.add(c.label);
    if (!c.speaker) {
      unassigned++;
      continue;
    }
    const s = bySpeaker.get(c.speaker) ?? new Set<string>();
    s.add(c.label);
    bySpeaker.set(c.speaker, s);
  }
  if (!bySpeaker.size) return null;
  const speakers = [...bySpeaker]
    .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
    .map(([speaker, labels]) => ({ speaker, covered: labels.size, share: labels.size / classes.size }));
  return { classes: classes.size, speakers, mean: speakers.reduce((a, s) => a + s.share, 0) / speakers.length, unassigned };
}

/** A dataset's coverage, from its samples. */
export function datasetCoverage(db: Db, datasetId: number): SpeakerCoverage | null {
  const rows = db.prepare('SELECT label, speaker FROM samples WHERE dataset_id = ?').all(datasetId) as { label: string; speaker: string | null }[];
  return speakerCoverage(rows);
}
