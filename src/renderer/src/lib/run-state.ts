// What a live training run looks like from the page: a pure fold over its progress events.
import type { ErrorInfo, TrainProgress, TrainResult } from './experiment-types';
import type { PlannedRun, RunProgress } from '../../../shared/experiment';
import type { RunStage } from '../../../shared/outcome';
import { t } from './i18n';

export interface Curves {
  epochs: number[];
  loss: number[];
  valLoss: number[];
  acc: number[];
  valAcc: number[];
}

export type RunPhase = 'starting' | 'features' | 'training' | 'finished';

export interface RunState {
  phase: RunPhase;
  /** The recorded run (a cross-validation's parent), known from the engine's 'started' event. */
  experimentId: number | null;
  /** What the engine planned: clips and augmented copies to extract, each fold's split and held-out speakers. */
  plan: PlannedRun | null;
  features: { done: number; total: number; cached: number } | null;
  /** The latest status line from the engine ("extracting features for 98 clips"); '' until it sends one. */
  message: string;
  /** 0-based fold of the epoch being shown (null for a hold-out run). */
  fold: number | null;
  epoch: number;
  maxEpochs: number;
  etaSec: number;
  msPerEpoch: number;
  experimentIds: number[];
  /** Curves of each fold so far, keyed by fold (-1 for a hold-out run). */
  curves: Record<number, Curves>;
  result: TrainResult | null;
  error: ErrorInfo | null;
  cancelling: boolean;
}

export function initialRunState(): RunState {
  return {
    phase: 'starting',
    experimentId: null,
    plan: null,
    features: null,
    message: '',
    fold: null,
    epoch: 0,
    maxEpochs: 0,
    etaSec: Number.NaN,
    msPerEpoch: Number.NaN,
    experimentIds: [],
    curves: {},
    result: null,
    error: null,
    cancelling: false,
  };
}

export const emptyCurves = (): Curves => ({ epochs: [], loss: [], valLoss: [], acc: [], valAcc: [] });

/** Returns the next state; never mutates `state` (so it can be tested and snapshotted). */
export function reduceProgress(state: RunState, p: TrainProgress): RunState {
  if (state.phase === 'finished') return state;
  switch (p.phase) {
    case 'started':
      return { ...state, experimentId: p.experimentId, plan: p.plan, message: '' };
    case 'status':
      return { ...state, message: p.message };
    case 'features':
      return { ...state, phase: 'features', features: { done: p.done, total: p.total, cached: p.cached } };
    case 'epoch': {
      const key = p.fold ?? -1;
      const prev = state.curves[key] ?? emptyCurves();
      // An epoch can only be reported once; a repeat (replayed event) must not draw a second point.
      if (prev.epochs.includes(p.epoch)) return state;
      const next: Curves = {
        epochs: [...prev.epochs, p.epoch],
        loss: [...prev.loss, p.loss],
        valLoss: [...prev.valLoss, p.valLoss],
        acc: [...prev.acc, p.acc],
        valAcc: [...prev.valAcc, p.valAcc],
      };
      return {
        ...state,
        phase: 'training',
        message: '',
        fold: p.fold,
        epoch: p.epoch,
        maxEpochs: p.maxEpochs,
        etaSec: p.etaSec,
        msPerEpoch: p.ms,
        experimentIds: state.experimentIds.includes(p.experimentId) ? state.experimentIds : [...state.experimentIds, p.experimentId],
        curves: { ...state.curves, [key]: next },
      };
    }
  }
}

/** A stored epoch, as experiments:get lists it. */
export interface StoredEpoch {
  epoch: number;
  loss: number;
  acc: number;
  valLoss: number | null;
  valAcc: number | null;
}

/**
 * Fills a fold's curves (-1: a hold-out run) with the epochs the database holds, for a window that joins a run
 * after it started: epochs already drawn from events stay, the others are added, in epoch order.
 */
export function refillCurves(state: RunState, key: number, stored: readonly StoredEpoch[]): RunState {
  const prev = state.curves[key] ?? emptyCurves();
  const have = new Set(prev.epochs);
  const missing = stored.filter((e) => !have.has(e.epoch));
  if (!missing.length) return state;
  const points = [
    ...prev.epochs.map((epoch, i) => ({ epoch, loss: prev.loss[i], valLoss: prev.valLoss[i], acc: prev.acc[i], valAcc: prev.valAcc[i] })),
    ...missing.map((e) => ({ epoch: e.epoch, loss: e.loss, valLoss: e.valLoss ?? Number.NaN, acc: e.acc, valAcc: e.valAcc ?? Number.NaN })),
  ].sort((a, b) => a.epoch - b.epoch);
  const curves: Curves = {
    epochs: points.map((p) => p.epoch),
    loss: points.map((p) => p.loss),
    valLoss: points.map((p) => p.valLoss),
    acc: points.map((p) => p.acc),
    valAcc: points.map((p) => p.valAcc),
  };
  const last = points[points.length - 1].epoch;
  const fold = key === -1 ? null : key;
  // Stored epochs ahead of what the events said (the window joined late): the counter catches up.
  const catchUp = state.phase === 'starting' || state.phase === 'features' || (state.phase === 'training' && state.fold === fold && last > state.epoch);
  return { ...state, curves: { ...state.curves, [key]: curves }, ...(catchUp ? { phase: 'training' as const, fold, epoch: last } : {}) };
}

