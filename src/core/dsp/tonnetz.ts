import { normalizeColumns } from './normalize';

const cqToChromaCache = new Map<string, Float64Array>();

/** librosa.filters.cq_to_chroma(n_input, bins_per_octave, n_chroma) for fmin = C1 (no roll). */
export function cqToChroma(nInput: number, binsPerOctave: number, nChroma = 12): Float64Array {
  const key = `${nInput}/${binsPerOctave}/${nChroma}`;
  let M = cqToChromaCache.get(key);
  if (!M) {
    const nMerge = binsPerOctave / nChroma;
    M = new Float64Array(nChroma * nInput);
    // repeat(eye, n_merge) rolled left by n_merge // 2, tiled over octaves
    for (let col = 0; col < nInput; col++) {
      const inOctave = col % binsPerOctave;
      const src = (inOctave + Math.floor(nMerge / 2)) % binsPerOctave;
      M[Math.floor(src / nMerge) * nInput + col] = 1;
    }
    cqToChromaCache.set(key, M);
  }
  return M;
}

/** chroma_cqt from |CQT| [nBins][nFrames]: fold to 12 classes, per-frame max normalisation. */
export function chromaCqt(C: Float64Array, nBins: number, nFrames: number, binsPerOctave: number): Float64Array {
  const M = cqToChroma(nBins, binsPerOctave);
  const out = new Float64Array(12 * nFrames);
  for (let c = 0; c < 12; c++) {
    for (let b = 0; b < nBins; b++) {
      if (M[c * nBins + b] === 0) continue;
      for (let t = 0; t < nFrames; t++) out[c * nFrames + t] += C[b * nFrames + t];
    }
  }
  return normalizeColumns(out, 12, nFrames, 'inf');
}

let phiCache: Float64Array | null = null;

/** The 6 x 12 tonnetz projection (fifths, minor thirds, major thirds; sin/cos pairs). */
export function tonnetzPhi(): Float64Array {
  if (!phiCache) {
    const ratios = [7 / 6, 7 / 6, 3 / 2, 3 / 2, 2 / 3, 2 / 3];
    const radii = [1, 1, 1, 1, 0.5, 0.5];
    phiCache = new Float64Array(6 * 12);
    for (let p = 0; p < 6; p++) {
      for (let c = 0; c < 12; c++) {
        let v = ratios[p] * c;
        if (p % 2 === 0) v -= 0.5;
        phiCache[p * 12 + c] = radii[p] * Math.cos(Math.PI * v);
      }
    }
  }
  return phiCache;
}

/** tonnetz from a [12][nFrames] chroma (L1-normalised per frame first); result [6][nFrames]. */
export function tonnetz(chroma: Float64Array, nFrames: number): Float64Array {
  const chromaL1 = normalizeColumns(Float64Array.from(chroma), 12, nFrames, 1);
  const phi = tonnetzPhi();
  const out = new Float64Array(6 * nFrames);
  for (let p = 0; p < 6; p++) {
    for (let c = 0; c < 12; c++) {
      const w = phi[p * 12 + c];
      for (let t = 0; t < nFrames; t++) out[p * nFrames + t] += w * chromaL1[c * nFrames + t];
    }
  }
  return out;
}
