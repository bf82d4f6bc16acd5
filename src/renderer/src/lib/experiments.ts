// Pure helpers of the experiments pages: the new-run form, display formats, list grouping.
// Names, defaults, ranges and the protocol description come from src/shared (zod-free modules).
import { formatMeanSd as formatMeanSdWith, type MeanSd } from '../../../shared/outcome';
import {
  ACTIVATIONS,
  AUG_NAMES,
  BACKEND_CHOICES,
  DEFAULT_FEATURE_PRESET,
  FEATURE_PRESET_INFO,
  FEATURE_PRESETS,
  FIXED_BLOCK_ROWS,
  LIMITS,
  SPLIT_KINDS,
  MLP_DEFAULTS,
  NORMALIZE_CHOICES,
  TRAIN_DEFAULTS,
  inRange,
  isKFold,
  isSpeakerSplit,
  type Activation,
  type AugName,
  type BackendChoice,
  type FeaturePresetName,
  type LimitName,
  type Normalize,
  type Range,
  type SplitKind,
} from '../../../shared/params';
import type { ProtocolOutline } from '../../../shared/protocol';
import { describeProtocolIn, outcomeTextIn } from '../../../shared/i18n/describe';
import type { FoldCount } from '../../../shared/outcome';
import type { ExperimentStatus, ExperimentSummary, TrainRequest } from './experiment-types';
import { dec, lang, pct, t, type MessageKey } from './i18n';
import { seedsText } from '../../../shared/run-config';
import type { CoverageWarning } from '../../../shared/speaker-coverage';
import { groupProtocol } from './run-table';

export { ACTIVATIONS, isKFold, isSpeakerSplit };
export type { Activation, AugName, BackendChoice, SplitKind };

/** How the form presents each augmentation (the names themselves are the contract's): message keys. */
const AUG_TEXT: Record<AugName, { label: MessageKey; hint: MessageKey }> = {
  noise: { label: 'ui.form.augNoise', hint: 'ui.form.augNoiseHint' },
  pitch: { label: 'ui.form.augPitch', hint: 'ui.form.augPitchHint' },
  stretch: { label: 'ui.form.augStretch', hint: 'ui.form.augStretchHint' },
  shift: { label: 'ui.form.augShift', hint: 'ui.form.augShiftHint' },
  gain: { label: 'ui.form.augGain', hint: 'ui.form.augGainHint' },
};
export const AUGMENTATIONS = AUG_NAMES.map((name) => ({ name, ...AUG_TEXT[name] }));

/** An augmentation's name as the form shows it ("Pitch shift"). */
export function augmentationLabel(name: AugName): string {
  return t(AUG_TEXT[name].label);
}

/** "a whole number from 1 to 10000", "a number > 0 and ≤ 1", "a number ≥ 0 and < 1" in the window's language. */
export function limitText(r: Range): string {
  const kind = t(r.integer ? 'ui.range.whole' : 'ui.range.number');
  if (r.min !== undefined && r.max !== undefined) return t('ui.range.fromTo', { kind, min: r.min, max: r.max });
  const bounds = [
    r.min !== undefined ? `≥ ${r.min}` : r.above !== undefined ? `> ${r.above}` : '',
    r.max !== undefined ? `≤ ${r.max}` : r.below !== undefined ? `< ${r.below}` : '',
  ].filter(Boolean);
  return bounds.length ? t('ui.range.bounds', { kind, bounds: bounds.join(t('ui.range.and')) }) : kind;
}

/** A run's protocol in the window's language; a stored shape that cannot be read back keeps its own text. */
export function protocolText(run: { protocol: string; protocolOutline: ProtocolOutline | null }): string {
  return run.protocolOutline ? describeProtocolIn(lang(), run.protocolOutline) : run.protocol;
}

