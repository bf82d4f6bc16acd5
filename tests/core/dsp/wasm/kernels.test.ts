import { beforeAll, describe, expect, it } from 'vitest';
import { chromaFilterBank, withChromaBankPacked } from '../../../../src/core/dsp/chroma';
import { spectralContrast } from '../../../../src/core/dsp/contrast';
import { estimateTuning, piptrackPeaks } from '../../../../src/core/dsp/tuning';
import { initFft } from '../../../../src/core/dsp/fft';
import { harmonicMask } from '../../../../src/core/dsp/hpss';
import { istft } from '../../../../src/core/dsp/istft';
import { melFilterBank } from '../../../../src/core/dsp/mel';
import { dct2OrthoMatrix, mfccFromLogMel } from '../../../../src/core/dsp/mfcc';
import { stft, stftComplex64, stftMagnitudeF32 } from '../../../../src/core/dsp/stft';
import {
  applyFilterBankWasm,
  cqtBasisRowWasm,
  cqtTonnetzWasm,
  expWasm,
  log2Wasm,
  medianRowsWasm,
  packedBank,
  readBankWasm,
  residentF64ForTest,
  residentRowMeans,
  stftWasm,
  withWasmSession,
  countNonFiniteWasm,
} from '../../../../src/core/dsp/wasm/kernels';
import { chromaCqt, cqToChroma, tonnetz, tonnetzPhi } from '../../../../src/core/dsp/tonnetz';
import { C1_HZ, cqtFrequencies } from '../../../../src/core/dsp/cqt';
import { maxRelError } from '../../../helpers/golden';
import { SETS, loadIntermediates } from '../intermediates';
import { basisRowJs } from '../oracles/cqt-basis';
import { contrastBandsJs } from '../oracles/contrast';
import { applyFilterBank } from '../oracles/filterbank';
import { harmonicMaskJs } from '../oracles/hpss';
import { istftJs } from '../oracles/istft';
import { reflectIndex } from '../oracles/median';
import { magnitude } from '../oracles/stft';
import { piptrackPeaksJs } from '../oracles/tuning';

// The WASM kernels replace JS loops whose exact float32 results the tuning estimates depend on:
// each is checked bit for bit against the JS code it replaces (itself checked against librosa).

function countDifferent(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let n = 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) n++;
  return n;
}

function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

describe('HPSS harmonic mask, medians four lines at a time', () => {
  // harmonic_mask runs the width-31 medians over four bins (time) and four frames (frequency) per vector and the
  // remainder one line at a time: every split of a shape, lines shorter than the window, and ties must give the
  // JS medians' mask bit for bit
  it.each([
    [1, 1],
    [3, 5],
    [4, 4],
    [7, 9],
    [15, 33],
    [16, 31],
    [33, 130],
    [87, 1025],
  ])('%i frames x %i bins', (nFrames, nBins) => {
    const rand = rng(nFrames * 1000 + nBins);
    // a coarse grid of values makes many ties; some zeros exercise the 0.5 of an all-zero window
    const S = Float64Array.from({ length: nFrames * nBins }, () => (rand() < 0.1 ? 0 : Math.fround(Math.floor(rand() * 12) / 4)));
    expect(countDifferent(harmonicMask(S, nFrames, nBins), harmonicMaskJs(S, nFrames, nBins))).toBe(0);
  });
});

