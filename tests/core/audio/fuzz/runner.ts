/**
 * Child-process side of the decoder fuzzer (harness.ts starts it): regenerates each case it is given from the
 * run's seed, writes it to a file and runs what the engine runs on an imported clip: probeAudio (import),
 * loadMono (classification, augmented copies), and loadMonoResident (the feature workers' WAV path). Each must
 * return, or throw an AudioError with a code of the union; allocations are audited against a budget. A hang
 * or a native crash is caught by the parent, which kills this process and restarts from the next case.
 */
import { audit, resetAudit } from './alloc-audit';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CaseList } from './mutate';
import { loadSeeds } from './seeds';

export type Outcome = ({ kind: 'ok' } | { kind: 'rejected'; code: string } | { kind: 'bug'; error: string }) & { step: string; ms?: number };

export interface CaseReport {
  index: number;
  seed: string;
  what: string[];
  bytes: number;
  ms: number;
  outcomes: Outcome[];
  allocMax: number;
  allocWhat: string;
  refused: { bytes: number; what: string } | null;
  /** Problems found in this case (empty: it passed). */
  bugs: string[];
}

export type ToRunner = { kind: 'cases'; runSeed: number; indices: number[]; budget: { base: number; perByte: number } };
export type FromRunner = { kind: 'ready' } | { kind: 'start'; index: number } | { kind: 'done'; report: CaseReport } | { kind: 'idle' };

const { AudioError } = await import('../../../../src/core/audio/errors');
const { probeAudio } = await import('../../../../src/core/audio/probe');
const { loadMono, loadMonoResident } = await import('../../../../src/core/audio/decode');
const { initFft } = await import('../../../../src/core/dsp/fft');
const { withWasmSession, residentCopyF32 } = await import('../../../../src/core/dsp/wasm/kernels');
const { ERROR_CODES } = await import('../../../../src/shared/errors');
const { decodeWithCodec } = await import('../../../../src/core/audio/decode-codec');
const { sniffContainer, oggCodec } = await import('../../../../src/core/audio/sniff');

const send = (m: FromRunner) => new Promise<void>((resolve) => process.send!(m, undefined, {}, () => resolve()));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ser-fuzz-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
const seeds = loadSeeds();
let list: CaseList | null = null;
let listSeed = -1;

function classify(step: string, err: unknown): Outcome {
  if (err instanceof AudioError && (ERROR_CODES as string[]).includes(err.code)) return { step, kind: 'rejected', code: err.code };
  const e = err as Error;
  const stack = (e?.stack ?? String(err)).split('\n').slice(0, 4).join(' | ');
  return { step, kind: 'bug', error: `${e?.name ?? typeof err}: ${stack}` };
}

async function runCase(index: number, budget: { base: number; perByte: number }): Promise<CaseReport> {
  let c;
  try {
    c = list!.get(index);
  } catch (err) {
    return { index, seed: '?', what: [], bytes: 0, ms: 0, outcomes: [], allocMax: 0, allocWhat: '', refused: null, bugs: [`the mutator failed: ${(err as Error).stack}`] };
  }
  const ext = c.format === 'ogg' ? '.ogg' : `.${c.format}`;
  const file = path.join(dir, `case${ext}`);
  fs.writeFileSync(file, c.bytes);
  const t0 = performance.now();
  resetAudit();
  const outcomes: Outcome[] = [];
  const bugs: string[] = [];
  // The third-party codec in this thread, where the audit sees its allocations (the engine runs it in the decoder
  // thread of decode-guard.ts, which the steps below go through): any error is fine, a hang or a crash is not.
  const container = sniffContainer(c.bytes.subarray(0, 64 * 1024));
  const codec = container === 'mp3' || container === 'flac' ? container : container === 'ogg' ? ({ vorbis: 'oga', opus: 'opus' } as const)[oggCodec(c.bytes) as 'vorbis'] : undefined;
  if (codec) {
    try {
      await decodeWithCodec(c.bytes, codec);
      outcomes.push({ step: 'codec', kind: 'ok' });
    } catch {
      outcomes.push({ step: 'codec', kind: 'rejected', code: 'decoder-error' });
    }
  }
  try {
    await probeAudio(file);
    outcomes.push({ step: 'probe', kind: 'ok' });
  } catch (err) {
    outcomes.push(classify('probe', err));
  }
  let mono: Float32Array | null = null;
  try {
    const sig = await loadMono(file);
    if (!(sig.y instanceof Float32Array) || sig.y.length !== sig.nSamples || sig.sampleRate !== 22050 || !(sig.nativeSampleRate > 0) || !(sig.channels > 0)) {
      bugs.push(`loadMono returned an inconsistent signal (${sig.y?.length} samples, nSamples ${sig.nSamples}, rate ${sig.nativeSampleRate}, ${sig.channels} channels)`);
    }
    mono = sig.y;
    outcomes.push({ step: 'loadMono', kind: 'ok' });
  } catch (err) {
    outcomes.push(classify('loadMono', err));
  }
  try {
    const resident = withWasmSession(() => {
      const sig = loadMonoResident(file);
      return sig && residentCopyF32(sig.y);
    });
    if (resident === null) outcomes.push({ step: 'resident', kind: 'rejected', code: 'fallback' });
    else {
      outcomes.push({ step: 'resident', kind: 'ok' });
      if (!mono) bugs.push('loadMonoResident decoded a file loadMono rejects');
      else if (mono.length !== resident.length || mono.some((v, i) => !Object.is(v, resident[i]))) bugs.push('loadMonoResident and loadMono disagree');
    }
  } catch (err) {
    outcomes.push(classify('resident', err));
  }
  for (const o of outcomes) if (o.kind === 'bug') bugs.push(`${o.step}: ${o.error}`);
  const limit = budget.base + budget.perByte * c.bytes.length;
  if (audit.refused) bugs.push(`allocation refused: ${audit.refused.what} of ${audit.refused.bytes} bytes`);
  else if (audit.max > limit) bugs.push(`allocation over budget: ${audit.maxWhat} of ${audit.max} bytes (budget ${limit} for ${c.bytes.length} bytes of file)`);
  return {
    index,
    seed: c.seed,
    what: c.what,
    bytes: c.bytes.length,
    ms: performance.now() - t0,
    outcomes,
    allocMax: audit.max,
    allocWhat: audit.maxWhat,
    refused: audit.refused,
    bugs,
  };
}

await initFft();
process.on('message', async (m: ToRunner) => {
  if (m.kind !== 'cases') return;
  if (!list || listSeed !== m.runSeed) {
    list = new CaseList(seeds, m.runSeed);
    listSeed = m.runSeed;
  }
  for (const index of m.indices) {
    await send({ kind: 'start', index });
    const report = await runCase(index, m.budget);
    await send({ kind: 'done', report });
  }
  await send({ kind: 'idle' });
});
await send({ kind: 'ready' });
