/**
 * Everything an experiment's report says, read from the workspace alone (never from a live run): the
 * experiment as the contract shows it, its protocol as stored, its dataset, and for a cross-validation each
 * fold's record and epochs.
 */
import type { DatasetDetail } from '../../shared/domain';
import type { ExperimentDetail } from '../../shared/experiment';
import type { ProtocolOutline } from '../../shared/protocol';
import { datasetDetail } from '../dataset/queries';
import { experimentDetail } from '../experiments/queries';
import type { Db } from '../store/db';
import { ExperimentStore } from '../store/experiments';

export interface FoldFacts {
  detail: ExperimentDetail;
  /** Its split as drawn (held-out speakers for a speaker split), when stored in today's shape. */
  protocol: ProtocolOutline | null;
}

export interface ExperimentFacts {
  detail: ExperimentDetail;
  protocol: ProtocolOutline | null;
  /** Share of validation rows whose source clip is also in training (leaky runs), from the stored split. */
  leakage: number | null;
  /** The dataset as it is now; null when it was deleted. */
  dataset: DatasetDetail | null;
  /** A cross-validation's folds, in fold order (empty otherwise). */
  folds: FoldFacts[];
  /** The parent of a fold, when this experiment is one. */
  parent: { id: number; k: number | null } | null;
}

/** The stored protocol JSON as an outline describeProtocol accepts, or null for shapes it does not know. */
export function storedProtocol(text: string | undefined): ProtocolOutline | null {
  if (!text) return null;
  let p: Record<string, unknown>;
  try {
    p = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return null;
  }
  if (!p || typeof p !== 'object' || typeof p.seed !== 'number') return null;
  // Older rows stored leaky hold-outs as stratified + leaky: true.
  const kind = p.leaky === true ? 'leaky' : p.kind;
  const speakers = Array.isArray(p.heldOutSpeakers) ? (p.heldOutSpeakers as unknown[]).map(String) : undefined;
  // a test part held out first (hold-outs), or a validation part carved from each fold's training folds (k-fold)
  const test = kind !== 'leaky' && typeof p.testFraction === 'number' && p.testFraction > 0 ? { testFraction: p.testFraction } : {};
  const testSpeakers = Array.isArray(p.testSpeakers) ? { testSpeakers: (p.testSpeakers as unknown[]).map(String) } : {};
  if ((kind === 'stratified' || kind === 'leaky') && typeof p.valFraction === 'number') return { kind, valFraction: p.valFraction, seed: p.seed, ...test };
  if (kind === 'speaker' && typeof p.valFraction === 'number') {
    return { kind, valFraction: p.valFraction, seed: p.seed, ...(speakers ? { heldOutSpeakers: speakers } : {}), ...test, ...testSpeakers };
  }
  if ((kind === 'kfold' || kind === 'speaker-kfold') && typeof p.k === 'number') {
    return {
      kind,
      k: p.k,
      seed: p.seed,
      ...(typeof p.fold === 'number' ? { fold: p.fold } : {}),
      ...(speakers ? { heldOutSpeakers: speakers } : {}),
      ...(typeof p.valFraction === 'number' ? { valFraction: p.valFraction } : {}),
    };
  }
  return null;
}

function leakageOf(text: string | null | undefined, detailSplit: ExperimentDetail['split']): number | null {
  if (detailSplit?.leakage !== undefined) return detailSplit.leakage;
  try {
    const p = text ? (JSON.parse(text) as { leakage?: unknown }) : null;
    return typeof p?.leakage === 'number' ? p.leakage : null;
  } catch {
    return null;
  }
}

/** Undefined when the workspace has no experiment `id`. */
export function experimentFacts(db: Db, id: number): ExperimentFacts | undefined {
  const detail = experimentDetail(db, id);
  if (!detail) return undefined;
  const store = new ExperimentStore(db);
  const row = store.get(id);
  let dataset: DatasetDetail | null = null;
  try {
    dataset = datasetDetail(db, detail.datasetId);
  } catch {
    dataset = null;
  }
  const folds = [...detail.children]
    .sort((a, b) => (a.fold ?? 0) - (b.fold ?? 0))
    .flatMap((c) => {
      const fold = experimentDetail(db, c.id);
      return fold ? [{ detail: fold, protocol: storedProtocol(store.get(c.id)?.protocol) }] : [];
    });
  const parentRow = detail.parentId !== null ? store.get(detail.parentId) : undefined;
  const parentOutline = storedProtocol(parentRow?.protocol);
  return {
    detail,
    protocol: storedProtocol(row?.protocol),
    leakage: leakageOf(row?.protocol, detail.split),
    dataset,
    folds,
    parent: parentRow ? { id: parentRow.id, k: parentOutline && 'k' in parentOutline ? parentOutline.k : null } : null,
  };
}