describe.each(SETS)('WASM kernels on the %s intermediates clip', (set) => {
  const { y } = loadIntermediates(set);
  const spec = stft(y);
  const S = magnitude(spec);

  it('STFT magnitude and complex64 spectrum are bit-identical to the JS float64 STFT', () => {
    const w = stftComplex64(y);
    expect([w.nFrames, w.nBins]).toEqual([spec.nFrames, spec.nBins]);
    expect(countDifferent(w.S, S)).toBe(0);
    expect(countDifferent(w.re, Float32Array.from(spec.re))).toBe(0);
    expect(countDifferent(w.im, Float32Array.from(spec.im))).toBe(0);
    expect(countDifferent(stftMagnitudeF32(Float64Array.from(y)).S, S)).toBe(0);
  });

  it('HPSS harmonic mask is bit-identical to the JS medians and mask', () => {
    expect(countDifferent(harmonicMask(S, spec.nFrames, spec.nBins), harmonicMaskJs(S, spec.nFrames, spec.nBins))).toBe(0);
  });

  it('spectral contrast and piptrack peaks on float32 |X| (WASM) equal the JS code on float64 |X|', () => {
    const S32 = Float32Array.from(S);
    const opts = { sr: 22050, nFft: 2048 };
    expect(countDifferent(spectralContrast(S32, spec.nFrames, spec.nBins, opts), spectralContrast(S, spec.nFrames, spec.nBins, opts, contrastBandsJs))).toBe(0);
    for (const bpo of [12, 36]) {
      const t = { ...opts, binsPerOctave: bpo };
      const js = piptrackPeaks(S, spec.nFrames, spec.nBins, t, piptrackPeaksJs);
      const wasm = piptrackPeaks(S32, spec.nFrames, spec.nBins, t);
      expect(js.pitches.length).toBeGreaterThan(100);
      expect(countDifferent(wasm.pitches, js.pitches)).toBe(0);
      expect(countDifferent(wasm.mags, js.mags)).toBe(0);
      expect(estimateTuning(S32, spec.nFrames, spec.nBins, t)).toBe(estimateTuning(S, spec.nFrames, spec.nBins, t, piptrackPeaksJs));
    }
    // fmax at Nyquist: the last bin's one-sided peak rule
    const top = { ...opts, binsPerOctave: 12, fmin: 5000, fmax: 11025 };
    expect(countDifferent(piptrackPeaks(S32, spec.nFrames, spec.nBins, top).pitches, piptrackPeaks(S, spec.nFrames, spec.nBins, top, piptrackPeaksJs).pitches)).toBe(0);
  });

  it('filter banks (mel on |X|^2, chroma on |X|) agree with the JS product to rounding', () => {
    const mel = melFilterBank({ sr: 22050, nFft: 2048, nMels: 128 });
    const power = S.map((v) => Math.fround(v * v));
    expect(maxRelError(applyFilterBankWasm(mel, S, spec.nFrames, true), Array.from(applyFilterBank(mel, power, spec.nFrames)))).toBeLessThan(1e-13);
    const chroma = chromaFilterBank({ sr: 22050, nFft: 2048, tuning: -0.2 });
    expect(maxRelError(applyFilterBankWasm(chroma, S, spec.nFrames, false), Array.from(applyFilterBank(chroma, S, spec.nFrames)))).toBeLessThan(1e-13);
  });
});

describe('WASM DCT (MFCC)', () => {
  it('equals the plain triple loop bit for bit', () => {
    const rand = rng(3);
    const T = 131;
    const L = Float64Array.from({ length: 128 * T }, () => rand() * 80 - 60);
    const D = dct2OrthoMatrix(128, 13);
    const ref = new Float64Array(13 * T);
    for (let k = 0; k < 13; k++) for (let i = 0; i < 128; i++) for (let t = 0; t < T; t++) ref[k * T + t] += D[k * 128 + i] * L[i * T + t];
    expect(countDifferent(mfccFromLogMel(L, 128, T, 13), ref)).toBe(0);
  });
});

describe('WASM running medians', () => {
  function naive(x: Int32Array, size: number): number[] {
    const half = size >> 1;
    return Array.from(x, (_, i) => {
      const w: number[] = [];
      for (let j = -half; j <= half; j++) w.push(x[reflectIndex(i + j, x.length)]);
      return w.sort((a, b) => a - b)[half];
    });
  }

  it.each([
    [1, 31],
    [7, 31],
    [15, 31],
    [16, 31],
    [31, 31],
    [130, 31],
    [1025, 31],
    [50, 5],
    [20, 9],
  ])('rows of n=%i, size=%i equal a sort-based median (with ties and the int32 extremes)', (n, size) => {
    const rand = rng(n * 31 + size);
    const nRows = 3;
    const x = new Int32Array(nRows * n);
    for (let i = 0; i < x.length; i++) x[i] = rand() < 0.05 ? 0x7fffffff : rand() < 0.05 ? 0 : Math.floor(rand() * 12) * 1000003;
    const got = medianRowsWasm(x, nRows, n, size);
    for (let r = 0; r < nRows; r++) expect(Array.from(got.subarray(r * n, (r + 1) * n))).toEqual(naive(x.subarray(r * n, (r + 1) * n), size));
  });
});

