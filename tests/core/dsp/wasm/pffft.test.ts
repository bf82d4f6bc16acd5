import PFFFT, { type PffftModule } from '@echogarden/pffft-wasm/simd';
import { beforeAll, describe, expect, it } from 'vitest';
import { glibcSinCosF } from '../../../../src/core/audio/soxr-sincosf';
import { PFFFT_BACKWARD, PFFFT_FORWARD, heapF32, pffftPlan, pffftTransform, setSoxrSinCos } from '../../../../src/core/dsp/wasm/kernels';

// pffft.c is built into kernels.wasm with a WASM SIMD backend and its twiddle tables written by JS:
// its transforms must equal @echogarden/pffft-wasm's (the emscripten SSE build the project used
// before, and libsoxr's pffft once its tables hold glibc's sinf / cosf) bit for bit.

let ref: PffftModule;
beforeAll(async () => {
  ref = await PFFFT();
  setSoxrSinCos(glibcSinCosF);
});

/** The reference setup of size n; with `soxr`, its tables rewritten with glibc's values as libsoxr has them. */
function refSetup(n: number, soxr: boolean): number {
  const s = ref._pffft_new_setup(n, 0);
  if (!soxr) return s;
  const w = s >> 2;
  const nc = ref.HEAP32[w + 1];
  const e = ref.HEAPF32.subarray(ref.HEAP32[w + 19] >> 2, (ref.HEAP32[w + 19] >> 2) + 2 * nc * 3);
  for (let k = 0; k < nc; k++) {
    for (let q = 0; q < 3; q++) {
      const [sin, cos] = glibcSinCosF(Math.fround((-2 * Math.PI * (q + 1) * k) / n));
      e[2 * ((k >> 2) * 3 + q) * 4 + (k & 3)] = cos;
      e[(2 * ((k >> 2) * 3 + q) + 1) * 4 + (k & 3)] = sin;
    }
  }
  const nq = n / 4;
  const tw = ref.HEAPF32.subarray(ref.HEAP32[w + 20] >> 2, (ref.HEAP32[w + 20] >> 2) + nq);
  const argh = Math.fround((2 * Math.PI) / nq);
  let is = 0;
  let l1 = 1;
  for (let k1 = 1; k1 <= ref.HEAP32[w + 3] - 1; k1++) {
    const ip = ref.HEAP32[w + 2 + k1 + 1];
    let ld = 0;
    const ido = nq / (l1 * ip);
    for (let j = 1; j <= ip - 1; j++) {
      let i = is;
      let fi = 0;
      ld += l1;
      const argld = Math.fround(ld * argh);
      for (let ii = 3; ii <= ido; ii += 2) {
        i += 2;
        fi += 1;
        const [sin, cos] = glibcSinCosF(Math.fround(fi * argld));
        tw[i - 2] = cos;
        tw[i - 1] = sin;
      }
      is += ido;
    }
    l1 *= ip;
  }
  return s;
}

function differing(a: Float32Array, b: Float32Array): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) n++;
  return n;
}

describe.each(['pffft', 'soxr'] as const)('pffft in kernels.wasm (%s twiddles)', (twiddles) => {
  it.each([32, 64, 96, 128, 160, 256, 480, 512, 1024, 2048, 4096, 8192, 16384, 65536, 131072])('n = %i: tables and all four transforms bit for bit', (n) => {
    const s = refSetup(n, twiddles === 'soxr');
    const pIn = ref._pffft_aligned_malloc(4 * n);
    const pOut = ref._pffft_aligned_malloc(4 * n);
    const pWork = ref._pffft_aligned_malloc(4 * n);
    const plan = pffftPlan(n, twiddles);
    // the tables: data = e (3/4) then twiddles (1/4)
    const data = ref.HEAP32[(s >> 2) + 18] >> 2;
    const ours = new Int32Array(heapF32(plan.setup, 21).buffer, plan.setup, 21);
    expect(differing(heapF32(ours[18], n), ref.HEAPF32.slice(data, data + n))).toBe(0);
    let seed = n;
    const x = Float32Array.from({ length: n }, () => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return (seed / 2 ** 32 - 0.5) * (seed % 7 === 0 ? 1e-3 : 1);
    });
    for (const ordered of [false, true]) {
      for (const dir of [PFFFT_FORWARD, PFFFT_BACKWARD]) {
        ref.HEAPF32.set(x, pIn >> 2);
        if (ordered) ref._pffft_transform_ordered(s, pIn, pOut, pWork, dir);
        else ref._pffft_transform(s, pIn, pOut, pWork, dir);
        heapF32(plan.a, n).set(x);
        pffftTransform(plan, plan.a, plan.b, dir, ordered);
        expect(differing(heapF32(plan.b, n), ref.HEAPF32.slice(pOut >> 2, (pOut >> 2) + n))).toBe(0);
      }
    }
  });
});
