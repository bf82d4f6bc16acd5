// The experiments list as rows: runs, cross-validations with their folds, seed groups with their seeds; filtered,
// searched and sorted in the window (the list is already whole here). Pure functions, tested without a window.
import { PROTOCOL_KINDS, type ProtocolKind } from '../../../shared/protocol';
import { seedGroups, type SeedGroup, type ScoreSpread } from '../../../shared/seed-groups';
import { consecutiveSeeds, seedsText } from '../../../shared/run-config';
import type { ExperimentStatus, ExperimentSummary } from './experiment-types';
import { dec, t, type MessageKey } from './i18n';

export { PROTOCOL_KINDS, type ProtocolKind };

/** A top-level run with its folds (a cross-validation) or none. */
export interface RunRow {
  kind: 'run';
  run: ExperimentSummary;
  folds: ExperimentSummary[];
}

/** Runs that differ only by seed, shown as one row with mean ± sd and the spread, its seeds beneath. */
export interface GroupRow {
  kind: 'group';
  key: string;
  group: SeedGroup<ExperimentSummary>;
  /** Members in seed order (each with its folds, for cross-validations). */
  members: RunRow[];
}

export type ListRow = RunRow | GroupRow;

/** The date filter's choices, each with its label's message key. */
export const DATE_RANGES = { any: 'ui.runs.dateAny', today: 'ui.runs.dateToday', '7d': 'ui.runs.date7', '30d': 'ui.runs.date30' } as const satisfies Record<string, MessageKey>;
export type DateRange = keyof typeof DATE_RANGES;

export interface RunFilter {
  /** "#7", "7" (an id) or words of a run's name or notes. */
  query: string;
  protocol: ProtocolKind | '';
  status: ExperimentStatus | '';
  since: DateRange;
}

export const emptyFilter = (): RunFilter => ({ query: '', protocol: '', status: '', since: 'any' });

export const SORT_KEYS = ['id', 'name', 'dataset', 'status', 'protocol', 'accuracy', 'macroF1', 'epochs', 'started'] as const;
export type RunSortKey = (typeof SORT_KEYS)[number];
export interface RunSort {
  key: RunSortKey;
  order: 'asc' | 'desc';
}
/** Newest first, as the engine lists them. */
export const DEFAULT_SORT: RunSort = { key: 'started', order: 'desc' };

/** Scores sort best first, text A to Z, dates newest first, when a column is first chosen. */
export function firstOrder(key: RunSortKey): 'asc' | 'desc' {
  return key === 'accuracy' || key === 'macroF1' || key === 'started' || key === 'epochs' || key === 'id' ? 'desc' : 'asc';
}

export function nextSort(current: RunSort, key: RunSortKey): RunSort {
  return current.key === key ? { key, order: current.order === 'asc' ? 'desc' : 'asc' } : { key, order: firstOrder(key) };
}

const DAY_MS = 86_400_000;

function sinceMs(range: DateRange, now: Date): number {
  if (range === 'any') return -Infinity;
  if (range === 'today') return new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime();
  return now.getTime() - (range === '7d' ? 7 : 30) * DAY_MS;
}

export function matchesFilter(run: ExperimentSummary, f: RunFilter, now: Date = new Date()): boolean {
  if (f.protocol && run.protocolKind !== f.protocol) return false;
  if (f.status && run.status !== f.status) return false;
  if (f.since !== 'any' && !(Date.parse(run.startedAt) >= sinceMs(f.since, now))) return false;
  const q = f.query.trim().toLowerCase();
  if (!q) return true;
  const id = /^#?(\d+)$/.exec(q);
  if (id) return run.id === Number(id[1]);
  const text = `${run.name ?? ''} ${run.notes ?? ''}`.toLowerCase();
  return q.split(/\s+/).every((word) => text.includes(word));
}

/** Top-level runs with their folds, seed groups gathered (over the whole list, so a group's numbers never depend on a filter). */
export function listRows(list: readonly ExperimentSummary[]): ListRow[] {
  const folds = new Map<number, ExperimentSummary[]>();
  for (const e of list) if (e.parentId !== null) (folds.get(e.parentId) ?? folds.set(e.parentId, []).get(e.parentId)!).push(e);
  const ids = new Set(list.map((e) => e.id));
  const runRow = (run: ExperimentSummary): RunRow => ({ kind: 'run', run, folds: (folds.get(run.id) ?? []).sort((a, b) => (a.fold ?? 0) - (b.fold ?? 0)) });
  // A fold whose parent is not listed stands on its own.
  const top = list.filter((e) => e.parentId === null || !ids.has(e.parentId));
  const groups = seedGroups(top.filter((e) => e.parentId === null));
  const groupOf = new Map<number, SeedGroup<ExperimentSummary>>();
  for (const g of groups) for (const r of g.runs) groupOf.set(r.id, g);
  const rows: ListRow[] = [];
  const placed = new Set<string>();
  for (const run of top) {
    const g = groupOf.get(run.id);
    if (!g) rows.push(runRow(run));
    else if (!placed.has(g.key)) {
      placed.add(g.key);
      const members = [...g.runs].sort((a, b) => a.seed - b.seed || a.id - b.id).map(runRow);
      rows.push({ kind: 'group', key: g.key, group: g, members });
    }
  }
  return rows;
}

