import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DB_FILE, migrate, openDatabase, schemaVersion } from '../../../src/core/store/db';
import { LATEST_SCHEMA_VERSION, migrations, type Migration } from '../../../src/core/store/migrations/index';
import { tempDir } from '../../helpers/make-wav';

describe('workspace database', () => {
  it('creates a WAL database with foreign keys at the latest schema version', () => {
    const dir = tempDir('db');
    const db = openDatabase(dir);
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
    expect(fs.existsSync(path.join(dir, DB_FILE))).toBe(true);
  });

  it('migrates an older workspace forward, keeping its data', () => {
    const dir = tempDir('db-old');
    const v1 = openDatabase(dir, { migrations: migrations.slice(0, 1) });
    v1.prepare("INSERT INTO datasets (name, source, source_kind, created_at, updated_at) VALUES ('x', '/x', 'folder', 'now', 'now')").run();
    v1.close();
    const extra: Migration = { version: 2, name: 'test-extra', up: 'CREATE TABLE extra (id INTEGER PRIMARY KEY);' };
    const db = openDatabase(dir, { migrations: [...migrations.slice(0, 1), extra] });
    expect(schemaVersion(db)).toBe(2);
    expect(db.prepare('SELECT name FROM datasets').all()).toEqual([{ name: 'x' }]);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'extra'").get()).toBeTruthy();
    db.close();
  });

  it('refuses a workspace written by a newer version with a clear message', () => {
    const dir = tempDir('db-new');
    const raw = new Database(path.join(dir, DB_FILE));
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 5}`);
    raw.close();
    expect(() => openDatabase(dir)).toThrow(/newer SER Studio/);
  });

  it('rolls back a failing migration as a whole', () => {
    const db = new Database(':memory:');
    const bad: Migration = { version: 1, name: 'bad', up: 'CREATE TABLE a (id INTEGER); CREATE TABLE a (id INTEGER);' };
    expect(() => migrate(db, [bad])).toThrow();
    expect(schemaVersion(db)).toBe(0);
    expect(db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'a'").get()).toEqual({ n: 0 });
  });
});
