import { resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { defineConfig } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { JOB_ENTRIES } from './scripts/job-entries.mjs';

const pkg = JSON.parse(readFileSync(resolve(__dirname, 'package.json'), 'utf8')) as { version: string };
const define = { __SER_STUDIO_VERSION__: JSON.stringify(pkg.version) };
// Native addons and packages that load files next to themselves must stay outside the bundle.
const external = ['better-sqlite3', '@tensorflow/tfjs-node', '@tensorflow/tfjs-backend-wasm', '@echogarden/pffft-wasm', '@napi-rs/canvas', 'pdfkit'];

export default defineConfig({
  main: {
    define,
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          engine: resolve(__dirname, 'src/main/engine.ts'),
          ...Object.fromEntries(Object.entries(JOB_ENTRIES).map(([name, file]) => [name, resolve(__dirname, file)])),
        },
        external,
        // Shared chunks sit beside the entries: job and worker entries are located relative to the calling module.
        output: { chunkFileNames: '[name]-[hash].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload must be CommonJS.
      rollupOptions: { input: { index: resolve(__dirname, 'src/preload/index.ts') }, output: { format: 'cjs', entryFileNames: '[name].cjs' } },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    plugins: [svelte()],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      minify: true,
      rollupOptions: { input: resolve(__dirname, 'src/renderer/index.html') },
    },
  },
});
