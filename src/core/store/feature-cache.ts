import type { Db } from './db';

export interface CachedFeatures {
  vector: Float64Array;
  nFrames: number;
  tuning: { chroma: number | null; cqt: number | null };
  augParams?: Record<string, unknown>;
}

export interface FeatureKey {
  sha256: string;
  configHash: string;
  augId?: string;
}

/** The feature cache table: nothing is computed twice for the same (audio, config, augmentation). */
export class FeatureCache {
  private readonly getStmt;
  private readonly putStmt;

  constructor(private readonly db: Db) {
    this.getStmt = db.prepare('SELECT * FROM feature_cache WHERE sha256 = ? AND config_hash = ? AND aug_id = ?');
    this.putStmt = db.prepare(`
      INSERT OR REPLACE INTO feature_cache (sha256, config_hash, aug_id, dims, vector, n_frames, tuning_chroma, tuning_cqt, aug_params, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  }

  get(key: FeatureKey): CachedFeatures | undefined {
    const row = this.getStmt.get(key.sha256, key.configHash, key.augId ?? '') as
      | { dims: number; vector: Buffer; n_frames: number; tuning_chroma: number | null; tuning_cqt: number | null; aug_params: string | null }
      | undefined;
    if (!row) return undefined;
    // Copy out of the SQLite buffer: it may not be 8-byte aligned.
    const vector = new Float64Array(row.dims);
    new Uint8Array(vector.buffer).set(row.vector.subarray(0, row.dims * 8));
    return {
      vector,
      nFrames: row.n_frames,
      tuning: { chroma: row.tuning_chroma, cqt: row.tuning_cqt },
      augParams: row.aug_params ? JSON.parse(row.aug_params) : undefined,
    };
  }

  put(key: FeatureKey, value: CachedFeatures): void {
    const v = value.vector;
    this.putStmt.run(
      key.sha256,
      key.configHash,
      key.augId ?? '',
      v.length,
      Buffer.from(v.buffer, v.byteOffset, v.byteLength),
      value.nFrames,
      value.tuning.chroma,
      value.tuning.cqt,
      value.augParams ? JSON.stringify(value.augParams) : null,
      new Date().toISOString(),
    );
  }

  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM feature_cache').get() as { n: number }).n;
  }
}
