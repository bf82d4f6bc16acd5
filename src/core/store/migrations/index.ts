import { migration0001 } from './0001-datasets';
import { migration0002 } from './0002-feature-cache';
import { migration0003 } from './0003-experiments';
import { migration0004 } from './0004-experiment-weights';
import { migration0005 } from './0005-classify';
import { migration0006 } from './0006-experiment-notes';
import { migration0007 } from './0007-run-stage';
import { migration0008 } from './0008-skipped-clips';
import { migration0009 } from './0009-test-part';

export interface Migration {
  version: number;
  name: string;
  /** SQL run inside one transaction together with the version bump. */
  up: string;
}

/** Ordered, append-only: never edit a migration that has shipped; add the next number. */
export const migrations: Migration[] = [migration0001, migration0002, migration0003, migration0004, migration0005, migration0006, migration0007, migration0008, migration0009];

export const LATEST_SCHEMA_VERSION = migrations[migrations.length - 1].version;
