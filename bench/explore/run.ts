// How long the feature explorer's projection takes from a warm feature cache (the decision not to store
// projections rests on it): EmoDB (../shared/data/emodb, 535 clips) and the demo set, extracted once into a
// scratch workspace, then the projection timed N times (reading 535 cached vectors + standardising + PCA).
//   npx tsx bench/explore/run.ts [--repeat 20]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { importDataset } from '../../src/core/dataset/import';
import { cachedProjection, exploreRequest, extractForExplorer } from '../../src/core/explore/project';
import { openWorkspace } from '../../src/core/workspace/workspace';

const repeat = Number(process.argv[process.argv.indexOf('--repeat') + 1]) || 20;
const sets = [
  { name: 'demo', source: path.resolve('resources/demo/manifest.csv') },
  { name: 'emodb', source: path.resolve('../shared/data/emodb') },
].filter((s) => fs.existsSync(s.source));

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-explore-'));
const ws = openWorkspace(dir);
try {
  for (const set of sets) {
    const report = await importDataset(ws.db, { source: set.source, name: set.name });
    const req = exploreRequest(report.id);
    const t0 = performance.now();
    const summary = await extractForExplorer(ws.db, req);
    const extractS = (performance.now() - t0) / 1000;
    const times: number[] = [];
    const pcaTimes: number[] = [];
    let explained: readonly number[] = [];
    for (let i = 0; i < repeat; i++) {
      const t = performance.now();
      const p = cachedProjection(ws.db, req)!;
      times.push(performance.now() - t);
      pcaTimes.push(p.pcaMs);
      explained = p.explained;
    }
    const sorted = [...times].sort((a, b) => a - b);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    console.log(
      `${set.name}: ${report.clips} clips, extraction ${extractS.toFixed(1)} s (${summary.failed.length} failed); ` +
        `projection from the cache: first ${times[0].toFixed(1)} ms, median ${median(times).toFixed(1)} ms, min ${sorted[0].toFixed(1)} ms ` +
        `(PCA alone median ${median(pcaTimes).toFixed(1)} ms); PC1 ${(explained[0] * 100).toFixed(1)}%, PC2 ${(explained[1] * 100).toFixed(1)}%`,
    );
  }
} finally {
  ws.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
