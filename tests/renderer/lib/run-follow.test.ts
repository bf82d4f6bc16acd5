// A window follows a run it did not start (reloaded, another window): it joins from the run's row and stored
// epochs, then the events; the lists and the sidebar show stages and jobs in words.
import { describe, expect, it } from 'vitest';
import {
  featuresText,
  heldOutText,
  initialRunState,
  joinRun,
  reduceProgress,
  refillCurves,
  type RunState,
} from '../../../src/renderer/src/lib/run-state';
import { stageNote } from '../../../src/renderer/src/lib/run-stage';
import { isRunEvent, jobHref, jobStageText } from '../../../src/renderer/src/lib/jobs';
import type { PlannedRun, RunProgress, TrainProgress } from '../../../src/shared/experiment';
import type { JobInfo } from '../../../src/shared/jobs';
import { endedText, type RunStage } from '../../../src/shared/outcome';

const plan: PlannedRun = { clips: 535, copies: 2085, folds: 1, splits: [{ trainClips: 417, valClips: 118, heldOutSpeakers: ['03', '14'] }] };
const stored = (n: number) => Array.from({ length: n }, (_, i) => ({ epoch: i + 1, loss: 2 / (i + 1), acc: (i + 1) / 10, valLoss: 3 / (i + 1), valAcc: null, ms: 5 }));
const epoch = (n: number, fold: number | null = null): TrainProgress => ({
  phase: 'epoch',
  experimentId: 9,
  fold,
  epoch: n,
  maxEpochs: 100,
  loss: 1,
  acc: 0.5,
  valLoss: 1,
  valAcc: 0.5,
  ms: 10,
  etaSec: 1,
});
const progress = (p: Partial<RunProgress>): RunProgress => ({ plan, features: null, fold: null, epoch: 0, maxEpochs: 100, ...p });

describe('following a run from its record', () => {
  it('learns the recorded run and its plan from the started event', () => {
    const s = reduceProgress(initialRunState(), { phase: 'started', experimentId: 9, plan });
    expect(s).toMatchObject({ phase: 'starting', experimentId: 9, plan });
    expect(featuresText(s.plan)).toBe('535 clips + 2,085 augmented copies');
    expect(heldOutText(s.plan, null)).toBe('speakers 03, 14 held out · 118 validation clips, 417 training clips');
    expect(featuresText({ ...plan, copies: 0 })).toBe('535 clips, no augmented copies');
    expect(heldOutText({ ...plan, splits: [{ trainClips: 78, valClips: 20, heldOutSpeakers: null }] }, null)).toBe('20 validation clips, 78 training clips');
    expect(heldOutText(null, null)).toBe('');
  });

  it('joins a run in training from its row, then refills the curve from the stored epochs and keeps growing', () => {
    let s: RunState = joinRun(initialRunState(), { id: 9, stage: 'training', progress: progress({ epoch: 12, features: { done: 2620, total: 2620, cached: 0 } }) });
    expect(s).toMatchObject({ phase: 'training', experimentId: 9, epoch: 12, maxEpochs: 100, fold: null, features: { done: 2620 } });
    // An epoch event that arrived before the stored epochs were read stays; the stored ones fill in around it.
    s = reduceProgress(s, epoch(13));
    s = refillCurves(s, -1, stored(12));
    expect(s.curves[-1].epochs).toEqual(Array.from({ length: 13 }, (_, i) => i + 1));
    expect(s.curves[-1].valAcc[0]).toBeNaN();
    s = reduceProgress(s, epoch(14));
    expect(s.curves[-1].epochs.at(-1)).toBe(14);
    expect(s.epoch).toBe(14);
    // Refilling again adds nothing twice.
    expect(refillCurves(s, -1, stored(14))).toBe(s);
  });

  it('lets events newer than the row win, and a joined run without progress keep its id only', () => {
    let s = reduceProgress(reduceProgress(initialRunState(), { phase: 'started', experimentId: 9, plan }), epoch(30));
    const joined = joinRun(s, { id: 9, stage: 'features', progress: progress({ features: { done: 10, total: 2620, cached: 0 } }) });
    expect(joined).toMatchObject({ phase: 'training', epoch: 30 });
    s = joinRun(initialRunState(), { id: 4, stage: null, progress: null });
    expect(s).toMatchObject({ phase: 'starting', experimentId: 4, plan: null });
    // A joined cross-validation in its second fold refills that fold's curve under its own key.
    const cv = joinRun(initialRunState(), { id: 9, stage: 'training', progress: progress({ plan: { ...plan, folds: 5 }, fold: 1, epoch: 3 }) });
    const refilled = refillCurves(cv, 1, stored(4));
    expect(refilled).toMatchObject({ fold: 1, epoch: 4 });
    expect(refilled.curves[1].epochs).toEqual([1, 2, 3, 4]);
    // An earlier fold's epochs fill its own curve without moving the counter.
    expect(refillCurves(refilled, 0, stored(20))).toMatchObject({ fold: 1, epoch: 4 });
  });
});

describe('stages and jobs in words', () => {
  const row = (status: 'running' | 'cancelled' | 'completed', stage: RunStage | null, p: RunProgress | null) => ({ status, stage, progress: p });

  it('says where a listed run is, or where it stopped', () => {
    expect(stageNote(row('running', 'queued', progress({})))).toBe('starting');
    expect(stageNote(row('running', 'features', progress({ features: { done: 412, total: 2620, cached: 98 } })))).toBe('features 412 / 2,620');
    expect(stageNote(row('running', 'training', progress({ epoch: 12 })))).toBe('epoch 12 / 100');
    expect(stageNote(row('running', 'training', progress({ plan: { ...plan, folds: 5 }, fold: 1, epoch: 12 })))).toBe('fold 2 / 5 · epoch 12 / 100');
    expect(stageNote(row('running', 'finishing', progress({ epoch: 40 })))).toBe('saving the model');
    expect(stageNote(row('cancelled', 'features', null))).toBe('while extracting features');
    expect(stageNote(row('cancelled', 'training', null))).toBe('');
    expect(stageNote(row('completed', 'finishing', null))).toBe('');
    expect(stageNote(row('running', null, null))).toBe('');
    expect(endedText('cancelled', 'features')).toBe('cancelled while extracting features');
    expect(endedText('cancelled', 'training')).toBe('cancelled');
  });

  it('links a job to its run and refreshes lists on run events only', () => {
    const job: JobInfo = { requestId: 'train-1', kind: 'train', experimentId: null, classifyRunId: null, queueId: null, title: 'emodb', stage: 'starting', startedAt: '', ended: null };
    expect(jobHref(job)).toBe('#/experiments/live/train-1');
    expect(jobHref({ ...job, experimentId: 7, stage: 'features' })).toBe('#/experiments/7');
    expect(jobStageText({ ...job, stage: 'features' })).toBe('extracting features');
    expect(jobHref({ ...job, kind: 'classify', classifyRunId: 3 })).toBe('#/classify/3');
    expect(jobHref({ ...job, kind: 'classify' })).toBe('#/classify');
    expect(isRunEvent({ kind: 'jobs', jobs: [job] })).toBe(true);
    expect(isRunEvent({ kind: 'import', requestId: 'i', phase: 'done', done: 3, total: 3 })).toBe(true);
    expect(isRunEvent({ kind: 'import', requestId: 'i', phase: 'probe', done: 1, total: 3 })).toBe(false);
    expect(isRunEvent({ kind: 'train', requestId: 'r', progress: epoch(1) })).toBe(false);
  });
});
