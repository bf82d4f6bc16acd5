/**
 * The decoder fuzzer from a terminal, for runs longer than CI's:
 *
 *   npx tsx tests/core/audio/fuzz/main.ts --cases 100000 [--seed 12] [--first 0] [--processes 2] [--timeout 10000]
 *   npx tsx tests/core/audio/fuzz/main.ts --case 31337 [--seed 12] --out case.bin     (one case's bytes, to reproduce it)
 *
 * Prints a summary (outcomes per step, the slowest cases, the largest allocation) and every finding with the
 * mutations that made it; exit code 1 when something was found.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { fuzz } from './harness';
import { CaseList } from './mutate';
import { loadSeeds } from './seeds';

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '10000' },
    seed: { type: 'string', default: '12' },
    first: { type: 'string', default: '0' },
    processes: { type: 'string', default: '2' },
    timeout: { type: 'string', default: '10000' },
    case: { type: 'string' },
    out: { type: 'string' },
  },
});
const runSeed = Number(values.seed);

if (values.case !== undefined) {
  const c = new CaseList(loadSeeds(), runSeed).get(Number(values.case));
  process.stdout.write(`case ${c.index} of seed ${runSeed}: ${c.seed} (${c.format}), ${c.bytes.length} bytes: ${c.what.join('; ')}\n`);
  if (values.out) fs.writeFileSync(values.out, c.bytes);
  process.exit(0);
}

const cases = Number(values.cases);
let last = 0;
const summary = await fuzz({
  runSeed,
  cases,
  first: Number(values.first),
  processes: Number(values.processes),
  caseTimeoutMs: Number(values.timeout),
  onProgress: (done, total) => {
    if (done - last >= 1000 || done === total) {
      last = done;
      process.stderr.write(`${done} / ${total}\n`);
    }
  },
});
process.stdout.write(JSON.stringify({ ...summary, findings: summary.findings.length }, null, 1) + '\n');
for (const f of summary.findings) process.stdout.write(`case ${f.index} (${f.seed ?? '?'}; ${f.what?.join('; ') ?? '?'}):\n  ${f.problems.join('\n  ')}\n`);
process.exit(summary.findings.length ? 1 : 0);