describe('WASM memory', () => {
  it('a long input (instance dropped after growing past the cap) still gives the same STFT after', () => {
    const rand = rng(7);
    const short = Float32Array.from({ length: 5000 }, () => rand() - 0.5);
    const before = stftWasm(short, 2048, 512, true);
    const long = new Float32Array(22050 * 120);
    for (let i = 0; i < long.length; i++) long[i] = Math.sin(i * 0.01);
    const big = stftWasm(long, 2048, 512, false);
    expect(big.nFrames).toBe(1 + Math.floor(long.length / 512));
    const after = stftWasm(short, 2048, 512, true);
    expect(countDifferent(after.S, before.S)).toBe(0);
    expect(countDifferent(after.re!, before.re!)).toBe(0);
  });
});

describe('ISTFT fast paths', () => {
  beforeAll(async () => {
    await initFft();
  });

  it.each([
    [1, 100],
    [2, 600],
    [5, 2000],
    [60, 30000],
    [60, 30720],
    [61, 30720],
  ])('masked float32 inversion and window sums match the generic path bit for bit (%i frames, %i samples)', (nFrames, length) => {
    const nBins = 1025;
    const re = Float64Array.from({ length: nFrames * nBins }, (_, i) => Math.sin(i * 0.37));
    const im = Float64Array.from({ length: nFrames * nBins }, (_, i) => Math.cos(i * 0.11));
    const mask = Float32Array.from({ length: nFrames * nBins }, (_, i) => (i % 7) / 7);
    const masked = (v: Float64Array): Float64Array => v.map((x, i) => Math.fround(x) * mask[i]);
    const fast = istft({ nFrames, nBins, re, im }, length, { precision: 'f32', mask });
    const generic = istftJs({ nFrames, nBins, re: masked(re), im: masked(im) }, length);
    expect(countDifferent(fast, generic)).toBe(0);
    // float32 parts and mask: the WASM overlap-add
    const inWasm = istft({ nFrames, nBins, re: Float32Array.from(re), im: Float32Array.from(im) }, length, { precision: 'f32', mask, roundF32: true });
    expect(countDifferent(inWasm, generic.map(Math.fround))).toBe(0);
    // window sums: a spectrum of one impulse per frame inverts to the same samples in f64 either way
    const back = istft(stft(Float64Array.from({ length }, (_, i) => Math.sin(i * 0.05))), length);
    expect(maxRelError(back, Array.from({ length }, (_, i) => Math.sin(i * 0.05)))).toBeLessThan(1e-12);
  });
});

describe('WASM spectral contrast on adversarial spectra', () => {
  // The WASM kernel skips four values at a time when none would enter the kept q smallest/largest;
  // rising, falling, flat (ties), spiky and random frames must give the JS statistics bit for bit.
  it('equals the JS code for rising, falling, flat, spiky and random frames', () => {
    const nBins = 1025;
    const shapes: ((k: number, r: () => number) => number)[] = [
      (k) => 1 + k,
      (k) => 2000 - k,
      () => 0.25,
      (k, r) => (k % 37 === 0 ? 50 : 0.01 * r()),
      (_k, r) => r(),
      (k, r) => Math.fround(Math.round(r() * 4) / 4 + (k % 5 === 0 ? 1e-3 : 0)),
    ];
    const rand = rng(7);
    const nFrames = shapes.length * 3;
    const S = new Float64Array(nFrames * nBins);
    for (let t = 0; t < nFrames; t++) for (let k = 0; k < nBins; k++) S[t * nBins + k] = Math.fround(shapes[t % shapes.length](k, rand));
    for (const sr of [22050, 16000, 44100]) {
      const opts = { sr, nFft: 2048 };
      const js = spectralContrast(S, nFrames, nBins, opts, contrastBandsJs);
      expect(countDifferent(spectralContrast(Float32Array.from(S), nFrames, nBins, opts), js)).toBe(0);
    }
  });

  it('agrees on bands narrower than their quantile count (a 64-point FFT: empty bands give NaN, as numpy)', () => {
    const nBins = 33;
    const nFrames = 9;
    const rand = rng(3);
    const S = Float64Array.from({ length: nFrames * nBins }, () => Math.fround(rand()));
    const opts = { sr: 22050, nFft: 64 };
    const js = spectralContrast(S, nFrames, nBins, opts, contrastBandsJs);
    expect(js.some(Number.isNaN)).toBe(true);
    expect(countDifferent(spectralContrast(Float32Array.from(S), nFrames, nBins, opts), js)).toBe(0);
  });
});

