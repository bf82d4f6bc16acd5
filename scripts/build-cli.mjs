// Bundles the plain-Node parts (CLI, web bridge, job/worker entries) into out/cli with esbuild.
// npm packages stay external: native addons (better-sqlite3, tfjs-node) and wasm files load from node_modules.
import { build } from 'esbuild';
import { existsSync, readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const entryPoints = ['src/cli/index.ts', ...(process.env.SER_EXTRA_ENTRIES ?? '').split(',').filter(Boolean)];
// Worker/job entries are separate bundles because they start in their own thread or process.
for (const e of ['src/core/jobs/feature-worker.ts', 'src/core/jobs/job-process.ts', 'src/core/classify/classify-job.ts', 'src/core/report/report-job.ts', 'src/core/explore/explore-job.ts']) if (existsSync(e)) entryPoints.push(e);

await build({
  entryPoints,
  outdir: 'out/cli',
  outbase: 'src',
  entryNames: '[name]',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  sourcemap: true,
  define: { __SER_STUDIO_VERSION__: JSON.stringify(pkg.version) },
  logLevel: 'warning',
});
console.log(`built ${entryPoints.length} CLI entr${entryPoints.length === 1 ? 'y' : 'ies'} into out/cli`);
