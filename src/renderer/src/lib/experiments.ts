// Pure helpers of the experiments pages: the new-run form, display formats, list grouping.
// Names, defaults, ranges and the protocol description come from src/shared (zod-free modules).
import { formatMeanSd as formatMeanSdWith, type MeanSd } from '../../../shared/outcome';
import {
  ACTIVATIONS,
  AUG_NAMES,
  BACKEND_CHOICES,
  LIMITS,
  SPLIT_KINDS,
  MLP_DEFAULTS,
  TRAIN_DEFAULTS,
  inRange,
  isKFold,
  isSpeakerSplit,
  rangeText,
  type Activation,
  type AugName,
  type BackendChoice,
  type LimitName,
  type Range,
  type SplitKind,
} from '../../../shared/params';
import { describeProtocol, type ProtocolOutline } from '../../../shared/protocol';
import type { ExperimentStatus, ExperimentSummary, TrainRequest } from './experiment-types';

export { ACTIVATIONS, isKFold, isSpeakerSplit };
export type { Activation, AugName, BackendChoice, SplitKind };

/** How the form presents each augmentation (the names themselves are the contract's). */
const AUG_TEXT: Record<AugName, { label: string; hint: string }> = {
  noise: { label: 'Noise', hint: 'white noise at a random SNR' },
  pitch: { label: 'Pitch shift', hint: '± a few semitones' },
  stretch: { label: 'Time stretch', hint: 'phase vocoder, 0.8–1.25×' },
  shift: { label: 'Time shift', hint: 'roll by up to 0.5 s' },
  gain: { label: 'Gain', hint: 'louder or softer' },
};
export const AUGMENTATIONS = AUG_NAMES.map((name) => ({ name, ...AUG_TEXT[name] }));

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
  activation: Activation;
  dropout: number;
  backend: BackendChoice;
  leaky: boolean;
}

/** The reference pipeline's settings, split honestly. */
export function defaultForm(datasetId: number | null = null): RunForm {
  const d = TRAIN_DEFAULTS;
  return {
    datasetId,
    split: d.split,
    valFraction: d.valFraction,
    k: d.k,
    seed: d.seed,
    augment: [...AUG_NAMES],
    copies: d.copies,
    epochs: d.epochs,
    patience: d.patience,
    batchSize: d.batchSize,
    learningRate: d.learningRate,
    hidden: MLP_DEFAULTS.hidden.join(', '),
    activation: MLP_DEFAULTS.activation,
    dropout: MLP_DEFAULTS.dropout,
    backend: d.backend,
    leaky: false,
  };
}

/**
 * The form filled from a recorded run's config ("Edit a copy"): every setting the form has, the split included;
 * what the config lacks (older runs) or holds in another shape keeps the default.
 */
export function formFromConfig(config: Record<string, unknown>, datasetId: number | null): RunForm {
  const form = defaultForm(datasetId);
  const num = (key: keyof RunForm & keyof typeof config) => {
    const v = config[key];
    if (typeof v === 'number' && Number.isFinite(v)) (form[key] as number) = v;
  };
  for (const key of ['seed', 'copies', 'epochs', 'patience', 'batchSize', 'learningRate', 'dropout'] as const) num(key);
  const split = config.split as { kind?: unknown; valFraction?: unknown; k?: unknown } | undefined;
  if (split && (SPLIT_KINDS as readonly unknown[]).includes(split.kind)) {
    form.split = split.kind as SplitKind;
    if (typeof split.valFraction === 'number') form.valFraction = split.valFraction;
    if (typeof split.k === 'number') form.k = split.k;
  }
  // In the config's order: copies cycle through the augmentations in that order.
  if (Array.isArray(config.augment)) form.augment = config.augment.filter((a): a is AugName => (AUG_NAMES as readonly unknown[]).includes(a));
  if (Array.isArray(config.hidden) && config.hidden.every((h) => typeof h === 'number')) form.hidden = config.hidden.join(', ');
  if ((ACTIVATIONS as readonly unknown[]).includes(config.activation)) form.activation = config.activation as Activation;
  if ((BACKEND_CHOICES as readonly unknown[]).includes(config.backend)) form.backend = config.backend as BackendChoice;
  if (typeof config.leaky === 'boolean') form.leaky = config.leaky;
  return form;
}

