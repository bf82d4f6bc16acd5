import { migration0001 } from './0001-datasets';

export interface Migration {
  version: number;
  name: string;
  /** SQL run inside one transaction together with the version bump. */
  up: string;
}

/** Ordered, append-only: never edit a migration that has shipped; add the next number. */
export const migrations: Migration[] = [migration0001];

export const LATEST_SCHEMA_VERSION = migrations[migrations.length - 1].version;
