import { applyAugmentation, type AugParams } from '../augment';
import { loadMono } from '../audio/decode';
import { initFft } from '../dsp/fft';
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
