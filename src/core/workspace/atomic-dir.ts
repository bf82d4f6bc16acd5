/**
 * Folders and files the workspace refers to are written whole or not at all: into a temporary sibling (same
 * parent, so the rename never crosses a file system), flushed to disk, then renamed into place. A process killed
 * half-way (kill -9, a crash, power loss) leaves at most a `.name.partial-<pid>-<n>` sibling, never a model folder
 * with half a weights file that a database row points at; sweepPartials removes those left by dead processes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { processAlive } from './process-alive';

let counter = 0;
const PARTIAL = /^\.(.+)\.partial-(\d+)-\d+$/;

function partialName(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.partial-${process.pid}-${counter++}`);
}

function fsyncPath(p: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(p, 'r');
    fs.fsyncSync(fd);
  } catch {
    // some platforms refuse to open or sync a directory; the rename is still atomic
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

function fsyncTree(dir: string): void {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) fsyncTree(p);
    else if (e.isFile()) fsyncPath(p);
  }
  fsyncPath(dir);
}

/**
 * Writes the folder `dir` through `write(tmp)`, which fills a fresh temporary folder; then replaces `dir` with it
 * in one rename (an older `dir` is moved aside first and removed). On failure the temporary folder is removed and
 * `dir` is left as it was.
 */
export async function writeDirAtomically<T>(dir: string, write: (tmp: string) => Promise<T> | T): Promise<T> {
  const target = path.resolve(dir);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const tmp = partialName(target);
  fs.mkdirSync(tmp);
  try {
    const result = await write(tmp);
    fsyncTree(tmp);
    if (fs.existsSync(target)) {
      // (a folder left by a run that did not record it, or the last export of a report): aside, then gone
      const old = partialName(target);
      fs.renameSync(target, old);
      fs.renameSync(tmp, target);
      fs.rmSync(old, { recursive: true, force: true });
    } else {
      fs.renameSync(tmp, target);
    }
    fsyncPath(path.dirname(target));
    return result;
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
}

/** Writes one file whole: a temporary sibling, flushed, renamed over `file`. */
export function writeFileAtomically(file: string, data: string | Uint8Array): void {
  const tmp = partialName(file);
  try {
    fs.writeFileSync(tmp, data);
    fsyncPath(tmp);
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  fsyncPath(path.dirname(path.resolve(file)));
}

/** Removes the temporary siblings in `parent` left by processes that no longer run; returns their names. */
export function sweepPartials(parent: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(parent);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = PARTIAL.exec(name);
    if (!m) continue;
    const pid = Number(m[2]);
    if (pid === process.pid || processAlive(pid)) continue;
    fs.rmSync(path.join(parent, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}
