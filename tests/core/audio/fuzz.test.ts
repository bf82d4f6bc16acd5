/**
 * Decoder fuzzing (issue 12, part 4): seeded mutations of every WAV/FLAC/MP3/Ogg fixture (header fields set to
 * boundary values, truncations at every field, bit flips, duplicated/removed/swapped chunks, splices) through what
 * the engine runs on a clip: the third-party codec, probeAudio, loadMono and the feature workers' WAV path. Each
 * must decode or refuse with an AudioError of the union, within a time budget and an allocation budget
 * proportional to the file's size; hangs and crashes are caught by the harness (fuzz/harness.ts).
 *
 * CI runs FUZZ_CASES (default 3000: the ~2,500 systematic cases and random ones, interleaved) with a deadline; a
 * longer run: FUZZ_CASES=100000 npx vitest run tests/core/audio/fuzz.test.ts, or tests/core/audio/fuzz/main.ts.
 * A bug it finds is fixed with the case's bytes (main.ts --case N --out) as a test of its own.
 */
import { describe, expect, it } from 'vitest';
import { fuzz } from './fuzz/harness';

const CASES = Number(process.env.FUZZ_CASES ?? 3000);
const SEED = Number(process.env.FUZZ_SEED ?? 12);
// A manual run with its own case count runs them all; CI stops handing out cases after 90 s.
const DEADLINE_MS = process.env.FUZZ_CASES ? undefined : 90_000;

describe('decoder fuzzing', () => {
  it(
    `${CASES} seeded mutations of the audio fixtures decode or are refused with a coded AudioError, within time and memory budgets`,
    async () => {
      const summary = await fuzz({ runSeed: SEED, cases: CASES, processes: 2, caseTimeoutMs: 15_000, deadlineMs: DEADLINE_MS });
      const steps = Object.entries(summary.outcomes)
        .sort()
        .map(([k, n]) => `${k} ${n}`)
        .join(', ');
      console.log(`fuzz seed ${SEED}: ${summary.ran} of ${CASES} cases in ${(summary.ms / 1000).toFixed(1)} s; ${steps}`);
      expect(summary.findings).toEqual([]);
      // the deadline only cuts a run short on a machine far slower than CI's
      expect(summary.ran).toBeGreaterThanOrEqual(Math.min(CASES, 1500));
    },
    (DEADLINE_MS ?? 24 * 3600_000) + 60_000,
  );
});