/** Why a split cannot be chosen for a dataset, or '' when it can. */
export function splitUnavailable(split: SplitKind, dataset: { speakers: number } | null): string {
  if (!dataset || !isSpeakerSplit(split)) return '';
  if (dataset.speakers === 0) return 'this dataset has no speaker column';
  if (dataset.speakers < 2) return 'needs at least 2 speakers (this dataset has 1)';
  return '';
}

export function parseHidden(text: string): number[] | null {
  const parts = text.split(/[\s,]+/).filter(Boolean);
  if (!inRange(parts.length, LIMITS.hiddenLayers)) return null;
  const units = parts.map(Number);
  return units.every((u) => inRange(u, LIMITS.hiddenUnits)) ? units : null;
}

export type FormResult = { request: TrainRequest; errors: [] } | { request: null; errors: string[] };

/** The form's settings that can be wrong, each checked on its own as it is typed. */
export type RunField = 'dataset' | 'split' | 'valFraction' | 'k' | 'leaky' | 'seed' | 'copies' | 'epochs' | 'patience' | 'batchSize' | 'learningRate' | 'dropout' | 'hidden';

/**
 * What is wrong with each field, in the sentence the form shows at the field and lists before Start (written from
 * the contract's ranges, so the form cannot disagree with the engine). A field left empty is wrong too.
 */
export function fieldErrors(form: RunForm, dataset: { speakers: number } | null): Partial<Record<RunField, string>> {
  const errors: Partial<Record<RunField, string>> = {};
  const check = (field: RunField, value: number, name: LimitName, what: string) => {
    if (!inRange(value, LIMITS[name])) errors[field] = `${what} must be ${rangeText(LIMITS[name])}.`;
  };
  if (form.datasetId === null) errors.dataset = 'Choose a dataset.';
  const unavailable = splitUnavailable(form.split, dataset);
  if (unavailable) errors.split = `A speaker-independent split is not possible: ${unavailable}.`;
  if (!isKFold(form.split)) check('valFraction', form.valFraction, 'valFraction', 'Validation fraction');
  else {
    check('k', form.k, 'k', 'K');
    if (!errors.k && form.split === 'speaker-kfold' && dataset && dataset.speakers >= 2 && form.k > dataset.speakers)
      errors.k = `Leave-speakers-out needs K ≤ the number of speakers (${dataset.speakers}).`;
  }
  if (form.leaky && form.split !== 'stratified') errors.leaky = 'The leaky demonstration uses the pooled stratified hold-out; choose that split.';
  check('seed', form.seed, 'seed', 'Seed');
  if (form.augment.length) check('copies', form.copies, 'copies', 'Copies');
  check('epochs', form.epochs, 'epochs', 'Epochs');
  check('patience', form.patience, 'patience', 'Patience (0 = no early stopping)');
  check('batchSize', form.batchSize, 'batchSize', 'Batch size');
  check('learningRate', form.learningRate, 'learningRate', 'Learning rate');
  check('dropout', form.dropout, 'dropout', 'Dropout');
  if (!parseHidden(form.hidden))
    errors.hidden = `Hidden layers: ${LIMITS.hiddenLayers.min} to ${LIMITS.hiddenLayers.max} sizes, each ${rangeText(LIMITS.hiddenUnits)}, separated by commas, e.g. ${MLP_DEFAULTS.hidden.join(', ')}.`;
  return errors;
}

/** Checks the form against the contract's ranges, so the user reads a sentence instead of a zod path. */
export function buildTrainRequest(form: RunForm, dataset: { speakers: number } | null): FormResult {
  const errors = Object.values(fieldErrors(form, dataset));
  const hidden = parseHidden(form.hidden);
  if (errors.length || form.datasetId === null || !hidden) return { request: null, errors };

  const split: TrainRequest['split'] = isKFold(form.split) ? { kind: form.split, k: form.k } : { kind: form.split, valFraction: form.valFraction };
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
      activation: form.activation,
      dropout: form.dropout,
      backend: form.backend,
    },
    errors: [],
  };
}

/** A setting as the run's summary shows it: the value, or a dash while it is not a valid one (never "≤ -1 epochs"). */
export function formValue(value: number, name: LimitName): string {
  return inRange(value, LIMITS[name]) ? String(value) : '—';
}

/**
 * A number input's own bounds from the same ranges (the browser's checks then agree with the messages): whole
 * numbers step by 1 between their limits; other numbers take any step, and exclusive bounds are left to the form.
 */
