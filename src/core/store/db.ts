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

/** How long a connection waits for another process's write lock before SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 30_000;

/** Opens (creating if needed) a workspace database and migrates it to the latest schema. */
export function openDatabase(workspaceDir: string, options: OpenOptions = {}): Db {
  fs.mkdirSync(workspaceDir, { recursive: true });
  const file = path.join(workspaceDir, DB_FILE);
  // Other processes may write the same workspace at once (two CLI commands, the app and a terminal): every
  // connection waits for a lock up to BUSY_TIMEOUT_MS instead of failing with SQLITE_BUSY, and transactions stay
  // short (an epoch, a clip's features, an import's rows) so that no one waits long.
  const db = new Database(file, { timeout: BUSY_TIMEOUT_MS, ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}) });
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
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
    // BEGIN IMMEDIATE, and the version read again under the write lock: two processes opening a new workspace at
    // once would otherwise both see version 0, and the second would fail on 'table already exists'.
    db.transaction(() => {
      if (schemaVersion(db) >= m.version) return;
      db.exec(m.up);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
  }
  return schemaVersion(db);
}

export { LATEST_SCHEMA_VERSION };
