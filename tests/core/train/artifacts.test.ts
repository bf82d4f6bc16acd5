import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelFromArtifacts, modelToArtifacts, readModelDir, writeModelDir } from '../../../src/core/train/artifacts';
import { selectBackend } from '../../../src/core/train/backend';
import { mlpSpec } from '../../../src/core/train/mlp-spec';
import { buildMlp } from '../../../src/core/train/model';
import { fitStandardizer } from '../../../src/core/train/standardize';
import { clusters } from './helpers';

let dir = '';
beforeAll(async () => {
  await selectBackend('cpu');
  dir = await mkdtemp(path.join(os.tmpdir(), 'ser-model-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('model artifacts', () => {
  it('round-trip through memory and a model.json + weights.bin directory', async () => {
    const { x } = clusters(20, 166, 7, 3);
    const model = buildMlp(mlpSpec({ inputDim: 166, nClasses: 7, seed: 11 }));
    const standardizer = fitStandardizer(x);
    const artifacts = await modelToArtifacts(model, { standardizer, labels: ['a', 'b', 'c', 'd', 'e', 'f', 'g'] });
    expect(artifacts.weightSpecs?.map((w) => w.shape)).toEqual([[166, 256], [256], [256, 128], [128], [128, 64], [64], [64, 7], [7]]);

    const input = tf.tensor2d(x.data, [20, 166]);
    const expected = Array.from((model.predict(input) as tf.Tensor).dataSync());

    const fromMemory = await modelFromArtifacts(artifacts);
    expect(Array.from((fromMemory.predict(input) as tf.Tensor).dataSync())).toEqual(expected);

    const files = await writeModelDir(path.join(dir, 'm1'), artifacts);
    const json = JSON.parse(await readFile(files.modelJson, 'utf8'));
    expect(json.weightsManifest[0].paths).toEqual(['weights.bin']);
    expect((await readFile(files.weightsBin)).byteLength).toBe(84359 * 4);

    const back = await readModelDir(path.join(dir, 'm1'));
    expect(back.userDefinedMetadata).toEqual(JSON.parse(JSON.stringify({ standardizer, labels: ['a', 'b', 'c', 'd', 'e', 'f', 'g'] })));
    const fromDisk = await modelFromArtifacts(back);
    expect(Array.from((fromDisk.predict(input) as tf.Tensor).dataSync())).toEqual(expected);
    expect(fromDisk.layers.map((l) => l.name)).toEqual(model.layers.map((l) => l.name));
    input.dispose();
    [model, fromMemory, fromDisk].forEach((m) => m.dispose());
  });
});