/** A seed group's protocol: its runs' words with their seeds ("…, seeds 42–44" instead of "…, seed 42"). */
export function groupProtocolText(run: { protocol: string; protocolOutline: ProtocolOutline | null }, seeds: readonly number[]): string {
  return run.protocolOutline ? describeProtocolIn(lang(), run.protocolOutline, seedsText(seeds)) : groupProtocol(run.protocol, seeds);
}

/** "3 seeds", "3 seeds (2 completed)" when some have not completed. */
export function seedCountText(group: { seeds: readonly number[]; scored: readonly unknown[] }): string {
  const base = t('ui.runs.seeds', { count: group.seeds.length });
  return group.scored.length === group.seeds.length ? base : t('ui.runs.seedsCompleted', { seeds: base, completed: group.scored.length });
}

/** A protocol outline in words (planned in the form, or recorded); '' when there is none. */
export function outlineText(outline: ProtocolOutline | null | undefined): string {
  return outline ? describeProtocolIn(lang(), outline) : '';
}

/** A run's outcome in words: "completed", "incomplete: 1 of 3 folds (cancelled)". */
export function outcomeText(status: ExperimentStatus, folds: FoldCount | null): string {
  return outcomeTextIn(lang(), status, folds);
}

/** A run's error as recorded: the engine's sentence, except the one the UI words itself (a cancel). */
export function runErrorText(error: string): string {
  return error === 'cancelled by the user' ? t('ui.runs.cancelledByUser') : error;
}

export interface RunForm {
  datasetId: number | null;
  split: SplitKind;
  valFraction: number;
  /** Share of clips held out first as a test part (hold-out splits; 0: none). */
  testFraction: number;
  /** k-fold: share of each fold's training clips carved out for early stopping, making the held-out fold a test (0: none). */
  foldValFraction: number;
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
  normalize: Normalize;
  /** The feature vector (params.ts FEATURE_PRESETS). */
  preset: FeaturePresetName;
}

