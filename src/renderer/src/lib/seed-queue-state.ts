// How far a seed queue is, from its snapshot and its running run's state (pure: tested without a window).
import type { SeedQueue } from './experiment-types';
import { runFraction, type RunState } from './run-state';
import { t } from './i18n';

/**
 * How far the whole queue is: runs ended, plus the running run's own fraction (`current`: the state of the run
 * whose events arrived last, counted only when it is the run the queue says is running).
 */
export function queueFraction(queue: SeedQueue | null, current: { requestId: string | null; state: RunState }, folds: number): number | null {
  if (!queue) return null;
  const n = queue.runs.length;
  if (queue.done) return queue.runs.filter((r) => r.status !== 'cancelled' || r.experimentId !== null).length / n;
  const ended = queue.runs.filter((r) => r.status !== 'queued' && r.status !== 'running').length;
  const running = queue.current !== null && queue.runs[queue.current].requestId === current.requestId ? (runFraction(current.state, folds) ?? 0) : 0;
  return Math.min(1, (ended + running) / n);
}

/** "Run 2 of 3 · seed 43". */
export function queuePosition(queue: SeedQueue | null): string {
  if (!queue) return t('ui.seeds.starting');
  if (queue.current === null) return queue.done ? t(queue.cancelled ? 'ui.seeds.cancelled' : 'ui.seeds.finished') : t('ui.seeds.starting');
  return t('ui.seeds.position', { run: queue.current + 1, runs: queue.runs.length, seed: queue.runs[queue.current].seed });
}
