import type { ClipFeatures } from '../jobs/extract-many';
import type { Matrix } from '../train/matrix';

/** One training/validation row: a clip (by index) as it is ('') or one of its augmented copies. */
export interface RowRef {
  clip: number;
  augId: string;
}

/** Looks up feature vectors by (clip index, augmentation id). */
export class FeatureTable {
  private readonly byKey = new Map<string, Float64Array>();
  readonly dims: number;

  constructor(results: ClipFeatures[]) {
    for (const r of results) this.byKey.set(`${r.key}|${r.augId}`, r.features.vector);
    this.dims = results.length ? results[0].features.vector.length : 0;
  }

  has(ref: RowRef): boolean {
    return this.byKey.has(`${ref.clip}|${ref.augId}`);
  }

  matrix(refs: RowRef[]): Matrix {
    const data = new Float32Array(refs.length * this.dims);
    refs.forEach((ref, i) => {
      const v = this.byKey.get(`${ref.clip}|${ref.augId}`);
      if (!v) throw new Error(`no features for clip ${ref.clip} (${ref.augId || 'original'})`);
      data.set(v, i * this.dims);
    });
    return { rows: refs.length, cols: this.dims, data };
  }
}