/** The reference pipeline's settings, split honestly. */
export function defaultForm(datasetId: number | null = null): RunForm {
  const d = TRAIN_DEFAULTS;
  return {
    datasetId,
    split: d.split,
    valFraction: d.valFraction,
    testFraction: d.testFraction,
    foldValFraction: 0,
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
    normalize: d.normalize,
    preset: DEFAULT_FEATURE_PRESET,
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
  for (const key of ['seed', 'copies', 'epochs', 'patience', 'batchSize', 'learningRate', 'dropout', 'testFraction'] as const) num(key);
  const split = config.split as { kind?: unknown; valFraction?: unknown; k?: unknown } | undefined;
  if (split && (SPLIT_KINDS as readonly unknown[]).includes(split.kind)) {
    form.split = split.kind as SplitKind;
    if (typeof split.valFraction === 'number') {
      if (isKFold(form.split)) form.foldValFraction = split.valFraction;
      else form.valFraction = split.valFraction;
    }
    if (typeof split.k === 'number') form.k = split.k;
  }
  // In the config's order: copies cycle through the augmentations in that order.
  if (Array.isArray(config.augment)) form.augment = config.augment.filter((a): a is AugName => (AUG_NAMES as readonly unknown[]).includes(a));
  if (Array.isArray(config.hidden) && config.hidden.every((h) => typeof h === 'number')) form.hidden = config.hidden.join(', ');
  if ((ACTIVATIONS as readonly unknown[]).includes(config.activation)) form.activation = config.activation as Activation;
  if ((BACKEND_CHOICES as readonly unknown[]).includes(config.backend)) form.backend = config.backend as BackendChoice;
  if (typeof config.leaky === 'boolean') form.leaky = config.leaky;
  if ((NORMALIZE_CHOICES as readonly unknown[]).includes(config.normalize)) form.normalize = config.normalize as Normalize;
  const preset = (config.features as { preset?: unknown } | undefined)?.preset;
  if ((FEATURE_PRESETS as readonly unknown[]).includes(preset)) form.preset = preset as FeaturePresetName;
  return form;
}

/** Why a split cannot be chosen for a dataset, or '' when it can. */
export function splitUnavailable(split: SplitKind, dataset: { speakers: number } | null): string {
  if (!dataset || !isSpeakerSplit(split)) return '';
  if (dataset.speakers === 0) return t('ui.form.noSpeakerColumn');
  if (dataset.speakers < 2) return t('ui.form.needsTwoSpeakers');
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
export type RunField = 'dataset' | 'split' | 'valFraction' | 'testFraction' | 'foldValFraction' | 'k' | 'leaky' | 'normalize' | 'seed' | 'copies' | 'epochs' | 'patience' | 'batchSize' | 'learningRate' | 'dropout' | 'hidden';

/**
 * What is wrong with each field, in the sentence the form shows at the field and lists before Start (written from
 * the contract's ranges, so the form cannot disagree with the engine). A field left empty is wrong too.
 */
export function fieldErrors(form: RunForm, dataset: { speakers: number; unassigned?: number } | null): Partial<Record<RunField, string>> {
  const errors: Partial<Record<RunField, string>> = {};
  const check = (field: RunField, value: number, name: LimitName, what: MessageKey) => {
    if (!inRange(value, LIMITS[name])) errors[field] = t('ui.form.mustBe', { what: t(what), range: limitText(LIMITS[name]) });
  };
  if (form.datasetId === null) errors.dataset = t('ui.form.chooseDataset');
  const unavailable = splitUnavailable(form.split, dataset);
  if (unavailable) errors.split = t('ui.form.speakerImpossible', { reason: unavailable });
  if (!isKFold(form.split)) {
    check('valFraction', form.valFraction, 'valFraction', 'ui.form.whatValFraction');
    check('testFraction', form.testFraction, 'testFraction', 'ui.form.whatTestFraction');
    if (!errors.testFraction && form.leaky && form.testFraction > 0) errors.testFraction = t('ui.form.leakyNoTest');
  } else {
    check('k', form.k, 'k', 'ui.form.whatK');
    if (form.foldValFraction !== 0) check('foldValFraction', form.foldValFraction, 'valFraction', 'ui.form.whatFoldVal');
    if (!errors.k && form.split === 'speaker-kfold' && dataset && dataset.speakers >= 2 && form.k > dataset.speakers)
      errors.k = t('ui.form.kTooLarge', { speakers: dataset.speakers });
  }
  if (form.leaky && form.split !== 'stratified') errors.leaky = t('ui.form.leakyNeedsStratified');
  if (form.normalize === 'speaker' && dataset) {
    if (dataset.speakers === 0) errors.normalize = t('ui.form.normNoSpeakers');
    else if (dataset.unassigned) errors.normalize = t('ui.form.normUnassigned', { count: dataset.unassigned });
  }
  check('seed', form.seed, 'seed', 'ui.form.whatSeed');
  if (form.augment.length) check('copies', form.copies, 'copies', 'ui.form.whatCopies');
  check('epochs', form.epochs, 'epochs', 'ui.form.whatEpochs');
  check('patience', form.patience, 'patience', 'ui.form.whatPatience');
  check('batchSize', form.batchSize, 'batchSize', 'ui.form.whatBatch');
  check('learningRate', form.learningRate, 'learningRate', 'ui.form.whatLr');
  check('dropout', form.dropout, 'dropout', 'ui.form.whatDropout');
  if (!parseHidden(form.hidden))
    errors.hidden = t('ui.form.hiddenError', {
      min: LIMITS.hiddenLayers.min,
      max: LIMITS.hiddenLayers.max,
      range: limitText(LIMITS.hiddenUnits),
      example: MLP_DEFAULTS.hidden.join(', '),
    });
  return errors;
}

/** Checks the form against the contract's ranges, so the user reads a sentence instead of a zod path. */
export function buildTrainRequest(form: RunForm, dataset: { speakers: number; unassigned?: number } | null): FormResult {
  const errors = Object.values(fieldErrors(form, dataset));
  const hidden = parseHidden(form.hidden);
  if (errors.length || form.datasetId === null || !hidden) return { request: null, errors };

  const split: TrainRequest['split'] = isKFold(form.split)
    ? { kind: form.split, k: form.k, ...(form.foldValFraction > 0 ? { valFraction: form.foldValFraction } : {}) }
    : { kind: form.split, valFraction: form.valFraction };
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
      normalize: form.normalize,
      // a test part only for hold-out splits, and only when asked (requests without one stay what they were)
      ...(!isKFold(form.split) && form.testFraction > 0 ? { testFraction: form.testFraction } : {}),
      // reference-166 is the default: its requests stay exactly what they were before presets
      ...(form.preset !== DEFAULT_FEATURE_PRESET ? { features: { preset: form.preset } } : {}),
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
export function formOutline(form: Pick<RunForm, 'split' | 'valFraction' | 'k' | 'seed' | 'leaky'> & { testFraction?: number; foldValFraction?: number }): ProtocolOutline {
  if (form.leaky) return { kind: 'leaky', valFraction: form.valFraction, seed: form.seed };
  if (isKFold(form.split)) {
    const inner = form.foldValFraction && inRange(form.foldValFraction, LIMITS.valFraction) ? { valFraction: form.foldValFraction } : {};
    return { kind: form.split, k: form.k, seed: form.seed, ...inner };
  }
  const test = form.testFraction && inRange(form.testFraction, LIMITS.testFraction) ? { testFraction: form.testFraction } : {};
  return { kind: form.split, valFraction: form.valFraction, seed: form.seed, ...test };
}

const SPLIT_NAMES: Record<SplitKind, MessageKey> = {
  stratified: 'ui.form.nameStratified',
  speaker: 'ui.form.nameSpeaker',
  kfold: 'ui.form.nameKfold',
  'speaker-kfold': 'ui.form.nameSpeakerKfold',
};

/** The protocol in the engine's words; while a value it needs is not valid, says which instead of printing it ("-50/150"). */
export function describeForm(form: Pick<RunForm, 'split' | 'valFraction' | 'k' | 'seed' | 'leaky'> & { testFraction?: number; foldValFraction?: number }): string {
  const kfold = isKFold(form.split) && !form.leaky;
  const missing = [
    kfold ? (inRange(form.k, LIMITS.k) ? '' : t('ui.form.fixK')) : inRange(form.valFraction, LIMITS.valFraction) ? '' : t('ui.form.fixValFraction'),
    inRange(form.seed, LIMITS.seed) ? '' : t('ui.form.fixSeed'),
  ].filter(Boolean);
  if (!missing.length) return describeProtocolIn(lang(), formOutline(form));
  return t('ui.form.toFix', {
    name: t(form.leaky ? 'ui.form.nameLeaky' : SPLIT_NAMES[form.split]),
    missing: missing.length === 2 ? t('ui.common.and', { first: missing[0], second: missing[1] }) : missing[0],
  });
}

/** A 0..1 score as a percentage in the window's language: "66.3%", "66,3 %". */
export function formatPct(v: number | null | undefined, digits = 1): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '—' : pct(v, digits);
}

/** A score with `digits` decimals in the window's language: "0.650", "0,650". */
export function formatScore(v: number | null | undefined, digits = 3): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '—' : dec(v, digits);
}


/** "1 min 05 s", "12 s", "<1 s". */
export function formatEta(sec: number): string {
  if (!Number.isFinite(sec) || sec < 0) return '—';
  if (sec < 1) return t('ui.unit.lessThanSecond');
  if (sec < 60) return t('common.unit.seconds', { value: Math.round(sec) });
  const m = Math.floor(sec / 60);
  const s = Math.round(sec - m * 60);
  return m < 60
    ? t('common.unit.minutesSeconds', { minutes: m, seconds: String(s).padStart(2, '0') })
    : t('common.unit.hoursMinutes', { hours: Math.floor(m / 60), minutes: String(m % 60).padStart(2, '0') });
}

/** "60.0 ± 10.0%" (asPct) or "0.500 ± 0.100"; the mean alone when there is no sd (a single fold). */
export function formatMeanSd(m: MeanSd | null | undefined, asPct = true): string {
  if (!m) return '—';
  const text = formatMeanSdWith(m, asPct ? (v) => dec(v * 100, 1) : (v) => dec(v, 3));
  return asPct ? t('ui.unit.percent', { value: text }) : text;
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
    macro: { label: t('report.classification.macro'), precision: avg('precision', false), recall: avg('recall', false), f1: avg('f1', false), support },
    weighted: { label: t('report.classification.weighted'), precision: avg('precision', true), recall: avg('recall', true), f1: avg('f1', true), support },
  };
}