export function limitAttrs(name: LimitName): { min?: number; max?: number; step: number | 'any' } {
  const r: Range = LIMITS[name];
  return { ...(r.min !== undefined ? { min: r.min } : {}), ...(r.max !== undefined ? { max: r.max } : {}), step: r.integer ? 1 : 'any' };
}

/** The protocol the form describes, in the engine's words (held-out speakers are named once it has split). */
export function formOutline(form: Pick<RunForm, 'split' | 'valFraction' | 'k' | 'seed' | 'leaky'>): ProtocolOutline {
  if (form.leaky) return { kind: 'leaky', valFraction: form.valFraction, seed: form.seed };
  return isKFold(form.split) ? { kind: form.split, k: form.k, seed: form.seed } : { kind: form.split, valFraction: form.valFraction, seed: form.seed };
}

const SPLIT_NAMES: Record<SplitKind, string> = {
  stratified: 'stratified hold-out',
  speaker: 'speaker-independent hold-out',
  kfold: 'stratified k-fold cross-validation',
  'speaker-kfold': 'leave-speakers-out k-fold cross-validation',
};

/** The protocol in the engine's words; while a value it needs is not valid, says which instead of printing it ("-50/150"). */
export function describeForm(form: Pick<RunForm, 'split' | 'valFraction' | 'k' | 'seed' | 'leaky'>): string {
  const kfold = isKFold(form.split) && !form.leaky;
  const missing = [
    kfold ? (inRange(form.k, LIMITS.k) ? '' : 'K') : inRange(form.valFraction, LIMITS.valFraction) ? '' : 'the validation fraction',
    inRange(form.seed, LIMITS.seed) ? '' : 'the seed',
  ].filter(Boolean);
  if (!missing.length) return describeProtocol(formOutline(form));
  return `${form.leaky ? 'LEAKY stratified hold-out' : SPLIT_NAMES[form.split]} (${missing.join(' and ')} to fix)`;
}

export function formatPct(v: number | null | undefined, digits = 1): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '—' : `${(v * 100).toFixed(digits)}%`;
}

export function formatScore(v: number | null | undefined, digits = 3): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(digits);
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

/** "60.0 ± 10.0%" (asPct) or "0.500 ± 0.100"; the mean alone when there is no sd (a single fold). */
export function formatMeanSd(m: MeanSd | null | undefined, asPct = true): string {
  if (!m) return '—';
  return formatMeanSdWith(m, asPct ? (v) => `${(v * 100).toFixed(1)}` : (v) => v.toFixed(3)) + (asPct ? '%' : '');
}

export interface ExperimentGroup {
  row: ExperimentSummary;
  folds: ExperimentSummary[];
}

/** Top-level runs (newest first, as listed) with their fold children attached in fold order. */
export function groupExperiments(list: ExperimentSummary[]): ExperimentGroup[] {
  const children = new Map<number, ExperimentSummary[]>();
  for (const e of list) if (e.parentId !== null) (children.get(e.parentId) ?? children.set(e.parentId, []).get(e.parentId)!).push(e);
  return list
    .filter((e) => e.parentId === null || !list.some((p) => p.id === e.parentId))
    .map((row) => ({ row, folds: (children.get(row.id) ?? []).sort((a, b) => (a.fold ?? 0) - (b.fold ?? 0)) }));
}

/** A run's score as listed: a cross-validation's mean ± sd over its completed folds, else the run's own. */
export function listedScore(e: ExperimentSummary, key: 'accuracy' | 'macroF1'): string {
  const value = e[key];
  if (!e.folds || value === null) return key === 'accuracy' ? formatPct(value) : formatScore(value);
  return formatMeanSd({ mean: value, sd: key === 'accuracy' ? e.accuracySd : e.macroF1Sd, n: e.folds.completed }, key === 'accuracy');
}

export const STATUS_TONE: Record<ExperimentStatus, 'info' | 'ok' | 'muted' | 'warn' | 'danger'> = {
  running: 'info',
  completed: 'ok',
  cancelled: 'muted',
  interrupted: 'warn',
  failed: 'danger',
};

export { confusionStats, type ConfusionStats } from '../../../shared/charts/confusion';

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
  const order = ['dataset', 'split', 'seed', 'augment', 'copies', 'copyPolicy', 'leaky', 'epochs', 'patience', 'batchSize', 'learningRate', 'hidden', 'activation', 'dropout', 'backend', 'features', 'workers'];
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
