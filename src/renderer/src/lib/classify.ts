// Pure helpers of the classify pages: a live run as a fold over its progress events, its progress line, and
// which recorded experiments can classify (a completed run, or a completed fold of a cross-validation).
import type { ClassifyEnd, ClassifyProgress, ErrorInfo } from './classify-types';
import type { ExperimentSummary } from './experiment-types';
import { formatEta } from './experiments';
import { formatInt } from './format';

export type ClassifyPhase = 'starting' | 'reading' | 'features' | 'inference' | 'finished';

export interface ClassifyState {
  phase: ClassifyPhase;
  /** Known once the engine has recorded the run (its first event). */
  runId: number | null;
  reading: { done: number; total: number } | null;
  features: { done: number; total: number; cached: number; clipsPerSec: number; etaSec: number | null } | null;
  inference: { done: number; total: number } | null;
  message: string;
  end: ClassifyEnd | null;
  error: ErrorInfo | null;
  cancelling: boolean;
}

export function initialClassifyState(): ClassifyState {
  return { phase: 'starting', runId: null, reading: null, features: null, inference: null, message: '', end: null, error: null, cancelling: false };
}

/** The next state; never mutates `state`. */
export function reduceClassify(state: ClassifyState, p: ClassifyProgress): ClassifyState {
  if (state.phase === 'finished') return state;
  switch (p.phase) {
    case 'started':
      return { ...state, runId: p.runId };
    case 'status':
      return { ...state, message: p.message };
    case 'reading':
      return { ...state, phase: 'reading', reading: { done: p.done, total: p.total } };
    case 'features':
      return { ...state, phase: 'features', features: { done: p.done, total: p.total, cached: p.cached, clipsPerSec: p.clipsPerSec, etaSec: p.etaSec } };
    case 'inference':
      return { ...state, phase: 'inference', inference: { done: p.done, total: p.total } };
  }
}

export function finishClassify(state: ClassifyState, end: { result?: ClassifyEnd; error?: ErrorInfo }): ClassifyState {
  return { ...state, phase: 'finished', runId: end.result?.runId ?? state.runId, end: end.result ?? null, error: end.error ?? null, cancelling: false };
}

const share = (x: { done: number; total: number } | null) => (x && x.total ? x.done / x.total : 0);

/** Reading and hashing is quick, feature extraction is the run, inference a short tail. */
export function classifyFraction(s: ClassifyState): number | null {
  switch (s.phase) {
    case 'starting':
      return null;
    case 'reading':
      return 0.1 * share(s.reading);
    case 'features':
      return 0.1 + 0.85 * share(s.features);
    case 'inference':
      return 0.95 + 0.05 * share(s.inference);
    case 'finished':
      return 1;
  }
}

export function classifyProgressText(s: ClassifyState): string {
  switch (s.phase) {
    case 'starting':
      return s.message || 'Starting the classification process…';
    case 'reading':
      return `Reading and hashing files: ${formatInt(s.reading!.done)} / ${formatInt(s.reading!.total)}`;
    case 'features': {
      const f = s.features!;
      const rate = f.clipsPerSec > 0 ? ` · ${f.clipsPerSec.toFixed(1)} clips/s` : '';
      const eta = f.etaSec !== null ? ` · ETA ${formatEta(f.etaSec)}` : '';
      return `Extracting features: ${formatInt(f.done)} / ${formatInt(f.total)}${f.cached ? ` (${formatInt(f.cached)} cached)` : ''}${rate}${eta}`;
    }
    case 'inference':
      return `Classifying: ${formatInt(s.inference!.done)} / ${formatInt(s.inference!.total)}`;
    case 'finished':
      return s.error ? `Stopped: ${s.error.message}` : s.end?.status === 'cancelled' ? 'Cancelled' : 'Finished';
  }
}

/** A model the form offers: a completed run, or a cross-validation with the completed folds to choose from. */
export interface ModelChoice {
  id: number;
  label: string;
  leaky: boolean;
  /** 0-based folds with a model (empty for a hold-out run). */
  folds: { fold: number; experimentId: number; label: string }[];
}

const pct = (v: number | null) => (v === null ? '' : ` · ${(v * 100).toFixed(1)}%`);

export function modelChoices(experiments: readonly ExperimentSummary[]): ModelChoice[] {
  const choices: ModelChoice[] = [];
  for (const e of experiments) {
    if (e.parentId !== null) continue;
    const folds = experiments
      .filter((c) => c.parentId === e.id && c.status === 'completed' && c.fold !== null)
      .sort((a, b) => (a.fold ?? 0) - (b.fold ?? 0))
      .map((c) => ({ fold: c.fold!, experimentId: c.id, label: `fold ${c.fold! + 1}${pct(c.accuracy)}` }));
    const isParent = e.folds !== null || folds.length > 0;
    if (isParent ? !folds.length : e.status !== 'completed') continue;
    choices.push({ id: e.id, label: `#${e.id} · ${e.dataset} · ${e.protocol}${isParent ? '' : pct(e.accuracy)}`, leaky: e.leaky, folds });
  }
  return choices;
}

/** The corpus relation in a few words, for the list. */
export const CORPUS_TEXT: Record<string, string> = {
  'cross-corpus': 'cross-corpus',
  'same-corpus': 'same corpus',
  'partly-same-corpus': 'partly same corpus',
  unknown: 'unknown',
};
