import type { Db } from './db';

/** A trained model's row (written by ExperimentStore.saveModel when a run completes). */
export interface ModelRow {
  id: number;
  experiment_id: number;
  path: string;
  format: string;
  labels: string;
  input_dims: number;
  feature_config: string;
  standardizer: string;
  created_at: string;
  model_json_sha256: string | null;
  weights_sha256: string | null;
  hashes_recorded: 'training' | 'first-use' | null;
}

/** The models table as classification reads it: by experiment, by content, and hashes recorded late. */
export class ModelStore {
  constructor(private readonly db: Db) {}

  byExperiment(experimentId: number): ModelRow | undefined {
    return this.db.prepare('SELECT * FROM models WHERE experiment_id = ?').get(experimentId) as ModelRow | undefined;
  }

  /** The workspace's model with exactly these files, if any (a model folder exported from this workspace). */
  byHashes(modelJson: string, weights: string): ModelRow | undefined {
    return this.db.prepare('SELECT * FROM models WHERE model_json_sha256 = ? AND weights_sha256 = ? ORDER BY id LIMIT 1').get(modelJson, weights) as
      | ModelRow
      | undefined;
  }

  /** Hashes of a model trained before they were recorded, taken from its files when first used. */
  setHashesOnFirstUse(experimentId: number, files: { modelJson: string; weights: string }): void {
    this.db
      .prepare("UPDATE models SET model_json_sha256 = ?, weights_sha256 = ?, hashes_recorded = 'first-use' WHERE experiment_id = ? AND model_json_sha256 IS NULL")
      .run(files.modelJson, files.weights, experimentId);
  }
}
