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

/** A file name as people can read it: bytes that are not UTF-8 written as \\xNN. */
export function displayName(name: Buffer): string {
  let out = '';
  for (let i = 0; i < name.length; ) {
    const c = name[i];
    const len = c < 0x80 ? 1 : c >= 0xc2 && c < 0xe0 ? 2 : c >= 0xe0 && c < 0xf0 ? 3 : c >= 0xf0 && c < 0xf5 ? 4 : 0;
    const text = len && i + len <= name.length ? name.subarray(i, i + len).toString('utf8') : '';
    if (text && !text.includes('\ufffd')) {
      out += text;
      i += len;
    } else {
      out += `\\x${c.toString(16).padStart(2, '0')}`;
      i++;
    }
  }
  return out;
}

function reason(err: unknown): string {
  const code = (err as { code?: string })?.code;
  return code === 'EACCES' || code === 'EPERM' ? 'permission denied' : ((err as Error)?.message ?? String(err));
}

/**
 * Every file under `root`, followed through symbolic links (a link to a file is that file, a link to a folder is
 * searched), with what could not be listed: a loop of links, a link to nothing, a folder reached twice through
 * links (searched once), a name that is not UTF-8, an unreadable folder, something that is not a file (a FIFO
 * would block a read). Real folders are searched before linked ones, so a file keeps its own path when a link
 * also leads to it.
 */
function walkFiles(root: string): { files: string[]; issues: ImportIssue[] } {
  const files: string[] = [];
  const issues: ImportIssue[] = [];
  const rel = (p: string) => toPosix(path.relative(root, p));
  const searched = new Set<string>([fs.realpathSync(root)]);
  const stack = [root];
  const linkedFolders: string[] = [];
  for (let d = stack.pop(); d !== undefined; d = stack.pop() ?? linkedFolders.shift()) {
    let entries: fs.Dirent<Buffer>[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true, encoding: 'buffer' });
    } catch (err) {
      issues.push({ file: rel(d), code: 'unreadable', message: `${rel(d)}: the folder cannot be read (${reason(err)})` });
      continue;
    }
    for (const ent of entries) {
      const name = ent.name.toString('utf8');
      if (isLitter(name)) continue;
      const p = path.join(d, name);
      if (!Buffer.from(name, 'utf8').equals(ent.name)) {
        const shown = toPosix(path.join(path.relative(root, d), displayName(ent.name)));
        issues.push({ file: shown, code: 'bad_name', message: `${shown}: the file name is not valid UTF-8 (an older system's encoding); rename it to import it` });
        continue;
      }
      let kind: 'file' | 'folder' | 'other' = ent.isDirectory() ? 'folder' : ent.isFile() ? 'file' : 'other';
      const link = ent.isSymbolicLink();
      if (link) {
        let target: fs.Stats;
        try {
          target = fs.statSync(p);
        } catch (err) {
          const code = (err as { code?: string }).code;
          const r = rel(p);
          if (code === 'ELOOP') issues.push({ file: r, code: 'link_loop', message: `${r}: a symbolic link that leads back to itself (a loop of links); not followed` });
          else if (code === 'ENOENT') issues.push({ file: r, code: 'missing', message: `${r}: a symbolic link to nothing (${fs.readlinkSync(p)} does not exist)` });
          else issues.push({ file: r, code: 'unreadable', message: `${r}: a symbolic link that cannot be followed (${reason(err)})` });
          continue;
        }
        kind = target.isDirectory() ? 'folder' : target.isFile() ? 'file' : 'other';
      }
      if (kind === 'folder') {
        if (link) linkedFolders.push(p);
        else {
          searched.add(fs.realpathSync(p));
          stack.push(p);
        }
      } else if (kind === 'file') files.push(p);
      else issues.push({ file: rel(p), code: 'unreadable', message: `${rel(p)}: not a regular file (a pipe, socket or device); skipped` });
    }
    // a linked folder is searched once, after the real ones, unless it leads to one already searched (a loop)
    while (!stack.length && linkedFolders.length) {
      const next = linkedFolders[0];
      const real = fs.realpathSync(next);
      if (!searched.has(real)) {
        searched.add(real);
        break;
      }
      linkedFolders.shift();
      const r = rel(next);
      const where = rel(real);
      issues.push({
        file: r,
        code: 'link_loop',
        message: `${r}: a link to a folder already searched (${where.startsWith('..') ? real : where || 'the dataset folder'}); not followed again, so no file is imported twice`,
      });
    }
  }
  return { files: files.sort(), issues };
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
  const walk = walkFiles(root);
  const issues: ImportIssue[] = [...walk.issues];
  for (const file of walk.files) {
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
  const walk = walkFiles(root);
  const issues: ImportIssue[] = [...walk.issues];
  for (const file of walk.files) {
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
