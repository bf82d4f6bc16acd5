/**
 * What to classify: the audio files of a folder (recursive, by extension), of a CSV manifest
 * (path[,label][,speaker], paths relative to it) or of a list. Nothing is dropped silently: a folder's other
 * files, hidden entries and a manifest's repeated or empty rows are listed as skipped with the reason.
 * True labels come from the first sub-folder (as import reads a folder per label) when any of those names
 * is one of the model's classes, or from the manifest's label column.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AUDIO_EXTENSIONS, isAudioFileName } from '../../shared/classify-params';
import type { ClassifySource, SkippedFile } from '../../shared/classify';
import { ApiError } from '../../shared/errors';
import { parseCsv } from '../dataset/csv';
import { displayName } from '../dataset/scan';

export interface InputFile {
  /** As the user knows it: relative to the folder or manifest (posix separators), or as given. */
  file: string;
  absPath: string;
  labelTrue: string | null;
  /** The manifest's speaker column (null when it has none, or the row leaves it empty). */
  speaker?: string | null;
}

export interface InputList {
  files: InputFile[];
  skipped: SkippedFile[];
  labelSource: 'folder' | 'manifest' | null;
}

const toPosix = (p: string) => p.split(path.sep).join('/');
const extensions = AUDIO_EXTENSIONS.join(' ');

export function collectInputs(source: ClassifySource, classes: readonly string[]): InputList {
  if (source.kind === 'folder') return collectFolder(source.path, classes);
  if (source.kind === 'manifest') return collectManifest(source.path);
  return collectFiles(source.paths);
}

function statOrThrow(p: string): fs.Stats {
  try {
    return fs.statSync(p);
  } catch {
    throw new ApiError('source_not_found', `${p}: no such file or folder`);
  }
}

function collectFolder(dir: string, classes: readonly string[]): InputList {
  const root = path.resolve(dir);
  if (!statOrThrow(root).isDirectory()) throw new ApiError('bad_source', `${dir}: not a folder`);
  const found: { rel: string; abs: string }[] = [];
  const skipped: SkippedFile[] = [];
  const stack = [root];
  const visited = new Set<string>();
  while (stack.length) {
    const d = stack.pop()!;
    const real = fs.realpathSync(d);
    if (visited.has(real)) {
      // a link back up the tree, or to a folder already searched: its files are classified once
      const rel = toPosix(path.relative(root, d));
      skipped.push({ file: rel, code: 'link_loop', message: `${rel}: skipped: a link to a folder already searched (not followed again)` });
      continue;
    }
    visited.add(real);
    let entries: fs.Dirent<Buffer>[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true, encoding: 'buffer' });
    } catch (err) {
      const rel = toPosix(path.relative(root, d));
      skipped.push({ file: rel, code: 'unreadable', message: `${rel}: skipped: the folder cannot be read (${(err as Error).message})` });
      continue;
    }
    for (const raw of entries) {
      const name = raw.name.toString('utf8');
      const ent = { name, isDirectory: () => raw.isDirectory(), isSymbolicLink: () => raw.isSymbolicLink() };
      const abs = path.join(d, ent.name);
      const rel = toPosix(path.relative(root, abs));
      if (!Buffer.from(name, 'utf8').equals(raw.name)) {
        const shown = toPosix(path.join(path.relative(root, d), displayName(raw.name)));
        skipped.push({ file: shown, code: 'bad_name', message: `${shown}: skipped: the file name is not valid UTF-8 (rename it to classify it)` });
        continue;
      }
      // A symbolic link counts as what it points to (a link to a folder is searched); a loop of links or a link to
      // nothing is a file whose row says why it cannot be read.
      let linkTarget: fs.Stats | undefined;
      if (ent.isSymbolicLink()) {
        try {
          linkTarget = fs.statSync(abs);
        } catch {
          linkTarget = undefined;
        }
      }
      const isDir = ent.isDirectory() || linkTarget?.isDirectory() === true;
      if (ent.name.startsWith('.')) {
        skipped.push({ file: rel, code: 'not_audio', message: `${rel}: skipped: hidden ${isDir ? 'folder (not searched)' : 'file'}` });
      } else if (isDir) stack.push(abs);
      else if (!isAudioFileName(ent.name)) {
        skipped.push({ file: rel, code: 'not_audio', message: `${rel}: skipped: not an audio file by its extension (${extensions})` });
      } else found.push({ rel, abs });
    }
  }
  found.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  skipped.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  if (!found.length) {
    throw new ApiError('empty_source', `${dir}: no audio files (${extensions}) in the folder or below it${skipped.length ? ` (${skipped.length} other file(s) skipped)` : ''}`);
  }
  const folderOf = (rel: string) => (rel.includes('/') ? rel.slice(0, rel.indexOf('/')) : null);
  const known = new Set(classes);
  const labelled = found.some((f) => {
    const folder = folderOf(f.rel);
    return folder !== null && known.has(folder);
  });
  return {
    files: found.map((f) => ({ file: f.rel, absPath: f.abs, labelTrue: labelled ? folderOf(f.rel) : null })),
    skipped,
    labelSource: labelled ? 'folder' : null,
  };
}