/** The rows a filter keeps: a group stays whole when any of its runs matches. */
export function filterRows(rows: readonly ListRow[], f: RunFilter, now: Date = new Date()): ListRow[] {
  return rows.filter((r) => (r.kind === 'run' ? matchesFilter(r.run, f, now) : r.members.some((m) => matchesFilter(m.run, f, now))));
}

/** The row's representative run: a group's newest member. */
export function leadRun(row: ListRow): ExperimentSummary {
  return row.kind === 'run' ? row.run : row.members.reduce((a, m) => (m.run.id > a.id ? m.run : a), row.members[0].run);
}

function scoreOf(row: ListRow, key: 'accuracy' | 'macroF1'): number | null {
  if (row.kind === 'group') return row.group.summary[key]?.mean ?? null;
  return row.run[key];
}

function sortValue(row: ListRow, key: RunSortKey): number | string | null {
  const lead = leadRun(row);
  switch (key) {
    case 'id':
      return lead.id;
    case 'name':
      return lead.name?.toLowerCase() ?? null;
    case 'dataset':
      return lead.dataset.toLowerCase();
    case 'status':
      return lead.status;
    case 'protocol':
      return lead.protocol.toLowerCase();
    case 'accuracy':
    case 'macroF1':
      return scoreOf(row, key);
    case 'epochs':
      return row.kind === 'run' && row.folds.length ? row.folds.reduce((a, f) => a + f.epochs, 0) : lead.epochs;
    case 'started':
      return Date.parse(lead.startedAt) || lead.id;
  }
}

/** Sorted by `sort`; rows without a value (no score yet, no name) go last either way; ties newest first. */
export function sortRows(rows: readonly ListRow[], sort: RunSort): ListRow[] {
  const dir = sort.order === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const va = sortValue(a, sort.key);
    const vb = sortValue(b, sort.key);
    if (va === null || vb === null) return va === vb ? leadRun(b).id - leadRun(a).id : va === null ? 1 : -1;
    const c = typeof va === 'number' && typeof vb === 'number' ? va - vb : String(va).localeCompare(String(vb));
    return c !== 0 ? c * dir : leadRun(b).id - leadRun(a).id;
  });
}

/** The run ids a row stands for when ticked (a group: every member). */
export function rowIds(row: ListRow): number[] {
  return row.kind === 'run' ? [row.run.id] : row.members.map((m) => m.run.id);
}

/** "61.2–66.3%" for a group's spread; '' for a single value. */
export function spreadText(m: ScoreSpread | null, asPct: boolean): string {
  if (!m || m.n < 2) return '';
  const f = (v: number) => (asPct ? dec(v * 100, 1) : dec(v, 3));
  const spread = `${f(m.min)}–${f(m.max)}`;
  return asPct ? t('ui.unit.percent', { value: spread }) : spread;
}

/** "range 61.2–66.3%" for a group's spread; '' for a single value. */
export function rangeText(m: ScoreSpread | null, asPct: boolean): string {
  const spread = spreadText(m, asPct);
  return spread ? t('ui.runs.range', { spread }) : '';
}

/** A group's protocol: its runs' words with their seeds ("…, seeds 42–44" instead of "…, seed 42"). */
export function groupProtocol(protocol: string, seeds: readonly number[]): string {
  const text = seedsText(seeds);
  return /, seed \d+$/.test(protocol) ? protocol.replace(/, seed \d+$/, `, seeds ${text}`) : `${protocol} (seeds ${text})`;
}

/** How a group's runs stand: "3 completed", "2 completed · 1 running". */
export function groupStatus(members: readonly { run: ExperimentSummary }[]): { text: string; running: boolean } {
  const counts = new Map<string, number>();
  for (const m of members) counts.set(m.run.status, (counts.get(m.run.status) ?? 0) + 1);
  const order = ['completed', 'running', 'cancelled', 'interrupted', 'failed'];
  const text = order
    .filter((s) => counts.has(s))
    .map((s) => t('ui.runs.groupStatusPart', { count: counts.get(s)!, status: t(`common.status.${s as ExperimentStatus}`) }))
    .join(' · ');
  return { text, running: counts.has('running') };
}

/** The seed group a run belongs to in a list, if any. */
export function groupOfRun(list: readonly ExperimentSummary[], id: number): SeedGroup<ExperimentSummary> | null {
  return seedGroups(list).find((g) => g.runs.some((r) => r.id === id)) ?? null;
}

/**
 * "Repeat with N seeds" from a run with seed s: seeds s..s+N-1, without those its configuration already completed
 * (the run itself among them), which would only repeat a number bit for bit.
 */
export function seedsToQueue(start: number, n: number, done: readonly number[]): { seeds: number[]; skipped: number[] } {
  const all = consecutiveSeeds(start, n);
  return { seeds: all.filter((s) => !done.includes(s)), skipped: all.filter((s) => done.includes(s)) };
}
