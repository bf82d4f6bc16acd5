// Child process of bench/features/run.ts (not run by hand): what `ser-studio features --workers 1`
// does per file (its V8 settings, then runFeatureTask: decode, resample to 22.05 kHz, 166-d vector), timed per clip in a
// fresh process, so nothing cached by an earlier corpus helps. Prints one JSON line:
//   { startupMs: { imports, init }, warmupMs, ms: [...per clip], cpuMs (whole loop), tunings: [[chroma, cqt], ...] }
//   node --import tsx bench/features/clips-child.ts LIST.json
// LIST.json: { warmup: path | null, clips: [paths] }.
export {};
const tImport0 = performance.now();
const fs = await import('node:fs');
const { resolveFeatureConfig } = await import('../../src/core/features/config');
const { runFeatureTask } = await import('../../src/core/jobs/feature-task');
const { initFft } = await import('../../src/core/dsp/fft');
const { initResampler } = await import('../../src/core/audio/resample');
// as the feature worker process does first thing (src/core/jobs/feature-worker.ts; a --baseline checkout from
// before it had none)
const tiering = await import('../../src/core/jobs/v8-tiering').catch(() => null);
tiering?.tuneV8ForFeatureWork();
const imports = performance.now() - tImport0;

const list = JSON.parse(fs.readFileSync(process.argv[2], 'utf8')) as { warmup: string | null; clips: string[] };
const config = resolveFeatureConfig();
const t0 = performance.now();
await Promise.all([initFft(), initResampler()]);
const init = performance.now() - t0;

const task = (path: string) => ({ path, config, variants: [{ augId: '' }] });
let warmupMs = 0;
if (list.warmup) {
  const w0 = performance.now();
  await runFeatureTask(task(list.warmup));
  warmupMs = performance.now() - w0;
}
// SER_BENCH_PROFILE=file: a CPU profile of the clip loop only (not start-up or the warm-up clip)
const profileTo = process.env.SER_BENCH_PROFILE;
let session: import('node:inspector').Session | null = null;
const post = (method: string, params?: object): Promise<unknown> =>
  new Promise((resolve, reject) => session!.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res))));
if (profileTo) {
  const inspector = await import('node:inspector');
  session = new inspector.Session();
  session.connect();
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 250 });
  await post('Profiler.start');
}
const cpu0 = process.cpuUsage();
const ms: number[] = [];
const tunings: [number | null, number | null][] = [];
for (const clip of list.clips) {
  const c0 = performance.now();
  const out = await runFeatureTask(task(clip));
  ms.push(performance.now() - c0);
  tunings.push([out.items[0].tuning.chroma, out.items[0].tuning.cqt]);
}
const cpu = process.cpuUsage(cpu0);
const cpuMs = (cpu.user + cpu.system) / 1000;
if (session && profileTo) {
  const { profile } = (await post('Profiler.stop')) as { profile: object };
  fs.writeFileSync(profileTo, JSON.stringify(profile));
  session.disconnect();
}
console.log(JSON.stringify({ startupMs: { processToMain: tImport0, imports, init }, warmupMs, ms, cpuMs, tunings, rssMb: process.memoryUsage().rss / 2 ** 20 }));
