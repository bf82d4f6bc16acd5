// What a live training run looks like from the page: a pure fold over its progress events.
import type { ErrorInfo, TrainProgress, TrainResult } from './experiment-types';

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
  features: { done: number; total: number; cached: number } | null;
  /** The latest status line from the engine ("extracting features for 98 clips"). */
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
    features: null,
    message: 'starting the training process',
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

export function finishRun(state: RunState, end: { result?: TrainResult; error?: ErrorInfo }): RunState {
  return {
    ...state,
    phase: 'finished',
    result: end.result ?? null,
    error: end.error ?? (end.result ? null : { code: 'no_result', message: 'The run ended without a result.' }),
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
