/**
 * Saving and loading trained models in the tfjs format: in memory as ModelArtifacts (to cross a process
 * boundary) and on disk as model.json + weights.bin, the layout `tf.loadLayersModel('file://...')` and
 * the Python converter understand. The standardizer and other metadata travel in `userDefinedMetadata`.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';

import { MODEL_FILES } from '../../shared/classify-params';

const MODEL_JSON = MODEL_FILES.modelJson;
const WEIGHTS_BIN = MODEL_FILES.weights;

/** The artifacts of `model`, with `metadata` attached (JSON-serialisable). */
export async function modelToArtifacts(model: tf.LayersModel, metadata?: Record<string, object | string | number | boolean>): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  if (!saved) throw new Error('model.save produced no artifacts');
  const artifacts = saved as tf.io.ModelArtifacts;
  return metadata ? { ...artifacts, userDefinedMetadata: { ...(artifacts.userDefinedMetadata ?? {}), ...metadata } } : artifacts;
}

export async function modelFromArtifacts(artifacts: tf.io.ModelArtifacts): Promise<tf.LayersModel> {
  return tf.loadLayersModel(tf.io.fromMemory(artifacts));
}

function weightBytes(artifacts: tf.io.ModelArtifacts): ArrayBuffer {
  if (!artifacts.weightData) return new ArrayBuffer(0);
  return tf.io.CompositeArrayBuffer.join(artifacts.weightData);
}

/** Writes `dir`/model.json and `dir`/weights.bin; returns their paths. */
export async function writeModelDir(dir: string, artifacts: tf.io.ModelArtifacts): Promise<{ modelJson: string; weightsBin: string }> {
  await mkdir(dir, { recursive: true });
  const modelJson = {
    format: artifacts.format ?? 'layers-model',
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy ?? null,
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }],
    ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
  };
  const paths = { modelJson: path.join(dir, MODEL_JSON), weightsBin: path.join(dir, WEIGHTS_BIN) };
  await writeFile(paths.weightsBin, Buffer.from(weightBytes(artifacts)));
  await writeFile(paths.modelJson, JSON.stringify(modelJson));
  return paths;
}

export interface ModelJsonFile {
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  modelTopology: object;
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  userDefinedMetadata?: Record<string, object>;
}

/** The artifacts of a parsed model.json and the bytes of its weight files, in manifest order. */
export function artifactsOf(json: ModelJsonFile, weights: readonly Uint8Array[]): tf.io.ModelArtifacts {
  return {
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy ?? undefined,
    modelTopology: json.modelTopology,
    weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
    weightData: tf.io.CompositeArrayBuffer.join(weights.map((b) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer)),
    userDefinedMetadata: json.userDefinedMetadata,
  };
}

/** Reads a model directory written by `writeModelDir` (or any single-directory tfjs layers model). */
export async function readModelDir(dir: string): Promise<tf.io.ModelArtifacts> {
  const json = JSON.parse(await readFile(path.join(dir, MODEL_JSON), 'utf8')) as ModelJsonFile;
  const weights = await Promise.all(json.weightsManifest.flatMap((g) => g.paths).map((p) => readFile(path.join(dir, p))));
  return artifactsOf(json, weights);
}
