import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** ../shared beside the project (SER_SHARED_DIR overrides). */
export function sharedDir(): string {
  return path.resolve(process.env.SER_SHARED_DIR ?? path.join(process.cwd(), '..', 'shared'));
}

/**
 * The Python that runs the reference (librosa 0.11 [+ tensorflow-cpu]): $SER_REFERENCE_PYTHON, else
 * .venv/bin/python in the project, else /work/venv/bin/python. See bench/README.md for the set-up.
 */
export function referencePython(candidates: string[] = []): string | null {
  const list = [process.env.SER_REFERENCE_PYTHON, ...candidates, path.resolve('.venv/bin/python'), '/work/venv/bin/python'].filter(Boolean) as string[];
  return list.find((p) => fs.existsSync(p)) ?? null;
}

/**
 * Runs a Python snippet single-threaded (fair against one JS thread) and parses its last stdout line as JSON;
 * `cpu` pins it to that core (taskset).
 */
export function runPythonJson<T>(python: string, code: string, args: string[] = [], timeoutMs = 30 * 60_000, cpu: string | null = null): T {
  const env: NodeJS.ProcessEnv = { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1', NUMBA_NUM_THREADS: '1', TF_CPP_MIN_LOG_LEVEL: '2' };
  // The machine pins an OpenBLAS core type for old builds; a current numpy is faster without it.
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const argv = ['-c', code, ...args];
  const r = spawnSync(cpu === null ? python : 'taskset', cpu === null ? argv : ['-c', cpu, python, ...argv], { encoding: 'utf8', env, timeout: timeoutMs, maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`python failed (${r.status}): ${r.stderr.slice(-2000)}`);
  const lines = r.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as T;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function fmt(n: number, digits = 1): string {
  return n.toFixed(digits).padStart(8);
}
