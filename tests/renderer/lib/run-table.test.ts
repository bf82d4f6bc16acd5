import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SORT,
  emptyFilter,
  filterRows,
  groupOfRun,
  groupProtocol,
  groupStatus,
  leadRun,
  listRows,
  matchesFilter,
  nextSort,
  rangeText,
  rowIds,
  seedsToQueue,
  sortRows,
  type ListRow,
} from '../../../src/renderer/src/lib/run-table';
import type { ExperimentSummary } from '../../../src/shared/experiment';

function run(id: number, extra: Partial<ExperimentSummary> = {}): ExperimentSummary {
  return {
    id,
    datasetId: 1,
    dataset: 'demo',
    parentId: null,
    fold: null,
    status: 'completed',
    folds: null,
    protocol: `stratified hold-out 80/20, seed ${extra.seed ?? 42}`,
    protocolOutline: null,
    leaky: false,
    seed: 42,
    backend: 'cpu',
    epochs: 10,
    bestEpoch: 10,
    accuracy: 0.5,
    macroF1: 0.4,
    weightedF1: 0.45,
    accuracySd: null,
    macroF1Sd: null,
    startedAt: `2026-03-${String(id).padStart(2, '0')}T10:00:00Z`,
    finishedAt: null,
    error: null,
    name: null,
    notes: null,
    protocolKind: 'stratified',
    configKey: `solo-${id}`,
    stage: null,
    progress: null,
    ...extra,
  };
}

// Newest first, as the engine lists: a seed group (3 seeds of config A), a cross-validation with 2 folds, singles.
const list = [
  run(9, { configKey: 'A', seed: 44, accuracy: 0.7 }),
  run(8, { name: 'baseline', notes: 'no augmentation at all', accuracy: 0.9 }),
  run(7, { parentId: 5, fold: 1, protocolKind: 'kfold' }),
  run(6, { parentId: 5, fold: 0, protocolKind: 'kfold' }),
  run(5, { protocolKind: 'kfold', folds: { k: 2, completed: 2 }, protocol: 'stratified 2-fold cross-validation, seed 42', accuracy: 0.3 }),
  run(4, { configKey: 'A', seed: 43, accuracy: 0.6 }),
  run(3, { configKey: 'A', seed: 42, accuracy: 0.5 }),
  run(2, { status: 'cancelled', accuracy: null, macroF1: null, startedAt: '2025-12-01T10:00:00Z' }),
];

const ids = (rows: ListRow[]) => rows.map((r) => (r.kind === 'run' ? r.run.id : `g${r.members.map((m) => m.run.id).join('+')}`));

describe('the experiments list as rows', () => {
  it('gathers a seed group (seed order) where its newest run is, and folds under their run', () => {
    const rows = listRows(list);
    expect(ids(rows)).toEqual(['g3+4+9', 8, 5, 2]);
    const group = rows[0];
    if (group.kind !== 'group') throw new Error('not a group');
    expect(group.group.seeds).toEqual([42, 43, 44]);
    expect(group.group.summary.accuracy!.mean).toBeCloseTo(0.6, 12);
    expect(group.group.summary.accuracy!.sd).toBeCloseTo(0.1, 12);
    expect(rangeText(group.group.summary.accuracy, true)).toBe('range 50.0–70.0%');
    expect(rangeText(group.group.summary.accuracy, false)).toBe('range 0.500–0.700');
    expect(rowIds(group)).toEqual([3, 4, 9]);
    expect(leadRun(group).id).toBe(9);
    const cv = rows[2];
    expect(cv.kind === 'run' && cv.folds.map((f) => f.fold)).toEqual([0, 1]);
    expect(groupProtocol('stratified hold-out 80/20, seed 42', [42, 43, 44])).toBe('stratified hold-out 80/20, seeds 42–44');
    expect(groupStatus(group.members)).toEqual({ text: '3 completed', running: false });
    expect(groupStatus([{ run: run(1, { status: 'running' }) }, { run: run(2) }])).toEqual({ text: '1 completed · 1 running', running: true });
    expect(groupOfRun(list, 4)?.seeds).toEqual([42, 43, 44]);
    expect(groupOfRun(list, 8)).toBeNull();
  });

  it('filters by protocol, status, date and a search by id or name, keeping a group whole', () => {
    const rows = listRows(list);
    const now = new Date('2026-03-10T12:00:00Z');
    const f = (extra: Partial<ReturnType<typeof emptyFilter>>) => ids(filterRows(rows, { ...emptyFilter(), ...extra }, now));
    expect(f({})).toEqual(['g3+4+9', 8, 5, 2]);
    expect(f({ protocol: 'kfold' })).toEqual([5]);
    expect(f({ status: 'cancelled' })).toEqual([2]);
    expect(f({ since: '30d' })).toEqual(['g3+4+9', 8, 5]);
    expect(f({ since: '7d' })).toEqual(['g3+4+9', 8, 5]);
    expect(f({ query: '#4' })).toEqual(['g3+4+9']);
    expect(f({ query: '8' })).toEqual([8]);
    expect(f({ query: 'Baseline' })).toEqual([8]);
    expect(f({ query: 'no augmentation' })).toEqual([8]);
    expect(f({ query: 'nothing like it' })).toEqual([]);
    expect(matchesFilter(run(1, { startedAt: '2026-03-10T00:30:00Z' }), { ...emptyFilter(), since: 'today' }, new Date(2026, 2, 10, 12))).toBe(
      Date.parse('2026-03-10T00:30:00Z') >= new Date(2026, 2, 10).getTime(),
    );
  });

  it('sorts by any column both ways; a group by its mean; rows without a value last', () => {
    const rows = listRows(list);
    expect(ids(sortRows(rows, DEFAULT_SORT))).toEqual(['g3+4+9', 8, 5, 2]);
    expect(ids(sortRows(rows, { key: 'accuracy', order: 'desc' }))).toEqual([8, 'g3+4+9', 5, 2]);
    expect(ids(sortRows(rows, { key: 'accuracy', order: 'asc' }))).toEqual([5, 'g3+4+9', 8, 2]);
    expect(ids(sortRows(rows, { key: 'id', order: 'asc' }))).toEqual([2, 5, 8, 'g3+4+9']);
    expect(ids(sortRows(rows, { key: 'name', order: 'asc' }))[0]).toBe(8);
    expect(ids(sortRows(rows, { key: 'epochs', order: 'desc' }))[0]).toBe(5);
    expect(nextSort(DEFAULT_SORT, 'started')).toEqual({ key: 'started', order: 'asc' });
    expect(nextSort(DEFAULT_SORT, 'dataset')).toEqual({ key: 'dataset', order: 'asc' });
    expect(nextSort(DEFAULT_SORT, 'accuracy')).toEqual({ key: 'accuracy', order: 'desc' });
  });

  it('queues the seeds of "Repeat with N seeds" that its configuration has not completed', () => {
    expect(seedsToQueue(42, 3, [42])).toEqual({ seeds: [43, 44], skipped: [42] });
    expect(seedsToQueue(42, 3, [])).toEqual({ seeds: [42, 43, 44], skipped: [] });
    expect(seedsToQueue(42, 2, [42, 43])).toEqual({ seeds: [], skipped: [42, 43] });
  });
});
