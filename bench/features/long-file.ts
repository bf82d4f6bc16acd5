// Memory and time for one long file (not a test):
//   npx tsx bench/features/long-file.ts [--minutes 30] [--rate 44100]
// Makes (once, by sox, under the bench cache) a file of --minutes minutes at --rate by repeating the
// EmoDB clips, then extracts its 166-d vector in a fresh process (runFeatureTask, what `ser-studio
// features` runs) and prints the process's peak RSS and the time; a node process that loads the
// engine and extracts one short clip is measured too, as the baseline the file adds to.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { cacheDir, emodbFiles } from './corpora';

const { values } = parseArgs({ options: { minutes: { type: 'string', default: '30' }, rate: { type: 'string', default: '44100' } } });
const minutes = Number(values.minutes);
const rate = Number(values.rate);
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');

function makeFile(): string {
  const dir = path.join(cacheDir(), 'long');
  const file = path.join(dir, `min${minutes}_${rate}.wav`);
  if (fs.existsSync(file)) return file;
  fs.mkdirSync(dir, { recursive: true });
  const block = path.join(dir, `block_${rate}.tmp.wav`);
  const sox = (args: string[]): void => {
    const r = spawnSync('sox', args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`sox ${args.join(' ')}: ${r.stderr}`);
  };
  sox(['-D', ...emodbFiles().slice(0, 60), '-b', '16', '-r', String(rate), block]);
  const seconds = minutes * 60;
  sox(['-D', block, `${file}.tmp.wav`, 'repeat', String(Math.ceil(seconds / 120)), 'trim', '0', String(seconds)]);
  fs.renameSync(`${file}.tmp.wav`, file);
  fs.rmSync(block);
  return file;
}

const CHILD = `
const { runFeatureTask } = await import(process.argv[2] + '/src/core/jobs/feature-task.ts');
const { resolveFeatureConfig } = await import(process.argv[2] + '/src/core/features/config.ts');
const t0 = performance.now();
const r = await runFeatureTask({ path: process.argv[3], config: resolveFeatureConfig(), variants: [{ augId: '' }] });
console.log(JSON.stringify({ seconds: (performance.now() - t0) / 1000, nSamples: r.nSamples, maxRssMb: process.resourceUsage().maxRSS / 1024, finite: r.items[0].vector.every(Number.isFinite) }));
`;

function run(file: string): { seconds: number; nSamples: number; maxRssMb: number; finite: boolean } {
  const script = path.join(os.tmpdir(), `ser-long-file-${process.pid}.mts`);
  fs.writeFileSync(script, CHILD);
  try {
    const r = spawnSync(process.execPath, ['--import', 'tsx', script, root, file], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 24 });
    if (r.status !== 0) throw new Error(`extraction failed: ${r.stderr.slice(-2000)}`);
    return JSON.parse(r.stdout.trim().split('\n').pop()!);
  } finally {
    fs.rmSync(script, { force: true });
  }
}

const file = makeFile();
const short = run(emodbFiles()[0]);
const long = run(file);
console.log(`${minutes}-minute file at ${rate / 1000} kHz (${(fs.statSync(file).size / 2 ** 20).toFixed(0)} MB): ${long.seconds.toFixed(1)} s, peak RSS ${long.maxRssMb.toFixed(0)} MB (vector finite: ${long.finite})`);
console.log(`the same process on one 2 s clip: peak RSS ${short.maxRssMb.toFixed(0)} MB; the long file adds ${(long.maxRssMb - short.maxRssMb).toFixed(0)} MB`);
