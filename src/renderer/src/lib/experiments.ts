// Pure helpers of the experiments pages: the new-run form, summaries read from stored JSON, list grouping.
import type { ExperimentStatus, ExperimentSummary, FoldsSummary, MeanSd, RunSummary, SplitSizes, TrainRequest } from './experiment-types';

export const AUGMENTATIONS = [
  { name: 'noise', label: 'Noise', hint: 'white noise at a random SNR' },
  { name: 'pitch', label: 'Pitch shift', hint: '± a few semitones' },
  { name: 'stretch', label: 'Time stretch', hint: 'phase vocoder, 0.8–1.25×' },
  { name: 'shift', label: 'Time shift', hint: 'roll by up to 0.5 s' },
  { name: 'gain', label: 'Gain', hint: 'louder or softer' },
] as const;
export type AugName = (typeof AUGMENTATIONS)[number]['name'];

export type SplitKind = 'stratified' | 'speaker' | 'kfold' | 'speaker-kfold';
export type Backend = 'auto' | 'tensorflow' | 'wasm' | 'cpu';

export interface RunForm {
  datasetId: number | null;
  split: SplitKind;
  valFraction: number;
  k: number;
  seed: number;
  augment: AugName[];
  copies: number;
  epochs: number;
  patience: number;
  batchSize: number;
  learningRate: number;
  hidden: string;
  dropout: number;
  backend: Backend;
  leaky: boolean;
}

/** The reference pipeline's settings, split honestly. */
export function defaultForm(datasetId: number | null = null): RunForm {
  return {
    datasetId,
    split: 'stratified',
    valFraction: 0.2,
    k: 5,
    seed: 42,
    augment: AUGMENTATIONS.map((a) => a.name),
    copies: 5,
    epochs: 100,
    patience: 10,
    batchSize: 32,
    learningRate: 0.001,
    hidden: '256, 128, 64',
    dropout: 0.3,
    backend: 'auto',
    leaky: false,
  };
}

export const isKFold = (split: SplitKind) => split === 'kfold' || split === 'speaker-kfold';
export const isSpeakerSplit = (split: SplitKind) => split === 'speaker' || split === 'speaker-kfold';

/** Why a split cannot be chosen for a dataset, or '' when it can. */
export function splitUnavailable(split: SplitKind, dataset: { speakers: number } | null): string {
  if (!dataset || !isSpeakerSplit(split)) return '';
  if (dataset.speakers === 0) return 'this dataset has no speaker column';
  if (dataset.speakers < 2) return 'needs at least 2 speakers (this dataset has 1)';
  return '';
}

export function parseHidden(text: string): number[] | null {
  const parts = text.split(/[\s,]+/).filter(Boolean);
  if (!parts.length || parts.length > 8) return null;
  const units = parts.map(Number);
  return units.every((u) => Number.isInteger(u) && u >= 1 && u <= 65536) ? units : null;
}

export type FormResult = { request: TrainRequest; errors: [] } | { request: null; errors: string[] };

