// Responsiveness benchmark (not a test): how long a contract call takes through the web bridge while the engine
// trains and extracts features, i.e. what a window waits for when it opens a page or refreshes a list.
//   npm run build && npx tsx bench/ui/run.ts [--seconds 20] [--gap 25] [--backend auto]
//
// Starts the built `ser-studio serve` on a fresh workspace with the bundled demo dataset (and EmoDB from
// ../shared/data/emodb when it is there), then times contract calls over HTTP, one after another with --gap ms
// between them (experiments:list, datasets:get, jobs:list, experiments:get of the running run, classify:list):
//   idle       nothing runs
//   load       a training job (demo set, thousands of epochs: it trains all along) and a feature extraction
//              (a second run whose augmented copies were never extracted: EmoDB x 5 copies, or the demo set x 12;
//              2 worker processes) at the same time
//   + import   the same load while the bridge itself imports EmoDB again and again under new names (hashing
//              and probing every file in the bridge's own process), when EmoDB is there
// and prints p50 / p95 / max per scenario and per channel. Target: p95 < 50 ms under load.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sharedDir } from '../lib';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '20' },
    gap: { type: 'string', default: '25' },
    backend: { type: 'string', default: 'auto' },
  },
});
const seconds = Number(values.seconds);
const gapMs = Number(values.gap);
const cli = path.resolve('bin/ser-studio.js');
if (!fs.existsSync(path.resolve('out/cli'))) throw new Error('Build first: npm run build');
const emodb = path.join(sharedDir(), 'data/emodb/manifest.csv');
const hasEmodb = fs.existsSync(emodb);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ser-bench-ui-'));
const load = (): string => os.loadavg().map((l) => l.toFixed(2)).join(' ');

interface Server {
  origin: string;
  token: string;
  child: ChildProcess;
}

function serve(workspace: string): Promise<Server> {
  const child = spawn(process.execPath, [cli, 'serve', '--port', '0', '--workspace', workspace], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /serving on (http:\/\/127\.0\.0\.1:(\d+))\/\?token=(\S+)/.exec(out);
      if (m) resolve({ origin: m[1], token: m[3], child });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code) => reject(new Error(`serve exited (${code}): ${out}`)));
  });
}

const server = await serve(path.join(work, 'workspace'));

async function call<T>(channel: string, input: unknown): Promise<T> {
  const res = await fetch(`${server.origin}/api/${channel}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${server.token}` },
    body: JSON.stringify(input),
  });
  const envelope = (await res.json()) as { ok: boolean; result?: T; error?: { message: string } };
  if (!envelope.ok) throw new Error(`${channel}: ${envelope.error?.message}`);
  return envelope.result as T;
}

interface Job {
  requestId: string;
  experimentId: number | null;
  stage: string;
  ended: string | null;
}
const jobs = () => call<Job[]>('jobs:list', {});
const until = async <T>(what: string, fn: () => Promise<T | undefined | null | false>, timeoutMs = 10 * 60_000): Promise<T> => {
  const t = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - t > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
};

