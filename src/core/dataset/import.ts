import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ImportIssue, ImportReport, Naming } from '../../shared/domain';
import { MAX_CLIP_SECONDS } from '../../shared/dataset-params';
import { AudioError, unreadable } from '../audio/errors';
import { probeAudio, sha256File } from '../audio/probe';
import { ApiError, errorInfo } from '../../shared/errors';
import type { Db } from '../store/db';
import { scanSource, type SourceEntry } from './scan';
import { datasetSummaryRow, duplicateGroups, findDatasetByName } from './queries';

export interface ImportOptions {
  source: string;
  name: string;
  naming?: Naming;
  /**
   * Importing another source under an existing dataset's name replaces its clips (its experiments then say the
   * dataset changed since they trained): refused with dataset_exists unless this is set. Re-scanning the same
   * source needs no flag.
   */
  replace?: boolean;
  /** Longest file taken as a clip, in seconds (default MAX_CLIP_SECONDS.default); longer ones are listed with too_long. */
  maxDurationSec?: number;
  /** Files probed at once: hashing is I/O bound, a few in flight keep the disk busy. */
  concurrency?: number;
  onProgress?: (p: { phase: 'scan' | 'probe' | 'store' | 'done'; done: number; total: number; file?: string }) => void;
  signal?: AbortSignal;
}

interface ProbedSample {
  entry: SourceEntry;
  container: string;
  codec: string;
  sampleRate: number;
  channels: number;
  frames: number;
  durationSec: number;
  sha256: string;
  sizeBytes: number;
  mtimeMs: number;
}

interface ExistingSample {
  rel_path: string;
  size_bytes: number;
  mtime_ms: number;
  [k: string]: unknown;
}

/**
 * Imports (or re-imports) a dataset: every file is probed and hashed; unreadable files are
 * reported with a reason and never abort the import; files unchanged since the last import
 * (same size and mtime) are not read again.
 */
