import fs from 'node:fs';
import path from 'node:path';
import type { ImportIssue, Naming } from '../../shared/domain';
import { ApiError } from '../../shared/errors';
import { parseCsv } from './csv';
import { parseRavdessName } from './naming';

/** One file the source says belongs to the dataset, before it is probed. */
export interface SourceEntry {
  relPath: string;
  absPath: string;
  label: string;
  speaker: string | null;
}

export interface ScanResult {
  kind: 'folder' | 'csv';
  root: string;
  entries: SourceEntry[];
  issues: ImportIssue[];
}

/** Files we never treat as dataset content: OS and editor litter. */
function isLitter(name: string): boolean {
  return name.startsWith('.') || name === 'Thumbs.db' || name === 'desktop.ini';
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

function walkFiles(dir: string): string[] {
  const out: string[] = [];
  const stack = [dir];
  while (stack.length) {
    const d = stack.pop()!;
    for (const ent of fs.readdirSync(d, { withFileTypes: true })) {
      if (isLitter(ent.name)) continue;
      const p = path.join(d, ent.name);
      if (ent.isDirectory()) stack.push(p);
      else if (ent.isFile()) out.push(p);
    }
  }
  return out.sort();
}

/** Lists what a dataset source (a folder per label, a RAVDESS folder, or a CSV manifest) contains. */
export function scanSource(source: string, naming: Naming): ScanResult {
  const abs = path.resolve(source);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(abs);
  } catch {
    throw new ApiError('source_not_found', `${source}: no such file or folder`);
  }
  if (stat.isFile()) {
    if (!/\.(csv|tsv)$/i.test(abs)) {
      throw new ApiError('bad_source', `${source}: expected a folder (one sub-folder per label) or a CSV manifest (path,label[,speaker])`);
    }
    return scanCsv(abs);
  }
  if (!stat.isDirectory()) throw new ApiError('bad_source', `${source}: not a folder or a CSV file`);
  return naming === 'ravdess' ? scanRavdess(abs) : scanFolderPerLabel(abs);
}

function scanFolderPerLabel(root: string): ScanResult {
  const entries: SourceEntry[] = [];
  const issues: ImportIssue[] = [];
  for (const file of walkFiles(root)) {
    const rel = toPosix(path.relative(root, file));
    const parts = rel.split('/');
    if (parts.length < 2) {
      issues.push({ file: rel, code: 'no_label', message: `${rel}: not inside a label folder (expected <label>/<file>)` });
      continue;
    }
    entries.push({ relPath: rel, absPath: file, label: parts[0], speaker: null });
  }
  if (!entries.length && !issues.length) throw new ApiError('empty_source', `${root}: the folder holds no files`);
  return { kind: 'folder', root, entries, issues };
}

function scanRavdess(root: string): ScanResult {
  const entries: SourceEntry[] = [];
  const issues: ImportIssue[] = [];
  for (const file of walkFiles(root)) {
    const rel = toPosix(path.relative(root, file));
    const parsed = parseRavdessName(path.basename(file));
    if ('error' in parsed) issues.push({ file: rel, code: 'bad_name', message: `${rel}: ${parsed.error}` });
    else entries.push({ relPath: rel, absPath: file, label: parsed.label, speaker: parsed.speaker });
  }
  if (!entries.length && !issues.length) throw new ApiError('empty_source', `${root}: the folder holds no files`);
  return { kind: 'folder', root, entries, issues };
}

function scanCsv(csvPath: string): ScanResult {
  const root = path.dirname(csvPath);
  const rows = parseCsv(fs.readFileSync(csvPath, 'utf8'));
  if (!rows.length) throw new ApiError('bad_manifest', `${csvPath}: the manifest is empty`);
  const header = rows[0].map((h) => h.trim().toLowerCase());
  const col = (name: string) => header.indexOf(name);
  const [pathCol, labelCol, speakerCol] = [col('path'), col('label'), col('speaker')];
  if (pathCol < 0 || labelCol < 0) {
    throw new ApiError('bad_manifest', `${csvPath}: the first row must name the columns path,label[,speaker] (found: ${rows[0].join(',')})`);
  }
  const entries: SourceEntry[] = [];
  const issues: ImportIssue[] = [];
  const seen = new Set<string>();
  rows.slice(1).forEach((row, i) => {
    const line = i + 2;
    const p = (row[pathCol] ?? '').trim();
    const label = (row[labelCol] ?? '').trim();
    const speaker = speakerCol >= 0 ? (row[speakerCol] ?? '').trim() || null : null;
    if (!p || !label) {
      issues.push({ file: p || `line ${line}`, code: 'bad_row', message: `${path.basename(csvPath)} line ${line}: needs both a path and a label` });
      return;
    }
    const absPath = path.resolve(root, p);
    const relPath = toPosix(path.relative(root, absPath));
    if (seen.has(relPath)) {
      issues.push({ file: relPath, code: 'repeated_row', message: `${relPath}: listed more than once in the manifest (line ${line} ignored)` });
      return;
    }
    seen.add(relPath);
    entries.push({ relPath, absPath, label, speaker });
  });
  return { kind: 'csv', root: csvPath, entries, issues };
}
