import fs from 'node:fs';
import path from 'node:path';
import { importDataset } from '../../src/core/dataset/import';
import { openWorkspace, type Workspace } from '../../src/core/workspace/workspace';
import { tempDir } from './make-wav';

/** A fresh workspace holding the bundled demo dataset (98 clips, 7 classes, 4 speakers) as 'demo'. */
export async function demoWorkspace(prefix = 'demo-ws'): Promise<Workspace> {
  const manifest = path.resolve('resources/demo/manifest.csv');
  if (!fs.existsSync(manifest)) throw new Error(`demo dataset missing: ${manifest}`);
  const ws = openWorkspace(tempDir(prefix));
  await importDataset(ws.db, { source: manifest, name: 'demo' });
  return ws;
}