console.log(`SER Studio UI responsiveness — ${new Date().toISOString().slice(0, 16)}Z, ${os.cpus()[0]?.model ?? 'cpu'}, ${os.cpus().length} cores, node ${process.version}`);
console.log(`load average at start: ${load()}`);
const demo = await call<{ id: number; clips: number }>('datasets:import', { source: path.resolve('resources/demo/manifest.csv'), name: 'demo' });
let big = demo;
if (hasEmodb) {
  const t = performance.now();
  big = await call<{ id: number; clips: number }>('datasets:import', { source: emodb, name: 'emodb' });
  console.log(`imported EmoDB (${big.clips} clips) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}
// A few recorded runs, so the lists have rows to read.
for (const seed of [1, 2, 3]) {
  const requestId = `warm-${seed}`;
  await call('experiments:start', { request: { dataset: demo.id, augment: [], copies: 0, epochs: 3, backend: 'cpu', seed }, requestId });
  await until('a warm-up run', async () => (await jobs()).find((j) => j.requestId === requestId)?.ended);
}

const CHANNELS: [string, () => unknown][] = [
  ['experiments:list', () => ({})],
  ['datasets:get', () => ({ id: big.id })],
  ['jobs:list', () => ({})],
  ['experiments:get', () => ({ id: runningId ?? 1 })],
  ['classify:list', () => ({})],
];
let runningId: number | null = null;

interface Sample {
  channel: string;
  ms: number;
}

async function measure(name: string): Promise<Sample[]> {
  const samples: Sample[] = [];
  const end = performance.now() + seconds * 1000;
  for (let i = 0; performance.now() < end; i++) {
    const [channel, input] = CHANNELS[i % CHANNELS.length];
    const t = performance.now();
    await call(channel, input());
    samples.push({ channel, ms: performance.now() - t });
    await new Promise((r) => setTimeout(r, gapMs));
  }
  report(name, samples);
  return samples;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const row = (label: string, ms: number[]) =>
  `  ${label.padEnd(18)} ${String(ms.length).padStart(5)} calls   p50 ${pct(ms, 50).toFixed(1).padStart(6)} ms   p95 ${pct(ms, 95).toFixed(1).padStart(6)} ms   max ${Math.max(...ms).toFixed(1).padStart(6)} ms`;

function report(name: string, samples: Sample[]) {
  console.log(`\n${name} (load average ${load()})`);
  console.log(row('all calls', samples.map((s) => s.ms)));
  for (const [channel] of CHANNELS) console.log(row(channel, samples.filter((s) => s.channel === channel).map((s) => s.ms)));
}

await measure('idle: nothing running');

// The load: a run that trains all along, and one that extracts features nobody extracted before.
await call('experiments:start', { request: { dataset: demo.id, augment: [], copies: 0, epochs: 10_000, patience: 0, backend: values.backend, seed: 7 }, requestId: 'load-train' });
const extraction = hasEmodb
  ? { dataset: big.id, augment: ['noise', 'gain', 'shift'], copies: 5, epochs: 5, seed: 4242, backend: 'cpu', workers: 2 }
  : { dataset: demo.id, augment: ['noise', 'pitch', 'stretch'], copies: 12, epochs: 5, seed: 4242, backend: 'cpu', workers: 2 };
await call('experiments:start', { request: extraction, requestId: 'load-features' });
runningId = (await until('the training run recorded', async () => (await jobs()).find((j) => j.requestId === 'load-train' && j.stage === 'training'))).experimentId;
await until('the extraction under way', async () => (await jobs()).find((j) => j.requestId === 'load-features' && j.stage === 'features'));
const loaded = await measure('load: a training job + a feature extraction (2 workers)');
const stillExtracting = (await jobs()).find((j) => j.requestId === 'load-features')?.stage === 'features';
console.log(`  (the extraction was ${stillExtracting ? 'still extracting' : 'past its features'} at the end)`);

if (hasEmodb) {
  // One import after another for the whole window (each reads, probes and hashes all 535 files in the bridge).
  let importing = true;
  let imports = 0;
  const imported = (async () => {
    while (importing) {
      await call('datasets:import', { source: emodb, name: `emodb-again-${imports}` });
      imports++;
    }
  })();
  await measure('load + imports of EmoDB in the bridge process, one after another');
  importing = false;
  await imported;
  console.log(`  (${imports} imports of ${big.clips} clips ended during the window)`);
}

for (const j of await jobs()) if (!j.ended) await call('experiments:cancel', { requestId: j.requestId }).catch(() => undefined);
const all = loaded.map((s) => s.ms);
console.log(`\nunder load: p50 ${pct(all, 50).toFixed(1)} ms, p95 ${pct(all, 95).toFixed(1)} ms, max ${Math.max(...all).toFixed(1)} ms (target p95 < 50 ms: ${pct(all, 95) < 50 ? 'met' : 'NOT met'})`);
server.child.kill('SIGTERM');
await new Promise((r) => setTimeout(r, 500));
fs.rmSync(work, { recursive: true, force: true });
