import fs from 'node:fs';
import { isErrorCode } from '../../shared/errors';
import type { Clip, DatasetDetail, DatasetSummary, DuplicateGroup, Histogram, ImportIssue } from '../../shared/domain';
import type { Db } from '../store/db';
import { datasetCoverage } from './coverage';
import type { ClipSort, SortOrder } from '../../shared/dataset-params';

interface DatasetRow {
  id: number;
  name: string;
  source: string;
  source_kind: 'folder' | 'csv';
  naming: 'folder' | 'ravdess';
  content_hash: string;
  created_at: string;
  updated_at: string;
}

export function findDatasetByName(db: Db, name: string): DatasetRow | undefined {
  return db.prepare('SELECT * FROM datasets WHERE name = ?').get(name) as DatasetRow | undefined;
}

export function findDataset(db: Db, idOrName: number | string): DatasetRow | undefined {
  if (typeof idOrName === 'number') return db.prepare('SELECT * FROM datasets WHERE id = ?').get(idOrName) as DatasetRow | undefined;
  return findDatasetByName(db, idOrName);
}

export function datasetSummaryRow(db: Db, id: number): DatasetSummary {
  const d = db.prepare('SELECT * FROM datasets WHERE id = ?').get(id) as DatasetRow | undefined;
  if (!d) throw Object.assign(new Error(`dataset ${id} not found`), { code: 'not_found' });
  const classes: Record<string, number> = {};
  for (const r of db
    .prepare('SELECT label, COUNT(*) AS n FROM samples WHERE dataset_id = ? GROUP BY label ORDER BY label')
    .all(id) as { label: string; n: number }[])
    classes[r.label] = r.n;
  const agg = db
    .prepare(
      `SELECT COUNT(*) AS clips, COALESCE(SUM(duration_sec), 0) AS dur, COUNT(DISTINCT speaker) AS speakers
       FROM samples WHERE dataset_id = ?`,
    )
    .get(id) as { clips: number; dur: number; speakers: number };
  const errors = (db.prepare('SELECT COUNT(*) AS n FROM import_errors WHERE dataset_id = ?').get(id) as { n: number }).n;
  return {
    id: d.id,
    name: d.name,
    source: d.source,
    sourceKind: d.source_kind,
    naming: d.naming,
    clips: agg.clips,
    classes,
    speakers: agg.speakers,
    durationSec: Math.round(agg.dur * 1000) / 1000,
    errors,
    duplicates: duplicateGroups(db, id).length,
    contentHash: d.content_hash,
    createdAt: d.created_at,
    updatedAt: d.updated_at,
  };
}

export function listDatasets(db: Db): DatasetSummary[] {
  const ids = db.prepare('SELECT id FROM datasets ORDER BY name').all() as { id: number }[];
  return ids.map((r) => datasetSummaryRow(db, r.id));
}

export function duplicateGroups(db: Db, id: number): DuplicateGroup[] {
  const rows = db
    .prepare(
      `SELECT sha256, rel_path FROM samples WHERE dataset_id = ? AND sha256 IN (
         SELECT sha256 FROM samples WHERE dataset_id = ? GROUP BY sha256 HAVING COUNT(*) > 1)
       ORDER BY sha256, rel_path`,
    )
    .all(id, id) as { sha256: string; rel_path: string }[];
  const groups = new Map<string, string[]>();
  for (const r of rows) {
    const g = groups.get(r.sha256) ?? [];
    g.push(r.rel_path);
    groups.set(r.sha256, g);
  }
  return [...groups].map(([sha256, files]) => ({ sha256, files }));
}

export function importIssues(db: Db, id: number): ImportIssue[] {
  return (
    db.prepare('SELECT rel_path, code, message FROM import_errors WHERE dataset_id = ? ORDER BY rel_path').all(id) as {
      rel_path: string;
      code: string;
      message: string;
    }[]
    // Workspaces written before the code union was fixed may hold other spellings (EISDIR, kebab-case).
  ).map((r) => ({ file: r.rel_path, code: isErrorCode(r.code) ? r.code : 'unreadable', message: r.message }));
}

/**
 * Equal-width histogram; bins chosen so short corpora still get readable bars. Its first and last edges are the
 * values' minimum and maximum (the page's range): clips that all last as long make one bin, not 20 bins of 1 s.
 */
export function histogram(values: number[], bins = 20): Histogram {
  if (!values.length) return { edges: [], counts: [] };
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (hi === lo) return { edges: [lo, hi], counts: [values.length] };
  const width = (hi - lo) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => Math.round((lo + i * width) * 1000) / 1000);
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) counts[Math.min(bins - 1, Math.floor((v - lo) / width))]++;
  return { edges, counts };
}

