/**
 * Per-speaker normalisation (`normalize: speaker`): each speaker's rows z-scored with that speaker's own mean and
 * population sd, before the global standardiser. It removes what is constant in a voice (pitch range, vocal tract,
 * microphone) so that the network sees how a clip departs from its speaker's usual.
 *
 * Decisions, so that nothing leaks and augmentation changes nothing:
 * - A speaker's statistics come from the rows marked `original` only (the clips as recorded); augmented copies are
 *   normalised with their source speaker's statistics, so the number of copies does not move them. A speaker with
 *   no original row in the matrix (possible only in a leaky run) falls back to all of its rows.
 * - The function sees one side of a split at a time: training rows are normalised with statistics of their
 *   speaker's training rows, validation rows with statistics of their speaker's validation rows (transductive: at
 *   test time a held-out speaker's clips are normalised by themselves, which needs no label). Labels are never an
 *   input.
 * - A constant feature within a speaker (sd 0, or a one-clip speaker) gets sd 1, as standardize.ts does: it maps
 *   to 0 instead of NaN.
 *
 * It only means something when each speaker's clips span the classes: a speaker with clips of one emotion only has
 * that emotion as their mean, and subtracting it subtracts the emotion (see dataset/coverage.ts).
 */
import type { Matrix } from './matrix';

/** Each row's speaker (or group) and whether the row is an original clip (true when omitted). */
export interface RowGroups {
  groups: readonly string[];
  original?: readonly boolean[];
}

export interface GroupStats {
  mean: Float64Array;
  std: Float64Array;
  /** Rows the statistics were computed from. */
  rows: number;
}

/** Mean and population sd per group, from its original rows (all its rows when it has none). */
export function groupStats(m: Matrix, g: RowGroups): Map<string, GroupStats> {
  if (g.groups.length !== m.rows) throw new RangeError(`${g.groups.length} group names for ${m.rows} rows`);
  if (g.original && g.original.length !== m.rows) throw new RangeError(`${g.original.length} original flags for ${m.rows} rows`);
  const members = new Map<string, { originals: number[]; all: number[] }>();
  g.groups.forEach((name, r) => {
    const e = members.get(name) ?? { originals: [], all: [] };
    e.all.push(r);
    if (!g.original || g.original[r]) e.originals.push(r);
    members.set(name, e);
  });
  const out = new Map<string, GroupStats>();
  for (const [name, e] of members) {
    const rows = e.originals.length ? e.originals : e.all;
    const mean = new Float64Array(m.cols);
    const sq = new Float64Array(m.cols);
    for (const r of rows) for (let c = 0, off = r * m.cols; c < m.cols; c++) mean[c] += m.data[off + c];
    for (let c = 0; c < m.cols; c++) mean[c] /= rows.length;
    for (const r of rows) {
      for (let c = 0, off = r * m.cols; c < m.cols; c++) {
        const d = m.data[off + c] - mean[c];
        sq[c] += d * d;
      }
    }
    const std = sq.map((s) => {
      const sd = Math.sqrt(s / rows.length);
      return sd < 10 * Number.EPSILON ? 1 : sd;
    });
    out.set(name, { mean, std, rows: rows.length });
  }
  return out;
}

/** The rows z-scored per group with that group's own statistics (groupStats). */
export function normalizePerGroup(m: Matrix, g: RowGroups): Matrix {
  const stats = groupStats(m, g);
  const data = new Float32Array(m.data.length);
  for (let r = 0; r < m.rows; r++) {
    const s = stats.get(g.groups[r])!;
    for (let c = 0, off = r * m.cols; c < m.cols; c++) data[off + c] = (m.data[off + c] - s.mean[c]) / s.std[c];
  }
  return { rows: m.rows, cols: m.cols, data };
}

/** Clips per group, ascending by count then name: what a caller warns about when a group is too small. */
export function groupSizes(groups: readonly string[]): { group: string; clips: number }[] {
  const n = new Map<string, number>();
  for (const g of groups) n.set(g, (n.get(g) ?? 0) + 1);
  return [...n].map(([group, clips]) => ({ group, clips })).sort((a, b) => a.clips - b.clips || a.group.localeCompare(b.group, 'en', { numeric: true }));
}
