// A run is recorded from the moment it is planned: its row carries the stage it is in and its progress, so every
// window lists it (with its held-out speakers and planned features) before its first epoch, and a run cancelled
// while extracting features is recorded cancelled at that stage.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { experimentDetail, listExperiments } from '../../../src/core/experiments/queries';
import { runExperiment } from '../../../src/core/experiments/run';
import { ExperimentStore } from '../../../src/core/store/experiments';
import type { Workspace } from '../../../src/core/workspace/workspace';
import type { TrainProgress } from '../../../src/shared/experiment';
import { endedText } from '../../../src/shared/outcome';
import { demoWorkspace } from '../../helpers/demo-workspace';

let ws: Workspace;
beforeAll(async () => {
  ws = await demoWorkspace('stage-ws');
});
afterAll(() => ws.close());

const base = { dataset: 'demo', augment: ['gain'] as 'gain'[], copies: 1, epochs: 3, patience: 0, backend: 'cpu' as const, seed: 11 };

/** The listed row of `id` as a window reads it at this moment. */
const listed = (id: number) => listExperiments(ws.db).find((e) => e.id === id)!;

describe('a run recorded from the start', () => {
  it('exists before its features, with its stage, plan and progress, and keeps them up to date', async () => {
    const seen: { phase: string; stage: string | null; status: string; features: unknown; epoch: number | undefined }[] = [];
    let id = 0;
    const r = await runExperiment(
      ws,
      { ...base, split: { kind: 'speaker', valFraction: 0.25 } },
      {
        onProgress: (p: TrainProgress) => {
          if (p.phase === 'started') id = p.experimentId;
          if (!id) return;
          const row = listed(id);
          seen.push({ phase: p.phase, stage: row.stage, status: row.status, features: row.progress?.features ?? null, epoch: row.progress?.epoch });
        },
      },
    );
    expect(r.experimentId).toBe(id);
    expect(r.status).toBe('completed');
    // Listed at once, running, before a single feature was extracted.
    expect(seen[0]).toMatchObject({ phase: 'started', stage: 'queued', status: 'running', features: null, epoch: 0 });
    const stages = [...new Set(seen.map((s) => s.stage))];
    expect(stages).toEqual(['queued', 'features', 'training']);
    // The features' last count is written (the counter is throttled, its end is not).
    const lastFeatures = seen.filter((s) => s.phase === 'features').at(-1)!;
    expect(lastFeatures.features).toMatchObject({ done: expect.any(Number), total: expect.any(Number) });
    const row = listed(id);
    expect(row).toMatchObject({ status: 'completed', stage: 'finishing' });
    // The plan: 98 clips, one gain copy per training clip, the held-out speakers named before training.
    const plan = row.progress!.plan;
    expect(plan.folds).toBe(1);
    expect(plan.clips).toBe(98);
    expect(plan.copies).toBe(plan.splits[0].trainClips);
    expect(plan.splits[0].trainClips + plan.splits[0].valClips).toBe(98);
    expect(plan.splits[0].heldOutSpeakers!.length).toBeGreaterThan(0);
    expect(row.progress!.features).toEqual({ done: 98 + plan.copies, total: 98 + plan.copies, cached: expect.any(Number) });
    expect(row.progress!.epoch).toBe(3);
    // The row was recorded with its drawn split: the protocol names the speakers from the start.
    expect(row.protocol).toContain(`speakers ${plan.splits[0].heldOutSpeakers!.join(', ')} held out`);
    const detail = experimentDetail(ws.db, id)!;
    expect(detail.versions).toMatchObject({ backend: 'cpu', tfjs: expect.any(String) });
    expect(detail.backend).toBe('cpu');
  });

  it('records a run cancelled while extracting features as cancelled, at that stage', async () => {
    const controller = new AbortController();
    let id = 0;
    // Copies never extracted before (another seed draws other augmentation parameters): extraction takes a while.
    const r = await runExperiment(
      ws,
      { ...base, augment: ['noise', 'pitch'], copies: 3, seed: 12345 },
      {
        signal: controller.signal,
        onProgress: (p) => {
          if (p.phase === 'started') id = p.experimentId;
          if (p.phase === 'features' && p.done < p.total && p.done > p.cached) controller.abort();
        },
      },
    );
    expect(r).toMatchObject({ experimentId: id, status: 'cancelled', epochs: 0, accuracy: null });
    const row = new ExperimentStore(ws.db).get(id)!;
    expect(row).toMatchObject({ status: 'cancelled', stage: 'features', epochs_completed: 0, error: 'cancelled by the user' });
    expect(row.finished_at).not.toBeNull();
    const summary = listed(id);
    expect(endedText(summary.status, summary.stage)).toBe('cancelled while extracting features');
    expect(summary.progress!.features!.done).toBeLessThan(summary.progress!.features!.total);
    expect(experimentDetail(ws.db, id)!.epochsLog).toEqual([]);
  });

  it('records a cross-validation as its parent at once, with every fold planned, and folds as they train', async () => {
    let parent = 0;
    const parentSeen: { stage: string | null; fold: number | null | undefined; children: number }[] = [];
    const r = await runExperiment(
      ws,
      { ...base, split: { kind: 'speaker-kfold', k: 2 }, epochs: 2, augment: [], copies: 0 },
      {
        onProgress: (p) => {
          if (p.phase === 'started') parent = p.experimentId;
          if (p.phase === 'started' || p.phase === 'epoch') {
            const d = experimentDetail(ws.db, parent)!;
            parentSeen.push({ stage: d.stage, fold: d.progress?.fold, children: d.children.length });
          }
        },
      },
    );
    expect(r.experimentId).toBe(parent);
    expect(parentSeen[0]).toEqual({ stage: 'queued', fold: null, children: 0 });
    // Each fold's row appears when it trains; the parent says which fold trains now.
    expect(parentSeen.at(-1)).toEqual({ stage: 'training', fold: 1, children: 2 });
    const d = experimentDetail(ws.db, parent)!;
    expect(d).toMatchObject({ status: 'completed', stage: 'finishing', folds: { k: 2, completed: 2 } });
    expect(d.progress!.plan.splits).toHaveLength(2);
    const held = d.progress!.plan.splits.flatMap((s) => s.heldOutSpeakers!);
    expect(new Set(held).size).toBe(held.length);
    expect(d.children.every((c) => c.stage === 'training' && c.progress === null)).toBe(true);
  });
});