describe('WASM CQT basis rows', () => {
  it('equal the JS wavelet, FFT and full-sort sparsification bit for bit (every bin of 3 tunings, 2 rates, 3 sparsities)', () => {
    let rows = 0;
    for (const tuning of [-0.5, 0.13, 0.49]) {
      const freqs = cqtFrequencies(252, C1_HZ, 36, tuning);
      for (const sr of [22050, 11025]) {
        for (let i = 0; i < freqs.length; i++) {
          // the top octave's wavelets at this rate: Q = 1 / alpha ~ 51.4 for 36 bins per octave
          if (freqs[i] < sr / 16 || freqs[i] > sr / 4) continue;
          const ilen = (51.4 * sr) / freqs[i];
          const nFft = 2 ** Math.ceil(Math.log2(ilen));
          for (const sparsity of [0.01, 0.001, 0.3]) {
            const w = cqtBasisRowWasm(freqs[i], sr, ilen, nFft, sparsity);
            const js = basisRowJs(freqs[i], sr, ilen, nFft, sparsity);
            expect(countDifferent(w.bins, js.bins)).toBe(0);
            expect(countDifferent(w.re, js.re)).toBe(0);
            expect(countDifferent(w.im, js.im)).toBe(0);
            rows++;
          }
        }
      }
    }
    expect(rows).toBeGreaterThan(300);
  });

  it('sparsify a flat spectrum (a one-sample wavelet) as the full sort does', () => {
    for (const sparsity of [0.01, 0.5, 0.99]) {
      const w = cqtBasisRowWasm(1000, 22050, 1.5, 1024, sparsity);
      const js = basisRowJs(1000, 22050, 1.5, 1024, sparsity);
      expect(countDifferent(w.bins, js.bins)).toBe(0);
      expect(countDifferent(w.re, js.re)).toBe(0);
    }
  });
});

describe('WASM exp and chroma banks', () => {
  it("exp equals Math.exp bit for bit (the chroma bank's Gaussians and octave weights, and beyond)", () => {
    let seed = 99;
    const rnd = (): number => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed / 2 ** 32;
    };
    const x = new Float64Array(1 << 18);
    for (let i = 0; i < x.length; i++) x[i] = i % 3 === 0 ? -80 * rnd() : i % 3 === 1 ? -745 + 1455 * rnd() : 2 * rnd() - 1;
    x.set([0, -0, 1, -1, 0.5 * Math.LN2, 1.5 * Math.LN2, 709.78, -745.1, NaN, Infinity, -Infinity, 2 ** -30, -708.5]);
    expect(countDifferent(expWasm(x), x.map(Math.exp))).toBe(0);
  });

  it('chroma banks built in WASM equal chromaFilterBank packed, for every tuning of 4 configurations', () => {
    for (const [sr, nFft] of [[22050, 2048], [16000, 1024], [44100, 4096], [22050, 64]]) {
      for (let k = 0; k < 100; k++) {
        const opts = { sr, nFft, tuning: k * 0.01 - 0.5 };
        const want = packedBank(chromaFilterBank(opts));
        const got = withChromaBankPacked(opts, readBankWasm);
        expect(countDifferent(got.rowRuns, want.rowRuns)).toBe(0);
        expect(countDifferent(got.triples, want.triples)).toBe(0);
        expect(countDifferent(got.packed, want.packed)).toBe(0);
      }
    }
  });
});

