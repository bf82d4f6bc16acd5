import type { Db } from '../store/db';

export interface SampleRecord {
  id: number;
  relPath: string;
  absPath: string;
  label: string;
  speaker: string | null;
  sha256: string;
  /** As probed at import: native frames, rate and duration (what a run checks before extracting features). */
  frames: number;
  sampleRate: number;
  durationSec: number;
}

/** A dataset's clips in the reference's order (sorted by path), which the splits depend on. */
export function datasetSamples(db: Db, datasetId: number): SampleRecord[] {
  return (
    db
      .prepare('SELECT id, rel_path, abs_path, label, speaker, sha256, frames, sample_rate, duration_sec FROM samples WHERE dataset_id = ? ORDER BY abs_path')
      .all(datasetId) as {
      id: number;
      rel_path: string;
      abs_path: string;
      label: string;
      speaker: string | null;
      sha256: string;
      frames: number;
      sample_rate: number;
      duration_sec: number;
    }[]
  ).map((r) => ({
    id: r.id,
    relPath: r.rel_path,
    absPath: r.abs_path,
    label: r.label,
    speaker: r.speaker,
    sha256: r.sha256,
    frames: r.frames,
    sampleRate: r.sample_rate,
    durationSec: r.duration_sec,
  }));
}