export function datasetDetail(db: Db, id: number): DatasetDetail {
  const summary = datasetSummaryRow(db, id);
  const perSpeakerRows = db
    .prepare(
      `SELECT COALESCE(speaker, '') AS speaker, label, COUNT(*) AS n FROM samples WHERE dataset_id = ?
       GROUP BY speaker, label ORDER BY speaker, label`,
    )
    .all(id) as { speaker: string; label: string; n: number }[];
  const bySpeaker = new Map<string, { speaker: string; clips: number; classes: Record<string, number> }>();
  for (const r of perSpeakerRows) {
    const s = bySpeaker.get(r.speaker) ?? { speaker: r.speaker, clips: 0, classes: {} };
    s.clips += r.n;
    s.classes[r.label] = r.n;
    bySpeaker.set(r.speaker, s);
  }
  const durations = (db.prepare('SELECT duration_sec AS d FROM samples WHERE dataset_id = ?').all(id) as { d: number }[]).map(
    (r) => r.d,
  );
  const sampleRates: Record<string, number> = {};
  for (const r of db
    .prepare('SELECT sample_rate AS sr, COUNT(*) AS n FROM samples WHERE dataset_id = ? GROUP BY sample_rate')
    .all(id) as { sr: number; n: number }[])
    sampleRates[String(r.sr)] = r.n;
  return {
    ...summary,
    perSpeaker: [...bySpeaker.values()],
    speakerCoverage: datasetCoverage(db, id),
    durationHistogram: histogram(durations),
    sampleRates,
    errorList: importIssues(db, id),
    duplicateGroups: duplicateGroups(db, id),
  };
}

interface SampleRow {
  id: number;
  rel_path: string;
  label: string;
  speaker: string | null;
  container: string;
  codec: string;
  sample_rate: number;
  channels: number;
  duration_sec: number;
  sha256: string;
}

/** Each sortable column's ORDER BY (fixed SQL only: the sort key chooses among these, never writes SQL). */
const CLIP_ORDER: Record<ClipSort, string> = {
  label: 'label',
  path: 'rel_path',
  speaker: 'speaker',
  duration: 'duration_sec',
  sampleRate: 'sample_rate',
  format: 'container, codec',
};

export function listClips(
  db: Db,
  q: { id: number; label?: string; speaker?: string; offset: number; limit: number; sort?: ClipSort; order?: SortOrder },
): { total: number; clips: Clip[] } {
  const where = ['dataset_id = @id'];
  if (q.label) where.push('label = @label');
  if (q.speaker) where.push('speaker = @speaker');
  const cond = where.join(' AND ');
  const params = { id: q.id, label: q.label, speaker: q.speaker, offset: q.offset, limit: q.limit };
  const total = (db.prepare(`SELECT COUNT(*) AS n FROM samples WHERE ${cond}`).get(params) as { n: number }).n;
  const rows = db
    .prepare(`SELECT * FROM samples WHERE ${cond} ORDER BY ${orderBy(q.sort ?? 'label', q.order ?? 'asc')} LIMIT @limit OFFSET @offset`)
    .all(params) as SampleRow[];
  return {
    total,
    clips: rows.map((r) => ({
      id: r.id,
      path: r.rel_path,
      label: r.label,
      speaker: r.speaker,
      container: r.container,
      codec: r.codec,
      sampleRate: r.sample_rate,
      channels: r.channels,
      durationSec: r.duration_sec,
      sha256: r.sha256,
    })),
  };
}

/** `sort` in `order` (every column of it), then the path ascending so equal values keep a stable order. */
function orderBy(sort: ClipSort, order: SortOrder): string {
  const dir = order === 'desc' ? 'DESC' : 'ASC';
  const columns = CLIP_ORDER[sort].split(', ').map((c) => `${c} ${dir}`);
  // Clips without a speaker come last either way.
  if (sort === 'speaker') columns.unshift('speaker IS NULL');
  return [...columns, ...(sort === 'path' ? [] : ['rel_path ASC'])].join(', ');
}

/** The file behind a clip id: the only files the app will ever serve for playback. */
export function clipFile(db: Db, clipId: number): { absPath: string; container: string; sizeBytes: number } | undefined {
  const r = db.prepare('SELECT abs_path, container, size_bytes FROM samples WHERE id = ?').get(clipId) as
    | { abs_path: string; container: string; size_bytes: number }
    | undefined;
  return r && { absPath: r.abs_path, container: r.container, sizeBytes: r.size_bytes };
}

/**
 * The file of an imported clip as a route may stream it, or null: only a regular file of the size the import
 * recorded. A clip file swapped since for something else (a link to another file, a device that never ends, a
 * folder) is not the clip any more and is not served. (A link present at import is the clip: import follows links.)
 */
export function servableClipFile(db: Db, clipId: number): { absPath: string; container: string } | null {
  const clip = clipFile(db, clipId);
  if (!clip) return null;
  let stat: fs.Stats;
  try {
    stat = fs.statSync(clip.absPath);
  } catch {
    return null;
  }
  return stat.isFile() && stat.size === clip.sizeBytes ? { absPath: clip.absPath, container: clip.container } : null;
}

export function deleteDataset(db: Db, id: number): boolean {
  return db.prepare('DELETE FROM datasets WHERE id = ?').run(id).changes > 0;
}
