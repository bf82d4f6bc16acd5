// The pool's time budget per task (issue 12): a task that hangs (a decoder stuck on one file) is stopped with
// `timeout`, its worker replaced, and the tasks after it still run.
import { describe, expect, it } from 'vitest';
import { runPool, type TaskResult } from '../../../src/core/jobs/pool';
import type { EchoOutput, EchoTask } from './fixtures/echo-worker';

const ENTRY = { callerUrl: import.meta.url, name: 'echo-worker', source: './fixtures/echo-worker.ts' };

async function collect(inputs: EchoTask[], options: Parameters<typeof runPool<EchoTask, EchoOutput>>[2]) {
  const out: TaskResult<EchoTask, EchoOutput>[] = [];
  for await (const r of runPool<EchoTask, EchoOutput>(ENTRY, inputs, options)) out.push(r);
  return out;
}

describe.each(['process', 'thread'] as const)('runPool time budget (%s workers)', (isolation) => {
  it('stops a task that runs past its budget, reports it as timeout and goes on with the rest', async () => {
    const t0 = performance.now();
    const results = await collect([{ value: 1 }, { value: 2, action: 'spin' }, { value: 3 }, { value: 4 }], {
      size: 1,
      isolation,
      taskTimeoutMs: (input) => (input.action === 'spin' ? 800 : 20_000),
    });
    const ms = performance.now() - t0;
    const byValue = new Map(results.map((r) => [r.input.value, r]));
    expect([...byValue.keys()].sort()).toEqual([1, 2, 3, 4]);
    expect(byValue.get(2)).toMatchObject({ ok: false, error: { code: 'timeout', message: expect.stringMatching(/time budget \(0\.8 s\)/) } });
    for (const v of [1, 3, 4]) expect(byValue.get(v)).toMatchObject({ ok: true, output: { doubled: 2 * v } });
    // the spinning worker was replaced: the tasks after it ran in another process or thread
    const first = byValue.get(1)!;
    const later = byValue.get(3)!;
    if (isolation === 'process' && first.ok && later.ok) expect(later.output.pid).not.toBe(first.output.pid);
    expect(ms).toBeLessThan(15_000);
  });

  it('a budget no task reaches changes nothing', async () => {
    const results = await collect([{ value: 5 }, { value: 6 }], { size: 2, isolation, taskTimeoutMs: 30_000 });
    expect(results.every((r) => r.ok)).toBe(true);
  });
});
