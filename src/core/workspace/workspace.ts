import fs from 'node:fs';
import path from 'node:path';
import { openDatabase, schemaVersion, type Db, type OpenOptions } from '../store/db';
import { ClassifyRunStore } from '../store/classify-runs';
import { ExperimentStore } from '../store/experiments';
import { resolveWorkspaceDir } from './location';
import { sweepPartials } from './atomic-dir';
import { reportsRoot } from '../report/files';

/** A workspace: one SQLite file plus a folder for trained models, beside each other. */
export interface Workspace {
  readonly dir: string;
  readonly modelsDir: string;
  readonly db: Db;
  readonly schemaVersion: number;
  close(): void;
}

export function openWorkspace(dir?: string, options: OpenOptions = {}): Workspace {
  const root = resolveWorkspaceDir(dir);
  // The Electron shell passes its own better-sqlite3 build (Electron ABI) to every engine process it starts.
  const nativeBinding = options.nativeBinding ?? (process.env.SER_STUDIO_SQLITE_BINDING || undefined);
  const db = openDatabase(root, { ...options, nativeBinding });
  const modelsDir = path.join(root, 'models');
  fs.mkdirSync(modelsDir, { recursive: true });
  // Half-written model folders and reports of processes killed while writing them (never referenced: they are
  // renamed into place only once complete).
  sweepPartials(modelsDir);
  sweepPartials(reportsRoot(root));
  // A run (training or classification) whose process died (killed, crashed, power loss) is shown as interrupted,
  // never as running forever.
  new ExperimentStore(db).markOrphansInterrupted();
  new ClassifyRunStore(db).markOrphansInterrupted();
  return {
    dir: root,
    modelsDir,
    db,
    schemaVersion: schemaVersion(db),
    close: () => db.close(),
  };
}
