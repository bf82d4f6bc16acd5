/**
 * A run's result from its folds' outcomes: a hold-out run is its one fold; a cross-validation aggregates
 * its completed folds only (mean ± sd, and all their validation predictions pooled), says how many of the
 * k folds that is, and is recorded on its parent row.
 */
import type { FoldsSummary, Timings, TrainResult } from '../../shared/experiment';
import type { ExperimentStatus } from '../../shared/outcome';
import type { ExperimentStore } from '../store/experiments';
import { aggregateFolds, classificationReport, type ClassificationReport } from '../train/metrics';
import type { FoldOutcome } from './fold';

export interface RunFacts {
  backend: string;
  protocol: string;
  leaky: boolean;
  timings: Timings;
}

/** The run's status: completed only when every fold completed; otherwise how its last fold ended. */
export function runStatus(outcomes: readonly FoldOutcome[], folds: number): Exclude<ExperimentStatus, 'running'> {
  const done = outcomes.filter((o) => o.status === 'completed').length;
  return done === folds ? 'completed' : (outcomes[outcomes.length - 1]?.status ?? 'cancelled');
}

export function holdoutResult(o: FoldOutcome, facts: RunFacts): Omit<TrainResult, 'skipped'> {
  const r = o.report;
  return {
    experimentId: o.experimentId,
    status: o.status,
    backend: facts.backend,
    protocol: facts.protocol,
    leaky: facts.leaky,
    accuracy: r?.accuracy ?? null,
    macroF1: r?.macro.f1 ?? null,
    weightedF1: r?.weighted.f1 ?? null,
    scoreSet: o.scoreSet,
    validation: o.validation,
    perClass: r ? perClassOf(r) : {},
    confusion: { labels: r?.labels ?? [], matrix: r?.confusion ?? [] },
    history: o.history,
    epochs: o.history.loss.length,
    bestEpoch: o.bestEpoch,
    weights: o.weights,
    summary: o.summary,
    split: o.split,
    timings: facts.timings,
  };
}

/** Aggregates and records a cross-validation on its parent row; its result names the parent. */
export function finishCrossValidation(
  store: ExperimentStore,
  parentId: number,
  outcomes: readonly FoldOutcome[],
  k: number,
  labels: string[],
  facts: RunFacts,
): Omit<TrainResult, 'skipped'> {
  const completed = outcomes.filter((o): o is FoldOutcome & { report: ClassificationReport } => o.status === 'completed' && o.report !== undefined);
  const status = runStatus(outcomes, k);
  // held-out folds are test parts when each fold's early stopping used a validation part of its own training clips
  const scoreSet = completed.length && completed.every((o) => o.scoreSet === 'test') ? 'test' : 'validation';
  const pooled = completed.length ? poolReports(completed.map((o) => o.report), labels) : null;
  const agg = completed.length ? aggregateFolds(completed.map((o) => o.report)) : null;
  const folds: FoldsSummary | null =
    agg && pooled ? { k, completed: completed.length, experimentIds: outcomes.map((o) => o.experimentId), ...agg, pooledAccuracy: pooled.accuracy } : null;
  const epochs = outcomes.reduce((a, o) => a + o.history.loss.length, 0);
  const clips = (side: 'trainClips' | 'valClips' | 'trainRows' | 'valRows' | 'testClips' | 'testRows') => completed.reduce((a, o) => a + (o.split[side] ?? 0), 0);
  // Summed over the completed folds: each clip is validated (or, with a validation part per fold, tested) once over a full cross-validation.
  const tested = completed.some((o) => o.split.testClips !== undefined);
  const split = {
    trainClips: clips('trainClips'),
    valClips: clips('valClips'),
    trainRows: clips('trainRows'),
    valRows: clips('valRows'),
    ...(tested ? { testClips: clips('testClips'), testRows: clips('testRows') } : {}),
  };
  store.finish(
    parentId,
    {
      status,
      accuracy: agg?.accuracy.mean ?? null,
      macroF1: agg?.macroF1.mean ?? null,
      weightedF1: agg?.weightedF1.mean ?? null,
      scoreSet,
      summary: folds,
      timings: facts.timings,
      split,
      error: status === 'cancelled' ? 'cancelled by the user' : null,
    },
    pooled ? { perClass: labels.map((l) => ({ label: l, ...pooled.perClass[l] })), confusion: { labels, matrix: pooled.confusion } } : undefined,
  );
  return {
    experimentId: parentId,
    status,
    backend: facts.backend,
    protocol: facts.protocol,
    leaky: false,
    accuracy: agg?.accuracy.mean ?? null,
    macroF1: agg?.macroF1.mean ?? null,
    weightedF1: agg?.weightedF1.mean ?? null,
    scoreSet,
    validation: null,
    perClass: pooled ? perClassOf(pooled) : {},
    confusion: { labels, matrix: pooled?.confusion ?? [] },
    history: { loss: [], valLoss: [], acc: [], valAcc: [] },
    epochs,
    bestEpoch: 0,
    weights: null,
    summary: null,
    split,
    ...(folds ? { folds } : {}),
    timings: facts.timings,
  };
}

function perClassOf(r: ClassificationReport): TrainResult['perClass'] {
  return Object.fromEntries(r.labels.map((l) => [l, { ...r.perClass[l] }]));
}

/** The classification report of the given folds' validation predictions together. */
function poolReports(reports: readonly ClassificationReport[], labels: string[]): ClassificationReport {
  const yTrue: number[] = [];
  const yPred: number[] = [];
  for (const r of reports) r.confusion.forEach((row, t) => row.forEach((n, p) => { for (let i = 0; i < n; i++) { yTrue.push(t); yPred.push(p); } }));
  return classificationReport(yTrue, yPred, labels);
}