/** Checks the form the way the contract will, so the user reads a sentence instead of a zod path. */
export function buildTrainRequest(form: RunForm, dataset: { speakers: number } | null): FormResult {
  const errors: string[] = [];
  const int = (v: number, lo: number, hi: number) => Number.isInteger(v) && v >= lo && v <= hi;
  if (form.datasetId === null) errors.push('Choose a dataset.');
  const unavailable = splitUnavailable(form.split, dataset);
  if (unavailable) errors.push(`A speaker-independent split is not possible: ${unavailable}.`);
  if (!isKFold(form.split) && !(form.valFraction > 0 && form.valFraction < 1)) errors.push('Validation fraction must be between 0 and 1 (e.g. 0.2).');
  if (isKFold(form.split)) {
    if (!int(form.k, 2, 50)) errors.push('K must be a whole number from 2 to 50.');
    else if (form.split === 'speaker-kfold' && dataset && dataset.speakers >= 2 && form.k > dataset.speakers)
      errors.push(`Leave-speakers-out needs K ≤ the number of speakers (${dataset.speakers}).`);
  }
  if (form.leaky && form.split !== 'stratified') errors.push('The leaky demonstration uses the pooled stratified hold-out; choose that split.');
  if (!int(form.seed, 0, 2 ** 32 - 1)) errors.push('Seed must be a whole number ≥ 0.');
  if (form.augment.length && !int(form.copies, 0, 50)) errors.push('Copies must be a whole number from 0 to 50.');
  if (!int(form.epochs, 1, 10000)) errors.push('Epochs must be a whole number from 1 to 10000.');
  if (!int(form.patience, 0, 10000)) errors.push('Patience must be a whole number ≥ 0 (0 = no early stopping).');
  if (!int(form.batchSize, 1, 65536)) errors.push('Batch size must be a whole number ≥ 1.');
  if (!(form.learningRate > 0 && form.learningRate <= 1)) errors.push('Learning rate must be in (0, 1].');
  if (!(form.dropout >= 0 && form.dropout < 1)) errors.push('Dropout must be in [0, 1).');
  const hidden = parseHidden(form.hidden);
  if (!hidden) errors.push('Hidden layers: 1 to 8 sizes separated by commas, e.g. 256, 128, 64.');
  if (errors.length || form.datasetId === null || !hidden) return { request: null, errors };

  const split: TrainRequest['split'] = isKFold(form.split)
    ? { kind: form.split as 'kfold' | 'speaker-kfold', k: form.k }
    : { kind: form.split as 'stratified' | 'speaker', valFraction: form.valFraction };
  return {
    request: {
      dataset: form.datasetId,
      split,
      seed: form.seed,
      augment: [...form.augment],
      copies: form.augment.length ? form.copies : 0,
      leaky: form.leaky,
      epochs: form.epochs,
      patience: form.patience,
      batchSize: form.batchSize,
      learningRate: form.learningRate,
      hidden,
      dropout: form.dropout,
      backend: form.backend,
    },
    errors: [],
  };
}

/** The protocol in words before the run exists (the engine names held-out speakers once it has split). */
export function describeSplit(form: Pick<RunForm, 'split' | 'valFraction' | 'k' | 'seed' | 'leaky'>): string {
  const pct = (f: number) => Math.round(f * 100);
  const ratio = `${pct(1 - form.valFraction)}/${pct(form.valFraction)}`;
  if (form.leaky) return `LEAKY stratified ${ratio} (augmented before the split), seed ${form.seed}`;
  switch (form.split) {
    case 'stratified':
      return `stratified hold-out ${ratio}, seed ${form.seed}`;
    case 'speaker':
      return `speaker-independent hold-out (~${pct(form.valFraction)}% of speakers held out), seed ${form.seed}`;
    case 'kfold':
      return `stratified ${form.k}-fold cross-validation, seed ${form.seed}`;
    case 'speaker-kfold':
      return `leave-speakers-out ${form.k}-fold cross-validation, seed ${form.seed}`;
  }
}

export function formatPct(v: number | null | undefined, digits = 1): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '—' : `${(v * 100).toFixed(digits)}%`;
}

export function formatScore(v: number | null | undefined, digits = 3): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(digits);
}

export function formatMeanSd(m: MeanSd | null | undefined, asPct = true): string {
  if (!m) return '—';
  return asPct ? `${(m.mean * 100).toFixed(1)} ± ${(m.sd * 100).toFixed(1)}%` : `${m.mean.toFixed(3)} ± ${m.sd.toFixed(3)}`;
}