export async function importDataset(db: Db, opts: ImportOptions): Promise<ImportReport> {
  const naming = opts.naming ?? 'folder';
  const progress = opts.onProgress ?? (() => {});
  progress({ phase: 'scan', done: 0, total: 0 });
  const scan = scanSource(opts.source, naming);
  const issues: ImportIssue[] = [...scan.issues];
  const existingDataset = findDatasetByName(db, opts.name);
  if (existingDataset && !opts.replace && !sameSource(existingDataset.source, scan.root)) {
    const clips = (db.prepare('SELECT COUNT(*) AS n FROM samples WHERE dataset_id = ?').get(existingDataset.id) as { n: number }).n;
    throw new ApiError(
      'dataset_exists',
      `A dataset named '${opts.name}' already exists, imported from ${existingDataset.source} (${clips} clip${clips === 1 ? '' : 's'}). ` +
        `Importing ${scan.root} under this name would replace its clips, and the experiments trained on it would then point at other data. ` +
        `Choose another name, or replace it on purpose (import --replace).`,
      { name: opts.name, source: existingDataset.source, clips },
    );
  }
  const maxDurationSec = opts.maxDurationSec ?? MAX_CLIP_SECONDS.default;
  const existing = new Map<string, ExistingSample>();
  if (existingDataset) {
    const rows = db.prepare('SELECT * FROM samples WHERE dataset_id = ?').all(existingDataset.id) as ExistingSample[];
    for (const r of rows) existing.set(r.rel_path, r);
  }

  const probed: ProbedSample[] = [];
  const unchanged = new Set<string>();
  let done = 0;
  const total = scan.entries.length;
  progress({ phase: 'probe', done, total });
  const queue = [...scan.entries];
  const worker = async () => {
    for (let entry = queue.shift(); entry; entry = queue.shift()) {
      if (opts.signal?.aborted) throw new Error('import cancelled');
      try {
        const result = await probeEntry(entry, existing.get(entry.relPath), maxDurationSec);
        if (result === 'unchanged') unchanged.add(entry.relPath);
        else probed.push(result);
      } catch (err) {
        issues.push(toIssue(entry, err));
      }
      progress({ phase: 'probe', done: ++done, total, file: entry.relPath });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 4) }, worker));

  progress({ phase: 'store', done, total });
  const now = new Date().toISOString();
  const counts = { added: 0, updated: 0, removed: 0 };
  const datasetId = db.transaction(() => {
    let id: number;
    if (existingDataset) {
      id = existingDataset.id;
      db.prepare('UPDATE datasets SET source = ?, source_kind = ?, naming = ?, updated_at = ? WHERE id = ?').run(
        scan.root,
        scan.kind,
        naming,
        now,
        id,
      );
    } else {
      id = Number(
        db
          .prepare('INSERT INTO datasets (name, source, source_kind, naming, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)')
          .run(opts.name, scan.root, scan.kind, naming, now, now).lastInsertRowid,
      );
    }
    const upsert = db.prepare(`
      INSERT INTO samples (dataset_id, rel_path, abs_path, label, speaker, container, codec, sample_rate, channels,
                           frames, duration_sec, sha256, size_bytes, mtime_ms)
      VALUES (@datasetId, @relPath, @absPath, @label, @speaker, @container, @codec, @sampleRate, @channels,
              @frames, @durationSec, @sha256, @sizeBytes, @mtimeMs)
      ON CONFLICT (dataset_id, rel_path) DO UPDATE SET
        abs_path = excluded.abs_path, label = excluded.label, speaker = excluded.speaker,
        container = excluded.container, codec = excluded.codec, sample_rate = excluded.sample_rate,
        channels = excluded.channels, frames = excluded.frames, duration_sec = excluded.duration_sec,
        sha256 = excluded.sha256, size_bytes = excluded.size_bytes, mtime_ms = excluded.mtime_ms`);
    for (const s of probed) {
      upsert.run({
        datasetId: id,
        relPath: s.entry.relPath,
        absPath: s.entry.absPath,
        label: s.entry.label,
        speaker: s.entry.speaker,
        container: s.container,
        codec: s.codec,
        sampleRate: s.sampleRate,
        channels: s.channels,
        frames: s.frames,
        durationSec: s.durationSec,
        sha256: s.sha256,
        sizeBytes: s.sizeBytes,
        mtimeMs: s.mtimeMs,
      });
      if (existing.has(s.entry.relPath)) counts.updated++;
      else counts.added++;
    }
    // Labels/speakers can change in a manifest without the audio changing.
    const relabel = db.prepare('UPDATE samples SET label = ?, speaker = ?, abs_path = ? WHERE dataset_id = ? AND rel_path = ?');
    for (const e of scan.entries) if (unchanged.has(e.relPath)) relabel.run(e.label, e.speaker, e.absPath, id, e.relPath);
    // Whatever the source no longer lists (or can no longer read) leaves the dataset.
    const keep = new Set([...probed.map((p) => p.entry.relPath), ...unchanged]);
    const del = db.prepare('DELETE FROM samples WHERE dataset_id = ? AND rel_path = ?');
    for (const rel of existing.keys()) {
      if (!keep.has(rel)) {
        del.run(id, rel);
        counts.removed++;
      }
    }
    db.prepare('DELETE FROM import_errors WHERE dataset_id = ?').run(id);
    const insErr = db.prepare('INSERT INTO import_errors (dataset_id, rel_path, code, message) VALUES (?, ?, ?, ?)');
    for (const i of issues.sort((a, b) => a.file.localeCompare(b.file))) insErr.run(id, i.file, i.code, i.message);
    db.prepare('UPDATE datasets SET content_hash = ? WHERE id = ?').run(contentHash(db, id), id);
    return id;
  })();

  const summary = datasetSummaryRow(db, datasetId);
  progress({ phase: 'done', done, total });
  return {
    id: datasetId,
    name: opts.name,
    clips: summary.clips,
    classes: summary.classes,
    speakers: summary.speakers,
    durationSec: summary.durationSec,
    errors: issues,
    duplicates: duplicateGroups(db, datasetId),
    added: counts.added,
    updated: counts.updated,
    removed: counts.removed,
    unchanged: unchanged.size,
  };
}

