// `npm run demo`: the main job on the bundled demo dataset, in a fresh workspace.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const workspace = process.env.SER_DEMO_WORKSPACE ?? join(root, '.workspace-demo');
const cli = join(root, 'bin', 'ser-studio.js');

function run(args) {
  console.log(`\n$ ser-studio ${args.join(' ')}`);
  const r = spawnSync(process.execPath, [cli, ...args, '--workspace', workspace], { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`demo: 'ser-studio ${args[0]}' failed (exit ${r.status})`);
    process.exit(r.status ?? 1);
  }
}

rmSync(workspace, { recursive: true, force: true });
console.log(`Demo workspace: ${workspace}`);
run(['import', join(root, 'resources', 'demo', 'manifest.csv'), '--name', 'demo']);
run(['datasets']);
run(['train', '--dataset', 'demo', '--split', 'speaker', '--seed', '42']);
run(['experiments']);
// The run's report, in Russian like the reference report, and in English beside it.
const report = join(workspace, 'report');
run(['report', '1', '--format', 'both', '--lang', 'ru', '--out', report]);
run(['report', '1', '--format', 'both', '--lang', 'en', '--out', join(report, 'en')]);
console.log(`\nReport: ${join(report, 'report.pdf')} (and report.md; English in ${join(report, 'en')})`);
console.log(`\nDone. Browse it: node bin/ser-studio.js serve --workspace ${workspace}`);