/** "1 min 05 s", "12 s", "<1 s". */
export function formatEta(sec: number): string {
  if (!Number.isFinite(sec) || sec < 0) return '—';
  if (sec < 1) return '<1 s';
  if (sec < 60) return `${Math.round(sec)} s`;
  const m = Math.floor(sec / 60);
  const s = Math.round(sec - m * 60);
  return m < 60 ? `${m} min ${String(s).padStart(2, '0')} s` : `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/** Mean and sample sd (n - 1), the engine's aggregation of fold scores. */
export function meanSd(values: number[]): MeanSd | null {
  const n = values.length;
  if (!n) return null;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, sd, n };
}

export interface ExperimentGroup {
  row: ExperimentSummary;
  folds: ExperimentSummary[];
  accuracy: MeanSd | null;
  macroF1: MeanSd | null;
}

/** Top-level runs (newest first, as listed) with their fold children attached in fold order. */
export function groupExperiments(list: ExperimentSummary[]): ExperimentGroup[] {
  const children = new Map<number, ExperimentSummary[]>();
  for (const e of list) if (e.parentId !== null) (children.get(e.parentId) ?? children.set(e.parentId, []).get(e.parentId)!).push(e);
  const scores = (rows: ExperimentSummary[], key: 'accuracy' | 'macroF1') =>
    meanSd(rows.filter((r) => r.status === 'completed' && r[key] !== null).map((r) => r[key] as number));
  return list
    .filter((e) => e.parentId === null || !list.some((p) => p.id === e.parentId))
    .map((row) => {
      const folds = (children.get(row.id) ?? []).sort((a, b) => (a.fold ?? 0) - (b.fold ?? 0));
      return { row, folds, accuracy: folds.length ? scores(folds, 'accuracy') : null, macroF1: folds.length ? scores(folds, 'macroF1') : null };
    });
}

export const STATUS_TONE: Record<ExperimentStatus, 'info' | 'ok' | 'muted' | 'warn' | 'danger'> = {
  running: 'info',
  completed: 'ok',
  cancelled: 'muted',
  interrupted: 'warn',
  failed: 'danger',
};

function isNum(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** The stored summary of a single run, or null when the run did not finish (or it is a k-fold parent). */
export function readRunSummary(value: unknown): RunSummary | null {
  const s = value as Partial<RunSummary> | null;
  if (!s || typeof s !== 'object') return null;
  const keys = ['finalTrainAcc', 'bestTrainAcc', 'finalValAcc', 'bestValAcc', 'finalTrainLoss', 'finalValLoss', 'minValLoss'] as const;
  if (!keys.every((k) => isNum(s[k]))) return null;
  return s as RunSummary;
}

export function readFoldsSummary(value: unknown): FoldsSummary | null {
  const s = value as Partial<FoldsSummary> | null;
  return s && typeof s === 'object' && s.folds && isNum(s.folds.accuracy?.mean) ? (s as FoldsSummary) : null;
}

export function readSplitSizes(value: unknown): SplitSizes | null {
  const s = value as Partial<SplitSizes> | null;
  return s && typeof s === 'object' && isNum(s.valClips) && isNum(s.trainClips) ? (s as SplitSizes) : null;
}

export interface ConfusionStats {
  total: number;
  correct: number;
  rowTotals: number[];
  colTotals: number[];
}

export function confusionStats(matrix: number[][]): ConfusionStats {
  const rowTotals = matrix.map((row) => row.reduce((a, b) => a + b, 0));
  const colTotals = matrix.length ? matrix[0].map((_, j) => matrix.reduce((a, row) => a + (row[j] ?? 0), 0)) : [];
  return {
    total: rowTotals.reduce((a, b) => a + b, 0),
    correct: matrix.reduce((a, row, i) => a + (row[i] ?? 0), 0),
    rowTotals,
    colTotals,
  };
}

export interface ClassRow {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/** sklearn's "macro avg" and "weighted avg" rows of a classification report. */
export function averages(rows: ClassRow[]): { macro: ClassRow; weighted: ClassRow } {
  const n = rows.length || 1;
  const support = rows.reduce((a, r) => a + r.support, 0);
  const avg = (key: 'precision' | 'recall' | 'f1', weighted: boolean) =>
    weighted ? rows.reduce((a, r) => a + r[key] * r.support, 0) / (support || 1) : rows.reduce((a, r) => a + r[key], 0) / n;
  return {
    macro: { label: 'Macro avg', precision: avg('precision', false), recall: avg('recall', false), f1: avg('f1', false), support },
    weighted: { label: 'Weighted avg', precision: avg('precision', true), recall: avg('recall', true), f1: avg('f1', true), support },
  };
}

/** Config values as short display strings, in a stable order (unknown keys last). */
export function configEntries(config: Record<string, unknown>): [string, string][] {
  const order = ['dataset', 'split', 'seed', 'augment', 'copies', 'copyPolicy', 'leaky', 'epochs', 'patience', 'batchSize', 'learningRate', 'hidden', 'dropout', 'backend', 'features', 'workers'];
  const show = (v: unknown): string => {
    if (Array.isArray(v)) return v.length ? v.map(show).join(', ') : 'none';
    if (v && typeof v === 'object')
      return Object.entries(v as Record<string, unknown>)
        .map(([k, x]) => `${k} ${show(x)}`)
        .join(' · ');
    return String(v);
  };
  const rank = (k: string) => (order.includes(k) ? order.indexOf(k) : order.length);
  return Object.entries(config)
    .sort((a, b) => rank(a[0]) - rank(b[0]) || a[0].localeCompare(b[0]))
    .map(([k, v]) => [k, show(v)]);
}
