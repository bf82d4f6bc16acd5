import { applyAugmentation, type AugParams } from '../augment';
import { loadMono, loadMonoResident } from '../audio/decode';
import { initFft } from '../dsp/fft';
import { withWasmSession } from '../dsp/wasm/kernels';
import type { FeatureConfig } from '../features/config';
import { extractFeatures, type FeatureResult } from '../features/extract';

/** One file's work: decode once, then the original and/or any augmented copies. */
export interface FeatureTask {
  path: string;
  config: FeatureConfig;
  /** '' = the clip as it is. */
  variants: { augId: string; params?: AugParams }[];
  returnBlocks?: boolean;
}

export interface FeatureTaskOutput {
  nSamples: number;
  sampleRate: number;
  items: ({ augId: string; augParams?: AugParams } & FeatureResult)[];
}

export async function runFeatureTask(task: FeatureTask): Promise<FeatureTaskOutput> {
  await initFft();
  // the clip as it is (no augmentation): decoded, resampled and analysed in WASM memory when it is
  // a plain WAV file (same values; no per-clip garbage on the JS heap)
  if (task.variants.every((v) => !v.params)) {
    const out = withWasmSession(() => {
      const sig = loadMonoResident(task.path, { sampleRate: task.config.sampleRate });
      if (!sig) return null;
      // (a long signal's chunked path may reuse its memory once the last variant is done with it)
      const last = task.variants.length - 1;
      const items = task.variants.map((v, i) => ({
        augId: v.augId,
        ...extractFeatures(sig.y, task.config, { returnBlocks: task.returnBlocks, consumeSignal: i === last }),
      }));
      return { nSamples: sig.nSamples, sampleRate: sig.sampleRate, items };
    });
    if (out) return out;
  }
  const signal = await loadMono(task.path, { sampleRate: task.config.sampleRate });
  const items: FeatureTaskOutput['items'] = [];
  for (const v of task.variants) {
    let y = signal.y;
    let augParams: AugParams | undefined;
    if (v.params) {
      const aug = applyAugmentation(y, signal.sampleRate, v.params);
      y = aug.y;
      augParams = aug.params;
    }
    items.push({ augId: v.augId, augParams, ...extractFeatures(y, task.config, { returnBlocks: task.returnBlocks }) });
  }
  return { nSamples: signal.nSamples, sampleRate: signal.sampleRate, items };
}
