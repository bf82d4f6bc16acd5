import { createRequire } from 'node:module';

/** Whether the optional native backend (@tensorflow/tfjs-node) is installed and loads here. */
export function tfjsNodeLoads(): boolean {
  try {
    createRequire(import.meta.url)('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
}
