import { fork } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { resolveFeatureConfig } from '../../src/core/features/config';
import { goldenAudioPath } from '../helpers/golden';
import { tempDir } from '../helpers/make-wav';

// The Electron build bundles the engine's job and worker entries with electron-vite (its own module shims);
// they run in plain Node child processes / worker threads, so they are checked here without Electron.
const outMain = path.resolve('out/main');
const built = fs.existsSync(path.join(outMain, 'job-process.js'));

describe.skipIf(!built && !process.env.CI)('Electron main bundle (out/main)', () => {
  it('was built (npm run build)', () => {
    expect(built, 'run npm run build first').toBe(true);
  });

  it('job-process.js loads and answers a train request', async () => {
    const child = fork(path.join(outMain, 'job-process.js'), [], { serialization: 'advanced', stdio: 'pipe' });
    const reply = await new Promise<{ kind: string; error?: { code: string } }>((resolve, reject) => {
      child.on('message', (m: { kind: string }) => m.kind !== 'progress' && resolve(m));
      child.on('exit', (code) => reject(new Error(`job-process exited with ${code}`)));
      child.send({ kind: 'start', workspace: tempDir('bundle-ws'), request: { dataset: 'missing' } });
    });
    child.kill();
    expect(reply).toMatchObject({ kind: 'error', error: { code: 'not_found' } });
  });

  it('report-job.js and classify-job.js load and answer a request', async () => {
    const ask = (entry: string, msg: object) =>
      new Promise<{ kind: string; error?: { code: string } }>((resolve, reject) => {
        const child = fork(path.join(outMain, entry), [], { serialization: 'advanced', stdio: 'pipe' });
        child.on('message', (m: { kind: string }) => {
          if (m.kind === 'progress') return;
          child.kill();
          resolve(m);
        });
        child.on('exit', (code) => reject(new Error(`${entry} exited with ${code}`)));
        child.send(msg);
      });
    const ws = tempDir('bundle-ws');
    expect(await ask('report-job.js', { kind: 'start', workspace: ws, request: { target: { experimentId: 1 }, lang: 'en', format: 'md' } })).toMatchObject({ kind: 'error', error: { code: 'not_found' } });
    expect(await ask('classify-job.js', { kind: 'start', workspace: ws, request: { model: { experimentId: 1 }, source: { kind: 'folder', path: ws } } })).toMatchObject({
      kind: 'error',
      error: { code: 'not_found' },
    });
  });

  it('explore-job.js loads and answers a request', async () => {
    const child = fork(path.join(outMain, 'explore-job.js'), [], { serialization: 'advanced', stdio: 'pipe' });
    const reply = await new Promise<{ kind: string; error?: { code: string } }>((resolve, reject) => {
      child.on('message', (m: { kind: string }) => m.kind !== 'progress' && resolve(m));
      child.on('exit', (code) => reject(new Error(`explore-job exited with ${code}`)));
      child.send({ kind: 'start', workspace: tempDir('bundle-ws'), request: { datasetId: 1, features: resolveFeatureConfig(), blocks: ['mfcc'] } });
    });
    child.kill();
    expect(reply).toMatchObject({ kind: 'error', error: { code: 'not_found' } });
  });

  it('feature-worker.js loads and extracts a vector', async () => {
    const worker = new Worker(path.join(outMain, 'feature-worker.js'));
    const file = goldenAudioPath('synth', 'anger/anger_18_ru.wav');
    const reply = await new Promise<{ ok: boolean; output?: { items: { vector: Float64Array }[] } }>((resolve, reject) => {
      worker.on('message', resolve);
      worker.on('error', reject);
      worker.postMessage({ id: 1, input: { path: file, config: resolveFeatureConfig(), variants: [{ augId: '' }] } });
    });
    await worker.terminate();
    expect(reply.ok).toBe(true);
    expect(reply.output!.items[0].vector).toHaveLength(166);
  });
});
