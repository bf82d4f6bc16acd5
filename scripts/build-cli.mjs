// Bundles the plain-Node parts (CLI, web bridge, job/worker entries) into out/cli with esbuild.
// npm packages stay external: native addons (better-sqlite3, tfjs-node) and wasm files load from node_modules.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { JOB_ENTRIES } from './job-entries.mjs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
// Worker/job entries are separate bundles because they start in their own thread or process.
const entryPoints = ['src/cli/index.ts', ...Object.values(JOB_ENTRIES), ...(process.env.SER_EXTRA_ENTRIES ?? '').split(',').filter(Boolean)];

// chunk names carry content hashes: the chunks of earlier builds would pile up beside the new ones
rmSync('out/cli', { recursive: true, force: true });

await build({
  entryPoints,
  outdir: 'out/cli',
  outbase: 'src',
  entryNames: '[name]',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  // commands load their modules when they run (src/cli/main.ts): shared code goes to chunks of its own, beside the
  // entries (code that finds files relative to import.meta.url, e.g. worker entries, must stay in out/cli)
  splitting: true,
  chunkNames: '[name]-[hash]',
  packages: 'external',
  sourcemap: true,
  define: { __SER_STUDIO_VERSION__: JSON.stringify(pkg.version) },
  logLevel: 'warning',
});
console.log(`built ${entryPoints.length} CLI entr${entryPoints.length === 1 ? 'y' : 'ies'} into out/cli`);