/** Config values as short display strings, in a stable order (unknown keys last). */
export function configEntries(config: Record<string, unknown>): [string, string][] {
  const order = ['dataset', 'split', 'seed', 'augment', 'copies', 'copyPolicy', 'leaky', 'normalize', 'epochs', 'patience', 'batchSize', 'learningRate', 'hidden', 'activation', 'dropout', 'backend', 'features', 'workers'];
  const show = (v: unknown): string => {
    if (Array.isArray(v)) return v.length ? v.map(show).join(', ') : t('ui.common.none');
    if (v && typeof v === 'object')
      return Object.entries(v as Record<string, unknown>)
        .map(([k, x]) => `${k} ${show(x)}`)
        .join(' · ');
    return String(v);
  };
  const rank = (k: string) => (order.includes(k) ? order.indexOf(k) : order.length);
  return Object.entries(config)
    .sort((a, b) => rank(a[0]) - rank(b[0]) || a[0].localeCompare(b[0]))
    .map(([k, v]) => [k, k === 'normalize' ? `${show(v)} (${normalizationText(v)})` : k === 'features' ? `${presetText(v)} · ${show(v)}` : show(v)]);
}

/**
 * A run's feature vector in words, its preset and dimension: "extended, 370 values" (a reference-166 configuration
 * counts its blocks' rows: 173 with 20 MFCCs; runs from before presets are reference-166).
 */