async function probeEntry(entry: SourceEntry, previous: ExistingSample | undefined, maxDurationSec: number): Promise<ProbedSample | 'unchanged'> {
  let stat: fs.Stats;
  try {
    stat = await fs.promises.stat(entry.absPath);
  } catch (err) {
    // (gone since the scan listed it: deleted, moved, or a manifest's path that never existed)
    if ((err as { code?: string }).code === 'ENOENT') throw Object.assign(new Error(`${entry.relPath}: file not found`), { code: 'missing' });
    throw unreadable(entry.relPath, err);
  }
  if (stat.isDirectory()) throw new AudioError('unreadable', 'is a folder, not a file', entry.relPath);
  if (previous && previous.size_bytes === stat.size && previous.mtime_ms === stat.mtimeMs) return 'unchanged';
  if (stat.size === 0) throw Object.assign(new Error(`${entry.relPath}: the file is empty (0 bytes)`), { code: 'empty' });
  const info = await probeAudio(entry.absPath);
  if (!(info.frames > 0)) throw Object.assign(new Error(`${entry.relPath}: the file holds no audio samples`), { code: 'empty' });
  if (info.durationSec > maxDurationSec) {
    throw new AudioError(
      'too_long',
      `${durationText(info.durationSec)} of audio is longer than the longest clip import takes (${durationText(maxDurationSec)}): ` +
        'a recording this long is rarely one emotion; cut it into clips, or raise the limit (import --max-duration SECONDS)',
      entry.relPath,
    );
  }
  const sha256 = await sha256File(entry.absPath);
  return {
    entry,
    container: info.container,
    codec: info.codec,
    sampleRate: info.sampleRate,
    channels: info.channels,
    frames: info.frames,
    durationSec: info.durationSec,
    sha256,
    sizeBytes: stat.size,
    mtimeMs: stat.mtimeMs,
  };
}

function toIssue(entry: SourceEntry, err: unknown): ImportIssue {
  const { relPath, absPath } = entry;
  const { code, message: raw } = errorInfo(err, 'unreadable');
  // the probe names the file by its absolute path; the dataset's issues name it as the source does
  let message = raw.startsWith(`${absPath}: `) ? `${relPath}${raw.slice(absPath.length)}` : raw;
  if (!message.includes(relPath)) message = `${relPath}: ${message}`;
  return { file: relPath, code, message };
}

/** Whether two sources are the same folder or manifest (as typed, resolved, or through links). */
function sameSource(a: string, b: string): boolean {
  const norm = (p: string) => path.resolve(p).replace(/[\\/]+$/, '');
  if (norm(a) === norm(b)) return true;
  try {
    return fs.realpathSync(a) === fs.realpathSync(b);
  } catch {
    return false;
  }
}

function durationText(sec: number): string {
  if (sec < 60) return `${sec.toFixed(1)} s`;
  const m = Math.floor(sec / 60);
  if (m < 60) return `${m} min ${String(Math.round(sec - 60 * m)).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/** Identifies the dataset's content (files and labels), recorded with every experiment. */
function contentHash(db: Db, datasetId: number): string {
  const rows = db
    .prepare('SELECT rel_path, label, speaker, sha256 FROM samples WHERE dataset_id = ? ORDER BY rel_path')
    .all(datasetId) as { rel_path: string; label: string; speaker: string | null; sha256: string }[];
  const h = crypto.createHash('sha256');
  for (const r of rows) h.update(`${r.rel_path}\t${r.label}\t${r.speaker ?? ''}\t${r.sha256}\n`);
  return h.digest('hex');
}
