import crypto from 'node:crypto';
import fs from 'node:fs';
import type { ImportIssue, ImportReport, Naming } from '../../shared/domain';
import { probeAudio, sha256File } from '../audio/probe';
import { errorInfo } from '../../shared/errors';
import type { Db } from '../store/db';
import { scanSource, type SourceEntry } from './scan';
import { datasetSummaryRow, duplicateGroups, findDatasetByName } from './queries';

export interface ImportOptions {
  source: string;
  name: string;
  naming?: Naming;
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
        const result = await probeEntry(entry, existing.get(entry.relPath));
        if (result === 'unchanged') unchanged.add(entry.relPath);
        else probed.push(result);
      } catch (err) {
        issues.push(toIssue(entry.relPath, err));
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

async function probeEntry(entry: SourceEntry, previous: ExistingSample | undefined): Promise<ProbedSample | 'unchanged'> {
  let stat: fs.Stats;
  try {
    stat = await fs.promises.stat(entry.absPath);
  } catch {
    throw Object.assign(new Error(`${entry.relPath}: file not found`), { code: 'missing' });
  }
  if (previous && previous.size_bytes === stat.size && previous.mtime_ms === stat.mtimeMs) return 'unchanged';
  if (stat.size === 0) throw Object.assign(new Error(`${entry.relPath}: the file is empty (0 bytes)`), { code: 'empty' });
  const info = await probeAudio(entry.absPath);
  if (!(info.frames > 0)) throw Object.assign(new Error(`${entry.relPath}: the file holds no audio samples`), { code: 'empty' });
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

function toIssue(relPath: string, err: unknown): ImportIssue {
  const { code, message: raw } = errorInfo(err, 'unreadable');
  let message = raw;
  if (!message.includes(relPath)) message = `${relPath}: ${message}`;
  return { file: relPath, code, message };
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