export function presetText(features: unknown): string {
  const f = (features ?? {}) as { preset?: unknown; blocks?: unknown; nMfcc?: unknown };
  const preset = (FEATURE_PRESETS as readonly unknown[]).includes(f.preset) ? (f.preset as FeaturePresetName) : DEFAULT_FEATURE_PRESET;
  let count = FEATURE_PRESET_INFO[preset].dimension;
  if (preset === DEFAULT_FEATURE_PRESET && Array.isArray(f.blocks)) {
    const nMfcc = typeof f.nMfcc === 'number' ? f.nMfcc : 13;
    count = f.blocks.reduce((n: number, b) => n + (b === 'mfcc' ? nMfcc : (FIXED_BLOCK_ROWS[b as keyof typeof FIXED_BLOCK_ROWS] ?? 0)), 0);
  }
  return t('ui.exp.presetText', { name: preset, count });
}

/** How a run scaled its features, in words: "per-speaker + global standardisation" (runs before the setting: global). */
export function normalizationText(normalize: unknown): string {
  return t(normalize === 'speaker' ? 'ui.exp.normalizeSpeaker' : 'ui.exp.normalizeGlobal');
}

/** The form's warning when the chosen dataset's speakers do not span the classes (shared/speaker-coverage.ts decides). */
export function coverageWarningLine(w: CoverageWarning): string {
  const speakers = w.low
    .slice(0, 10)
    .map((s) => `${s.speaker} (${s.covered}/${w.classes})`)
    .join(t('ui.common.listSep'));
  return t('ui.form.coverageWarning', { mean: pct(w.mean, 0), classes: w.classes, speakers: w.low.length > 10 ? `${speakers} (+${w.low.length - 10})` : speakers });
}
