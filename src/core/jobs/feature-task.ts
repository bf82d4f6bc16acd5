import { applyAugmentation, type AugParams } from '../augment';
import { loadMono, loadMonoResident } from '../audio/decode';
import { AudioError } from '../audio/errors';
import { initFft } from '../dsp/fft';
import { countNonFiniteWasm, withWasmSession, type F32Input } from '../dsp/wasm/kernels';
import type { FeatureConfig } from '../features/config';
import { extractFeatures, type ExtractOptions, type FeatureResult } from '../features/extract';
import { type FeaturePresetName, type PresetResult, extractPreset } from '../features/presets';

/** One file's work: decode once, then the original and/or any augmented copies. */
export interface FeatureTask {
  path: string;
  config: FeatureConfig;
  /** '' = the clip as it is. */
  variants: { augId: string; params?: AugParams }[];
  returnBlocks?: boolean;
  /**
   * The vector to compute (features/presets.ts); default reference-166, whose blocks `config` may narrow. Any other
   * preset computes its own fixed blocks (`config` must be the preset's: its sample rate is the decode's).
   */
  preset?: FeaturePresetName;
  /**
   * Longest signal the task takes, in samples at the config's rate (training's maximum clip duration): a longer
   * one fails with too_long before any feature or augmented copy is computed.
   */
  maxSamples?: number;
}

export interface FeatureTaskOutput {
  nSamples: number;
  sampleRate: number;
  items: ({ augId: string; augParams?: AugParams } & (FeatureResult | PresetResult))[];
}

/** The task's vector: extractFeatures with its config (reference-166), or its preset's. */
function extractFor(task: FeatureTask, y: Parameters<typeof extractFeatures>[0], options: ExtractOptions): FeatureResult | PresetResult {
  if (!task.preset || task.preset === 'reference-166') return extractFeatures(y, task.config, options);
  return extractPreset(y, task.preset, options);
}

export async function runFeatureTask(task: FeatureTask): Promise<FeatureTaskOutput> {
  await initFft();
  // the clip as it is (no augmentation): decoded, resampled and analysed in WASM memory when it is
  // a plain WAV file (same values; no per-clip garbage on the JS heap)
  if (task.variants.every((v) => !v.params)) {
    const out = withWasmSession(() => {
      const sig = loadMonoResident(task.path, { sampleRate: task.config.sampleRate });
      if (!sig) return null;
      checkSignal(sig.y, task);
      // (a long signal's chunked path may reuse its memory once the last variant is done with it)
      const last = task.variants.length - 1;
      const items = task.variants.map((v, i) => ({
        augId: v.augId,
        ...extractFor(task, sig.y, { returnBlocks: task.returnBlocks, consumeSignal: i === last }),
      }));
      return { nSamples: sig.nSamples, sampleRate: sig.sampleRate, items };
    });
    if (out) return out;
  }
  const signal = await loadMono(task.path, { sampleRate: task.config.sampleRate });
  checkSignal(signal.y, task);
  const items: FeatureTaskOutput['items'] = [];
  for (const v of task.variants) {
    let y = signal.y;
    let augParams: AugParams | undefined;
    if (v.params) {
      const aug = applyAugmentation(y, signal.sampleRate, v.params);
      y = aug.y;
      augParams = aug.params;
    }
    items.push({ augId: v.augId, augParams, ...extractFor(task, y, { returnBlocks: task.returnBlocks }) });
  }
  return { nSamples: signal.nSamples, sampleRate: signal.sampleRate, items };
}

/**
 * What the features need of a decoded signal, checked at the decode/feature boundary: samples (a header with none
 * is empty), finite values (librosa refuses NaN and infinities: "audio buffer is not finite everywhere"; they would
 * make every feature NaN), and no more than the task's maximum length.
 */
export function checkSignal(y: F32Input, task: Pick<FeatureTask, 'path' | 'config' | 'maxSamples'>): void {
  if (y.length === 0) throw new AudioError('empty', 'the file holds no audio samples (a header only)', task.path);
  if (countNonFiniteWasm(y) > 0) {
    throw new AudioError(
      'not_finite',
      'the audio holds NaN or infinite sample values; librosa refuses such input ("audio buffer is not finite everywhere") and every feature would be NaN: re-export the file',
      task.path,
    );
  }
  if (task.maxSamples !== undefined && y.length > task.maxSamples) {
    const sr = task.config.sampleRate;
    throw new AudioError('too_long', `${minutes(y.length / sr)} of audio is longer than the longest clip taken (${minutes(task.maxSamples / sr)})`, task.path);
  }
}

function minutes(sec: number): string {
  if (sec < 60) return `${sec.toFixed(1)} s`;
  const m = Math.floor(sec / 60);
  return `${m} min ${String(Math.round(sec - 60 * m)).padStart(2, '0')} s`;
}
