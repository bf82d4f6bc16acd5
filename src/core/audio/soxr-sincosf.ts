/**
 * glibc's single-precision sinf/cosf (sysdeps/ieee754/flt-32, the algorithm of glibc >= 2.28),
 * which libsoxr's pffft calls to build its twiddle tables. They are not correctly rounded: about
 * 2% of pffft's twiddles differ by one ulp from `Math.fround(Math.cos(x))`, and so would every
 * FFT computed with them. The algorithm works in float64 with a fixed operation order, so plain JS
 * arithmetic reproduces it exactly (checked against glibc 2.36 on all arguments pffft uses).
 * Only |x| < 120 is supported (pffft's arguments lie in [-2π, 2π]).
 */

interface SinCosTable {
  c0: number; c1: number; c2: number; c3: number; c4: number;
  s1: number; s2: number; s3: number;
}

const HPI_INV = 10680707.430881744; // 0x1.45F306DC9C883p+23: 2/π · 2^24 (no TOINT_INTRINSICS on x86-64)
const HPI = 1.5707963267948966; // 0x1.921FB54442D18p0
const SIGN = [1, -1, -1, 1];
const S1 = -0.16666654943701084; // -0x1.555545995a603p-3
const S2 = 0.008332178146138854; // 0x1.1107605230bc4p-7
const S3 = -0.00019517298981385725; // -0x1.994eb3774cf24p-13
const C1 = -0.49999999725108224; // -0x1.ffffffd0c621cp-2
const C2 = 0.041666623324344516; // 0x1.55553e1068f19p-5
const C3 = -0.001388676379437604; // -0x1.6c087e89a359dp-10
const C4 = 2.4390450703564542e-5; // 0x1.99343027bf8c3p-16
// The second table computes -cos, to negate for free in quadrants 2 and 3.
const TABLES: SinCosTable[] = [
  { c0: 1, c1: C1, c2: C2, c3: C3, c4: C4, s1: S1, s2: S2, s3: S3 },
  { c0: -1, c1: -C1, c2: -C2, c3: -C3, c4: -C4, s1: S1, s2: S2, s3: S3 },
];

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
function abstop12(x: number): number {
  f32[0] = x;
  return (u32[0] >>> 20) & 0x7ff;
}
const TOP_PIO4 = abstop12(0.7853981633974483);
const TOP_TINY = abstop12(2 ** -12);
const TOP_120 = abstop12(120);

/** sincosf(y) as glibc computes it: [sin y, cos y], each a float32 value. */
export function glibcSinCosF(y: number): [number, number] {
  y = Math.fround(y);
  const top = abstop12(y);
  let x = y;
  let n = 0;
  let p = TABLES[0];
  if (top < TOP_PIO4) {
    if (top < TOP_TINY) return [y, 1];
  } else if (top < TOP_120) {
    const r = x * HPI_INV;
    n = ((r | 0) + 0x800000) >> 24;
    x = x - n * HPI;
    const s = SIGN[n & 3];
    if (n & 2) p = TABLES[1];
    const x2 = x * x;
    x *= s;
    return poly(x, x2, p, n);
  } else {
    throw new Error(`glibcSinCosF: |x| >= 120 not supported (${y})`);
  }
  return poly(x, x * x, p, n);
}

function poly(x: number, x2: number, p: SinCosTable, n: number): [number, number] {
  const x4 = x2 * x2;
  const x3 = x2 * x;
  const c2 = p.c3 + x2 * p.c4;
  const s1 = p.s2 + x2 * p.s3;
  const c1 = p.c0 + x2 * p.c1;
  const x5 = x3 * x2;
  const x6 = x4 * x2;
  const s = x + x3 * p.s1;
  const c = c1 + x4 * p.c2;
  const sv = Math.fround(s + x5 * s1);
  const cv = Math.fround(c + x6 * c2);
  return n & 1 ? [cv, sv] : [sv, cv];
}