describe('WASM log2 and tuning estimates', () => {
  it('log2 equals Math.log2 bit for bit (every 5th float32 of pitch_tuning\'s domain, and random doubles)', () => {
    // pitch_tuning takes log2 of float32(f / 27.5) for f in [150, 4000] Hz: float32 values in [5, 146)
    const f = new Float32Array(1);
    const u = new Uint32Array(f.buffer);
    f[0] = 5;
    const from = u[0];
    f[0] = 146;
    const to = u[0];
    const x = new Float64Array(Math.ceil((to - from) / 5));
    for (let i = 0; i < x.length; i++) {
      u[0] = from + 5 * i;
      x[i] = f[0];
    }
    expect(countDifferent(log2Wasm(x), x.map(Math.log2))).toBe(0);
    const rand = rng(5);
    const y = Float64Array.from({ length: 1 << 18 }, (_, i) => (i % 2 ? Math.exp(1400 * rand() - 700) : 1e4 * rand()));
    y.set([0, -0, 1, -1, Infinity, NaN, 5e-324, 2.2250738585072014e-308, 0.5, 2]);
    expect(countDifferent(log2Wasm(y), y.map(Math.log2))).toBe(0);
  });

  it('estimateTuning in WASM equals the JS steps (oracle scan, JS median and histogram) on varied spectra', () => {
    const rand = rng(11);
    const nBins = 1025;
    let cases = 0;
    for (const nFrames of [1, 2, 7, 40]) {
      for (const shape of ['noise', 'tones', 'flat', 'zeros', 'quantised'] as const) {
        const S = new Float32Array(nFrames * nBins);
        for (let t = 0; t < nFrames; t++) {
          for (let k = 0; k < nBins; k++) {
            const v =
              shape === 'noise' ? rand() :
              shape === 'tones' ? (k % 23 === 0 ? 5 + rand() : 0.01 * rand()) :
              shape === 'flat' ? 1 :
              shape === 'zeros' ? 0 :
              Math.round(rand() * 4) / 4;
            S[t * nBins + k] = v;
          }
        }
        for (const [sr, bpo] of [[22050, 12], [22050, 36], [16000, 36]]) {
          const opts = { sr, nFft: 2048, binsPerOctave: bpo };
          expect(estimateTuning(S, nFrames, nBins, opts), `${shape} ${nFrames} ${sr} ${bpo}`).toBe(estimateTuning(S, nFrames, nBins, opts, piptrackPeaksJs));
          cases++;
        }
      }
    }
    expect(cases).toBe(60);
  });
});

describe('WASM chroma_cqt + tonnetz and row means', () => {
  it('equal the JS steps bit for bit (quiet and silent frames included)', () => {
    const rand = rng(21);
    const nBins = 252;
    for (const [nFramesC, T] of [[90, 87], [5, 5], [1, 1]]) {
      const C = new Float64Array(nBins * nFramesC);
      for (let b = 0; b < nBins; b++) for (let t = 0; t < nFramesC; t++) C[b * nFramesC + t] = t % 7 === 3 ? 0 : t % 5 === 1 ? 1e-39 * rand() : rand() ** 3;
      let js = chromaCqt(C, nBins, nFramesC, 36);
      const trimmed = new Float64Array(12 * T);
      for (let c = 0; c < 12; c++) trimmed.set(js.subarray(c * nFramesC, c * nFramesC + T), c * T);
      js = tonnetz(trimmed, T);
      const got = withWasmSession(() => {
        const r = residentF64ForTest(C);
        return { tz: cqtTonnetzWasm(r, nBins, nFramesC, T, cqToChroma(nBins, 36), tonnetzPhi()), means: residentRowMeans(r, nBins, nFramesC, T) };
      });
      expect(countDifferent(got.tz, js)).toBe(0);
      const means = Float64Array.from({ length: nBins }, (_, b) => {
        let sum = 0;
        for (let t = 0; t < T; t++) sum += C[b * nFramesC + t];
        return sum / T;
      });
      expect(countDifferent(got.means, means)).toBe(0);
    }
  });
});

describe('countNonFiniteWasm', () => {
  it('counts NaN and infinite samples (every position, the 4-wide loop and its tail), nothing else', () => {
    for (const n of [0, 1, 3, 4, 5, 17, 1000]) {
      const y = new Float32Array(n).map((_, i) => Math.sin(i) * 3e38);
      expect(countNonFiniteWasm(y), `n=${n}`).toBe(0);
      for (let at = 0; at < n; at += Math.max(1, Math.floor(n / 7))) {
        const z = y.slice();
        z[at] = [NaN, Infinity, -Infinity][at % 3];
        expect(countNonFiniteWasm(z), `n=${n} at ${at}`).toBe(1);
      }
    }
    const subnormalAndMax = Float32Array.of(1e-45, -1e-45, 3.4028234663852886e38, -3.4028234663852886e38, 0, -0);
    expect(countNonFiniteWasm(subnormalAndMax)).toBe(0);
    expect(countNonFiniteWasm(Float32Array.of(NaN, NaN, Infinity, 1, -Infinity, NaN))).toBe(5);
  });
});