function collectManifest(csvPath: string): InputList {
  const abs = path.resolve(csvPath);
  if (!statOrThrow(abs).isFile()) throw new ApiError('bad_source', `${csvPath}: not a file`);
  const root = path.dirname(abs);
  const rows = parseCsv(fs.readFileSync(abs, 'utf8'));
  if (!rows.length) throw new ApiError('bad_manifest', `${csvPath}: the manifest is empty`);
  const header = rows[0].map((h) => h.trim().toLowerCase());
  const pathCol = header.indexOf('path');
  const labelCol = header.indexOf('label');
  const speakerCol = header.indexOf('speaker');
  if (pathCol < 0) throw new ApiError('bad_manifest', `${csvPath}: the first row must name the columns path[,label][,speaker] (found: ${rows[0].join(',')})`);
  const files: InputFile[] = [];
  const skipped: SkippedFile[] = [];
  const seen = new Set<string>();
  rows.slice(1).forEach((row, i) => {
    const line = i + 2;
    const p = (row[pathCol] ?? '').trim();
    if (!p) {
      skipped.push({ file: `line ${line}`, code: 'bad_row', message: `${path.basename(csvPath)} line ${line}: no path` });
      return;
    }
    const absPath = path.resolve(root, p);
    const rel = toPosix(path.relative(root, absPath));
    if (seen.has(rel)) {
      skipped.push({ file: rel, code: 'repeated_row', message: `${rel}: listed more than once in the manifest (line ${line} ignored)` });
      return;
    }
    seen.add(rel);
    const label = labelCol >= 0 ? (row[labelCol] ?? '').trim() : '';
    const speaker = speakerCol >= 0 ? (row[speakerCol] ?? '').trim() : '';
    files.push({ file: rel, absPath, labelTrue: label || null, speaker: speaker || null });
  });
  if (!files.length) throw new ApiError('empty_source', `${csvPath}: the manifest lists no files`);
  return { files, skipped, labelSource: labelCol >= 0 && files.some((f) => f.labelTrue !== null) ? 'manifest' : null };
}

function collectFiles(paths: readonly string[]): InputList {
  const files: InputFile[] = [];
  const skipped: SkippedFile[] = [];
  const seen = new Set<string>();
  for (const p of paths) {
    const absPath = path.resolve(p);
    if (seen.has(absPath)) {
      skipped.push({ file: p, code: 'repeated_row', message: `${p}: given more than once (classified once)` });
      continue;
    }
    seen.add(absPath);
    // A file given by name is tried whatever its extension: if it is not audio, its row says why.
    files.push({ file: p, absPath, labelTrue: null });
  }
  return { files, skipped, labelSource: null };
}