const PHASE_RANK: Record<RunPhase, number> = { starting: 0, features: 1, training: 2, finished: 3 };

/**
 * A window joining a run after it started (reloaded, another window, the experiment page): where the run is, as
 * its row records it. Events that already arrived are at least as new as the row, so they win.
 */
export function joinRun(state: RunState, row: { id: number; stage: RunStage | null; progress: RunProgress | null }): RunState {
  const known = { ...state, experimentId: state.experimentId ?? row.id, plan: state.plan ?? row.progress?.plan ?? null };
  const p = row.progress;
  if (!p || state.phase === 'finished') return known;
  const phase: RunPhase = row.stage === 'training' || row.stage === 'finishing' ? 'training' : row.stage === 'features' ? 'features' : 'starting';
  if (PHASE_RANK[phase] < PHASE_RANK[state.phase]) return known;
  if (phase === state.phase && phase === 'training' && (state.fold ?? -1) > (p.fold ?? -1)) return known;
  return {
    ...known,
    phase,
    message: phase === 'starting' ? state.message : '',
    features: state.features && p.features && state.features.done > p.features.done ? state.features : (p.features ?? state.features),
    fold: p.fold,
    epoch: state.fold === p.fold ? Math.max(state.epoch, p.epoch) : p.epoch,
    maxEpochs: p.maxEpochs,
  };
}

/** What the features counter counts: "98 clips + 156 augmented copies". */
export function featuresText(plan: PlannedRun | null): string {
  if (!plan) return '';
  const clips = t('common.clips', { count: plan.clips });
  return plan.copies ? t('ui.live.plan', { clips, copies: t('ui.exp.augCopies', { count: plan.copies }) }) : t('ui.live.planNoCopies', { clips });
}

/** A run's state line before its first count: the engine's latest status, else what it is doing. */
export function statusLine(state: RunState): string {
  if (state.message) return engineStatus(state.message);
  return state.experimentId === null ? t('ui.live.startingProcess') : t('ui.live.recordedNext');
}

/**
 * The engine's status sentence (English) in the window's language where the window knows its words: "extracting
 * features for 98 clips and 156 augmented copies"; any other stays as the engine wrote it.
 */
export function engineStatus(message: string): string {
  const m = /^extracting features for (\d+) clips(?: and (\d+) augmented copies)?$/.exec(message);
  if (!m) return message;
  const copies = m[2] ? t('ui.live.statusCopies', { count: Number(m[2]) }) : '';
  return t('ui.live.statusExtracting', { count: Number(m[1]), copies });
}

/** The held-out part of fold `fold` (0 for a hold-out run) as planned: "speakers 03, 14 held out · 118 validation clips". */
export function heldOutText(plan: PlannedRun | null, fold: number | null): string {
  const split = plan?.splits[fold ?? 0];
  if (!split) return '';
  const clips = t('ui.live.heldOut', { val: t('ui.exp.valClips', { count: split.valClips }), train: t('ui.exp.trainClips', { count: split.trainClips }) });
  if (!split.heldOutSpeakers) return clips;
  return t('ui.live.heldOutSpeakers', { count: split.heldOutSpeakers.length, speakers: split.heldOutSpeakers.join(', '), clips });
}

export function finishRun(state: RunState, end: { result?: TrainResult; error?: ErrorInfo }): RunState {
  return {
    ...state,
    phase: 'finished',
    result: end.result ?? null,
    error: end.error ?? (end.result ? null : { code: 'no_result', message: t('ui.live.noResult') }),
    etaSec: 0,
  };
}

/** The outcome in one word, for the status badge. */
export function runStatus(state: RunState): 'running' | 'completed' | 'cancelled' | 'failed' | 'interrupted' {
  if (state.phase !== 'finished') return 'running';
  if (state.error) return state.error.code === 'job_crashed' ? 'interrupted' : 'failed';
  return state.result?.status ?? 'failed';
}

/** Fraction of the whole run done, for the progress bar: features first, then epochs (of each fold). */
export function runFraction(state: RunState, folds: number): number | null {
  if (state.phase === 'starting') return null;
  if (state.phase === 'finished' && state.result?.status === 'completed') return 1;
  if (state.phase === 'finished' && !state.epoch) return 0;
  if (state.phase === 'features') return state.features && state.features.total ? state.features.done / state.features.total : null;
  const foldIndex = state.fold ?? 0;
  return Math.min(1, (foldIndex + state.epoch / Math.max(1, state.maxEpochs)) / Math.max(1, folds));
}
