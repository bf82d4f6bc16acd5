import v8 from 'node:v8';

/**
 * V8's interrupt budget for processes that extract features: 30 times its default (67,584 bytes of
 * bytecode per tick), so that only JS that runs for long gets TurboFan.
 *
 * A feature worker spends its time in WASM. Its JS is per-clip glue (CQT plans, filter-bank geometry, WASM
 * memory bookkeeping) that runs a few thousand bytecodes per clip. With the default budget that glue got hot
 * within the first ~40 clips. TurboFan then compiled about 20 functions, each in a background thread, and
 * that thread took 110-130 ms of CPU from the worker's core over a fresh process's first 60 clips. Optimised,
 * the glue ran no faster: `--no-opt` gave the same per-clip time once warm. With this budget the same 60 clips
 * use 0-10 ms of background CPU and ~13% less time per clip (EmoDB at 22.05 kHz, pinned to one core). JS
 * that really is hot (pYIN's loops for the extended preset, augmentation) runs megabytes of bytecode per clip
 * and is still optimised during its first clip: the extended preset's per-clip time is unchanged.
 *
 * V8 flags belong to the process: feature-worker.ts calls this first thing, in a worker process (in the pool's
 * thread mode it tunes the host process too, harmlessly). Modules loaded before the call take the budget as well:
 * V8 reads it when it sets a function's counter.
 */
export const FEATURE_INTERRUPT_BUDGET = 30 * 67_584;

export function tuneV8ForFeatureWork(): void {
  try {
    v8.setFlagsFromString(`--interrupt-budget=${FEATURE_INTERRUPT_BUDGET}`);
  } catch {
    /* flags frozen (an embedder that forbids changes): V8's default tiering */
  }
}
