import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ApiError } from '../../shared/errors';
import { LATEST_SCHEMA_VERSION, migrations, type Migration } from './migrations/index';

export type Db = Database.Database;

export interface OpenOptions {
  /** Compiled better-sqlite3 addon to use (Electron passes its own ABI build). */
  nativeBinding?: string;
  migrations?: Migration[];
}

export const DB_FILE = 'ser-studio.sqlite';

/** Opens (creating if needed) a workspace database and migrates it to the latest schema. */
export function openDatabase(workspaceDir: string, options: OpenOptions = {}): Db {
  fs.mkdirSync(workspaceDir, { recursive: true });
  const file = path.join(workspaceDir, DB_FILE);
  const db = new Database(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, options.migrations ?? migrations);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export function migrate(db: Db, list: Migration[] = migrations): number {
  const latest = list.length ? list[list.length - 1].version : 0;
  const current = schemaVersion(db);
  if (current > latest) {
    throw new ApiError(
      'workspace_too_new',
      `This workspace was written by a newer SER Studio (schema ${current}; this version understands up to ${latest}). ` +
        'Update SER Studio or choose another workspace with --workspace.',
    );
  }
  for (const m of list) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.up);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return schemaVersion(db);
}

export { LATEST_SCHEMA_VERSION };
