/*
 * Hot loops of the feature extraction, compiled to wasm32 (+simd128) by scripts/build-wasm.sh.
 *
 * Every function but bank_apply reproduces its TypeScript counterpart operation for operation
 * (same order, no FMA contraction, float32 roundings at the same places), so results are
 * bit-identical to the JS paths they replace: the tuning estimates are arg-maxes of histograms,
 * and a last-bit change in |X| can move them (tests/core/dsp/wasm checks each against the JS).
 * Memory is laid out by the JS side (see kernels.ts); nothing here allocates.
 */
#include <stdint.h>
#include <wasm_simd128.h>
#include "pffft.h"

typedef double f64;
typedef float f32;

#define EXPORT(name) __attribute__((export_name(#name)))
/*
 * Functions that run once per clip on little data: compiled for size. V8 compiles each function
 * with its optimising compiler when first called (kernels.ts), and clang's unrolled and vectorised
 * -O3 code for these (a 12 x T chroma) took longer to compile than a whole clip takes to run.
 * Size optimisation does not reorder floating-point operations (no fast-math), so the results are
 * the same.
 */
#define COLD __attribute__((minsize))

/* ---------------------------------------------------------------- float64 real FFT (fft64.ts) */

/*
 * Layout of an FFT plan (all set up by JS from RealFft64's formulas):
 *   bitrev[half] (u32), then per radix-4 pass p (s = 4^p): w1r[s] w1i[s] w2r[s] w2i[s] (f64),
 *   then, if the last stage is radix 2, w1r[s] w1i[s], then splitRe[half+1] splitIm[half+1].
 * zr/zi: half f64 each (work).
 */
typedef struct {
  int32_t n;
  int32_t half;
  int32_t n_passes;     /* radix-4 passes, the first (s = 1) is twiddle-free */
  int32_t last_radix2;  /* 1 if a final radix-2 stage follows */
  const uint32_t *bitrev;
  const f64 *tw;        /* concatenated pass twiddles */
  const f64 *last_w;    /* w1r then w1i, s each */
  const f64 *split_re;
  const f64 *split_im;
  f64 *zr;
  f64 *zi;
} Fft64;

/* `loaded_first`: the caller has already run the twiddle-free first pass (fused with its load). */
static void butterflies(const Fft64 *p, int loaded_first) {
  f64 *restrict zr = p->zr;
  f64 *restrict zi = p->zi;
  const int half = p->half;
  if (p->n_passes > 0 && !loaded_first) {
    for (int i0 = 0; i0 < half; i0 += 4) {
      f64 a0r = zr[i0], a0i = zi[i0], a1r = zr[i0 + 1], a1i = zi[i0 + 1];
      f64 a2r = zr[i0 + 2], a2i = zi[i0 + 2], a3r = zr[i0 + 3], a3i = zi[i0 + 3];
      f64 b0r = a0r + a1r, b0i = a0i + a1i, b1r = a0r - a1r, b1i = a0i - a1i;
      f64 b2r = a2r + a3r, b2i = a2i + a3i, b3r = a2r - a3r, b3i = a2i - a3i;
      zr[i0] = b0r + b2r;
      zi[i0] = b0i + b2i;
      zr[i0 + 2] = b0r - b2r;
      zi[i0 + 2] = b0i - b2i;
      zr[i0 + 1] = b1r + b3i;
      zi[i0 + 1] = b1i - b3r;
      zr[i0 + 3] = b1r - b3i;
      zi[i0 + 3] = b1i + b3r;
    }
  }
  const f64 *tw = p->tw;
  int s = 1;
  for (int pi = 0; pi < p->n_passes; pi++) {
    const f64 *w1r = tw, *w1i = tw + s, *w2r = tw + 2 * s, *w2i = tw + 3 * s;
    tw += 4 * s;
    if (pi > 0) {
      const int size = 4 * s;
      for (int start = 0; start < half; start += size) {
        f64 *restrict r0 = zr + start, *restrict r1 = r0 + s, *restrict r2 = r1 + s, *restrict r3 = r2 + s;
        f64 *restrict q0 = zi + start, *restrict q1 = q0 + s, *restrict q2 = q1 + s, *restrict q3 = q2 + s;
        /* two j at a time (s >= 4 here): lane-wise the same operations as the scalar code */
        for (int j = 0; j < s; j += 2) {
          const v128_t ar = wasm_v128_load(w1r + j), ai = wasm_v128_load(w1i + j);
          const v128_t x1r = wasm_v128_load(r1 + j), x1i = wasm_v128_load(q1 + j);
          const v128_t x0r = wasm_v128_load(r0 + j), x0i = wasm_v128_load(q0 + j);
          v128_t tr = wasm_f64x2_sub(wasm_f64x2_mul(x1r, ar), wasm_f64x2_mul(x1i, ai));
          v128_t ti = wasm_f64x2_add(wasm_f64x2_mul(x1r, ai), wasm_f64x2_mul(x1i, ar));
          const v128_t b0r = wasm_f64x2_add(x0r, tr), b0i = wasm_f64x2_add(x0i, ti);
          const v128_t b1r = wasm_f64x2_sub(x0r, tr), b1i = wasm_f64x2_sub(x0i, ti);
          const v128_t x3r = wasm_v128_load(r3 + j), x3i = wasm_v128_load(q3 + j);
          const v128_t x2r = wasm_v128_load(r2 + j), x2i = wasm_v128_load(q2 + j);
          tr = wasm_f64x2_sub(wasm_f64x2_mul(x3r, ar), wasm_f64x2_mul(x3i, ai));
          ti = wasm_f64x2_add(wasm_f64x2_mul(x3r, ai), wasm_f64x2_mul(x3i, ar));
          const v128_t b2r = wasm_f64x2_add(x2r, tr), b2i = wasm_f64x2_add(x2i, ti);
          const v128_t b3r = wasm_f64x2_sub(x2r, tr), b3i = wasm_f64x2_sub(x2i, ti);
          const v128_t cr = wasm_v128_load(w2r + j), ci = wasm_v128_load(w2i + j);
          const v128_t c2r = wasm_f64x2_sub(wasm_f64x2_mul(b2r, cr), wasm_f64x2_mul(b2i, ci));
          const v128_t c2i = wasm_f64x2_add(wasm_f64x2_mul(b2r, ci), wasm_f64x2_mul(b2i, cr));
          const v128_t d3r = wasm_f64x2_sub(wasm_f64x2_mul(b3r, cr), wasm_f64x2_mul(b3i, ci));
          const v128_t d3i = wasm_f64x2_add(wasm_f64x2_mul(b3r, ci), wasm_f64x2_mul(b3i, cr));
          wasm_v128_store(r0 + j, wasm_f64x2_add(b0r, c2r));
          wasm_v128_store(q0 + j, wasm_f64x2_add(b0i, c2i));
          wasm_v128_store(r2 + j, wasm_f64x2_sub(b0r, c2r));
          wasm_v128_store(q2 + j, wasm_f64x2_sub(b0i, c2i));
          wasm_v128_store(r1 + j, wasm_f64x2_add(b1r, d3i));
          wasm_v128_store(q1 + j, wasm_f64x2_sub(b1i, d3r));
          wasm_v128_store(r3 + j, wasm_f64x2_sub(b1r, d3i));
          wasm_v128_store(q3 + j, wasm_f64x2_add(b1i, d3r));
        }
      }
    }
    s *= 4;
  }
  if (p->last_radix2) {
    const f64 *w1r = p->last_w, *w1i = p->last_w + (half >> 1);
    const int h = half >> 1;
    for (int j = 0; j < h; j++) {
      const int b = j + h;
      const f64 tr = zr[b] * w1r[j] - zi[b] * w1i[j];
      const f64 ti = zr[b] * w1i[j] + zi[b] * w1r[j];
      zr[b] = zr[j] - tr;
      zi[b] = zi[j] - ti;
      zr[j] += tr;
      zi[j] += ti;
    }
  }
}

/*
 * Bin k (0 < k < half) of the real spectrum from the half-size complex FFT in p->zr/zi
 * (fft64.ts's real split): X[k] = E + W^k O, E = (Z[k] + conj Z[half-k]) / 2, O = (Z[k] - conj Z[half-k]) / 2i.
 */
static inline void split_bin(const Fft64 *p, int k, f64 *xr, f64 *xi) {
  const int half = p->half;
  const f64 ar = p->zr[k], ai = p->zi[k];
  const f64 br = p->zr[half - k], bi = -p->zi[half - k];
  const f64 er = 0.5 * (ar + br), ei = 0.5 * (ai + bi);
  const f64 or_ = 0.5 * (ai - bi), oi = -0.5 * (ar - br);
  const f64 wr = p->split_re[k], wi = p->split_im[k];
  *xr = er + or_ * wr - oi * wi;
  *xi = ei + or_ * wi + oi * wr;
}

/* numpy's complex64 abs (stft.ts absComplex64), the double arithmetic mirrored exactly. */
static inline f32 abs_complex64(f64 re, f64 im) {
  f64 a = (f32)re;
  f64 b = (f32)im;
  if (a < 0) a = -a;
  if (b < 0) b = -b;
  const f64 larger = a > b ? a : b;
  if (larger == 0) return 0;
  const f64 ratio = (f32)((a > b ? b : a) / larger);
  const f64 root = __builtin_sqrt((f64)(f32)(1 + ratio * ratio));
  return (f32)((f64)(f32)root * larger);
}

/* Zero-pads n samples (float32 or float64) by `pad` on each side into float64. */
EXPORT(pad_to_f64)
void pad_to_f64(const void *y, int is_f32, int n, int pad, f64 *padded) {
  for (int i = 0; i < pad; i++) padded[i] = padded[pad + n + i] = 0;
  if (is_f32) {
    const f32 *src = (const f32 *)y;
    for (int i = 0; i < n; i++) padded[pad + i] = src[i];
  } else {
    const f64 *src = (const f64 *)y;
    for (int i = 0; i < n; i++) padded[pad + i] = src[i];
  }
}

/*
 * abs_complex64 on four bins given as float32 parts. float32 division, square root and product
 * equal the double-then-round ones of the scalar code (double rounding is innocuous for these
 * operations at 53 vs 24 bits); 1 + ratio^2 stays in double as there.
 */
static inline v128_t abs_complex64_x4(v128_t re32, v128_t im32) {
  const v128_t a = wasm_f32x4_abs(re32), b = wasm_f32x4_abs(im32);
  const v128_t a_gt_b = wasm_f32x4_gt(a, b);
  const v128_t larger = wasm_v128_bitselect(a, b, a_gt_b);
  const v128_t smaller = wasm_v128_bitselect(b, a, a_gt_b);
  const v128_t ratio = wasm_f32x4_div(smaller, larger);
  const v128_t one = wasm_f64x2_splat(1.0);
  const v128_t r_lo = wasm_f64x2_promote_low_f32x4(ratio);
  const v128_t r_hi = wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(ratio, ratio, 2, 3, 2, 3));
  const v128_t t_lo = wasm_f32x4_demote_f64x2_zero(wasm_f64x2_add(one, wasm_f64x2_mul(r_lo, r_lo)));
  const v128_t t_hi = wasm_f32x4_demote_f64x2_zero(wasm_f64x2_add(one, wasm_f64x2_mul(r_hi, r_hi)));
  const v128_t t = wasm_i32x4_shuffle(t_lo, t_hi, 0, 1, 4, 5);
  const v128_t m = wasm_f32x4_mul(wasm_f32x4_sqrt(t), larger);
  return wasm_v128_andnot(m, wasm_f32x4_eq(larger, wasm_f32x4_splat(0)));
}

/*
 * STFT frames (periodic window) of an already padded signal with the float64 FFT; per frame writes
 * the complex64-rounded spectrum (re/im, may be 0 to skip) and numpy's float32 |X|, frame-major.
 */
EXPORT(stft_f64)
void stft_f64(const Fft64 *p, const f64 *padded, int n_frames, int hop, const f64 *window, f32 *out_re,
              f32 *out_im, f32 *out_mag) {
  const int half = p->half, n_bins = half + 1;
  f64 *restrict zr = p->zr;
  f64 *restrict zi = p->zi;
  const uint32_t *bitrev = p->bitrev;
  const f64 *split_re = p->split_re, *split_im = p->split_im;
  for (int t = 0; t < n_frames; t++) {
    const f64 *x = padded + t * hop;
    if (p->n_passes > 0) {
      /* bit-reversed load and the adds-only first pass in one go (the same values and sums) */
      for (int i0 = 0; i0 < half; i0 += 4) {
        const int m0 = 2 * bitrev[i0], m1 = 2 * bitrev[i0 + 1], m2 = 2 * bitrev[i0 + 2], m3 = 2 * bitrev[i0 + 3];
        const f64 a0r = x[m0] * window[m0], a0i = x[m0 + 1] * window[m0 + 1];
        const f64 a1r = x[m1] * window[m1], a1i = x[m1 + 1] * window[m1 + 1];
        const f64 a2r = x[m2] * window[m2], a2i = x[m2 + 1] * window[m2 + 1];
        const f64 a3r = x[m3] * window[m3], a3i = x[m3 + 1] * window[m3 + 1];
        const f64 b0r = a0r + a1r, b0i = a0i + a1i, b1r = a0r - a1r, b1i = a0i - a1i;
        const f64 b2r = a2r + a3r, b2i = a2i + a3i, b3r = a2r - a3r, b3i = a2i - a3i;
        zr[i0] = b0r + b2r;
        zi[i0] = b0i + b2i;
        zr[i0 + 2] = b0r - b2r;
        zi[i0 + 2] = b0i - b2i;
        zr[i0 + 1] = b1r + b3i;
        zi[i0 + 1] = b1i - b3r;
        zr[i0 + 3] = b1r - b3i;
        zi[i0 + 3] = b1i + b3r;
      }
    } else {
      for (int m = 0; m < half; m++) {
        const uint32_t r = bitrev[m];
        const int i = 2 * m;
        zr[r] = x[i] * window[i];
        zi[r] = x[i + 1] * window[i + 1];
      }
    }
    butterflies(p, p->n_passes > 0);
    f32 *mag = out_mag + (int64_t)t * n_bins;
    f32 *ore = out_re ? out_re + (int64_t)t * n_bins : 0;
    f32 *oim = out_im ? out_im + (int64_t)t * n_bins : 0;
    {
      const f64 r0 = zr[0] + zi[0], rh = zr[0] - zi[0];
      mag[0] = abs_complex64(r0, 0);
      mag[half] = abs_complex64(rh, 0);
      if (ore) {
        ore[0] = (f32)r0;
        oim[0] = 0;
        ore[half] = (f32)rh;
        oim[half] = 0;
      }
    }
    const v128_t h = wasm_f64x2_splat(0.5), mh = wasm_f64x2_splat(-0.5);
    int k = 1;
    for (; k + 3 < half; k += 4) {
      v128_t xr[2], xi[2];
      for (int h2 = 0; h2 < 2; h2++) {
        const int kk = k + 2 * h2;
        const v128_t ar = wasm_v128_load(zr + kk), ai = wasm_v128_load(zi + kk);
        /* zr[half-kk], zr[half-kk-1] */
        const v128_t rr = wasm_v128_load(zr + half - kk - 1), ri = wasm_v128_load(zi + half - kk - 1);
        const v128_t br = wasm_i64x2_shuffle(rr, rr, 1, 0);
        const v128_t bi = wasm_f64x2_neg(wasm_i64x2_shuffle(ri, ri, 1, 0));
        const v128_t er = wasm_f64x2_mul(h, wasm_f64x2_add(ar, br));
        const v128_t ei = wasm_f64x2_mul(h, wasm_f64x2_add(ai, bi));
        const v128_t or_ = wasm_f64x2_mul(h, wasm_f64x2_sub(ai, bi));
        const v128_t oi = wasm_f64x2_mul(mh, wasm_f64x2_sub(ar, br));
        const v128_t wr = wasm_v128_load(split_re + kk), wi = wasm_v128_load(split_im + kk);
        xr[h2] = wasm_f64x2_sub(wasm_f64x2_add(er, wasm_f64x2_mul(or_, wr)), wasm_f64x2_mul(oi, wi));
        xi[h2] = wasm_f64x2_add(wasm_f64x2_add(ei, wasm_f64x2_mul(or_, wi)), wasm_f64x2_mul(oi, wr));
      }
      const v128_t re32 = wasm_i32x4_shuffle(wasm_f32x4_demote_f64x2_zero(xr[0]), wasm_f32x4_demote_f64x2_zero(xr[1]), 0, 1, 4, 5);
      const v128_t im32 = wasm_i32x4_shuffle(wasm_f32x4_demote_f64x2_zero(xi[0]), wasm_f32x4_demote_f64x2_zero(xi[1]), 0, 1, 4, 5);
      wasm_v128_store(mag + k, abs_complex64_x4(re32, im32));
      if (ore) {
        wasm_v128_store(ore + k, re32);
        wasm_v128_store(oim + k, im32);
      }
    }
    for (; k < half; k++) {
      f64 xr, xi;
      split_bin(p, k, &xr, &xi);
      mag[k] = abs_complex64(xr, xi);
      if (ore) {
        ore[k] = (f32)xr;
        oim[k] = (f32)xi;
      }
    }
  }
}

/* ------------------------- running medians (JS oracle: tests/core/dsp/oracles/median.ts) */

static inline int reflect_index(int i, int n) {
  const int period = 2 * n;
  int m = i % period;
  if (m < 0) m += period;
  return m < n ? m : period - 1 - m;
}

/*
 * Running median of odd width `size` over n keys read at x[i * in_stride], written to
 * out[i * out_stride], 'reflect' edges. Keys are float32 bit patterns of non-negative values.
 */
static void running_median(const int32_t *x, int in_stride, int n, int size, int32_t *out, int out_stride,
                           int32_t *padded, int32_t *window) {
  const int half = size >> 1;
  if (n > half) {
    for (int j = 0; j < half; j++) padded[j] = x[(half - 1 - j) * in_stride];
    for (int i = 0; i < n; i++) padded[half + i] = x[i * in_stride];
    for (int j = 0; j < half; j++) padded[half + n + j] = x[(n - 1 - j) * in_stride];
  } else {
    for (int j = 0; j < n + 2 * half; j++) padded[j] = x[reflect_index(j - half, n) * in_stride];
  }
  for (int j = 0; j < size; j++) {
    const int32_t v = padded[j];
    int p = j;
    while (p > 0 && window[p - 1] > v) {
      window[p] = window[p - 1];
      p--;
    }
    window[p] = v;
  }
  out[0] = window[half];
  for (int i = 1; i < n; i++) {
    const int32_t leaving = padded[i - 1];
    const int32_t entering = padded[i - 1 + size];
    if (entering > leaving) {
      int p = leaving >= window[half] ? half : 0;
      while (window[p] < leaving) p++;
      while (p + 1 < size && window[p + 1] < entering) {
        window[p] = window[p + 1];
        p++;
      }
      window[p] = entering;
    } else if (entering < leaving) {
      int p = leaving <= window[half] ? half : size - 1;
      while (window[p] > leaving) p--;
      while (p > 0 && window[p - 1] > entering) {
        window[p] = window[p - 1];
        p--;
      }
      window[p] = entering;
    }
    out[i * out_stride] = window[half];
  }
}

/*
 * The same running median for size == 31, with the sorted window held in eight i32x4 registers
 * (plus a +inf sentinel in slot 31). One step deletes `leaving` and inserts `entering` without
 * searching: for entering >= leaving, slot j becomes W[j] if W[j] < leaving, else
 * min(W[j+1], max(entering, W[j])); for entering < leaving, W[j] if W[j] > leaving, else
 * max(W[j-1], min(entering, W[j])). Same sorted multiset, so the same medians, bit for bit.
 * (A branch-free step, deleting then inserting every time, was slower in V8: its extra selects
 * cost more than the mispredicted branch.) The first window is 31 insertions into slots of +inf:
 * slot j becomes min(W[j], max(W[j-1], entering)), three operations per register where a full
 * step takes seven; it is a quarter of the work on a 2 s clip's short harmonic-filter lines.
 */
static void slide_median31(const int32_t *padded, int n, int32_t *out, int out_stride);

static void running_median31(const int32_t *x, int in_stride, int n, int32_t *out, int out_stride, int32_t *padded,
                             int32_t *window) {
  const int half = 15;
  (void)window;
  if (n > half) {
    for (int j = 0; j < half; j++) padded[j] = x[(half - 1 - j) * in_stride];
    for (int i = 0; i < n; i++) padded[half + i] = x[i * in_stride];
    for (int j = 0; j < half; j++) padded[half + n + j] = x[(n - 1 - j) * in_stride];
  } else {
    for (int j = 0; j < n + 2 * half; j++) padded[j] = x[reflect_index(j - half, n) * in_stride];
  }
  slide_median31(padded, n, out, out_stride);
}

/* The sliding median of width 31 over an already padded line (n + 30 keys): n outputs. */
static void slide_median31(const int32_t *padded, int n, int32_t *out, int out_stride) {
  const int size = 31;
  const v128_t lo_inf = wasm_i32x4_splat((int32_t)0x80000000), hi_inf = wasm_i32x4_splat(0x7fffffff);
  v128_t w0 = hi_inf, w1 = hi_inf, w2 = hi_inf, w3 = hi_inf, w4 = hi_inf, w5 = hi_inf, w6 = hi_inf, w7 = hi_inf;
#define NEXT(a, b) wasm_i32x4_shuffle(a, b, 1, 2, 3, 4)
#define PREV(a, b) wasm_i32x4_shuffle(a, b, 3, 4, 5, 6)
#define INS(w, pv) wasm_i32x4_min(w, wasm_i32x4_max(pv, e))
#define UP(w, nx) wasm_v128_bitselect(w, wasm_i32x4_min(nx, wasm_i32x4_max(e, w)), wasm_i32x4_lt(w, l))
#define DN(w, pv) wasm_v128_bitselect(w, wasm_i32x4_max(pv, wasm_i32x4_min(e, w)), wasm_i32x4_gt(w, l))
  /* the first window: 31 insertions into 32 slots of +inf (the last stays the sentinel) */
  for (int j = 0; j < size; j++) {
    const v128_t e = wasm_i32x4_splat(padded[j]);
    const v128_t n0 = INS(w0, PREV(lo_inf, w0)), n1 = INS(w1, PREV(w0, w1)), n2 = INS(w2, PREV(w1, w2)),
                 n3 = INS(w3, PREV(w2, w3)), n4 = INS(w4, PREV(w3, w4)), n5 = INS(w5, PREV(w4, w5)),
                 n6 = INS(w6, PREV(w5, w6)), n7 = INS(w7, PREV(w6, w7));
    w0 = n0, w1 = n1, w2 = n2, w3 = n3, w4 = n4, w5 = n5, w6 = n6, w7 = n7;
  }
  out[0] = wasm_i32x4_extract_lane(w3, 3);
  for (int i = 1; i < n; i++) {
    const int32_t leaving = padded[i - 1];
    const int32_t entering = padded[i - 1 + size];
    const v128_t l = wasm_i32x4_splat(leaving), e = wasm_i32x4_splat(entering);
    if (entering >= leaving) {
      const v128_t n0 = UP(w0, NEXT(w0, w1)), n1 = UP(w1, NEXT(w1, w2)), n2 = UP(w2, NEXT(w2, w3)),
                   n3 = UP(w3, NEXT(w3, w4)), n4 = UP(w4, NEXT(w4, w5)), n5 = UP(w5, NEXT(w5, w6)),
                   n6 = UP(w6, NEXT(w6, w7)), n7 = UP(w7, NEXT(w7, hi_inf));
      w0 = n0, w1 = n1, w2 = n2, w3 = n3, w4 = n4, w5 = n5, w6 = n6, w7 = n7;
    } else {
      const v128_t n0 = DN(w0, PREV(lo_inf, w0)), n1 = DN(w1, PREV(w0, w1)), n2 = DN(w2, PREV(w1, w2)),
                   n3 = DN(w3, PREV(w2, w3)), n4 = DN(w4, PREV(w3, w4)), n5 = DN(w5, PREV(w4, w5)),
                   n6 = DN(w6, PREV(w5, w6)), n7 = DN(w7, PREV(w6, w7));
      w0 = n0, w1 = n1, w2 = n2, w3 = n3, w4 = n4, w5 = n5, w6 = n6, w7 = n7;
    }
    out[i * out_stride] = wasm_i32x4_extract_lane(w3, 3);
  }
#undef NEXT
#undef PREV
#undef INS
#undef UP
#undef DN
}

static void median_line(const int32_t *x, int in_stride, int n, int size, int32_t *out, int out_stride, int32_t *padded,
                        int32_t *window) {
  if (size == 31) running_median31(x, in_stride, n, out, out_stride, padded, window);
  else running_median(x, in_stride, n, size, out, out_stride, padded, window);
}

/* Four lanes' sorted windows of 31 keys (W[31] = +inf): the first window, from 32 slots of +inf, by 31 insertions. */
static inline void window31_fill(v128_t *W, const v128_t *pad) {
  const v128_t lo_inf = wasm_i32x4_splat((int32_t)0x80000000), hi_inf = wasm_i32x4_splat(0x7fffffff);
  for (int j = 0; j < 32; j++) W[j] = hi_inf;
  for (int j = 0; j < 31; j++) {
    const v128_t e = pad[j];
    v128_t prev = lo_inf;
    for (int s = 0; s < 32; s++) {
      const v128_t cur = W[s];
      W[s] = wasm_i32x4_min(cur, wasm_i32x4_max(prev, e));
      prev = cur;
    }
  }
}

/* One step of every lane: delete `l` (D[j] = W[j] < l ? W[j] : W[j+1]), insert `e` (N[j] = min(D[j], max(D[j-1], e))). */
static inline void window31_step(v128_t *W, v128_t l, v128_t e) {
  v128_t prev_d = wasm_i32x4_splat((int32_t)0x80000000);
  for (int s = 0; s < 31; s++) {
    const v128_t d = wasm_v128_bitselect(W[s], W[s + 1], wasm_i32x4_lt(W[s], l));
    W[s] = wasm_i32x4_min(d, wasm_i32x4_max(prev_d, e));
    prev_d = d;
  }
}

/*
 * Width-31 medians along the columns of a row-major [n_rows][n_cols] matrix (the harmonic filter: columns are
 * bins, rows frames), four adjacent columns at a time: lane q of every vector belongs to column c + q, whose keys
 * one load brings in. Each lane keeps its sorted window in W[0..30] (W[31] = +inf) and steps without a branch:
 * delete `leaving` (D[j] = W[j] < leaving ? W[j] : W[j+1]), then insert `entering`
 * (N[j] = min(D[j], max(D[j-1], entering))). The same sorted multiset per lane as slide_median31's, so the same
 * medians bit for bit; no mispredicted branch and no strided loads. pad: n_rows + 30 vectors of scratch.
 */
static void median31_cols_x4(const int32_t *x, int n_rows, int n_cols, int c, int32_t *out, v128_t *pad) {
  for (int j = 0; j < n_rows + 30; j++) pad[j] = wasm_v128_load(x + (int64_t)reflect_index(j - 15, n_rows) * n_cols + c);
  v128_t W[32];
  window31_fill(W, pad);
  wasm_v128_store(out + c, W[15]);
  for (int i = 1; i < n_rows; i++) {
    window31_step(W, pad[i - 1], pad[i + 30]);
    wasm_v128_store(out + (int64_t)i * n_cols + c, W[15]);
  }
}

/*
 * The same along rows (the percussive filter: bins within a frame), four rows at a time: lane q of every vector
 * belongs to row r + q (its key gathered from that row), the medians scattered back. pad: row_len + 30 vectors.
 */
static void median31_rows_x4(const int32_t *x, int n_rows, int row_len, int r, int32_t *out, v128_t *pad) {
  const int32_t *x0 = x + (int64_t)r * row_len, *x1 = x0 + row_len, *x2 = x1 + row_len, *x3 = x2 + row_len;
  (void)n_rows;
  for (int j = 0; j < row_len + 30; j++) {
    const int m = reflect_index(j - 15, row_len);
    pad[j] = wasm_i32x4_make(x0[m], x1[m], x2[m], x3[m]);
  }
  v128_t W[32];
  window31_fill(W, pad);
  int32_t *o0 = out + (int64_t)r * row_len, *o1 = o0 + row_len, *o2 = o1 + row_len, *o3 = o2 + row_len;
  for (int i = 0; i < row_len; i++) {
    if (i > 0) window31_step(W, pad[i - 1], pad[i + 30]);
    o0[i] = wasm_i32x4_extract_lane(W[15], 0);
    o1[i] = wasm_i32x4_extract_lane(W[15], 1);
    o2[i] = wasm_i32x4_extract_lane(W[15], 2);
    o3[i] = wasm_i32x4_extract_lane(W[15], 3);
  }
}

/* Medians along contiguous rows (x row-major [n_rows][row_len]); scratch: row_len + size + size ints. */
EXPORT(median_rows)
void median_rows(const int32_t *x, int n_rows, int row_len, int size, int32_t *out, int32_t *scratch) {
  int32_t *padded = scratch, *window = scratch + ((row_len + size + 3) & ~3);
  for (int r = 0; r < n_rows; r++)
    median_line(x + (int64_t)r * row_len, 1, row_len, size, out + (int64_t)r * row_len, 1, padded, window);
}

/* Medians along columns of a row-major [n_rows][n_cols] matrix (strided in, strided out). */
EXPORT(median_cols)
void median_cols(const int32_t *x, int n_rows, int n_cols, int size, int32_t *out, int32_t *scratch) {
  int32_t *padded = scratch, *window = scratch + ((n_rows + size + 3) & ~3);
  for (int c = 0; c < n_cols; c++) median_line(x + c, n_cols, n_rows, size, out + c, n_cols, padded, window);
}

/*
 * librosa.util.softmask(H, P, power=2) in float32: z = max(H, P); M = (H/z)^2 / ((H/z)^2 + (P/z)^2),
 * 0.5 where z < float32 tiny. Four lanes at a time: each lane runs the scalar tail's operations
 * (IEEE division and products), so the same bits; the three divisions per bin dominated the loop.
 */
static void soft_mask(const f32 *harm, const f32 *perc, int n, f32 *mask) {
  const f32 tiny = 1.1754943508222875e-38f;
  const v128_t tiny4 = wasm_f32x4_splat(tiny), half4 = wasm_f32x4_splat(0.5f);
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    const v128_t h = wasm_v128_load(harm + i), p = wasm_v128_load(perc + i);
    const v128_t z = wasm_v128_bitselect(h, p, wasm_f32x4_gt(h, p));
    const v128_t rh = wasm_f32x4_div(h, z), rp = wasm_f32x4_div(p, z);
    const v128_t mh = wasm_f32x4_mul(rh, rh), mp = wasm_f32x4_mul(rp, rp);
    const v128_t m = wasm_f32x4_div(mh, wasm_f32x4_add(mh, mp));
    wasm_v128_store(mask + i, wasm_v128_bitselect(half4, m, wasm_f32x4_lt(z, tiny4)));
  }
  for (; i < n; i++) {
    const f32 h = harm[i], p = perc[i];
    const f32 z = h > p ? h : p;
    if (z < tiny) {
      mask[i] = 0.5f;
      continue;
    }
    const f32 rh = h / z, rp = p / z;
    const f32 mh = rh * rh, mp = rp * rp;
    mask[i] = mh / (mh + mp);
  }
}

/*
 * librosa's HPSS harmonic soft mask (hpss.ts harmonicMask) from frame-major float32 |X|:
 * medians over `kernel` frames (per bin) and `kernel` bins (per frame), then H^2 / (H^2 + P^2)
 * in float32. harm/perc: work arrays of n_frames * n_bins f32; scratch: max(n_frames, n_bins) + 2 * kernel + 40 ints,
 * and for kernel 31 at least 16 * (max(n_frames, n_bins) + kernel + 1) bytes (four lines' keys as vectors).
 */
EXPORT(harmonic_mask)
void harmonic_mask(const f32 *S, int n_frames, int n_bins, int kernel, f32 *harm, f32 *perc, int32_t *scratch,
                   f32 *mask) {
  if (kernel == 31) {
    /* four bins at a time, then the last (n_bins % 4) one by one */
    const int n4 = n_bins & ~3;
    v128_t *pad = (v128_t *)(((uintptr_t)scratch + 15) & ~(uintptr_t)15);
    for (int c = 0; c < n4; c += 4) median31_cols_x4((const int32_t *)S, n_frames, n_bins, c, (int32_t *)harm, pad);
    const int longest = n_frames > n_bins ? n_frames : n_bins;
    int32_t *padded = scratch, *window = scratch + ((longest + kernel + 3) & ~3);
    for (int c = n4; c < n_bins; c++)
      median_line((const int32_t *)S + c, n_bins, n_frames, kernel, (int32_t *)harm + c, n_bins, padded, window);
    /* the percussive filter: four frames at a time, then the last (n_frames % 4) one by one */
    const int r4 = n_frames & ~3;
    for (int r = 0; r < r4; r += 4) median31_rows_x4((const int32_t *)S, n_frames, n_bins, r, (int32_t *)perc, pad);
    for (int r = r4; r < n_frames; r++)
      median_line((const int32_t *)S + (int64_t)r * n_bins, 1, n_bins, kernel, (int32_t *)perc + (int64_t)r * n_bins, 1, padded, window);
  } else {
    median_cols((const int32_t *)S, n_frames, n_bins, kernel, (int32_t *)harm, scratch);
    median_rows((const int32_t *)S, n_frames, n_bins, kernel, (int32_t *)perc, scratch);
  }
  const int n = n_frames * n_bins;
  soft_mask(harm, perc, n, mask);
}

/* ------------------------------------------------------------------------- CQT octave (cqt.ts) */

/*
 * One CQT octave: sparse basis rows times each frame's spectrum. spec holds T frames of `stride`
 * floats from pffft's ordered real FFT ([r0, r(half), r1, i1, ...]). With `full` (stride nfft + 2,
 * whole spectra) they are rearranged here to [r0, 0, r1, i1, ..., r(half), 0]; otherwise the
 * frames are a band of bins that excludes DC and Nyquist, and idx is relative to it. idx = 2 * bin.
 * Per row and frame the sum runs in basis order with the same operations as cqt.ts dotRows:
 * acc += (re * dr - im * di, re * di + im * dr). Output [row][T].
 */
EXPORT(cqt_octave_dot)
void cqt_octave_dot(f32 *spec, int T, int stride, int full, int nfft, const int32_t *row_start, const int32_t *idx,
                    const f64 *re, const f64 *im_pairs, int n_rows, f64 *out_re, f64 *out_im, f64 *frame) {
  /* im_pairs[2j] = -im[j], im_pairs[2j + 1] = im[j]; frame: stride + 4 f64 of work */
  for (int t = 0; t < T; t++) {
    f32 *s = spec + (int64_t)t * stride;
    if (full) {
      s[nfft] = s[1];
      s[nfft + 1] = 0;
      s[1] = 0;
    }
    /* the frame in double once, so each product reads (dr, di) with one load */
    int k = 0;
    for (; k + 4 <= stride; k += 4) {
      const v128_t v = wasm_v128_load(s + k);
      wasm_v128_store(frame + k, wasm_f64x2_promote_low_f32x4(v));
      wasm_v128_store(frame + k + 2, wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(v, v, 2, 3, 2, 3)));
    }
    for (; k < stride; k++) frame[k] = s[k];
    for (int r = 0; r < n_rows; r++) {
      v128_t acc = wasm_f64x2_splat(0);
      for (int j = row_start[r]; j < row_start[r + 1]; j++) {
        const v128_t d = wasm_v128_load(frame + idx[j]);              /* (dr, di) */
        const v128_t ds = wasm_i64x2_shuffle(d, d, 1, 0);            /* (di, dr) */
        const v128_t b1 = wasm_v128_load64_splat(re + j);             /* (re, re) */
        const v128_t b2 = wasm_v128_load(im_pairs + 2 * j);           /* (-im, im) */
        acc = wasm_f64x2_add(acc, wasm_f64x2_add(wasm_f64x2_mul(b1, d), wasm_f64x2_mul(b2, ds)));
      }
      out_re[(int64_t)r * T + t] = wasm_f64x2_extract_lane(acc, 0);
      out_im[(int64_t)r * T + t] = wasm_f64x2_extract_lane(acc, 1);
    }
  }
}

/* --------------------- filter banks (JS oracle: tests/core/dsp/oracles/filterbank.ts) */

/*
 * bank @ X for a frame-major X [T][n_cols] of float32 values (squared to float32 first if
 * `square`, the power spectrum of |X|); result [row][T]. Each run of nonzero weights is summed
 * two columns at a time (float64), so sums differ from the JS loop only in the last bits.
 */
EXPORT(bank_apply)
void bank_apply(const f32 *X, int T, int n_cols, int square, const void *wv, int w_f32, const int32_t *runs,
                const int32_t *row_runs, int n_rows, f64 *frame, f64 *out) {
  /* runs: (start, end, offset of the run's weights in w) triples; w: f64, or float32 values (w_f32) */
  const f64 *w64 = (const f64 *)wv;
  const f32 *w32 = (const f32 *)wv;
  for (int t = 0; t < T; t++) {
    const f32 *x = X + (int64_t)t * n_cols;
    if (square) {
      for (int k = 0; k < n_cols; k++) frame[k] = (f32)((f64)x[k] * (f64)x[k]);
    } else {
      for (int k = 0; k < n_cols; k++) frame[k] = x[k];
    }
    for (int r = 0; r < n_rows; r++) {
      v128_t acc0 = wasm_f64x2_splat(0), acc1 = wasm_f64x2_splat(0);
      f64 tail = 0;
      for (int q = row_runs[r]; q < row_runs[r + 1]; q++) {
        int k = runs[3 * q];
        const int end = runs[3 * q + 1];
        if (w_f32) {
          const f32 *wr = w32 + runs[3 * q + 2] - k;
          for (; k + 4 <= end; k += 4) {
            acc0 = wasm_f64x2_add(acc0, wasm_f64x2_mul(wasm_f64x2_promote_low_f32x4(wasm_v128_load64_zero(wr + k)), wasm_v128_load(frame + k)));
            acc1 = wasm_f64x2_add(acc1, wasm_f64x2_mul(wasm_f64x2_promote_low_f32x4(wasm_v128_load64_zero(wr + k + 2)), wasm_v128_load(frame + k + 2)));
          }
          for (; k < end; k++) tail += (f64)wr[k] * frame[k];
        } else {
          const f64 *wr = w64 + runs[3 * q + 2] - k;
          for (; k + 4 <= end; k += 4) {
            acc0 = wasm_f64x2_add(acc0, wasm_f64x2_mul(wasm_v128_load(wr + k), wasm_v128_load(frame + k)));
            acc1 = wasm_f64x2_add(acc1, wasm_f64x2_mul(wasm_v128_load(wr + k + 2), wasm_v128_load(frame + k + 2)));
          }
          for (; k < end; k++) tail += wr[k] * frame[k];
        }
      }
      const v128_t acc = wasm_f64x2_add(acc0, acc1);
      out[(int64_t)r * T + t] = wasm_f64x2_extract_lane(acc, 0) + wasm_f64x2_extract_lane(acc, 1) + tail;
    }
  }
}

/* ------------------ ISTFT, istft.ts 'f32' (JS oracle: tests/core/dsp/oracles/istft.ts) */

/*
 * pffft-ordered inputs of the masked frames: [r0, r(half), r1, i1, ...] with X * mask in float32
 * (float32 X times a float32 mask, rounded once: what the JS oracle stores into pffft's input).
 */
EXPORT(istft_masked_inputs)
void istft_masked_inputs(const f32 *re, const f32 *im, const f32 *mask, int n_frames, int nfft, f32 *frames) {
  const int half = nfft >> 1, n_bins = half + 1;
  for (int t = 0; t < n_frames; t++) {
    const f32 *r = re + (int64_t)t * n_bins, *i = im + (int64_t)t * n_bins, *m = mask + (int64_t)t * n_bins;
    f32 *v = frames + (int64_t)t * nfft;
    v[0] = r[0] * m[0];
    v[1] = r[half] * m[half];
    int k = 1;
    for (; k + 4 <= half; k += 4) {
      const v128_t mm = wasm_v128_load(m + k);
      const v128_t a = wasm_f32x4_mul(wasm_v128_load(r + k), mm);
      const v128_t b = wasm_f32x4_mul(wasm_v128_load(i + k), mm);
      wasm_v128_store(v + 2 * k, wasm_i32x4_shuffle(a, b, 0, 4, 1, 5));
      wasm_v128_store(v + 2 * k + 4, wasm_i32x4_shuffle(a, b, 2, 6, 3, 7));
    }
    for (; k < half; k++) {
      v[2 * k] = r[k] * m[k];
      v[2 * k + 1] = i[k] * m[k];
    }
  }
}

/*
 * Overlap-add of the unscaled inverse frames (out += w * (x / nfft), frame by frame), then the
 * division by the summed squared window (accumulated frame by frame, as the JS oracle) where it exceeds
 * float32 tiny; writes `length` samples after the first nfft / 2, rounded to float32 if asked.
 * `acc` must hold nfft + hop * (n_frames - 1) (and >= length + nfft / 2) f64.
 */
EXPORT(istft_overlap_add)
void istft_overlap_add(const f32 *frames, int n_frames, int nfft, int hop, const f64 *w, f64 *acc, f64 *wss,
                       int acc_len, int length, int round_f32, f64 *y) {
  for (int i = 0; i < acc_len; i++) acc[i] = wss[i] = 0;
  const v128_t s = wasm_f64x2_splat(1.0 / nfft);
  for (int t = 0; t < n_frames; t++) {
    const f32 *x = frames + (int64_t)t * nfft;
    f64 *o = acc + (int64_t)t * hop;
    f64 *q = wss + (int64_t)t * hop;
    for (int i = 0; i < nfft; i += 2) {
      const v128_t wv = wasm_v128_load(w + i);
      const v128_t xv = wasm_f64x2_promote_low_f32x4(wasm_v128_load64_zero(x + i));
      wasm_v128_store(o + i, wasm_f64x2_add(wasm_v128_load(o + i), wasm_f64x2_mul(wv, wasm_f64x2_mul(xv, s))));
      wasm_v128_store(q + i, wasm_f64x2_add(wasm_v128_load(q + i), wasm_f64x2_mul(wv, wv)));
    }
  }
  const int pad = nfft >> 1;
  const f64 tiny = 1.1754943508222875e-38;
  for (int i = 0; i < length; i++) {
    const f64 ss = wss[pad + i];
    const f64 v = ss > tiny ? acc[pad + i] / ss : acc[pad + i];
    y[i] = round_f32 ? (f64)(f32)v : v;
  }
}

/* ------------- spectral contrast (contrast.ts; JS oracle: tests/core/dsp/oracles/contrast.ts) */

/*
 * Per band (bins lo .. lo + count of each frame of the frame-major S) and frame: the means of
 * the q smallest and the q largest values, summed in sorted order (ascending for the smallest,
 * descending for the largest) as the JS oracle does. Four frames at a time, one per SIMD lane: each
 * value passes down a min/max chain through q sorted slots, with no data-dependent branch (on
 * real spectra a branch on "does it enter?" mispredicted often enough to dominate).
 * A band with fewer than q values averages all of them (numpy's [:q] slice), none gives NaN.
 * bands: (lo, count, q) triples; valley/peak [band][frame]; slots: max q v128 (16-byte aligned).
 */
EXPORT(contrast_bands)
void contrast_bands(const f32 *S, int n_frames, int n_bins, const int32_t *bands, int n_bands, f64 *valley,
                    f64 *peak, v128_t *slot) {
  /* |X| >= 0: float32 bit patterns order like the values, and integer min/max are single
     instructions (f32x4.min/max carry NaN and -0 rules that cost several) */
  const v128_t pos_inf = wasm_i32x4_splat(0x7f800000), neg_inf = wasm_i32x4_splat(-1);
  for (int b = 0; b < n_bands; b++) {
    const int lo = bands[3 * b], count = bands[3 * b + 1], q_band = bands[3 * b + 2];
    const int q = q_band < count ? q_band : count;
    for (int t0 = 0; t0 < n_frames; t0 += 4) {
      const int lanes = n_frames - t0 < 4 ? n_frames - t0 : 4;
      const f32 *x[4];
      for (int l = 0; l < 4; l++) x[l] = S + (int64_t)(t0 + (l < lanes ? l : 0)) * n_bins + lo;
      for (int pass = 0; pass < 2; pass++) {
        const int smallest = pass == 0;
        for (int j = 0; j < q; j++) slot[j] = smallest ? pos_inf : neg_inf;
        for (int k = 0; k < count; k++) {
          v128_t v = wasm_f32x4_make(x[0][k], x[1][k], x[2][k], x[3][k]);
          if (smallest) {
            for (int j = 0; j < q; j++) {
              const v128_t w = slot[j];
              slot[j] = wasm_i32x4_min(w, v);
              v = wasm_i32x4_max(w, v);
            }
          } else {
            for (int j = 0; j < q; j++) {
              const v128_t w = slot[j];
              slot[j] = wasm_i32x4_max(w, v);
              v = wasm_i32x4_min(w, v);
            }
          }
        }
        f64 sums[4] = {0, 0, 0, 0};
        for (int j = 0; j < q; j++) {
          sums[0] += wasm_f32x4_extract_lane(slot[j], 0);
          sums[1] += wasm_f32x4_extract_lane(slot[j], 1);
          sums[2] += wasm_f32x4_extract_lane(slot[j], 2);
          sums[3] += wasm_f32x4_extract_lane(slot[j], 3);
        }
        f64 *dst = (smallest ? valley : peak) + (int64_t)b * n_frames + t0;
        for (int l = 0; l < lanes; l++) dst[l] = sums[l] / q;
      }
    }
  }
}

/* ----------------------- piptrack (tuning.ts; JS oracle: tests/core/dsp/oracles/tuning.ts) */

#define F32(x) ((f64)(f32)(x))

/*
 * The JS oracle piptrackPeaksJs, operation for operation (its float32 emulation in double with the
 * same roundings): peaks of frames of the frame-major S at bins k_lo .. k_hi - 1, appended to
 * pitches / mags in frame then bin order. Returns the number of peaks.
 */
EXPORT(piptrack_peaks)
int piptrack_peaks(const f32 *S, int n_frames, int n_bins, int k_lo, int k_hi, f64 threshold, f64 sr, int nfft,
                   f64 *pitches, f64 *mags) {
  const int last = n_bins - 1;
  int count = 0;
  for (int t = 0; t < n_frames; t++) {
    const f32 *x = S + (int64_t)t * n_bins;
    f64 max = 0;
    for (int k = 0; k < n_bins; k++)
      if (x[k] > max) max = x[k];
    const f64 ref = F32(threshold * max);
#define XAT(k) ((f64)x[k] > ref ? (f64)x[k] : 0.0)
    for (int k = k_lo; k < k_hi; k++) {
      const f64 v = XAT(k);
      const int is_max = k == last ? v > XAT(k - 1) : (v > XAT(k - 1) && v >= XAT(k + 1));
      if (!is_max) continue;
      f64 shift = 0, avg;
      if (k == last) {
        avg = F32((f64)x[k] - (f64)x[k - 1]);
      } else {
        const f64 s0 = x[k - 1], s1 = x[k], s2 = x[k + 1];
        const f64 a = F32(s2 + s0) - 2 * s1;
        const f64 b = F32(s2 - s0) / 2;
        const f64 abs_a = a < 0 ? -a : a, abs_b = b < 0 ? -b : b;
        shift = abs_b >= abs_a ? 0 : F32(-b / a);
        avg = F32(s2 - s0) / 2;
      }
      const f64 dskew = F32(F32(0.5 * avg) * shift);
      pitches[count] = F32(((k + shift) * sr) / nfft);
      mags[count] = F32((f64)x[k] + dskew);
      count++;
    }
#undef XAT
  }
  return count;
}

/* ------------------------------------------------------------------------------- MFCC (mfcc.ts) */

/*
 * out[k][t] = sum_i D[k][i] * L[i][t] for a [n_in][T] input, the sum over i in order (the same
 * operations as mfcc.ts mfccFromLogMel, two frames per SIMD lane pair).
 */
EXPORT(dct_rows)
void dct_rows(const f64 *D, int n_out, int n_in, const f64 *L, int T, f64 *out) {
  for (int k = 0; k < n_out; k++) {
    f64 *o = out + (int64_t)k * T;
    for (int t = 0; t < T; t++) o[t] = 0;
    for (int i = 0; i < n_in; i++) {
      const f64 d = D[(int64_t)k * n_in + i];
      const f64 *row = L + (int64_t)i * T;
      const v128_t dv = wasm_f64x2_splat(d);
      int t = 0;
      for (; t + 2 <= T; t += 2) wasm_v128_store(o + t, wasm_f64x2_add(wasm_v128_load(o + t), wasm_f64x2_mul(dv, wasm_v128_load(row + t))));
      for (; t < T; t++) o[t] += d * row[t];
    }
  }
}

/* ------------------------------------------------- CQT octave decimation (decimate.ts, soxr HQ 2:1) */

/* rfft of x[0 .. n) (fft64.ts RealFft64.forward): re/im[0 .. half]. */
static void rfft_forward(const Fft64 *p, const f64 *x, f64 *re, f64 *im) {
  const int half = p->half;
  f64 *restrict zr = p->zr;
  f64 *restrict zi = p->zi;
  const uint32_t *bitrev = p->bitrev;
  for (int m = 0; m < half; m++) {
    const uint32_t r = bitrev[m];
    zr[r] = x[2 * m];
    zi[r] = x[2 * m + 1];
  }
  butterflies(p, 0);
  re[0] = zr[0] + zi[0];
  im[0] = 0;
  re[half] = zr[0] - zi[0];
  im[half] = 0;
  for (int k = 1; k < half; k++) split_bin(p, k, re + k, im + k);
}

/* irfft of re/im[0 .. half] scaled by 1/n (RealFft64.inverse): leaves x[2m] = zr[m], x[2m+1] = -zi[m] unscaled. */
static void rfft_inverse_unscaled(const Fft64 *p, const f64 *re, const f64 *im) {
  const int half = p->half;
  f64 *restrict zr = p->zr;
  f64 *restrict zi = p->zi;
  for (int k = 0; k < half; k++) {
    const f64 xr = re[k], xi = k == 0 ? 0 : im[k];
    const f64 yr = re[half - k], yi = k == 0 ? 0 : -im[half - k];
    const f64 er = xr + yr, ei = xi + yi, dr = xr - yr, di = xi - yi;
    const f64 wr = p->split_re[k], wi = -p->split_im[k];
    const f64 or_ = dr * wr - di * wi, oi = dr * wi + di * wr;
    const uint32_t r = p->bitrev[k];
    zr[r] = er - oi;
    zi[r] = -(ei + or_);
  }
  butterflies(p, 0);
}

/*
 * soxr-stages.ts runFir for the single 2:1 stage of soxr HQ (L = 1, M = 2, `taps` odd) in
 * float64: overlap-save blocks of n = fwd->n samples, the spectrum times the filter's (hre/him,
 * n/2 + 1 bins), folded to the even outputs and inverted at n/2 (inv). y[k] = gain * out[k], k < n_out.
 * work: seg[n], re[n/2 + 1], im[n/2 + 1].
 */
EXPORT(fir_decimate2)
void fir_decimate2(const Fft64 *fwd, const Fft64 *inv, const f64 *hre, const f64 *him, int taps, const f64 *x, int xl,
                   f64 gain, f64 *y, int n_out, f64 *seg, f64 *re, f64 *im) {
  if (n_out <= 0) return;
  const int n = fwd->n, q = n >> 1, c = (taps - 1) >> 1;
  const int span = (n_out - 1) * 2 + 1;
  const int B = n - taps + 1;
  const f64 s = 1.0 / q;
  for (int n0 = 0; n0 < span; n0 += B) {
    const int m0 = n0 - c;
    const f64 *src;
    if (m0 >= 0 && m0 + n <= xl) {
      src = x + m0;
    } else {
      for (int j = 0; j < n; j++) {
        const int t = m0 + j;
        seg[j] = t >= 0 && t < xl ? x[t] : 0;
      }
      src = seg;
    }
    rfft_forward(fwd, src, re, im);
    for (int k = 0; k <= q; k++) {
      const f64 a = re[k], b = im[k];
      re[k] = a * hre[k] - b * him[k];
      im[k] = a * him[k] + b * hre[k];
    }
    /* even outputs only: D[k] = (Y[k] + conj Y[q - k]) / 2 */
    for (int k = 0; k <= q / 2; k++) {
      const f64 ar = re[k], ai = im[k], br = re[q - k], bi = im[q - k];
      re[k] = 0.5 * (ar + br);
      im[k] = 0.5 * (ai - bi);
    }
    rfft_inverse_unscaled(inv, re, im);
    /* out[n0 / 2 + j] = yc[c + j] */
    const int k0 = n0 / 2;
    int k_end = k0 + B / 2;
    if (k_end > n_out) k_end = n_out;
    for (int k = k0, pidx = c; k < k_end; k++, pidx++) {
      const f64 v = (pidx & 1) ? -inv->zi[pidx >> 1] : inv->zr[pidx >> 1];
      y[k] = (v * s) * gain;
    }
  }
}

/* ------------------------------------------------------------------- power_to_db (power_to_db.ts) */

#define LN2_F64 0.6931471805599453
#define LOG10E_F64 0.4342944819032518

/* log10(x) for finite x > 0 to a few ulp: x = m 2^e with m in [sqrt(1/2), sqrt(2)), log m = 2 atanh(s). */
static inline f64 log10_pos(f64 x) {
  union {
    f64 f;
    uint64_t u;
  } v = {x};
  int e = (int)((v.u >> 52) & 0x7ff) - 1023;
  if (e == -1023) { /* subnormal: scale into the normal range first */
    v.f = x * 18014398509481984.0; /* 2^54 */
    e = (int)((v.u >> 52) & 0x7ff) - 1023 - 54;
  }
  v.u = (v.u & 0x000fffffffffffffULL) | 0x3ff0000000000000ULL;
  f64 m = v.f;
  if (m > 1.4142135623730951) {
    m *= 0.5;
    e++;
  }
  const f64 s = (m - 1) / (m + 1), s2 = s * s;
  f64 p = 1.0 / 23;
  p = p * s2 + 1.0 / 21;
  p = p * s2 + 1.0 / 19;
  p = p * s2 + 1.0 / 17;
  p = p * s2 + 1.0 / 15;
  p = p * s2 + 1.0 / 13;
  p = p * s2 + 1.0 / 11;
  p = p * s2 + 1.0 / 9;
  p = p * s2 + 1.0 / 7;
  p = p * s2 + 1.0 / 5;
  p = p * s2 + 1.0 / 3;
  const f64 log_m = 2 * s + 2 * s * s2 * p;
  return (e * LN2_F64 + log_m) * LOG10E_F64;
}

/* log10 of two normal, finite, positive doubles: log10_pos lane-wise (the same operations). */
static inline v128_t log10_pos_x2(v128_t x) {
  const v128_t bits_e = wasm_u64x2_shr(x, 52); /* biased exponent, sign bit is 0 */
  v128_t m = wasm_v128_or(wasm_v128_and(x, wasm_i64x2_splat(0x000fffffffffffffLL)), wasm_i64x2_splat(0x3ff0000000000000LL));
  /* exponents fit in i32: gather the two low halves and convert */
  v128_t e = wasm_f64x2_convert_low_i32x4(wasm_i32x4_shuffle(bits_e, bits_e, 0, 2, 0, 2));
  e = wasm_f64x2_sub(e, wasm_f64x2_splat(1023.0));
  const v128_t big = wasm_f64x2_gt(m, wasm_f64x2_splat(1.4142135623730951));
  m = wasm_v128_bitselect(wasm_f64x2_mul(m, wasm_f64x2_splat(0.5)), m, big);
  e = wasm_f64x2_add(e, wasm_v128_and(big, wasm_f64x2_splat(1.0)));
  const v128_t one = wasm_f64x2_splat(1.0);
  const v128_t s = wasm_f64x2_div(wasm_f64x2_sub(m, one), wasm_f64x2_add(m, one));
  const v128_t s2 = wasm_f64x2_mul(s, s);
#define HORNER(p, c) p = wasm_f64x2_add(wasm_f64x2_mul(p, s2), wasm_f64x2_splat(c))
  v128_t p = wasm_f64x2_splat(1.0 / 23);
  HORNER(p, 1.0 / 21);
  HORNER(p, 1.0 / 19);
  HORNER(p, 1.0 / 17);
  HORNER(p, 1.0 / 15);
  HORNER(p, 1.0 / 13);
  HORNER(p, 1.0 / 11);
  HORNER(p, 1.0 / 9);
  HORNER(p, 1.0 / 7);
  HORNER(p, 1.0 / 5);
  HORNER(p, 1.0 / 3);
#undef HORNER
  const v128_t two_s = wasm_f64x2_mul(wasm_f64x2_splat(2.0), s);
  const v128_t log_m = wasm_f64x2_add(two_s, wasm_f64x2_mul(wasm_f64x2_mul(two_s, s2), p));
  return wasm_f64x2_mul(wasm_f64x2_add(wasm_f64x2_mul(e, wasm_f64x2_splat(LN2_F64)), log_m), wasm_f64x2_splat(LOG10E_F64));
}

/*
 * out = 10 log10(max(amin, S)), then floored at max(out) - top_db when has_top (librosa
 * power_to_db, ref 1). NaN stays NaN, +inf stays +inf. Pairs of normal values go through the
 * SIMD log10, anything else (zero with amin 0, subnormal, inf, NaN) through the scalar one.
 * Returns the maximum (before the floor).
 */
EXPORT(power_to_db)
f64 power_to_db(const f64 *S, int n, f64 amin, int has_top, f64 top_db, f64 *out) {
  f64 max = -__builtin_inf();
  const v128_t vamin = wasm_f64x2_splat(amin), tiny = wasm_f64x2_splat(2.2250738585072014e-308),
               inf = wasm_f64x2_splat(__builtin_inf()), ten = wasm_f64x2_splat(10.0);
  v128_t vmax = wasm_f64x2_splat(-__builtin_inf());
  int i = 0;
  for (; i + 2 <= n; i += 2) {
    const v128_t raw = wasm_v128_load(S + i);
    const v128_t x = wasm_v128_bitselect(raw, vamin, wasm_f64x2_gt(raw, vamin));
    if (wasm_i64x2_all_true(wasm_v128_and(wasm_f64x2_ge(x, tiny), wasm_f64x2_lt(x, inf)))) {
      const v128_t v = wasm_f64x2_mul(ten, log10_pos_x2(x));
      wasm_v128_store(out + i, v);
      vmax = wasm_v128_bitselect(v, vmax, wasm_f64x2_gt(v, vmax));
      continue;
    }
    for (int k = i; k < i + 2; k++) {
      const f64 xs = S[k] > amin ? S[k] : (S[k] != S[k] ? S[k] : amin);
      const f64 v = xs < __builtin_inf() ? (xs > 0 ? 10.0 * log10_pos(xs) : -__builtin_inf()) : xs;
      out[k] = v;
      if (v > max) max = v;
    }
  }
  for (; i < n; i++) {
    const f64 xs = S[i] > amin ? S[i] : (S[i] != S[i] ? S[i] : amin);
    const f64 v = xs < __builtin_inf() ? (xs > 0 ? 10.0 * log10_pos(xs) : -__builtin_inf()) : xs;
    out[i] = v;
    if (v > max) max = v;
  }
  const f64 m0 = wasm_f64x2_extract_lane(vmax, 0), m1 = wasm_f64x2_extract_lane(vmax, 1);
  if (m0 > max) max = m0;
  if (m1 > max) max = m1;
  if (has_top) {
    const f64 floor = max - top_db;
    for (int k = 0; k < n; k++)
      if (out[k] < floor) out[k] = floor;
  }
  return max;
}

/* ------------------------------------------- soxr rational poly-phase FIR (audio/soxr-exact.ts) */

/*
 * libsoxr's poly-fir0.h as its SSE build runs it, in float32: output k sums xp[div + j] ·
 * coefs[rem · nc4 + j] over j < nc4 in four lanes (lane j mod 4, in j order), then
 * (l0 + l2) + (l1 + l3); (div, rem) steps by (d_div, d_rem) with rem wrapping at L.
 */
EXPORT(soxr_poly_fir)
void soxr_poly_fir(const f32 *xp, const f32 *coefs, int nc4, int L, int div, int rem, int d_div, int d_rem, f32 *out,
                   int n_out) {
  int k = 0;
  /* two outputs per step: independent sums, each in the order below */
  for (; k + 2 <= n_out; k += 2) {
    int div1 = div + d_div, rem1 = rem + d_rem;
    if (rem1 >= L) {
      rem1 -= L;
      div1++;
    }
    const f32 *x0 = xp + div, *c0 = coefs + (int64_t)rem * nc4;
    const f32 *x1 = xp + div1, *c1 = coefs + (int64_t)rem1 * nc4;
    v128_t a0 = wasm_f32x4_splat(0), a1 = wasm_f32x4_splat(0);
    for (int j = 0; j < nc4; j += 4) {
      a0 = wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(x0 + j), wasm_v128_load(c0 + j)), a0);
      a1 = wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(x1 + j), wasm_v128_load(c1 + j)), a1);
    }
    out[k] = (wasm_f32x4_extract_lane(a0, 0) + wasm_f32x4_extract_lane(a0, 2)) + (wasm_f32x4_extract_lane(a0, 1) + wasm_f32x4_extract_lane(a0, 3));
    out[k + 1] = (wasm_f32x4_extract_lane(a1, 0) + wasm_f32x4_extract_lane(a1, 2)) + (wasm_f32x4_extract_lane(a1, 1) + wasm_f32x4_extract_lane(a1, 3));
    div = div1 + d_div;
    rem = rem1 + d_rem;
    if (rem >= L) {
      rem -= L;
      div++;
    }
  }
  for (; k < n_out; k++) {
    const f32 *x = xp + div, *c = coefs + (int64_t)rem * nc4;
    v128_t acc = wasm_f32x4_splat(0);
    for (int j = 0; j < nc4; j += 4) acc = wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(x + j), wasm_v128_load(c + j)), acc);
    const f32 l0 = wasm_f32x4_extract_lane(acc, 0), l1 = wasm_f32x4_extract_lane(acc, 1),
              l2 = wasm_f32x4_extract_lane(acc, 2), l3 = wasm_f32x4_extract_lane(acc, 3);
    out[k] = (l0 + l2) + (l1 + l3);
    div += d_div;
    rem += d_rem;
    if (rem >= L) {
      rem -= L;
      div++;
    }
  }
}

/* ------------------------------ CQT basis rows (JS oracle: tests/core/dsp/oracles/cqt-basis.ts) */

static void heap_sift(f64 *a, int start, int n) {
  int root = start;
  for (;;) {
    int child = 2 * root + 1;
    if (child >= n) return;
    if (child + 1 < n && a[child] < a[child + 1]) child++;
    if (!(a[root] < a[child])) return;
    const f64 t = a[root];
    a[root] = a[child];
    a[child] = t;
    root = child;
  }
}

/* Ascending sort of non-NaN doubles (the values equal a numeric typed-array sort's). */
static void sort_f64(f64 *a, int n) {
  if (n <= 32) {
    for (int i = 1; i < n; i++) {
      const f64 v = a[i];
      int j = i - 1;
      while (j >= 0 && a[j] > v) {
        a[j + 1] = a[j];
        j--;
      }
      a[j + 1] = v;
    }
    return;
  }
  for (int s = n / 2 - 1; s >= 0; s--) heap_sift(a, s, n);
  for (int end = n - 1; end > 0; end--) {
    const f64 t = a[0];
    a[0] = a[end];
    a[end] = t;
    heap_sift(a, 0, end);
  }
}

/* Hoare quickselect with a median-of-three pivot (cqt.ts selectKth, the same steps). */
static void select_kth(f64 *a, int n, int k) {
  int lo = 0, hi = n - 1;
  while (lo < hi) {
    const int mid = (lo + hi) >> 1;
    const f64 x = a[lo], y = a[mid], z = a[hi];
    const f64 pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    int i = lo, j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const f64 t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
}

/* cqt.ts sparsifyThreshold: the K largest selected, the crossing found among them, else a full sort. */
static f64 sparsify_threshold(const f64 *mags, int n, f64 quantile, f64 *sorted) {
  f64 norm = 0;
  for (int i = 0; i < n; i++) norm += mags[i];
  const int K = 32; /* a wavelet keeps 10-25 of its ~500 bins at 1%: enough, else the full sort decides */
  if (n > 4 * K && norm > 0 && norm - norm == 0) {
    for (int i = 0; i < n; i++) sorted[i] = mags[i];
    const int split = n - K;
    select_kth(sorted, n, split);
    const f64 margin = 1e-9 * quantile;
    f64 cum = 0;
    for (int j = 0; j < split; j++) cum += sorted[j] / norm;
    if (cum < quantile - margin) {
      f64 *top = sorted + split;
      sort_f64(top, K);
      for (int j = 0; j < K; j++) {
        cum += top[j] / norm;
        const f64 d = cum - quantile;
        if ((d < 0 ? -d : d) <= margin) break;
        if (cum >= quantile) return top[j];
      }
    }
  }
  for (int i = 0; i < n; i++) sorted[i] = mags[i];
  sort_f64(sorted, n);
  f64 cum = 0;
  for (int j = 0; j < n; j++) {
    cum += sorted[j] / norm;
    if (!(cum < quantile)) return sorted[j];
  }
  return sorted[0];
}

/*
 * One wavelet of __vqt_filter_fft (cqt.ts basisRow, operation for operation): the Hann-windowed
 * complex exponential of `len` samples at lpad in nfft, by rotation from exact (cos, sin) anchors
 * every 32 samples (computed by JS), L1-normalised times ilen / nfft, its complex FFT (p: the real
 * FFT plan of 2 nfft, whose inner transform this is), |X| of bins 0 .. nfft/2, sparsified. Writes
 * the kept bins and values; returns their count. work: 2 * (nfft/2 + 1) f64.
 */
EXPORT(cqt_basis_row)
int cqt_basis_row(const Fft64 *p, int nfft, int len, int lpad, const f64 *win, const f64 *anchors, f64 cs, f64 sn,
                  f64 ilen, f64 quantile, f64 *work, int32_t *out_bins, f64 *out_re, f64 *out_im) {
  f64 *restrict zr = p->zr;
  f64 *restrict zi = p->zi;
  const uint32_t *bitrev = p->bitrev;
  /* the signal, by the bit-reversed positions it is loaded to (zeros elsewhere) */
  for (int m = 0; m < nfft; m++) zr[m] = zi[m] = 0;
  f64 l1 = 0;
  f64 cr = 0, ci = 0;
  for (int j = 0; j < len; j++) {
    if ((j & 31) == 0) {
      cr = anchors[2 * (j >> 5)];
      ci = anchors[2 * (j >> 5) + 1];
    } else {
      const f64 nr = cr * cs - ci * sn;
      ci = cr * sn + ci * cs;
      cr = nr;
    }
    const uint32_t r = bitrev[lpad + j];
    zr[r] = cr * win[j];
    zi[r] = ci * win[j];
    l1 += win[j];
  }
  const f64 scale = ilen / nfft / l1;
  for (int j = 0; j < len; j++) {
    const uint32_t r = bitrev[lpad + j];
    zr[r] *= scale;
    zi[r] *= scale;
  }
  butterflies(p, 0);
  const int n_keep = (nfft >> 1) + 1;
  f64 *mags = work, *sorted = work + n_keep;
  for (int k = 0; k < n_keep; k++) mags[k] = __builtin_sqrt(zr[k] * zr[k] + zi[k] * zi[k]);
  const f64 thr = sparsify_threshold(mags, n_keep, quantile, sorted);
  int count = 0;
  for (int k = 0; k < n_keep; k++) {
    if (mags[k] >= thr) {
      out_bins[count] = k;
      out_re[count] = zr[k];
      out_im[count] = zi[k];
      count++;
    }
  }
  return count;
}

/* ------------------------------------ libsoxr's cr32s engine (audio/soxr-exact.ts), in place */

/*
 * soxr's 'fir' stage (dft_stage_fn) over a whole signal: for each block of `blocks` (pos, at,
 * produced, first, count), the fifo (preload zeros, x, zeros) in a DFT block, libsoxr's pffft, its
 * frequency-domain up-sampling (l_pow2) or decimation (step < 0), the filter's spectrum, and the
 * outputs picked every `step` (> 0). Operation for operation soxr-exact.ts's JS version (kept as the
 * test oracle). pN / pP / pS: pffft setups of N, N / L (l_pow2) and N >> -step (step < 0); a, b, w:
 * N floats each (16-byte aligned); a2, b2: the same for the smaller transform.
 */
static __attribute__((noinline)) void fifo_fill(f32 *dst, int dst_len, const f32 *x, int xl, int preload, int pos,
                                                int count, int at, int stride) {
  /* dst[at + j * stride] = x[pos - preload + j] (0 outside x) for j < count while inside dst, as
     three runs (zeros, samples, zeros) rather than a bounds test per sample */
  int n = at < dst_len ? (dst_len - at + stride - 1) / stride : 0;
  if (count < n) n = count;
  if (n < 0) n = 0;
  int j0 = preload - pos, j1 = xl + preload - pos;
  j0 = j0 < 0 ? 0 : j0 > n ? n : j0;
  j1 = j1 < j0 ? j0 : j1 > n ? n : j1;
  const f32 *src = x + (pos - preload);
  if (stride == 1) {
    f32 *d = dst + at;
    for (int j = 0; j < j0; j++) d[j] = 0;
    for (int j = j0; j < j1; j++) d[j] = src[j];
    for (int j = j1; j < n; j++) d[j] = 0;
    return;
  }
  /* (strided: the zero-stuffing of an up-sampling stage, a small share of its time) */
#pragma clang loop vectorize(disable) unroll(disable)
  for (int j = 0; j < j0; j++) dst[at + j * stride] = 0;
#pragma clang loop vectorize(disable) unroll(disable)
  for (int j = j0; j < j1; j++) dst[at + j * stride] = src[j];
#pragma clang loop vectorize(disable) unroll(disable)
  for (int j = j1; j < n; j++) dst[at + j * stride] = 0;
}

static __attribute__((noinline)) void zconvolve_f32(f32 *a, const f32 *b, int n) {
  const f32 dc = a[0] * b[0], ny = a[4] * b[4];
  for (int base = 0; base < n; base += 8) {
    for (int l = base; l < base + 4; l++) {
      const f32 ar = a[l], ai = a[l + 4], br = b[l], bi = b[l + 4];
      a[l] = ar * br - ai * bi;
      a[l + 4] = ai * br + ar * bi;
    }
  }
  a[0] = dc;
  a[4] = ny;
}

static __attribute__((noinline)) void partial_convolve_f32(f32 *a, const f32 *b, int n) {
  const f32 dc = a[0] * b[0];
  const f32 ny = b[n] * a[n] - b[n + 1] * a[n + 1];
  for (int i = 0; i < n; i += 2) {
    const f32 ar = a[i], ai = a[i + 1], br = b[i], bi = b[i + 1];
    a[i] = ar * br - ai * bi;
    a[i + 1] = ai * br + ar * bi;
  }
  a[0] = dc;
  a[1] = ny;
}

EXPORT(soxr_dft_stage)
COLD void soxr_dft_stage(PFFFT_Setup *pN, PFFFT_Setup *pSmall, f32 *a, f32 *b, f32 *w, f32 *a2, f32 *b2, f32 *w2,
                    const f32 *coefs, int N, int L, int step, int l_pow2, int preload, const f32 *x, int xl,
                    const int32_t *blocks, int n_blocks, f32 *out, int n_out) {
  for (int q = 0; q < n_blocks; q++) {
    const int32_t *bk = blocks + 5 * q;
    const int pos = bk[0], at = bk[1], produced = bk[2], first = bk[3], count = bk[4];
    const int n_emit = count < n_out - produced ? count : n_out - produced;
    f32 *dst = out + produced;
    if (l_pow2) {
      /* up-sampling by L in the frequency domain: the spectrum of N / L samples, repeated */
      const int portion = N / L;
      fifo_fill(a2, portion, x, xl, preload, pos, portion, 0, 1);
      pffft_transform_ordered(pSmall, a2, b2, w2, PFFFT_FORWARD);
      f32 *d = b;
      for (int i = 0; i < portion; i++) d[i] = b2[i];
      int i = portion + 2;
      for (; i < portion << 1; i += 2) {
        d[i] = d[(portion << 1) - i];
        d[i + 1] = -d[(portion << 1) - i + 1];
      }
      d[portion] = d[1];
      d[portion + 1] = 0;
      d[1] = d[0];
      for (int p = portion << 1; i < N; i += p, p <<= 1) {
        for (int k = 0; k < p && i + k < N; k++) d[i + k] = d[k];
        d[i + 1] = 0; /* the copied Nyquist slot is this bin's imaginary part */
      }
      pffft_zreorder(pN, b, a, PFFFT_BACKWARD);
      zconvolve_f32(a, coefs, N);
      pffft_transform(pN, a, b, w, PFFFT_BACKWARD);
      for (int k = 0, i2 = first; k < n_emit; k++, i2 += step) dst[k] = b[i2];
      continue;
    }
    if (L == 1) {
      fifo_fill(a, N, x, xl, preload, pos, N, 0, 1);
    } else {
      for (int i = 0; i < N; i++) a[i] = 0;
      fifo_fill(a, N, x, xl, preload, pos, N, at, L);
    }
    if (step > 0) {
      pffft_transform(pN, a, b, w, PFFFT_FORWARD);
      zconvolve_f32(b, coefs, N);
      pffft_transform(pN, b, a, w, PFFFT_BACKWARD);
      for (int k = 0, i2 = first; k < n_emit; k++, i2 += step) dst[k] = a[i2];
      continue;
    }
    /* decimation by 2^m in the frequency domain: the lowest N >> m of the ordered spectrum */
    const int n = N >> -step;
    pffft_transform_ordered(pN, a, b, w, PFFFT_FORWARD);
    partial_convolve_f32(b, coefs, n);
    for (int i = 0; i < n; i++) a2[i] = b[i];
    pffft_transform_ordered(pSmall, a2, b2, w2, PFFFT_BACKWARD);
    for (int k = 0; k < n_emit; k++) dst[k] = b2[first + k];
  }
}

/*
 * soxr's interpolated poly-phase stage (poly-fir.h with SSE, soxr-exact.ts runInterpExact): the 32.32
 * clock (at_int, at_frac) stepping by (step_int, step_frac); the phase from the fraction's top
 * phase_bits, the rest as a float32 X; per group of 4 taps, the coefficient polynomial evaluated by
 * float32 Horner steps from the highest power down; four lane sums combined as (l0 + l2) + (l1 + l3).
 * coefs: [phase][tap group][power 0 .. order][lane].
 */
EXPORT(soxr_interp_fir)
void soxr_interp_fir(const f32 *xp, const f32 *coefs, int nc4, int order, int phase_bits, uint32_t step_int,
                     uint32_t step_frac, int at_int, uint32_t at_frac, f32 *out, int n_out) {
  const int w = order + 1, groups = nc4 >> 2;
  /* X = (fraction bits below the phase) / 2^32, exactly (a power-of-two scale): as a product */
  const f64 two_m32 = 1.0 / 4294967296.0;
  const int shift = 32 - phase_bits;
  if (order == 2 && phase_bits > 0 && phase_bits < 32) {
    /* soxr HQ's irrational stages: quadratic coefficients, two outputs per step (independent sums) */
    int k = 0;
    for (; k + 2 <= n_out; k += 2) {
      const uint32_t ph0 = at_frac >> shift;
      const f32 X0 = (f32)((f64)(uint32_t)(at_frac << phase_bits) * two_m32);
      const f32 *x0 = xp + at_int;
      const uint64_t f1 = (uint64_t)at_frac + step_frac;
      const int at_int1 = at_int + (int)step_int + (int)(f1 >> 32);
      const uint32_t at_frac1 = (uint32_t)f1;
      const uint32_t ph1 = at_frac1 >> shift;
      const f32 X1 = (f32)((f64)(uint32_t)(at_frac1 << phase_bits) * two_m32);
      const f32 *x1 = xp + at_int1;
      const v128_t vx0 = wasm_f32x4_splat(X0), vx1 = wasm_f32x4_splat(X1);
      const f32 *c0 = coefs + (int64_t)ph0 * groups * 12, *c1 = coefs + (int64_t)ph1 * groups * 12;
      v128_t acc0 = wasm_f32x4_splat(0), acc1 = wasm_f32x4_splat(0);
      for (int g = 0; g < groups; g++, c0 += 12, c1 += 12) {
        v128_t a = wasm_v128_load(c0 + 8), b = wasm_v128_load(c1 + 8);
        a = wasm_f32x4_add(wasm_f32x4_mul(a, vx0), wasm_v128_load(c0 + 4));
        b = wasm_f32x4_add(wasm_f32x4_mul(b, vx1), wasm_v128_load(c1 + 4));
        a = wasm_f32x4_add(wasm_f32x4_mul(a, vx0), wasm_v128_load(c0));
        b = wasm_f32x4_add(wasm_f32x4_mul(b, vx1), wasm_v128_load(c1));
        acc0 = wasm_f32x4_add(wasm_f32x4_mul(a, wasm_v128_load(x0 + 4 * g)), acc0);
        acc1 = wasm_f32x4_add(wasm_f32x4_mul(b, wasm_v128_load(x1 + 4 * g)), acc1);
      }
      out[k] = (wasm_f32x4_extract_lane(acc0, 0) + wasm_f32x4_extract_lane(acc0, 2)) +
               (wasm_f32x4_extract_lane(acc0, 1) + wasm_f32x4_extract_lane(acc0, 3));
      out[k + 1] = (wasm_f32x4_extract_lane(acc1, 0) + wasm_f32x4_extract_lane(acc1, 2)) +
                   (wasm_f32x4_extract_lane(acc1, 1) + wasm_f32x4_extract_lane(acc1, 3));
      const uint64_t f2 = (uint64_t)at_frac1 + step_frac;
      at_int = at_int1 + (int)step_int + (int)(f2 >> 32);
      at_frac = (uint32_t)f2;
    }
    if (k == n_out) return;
    out += k;
    n_out -= k;
  }
  for (int k = 0; k < n_out; k++) {
    const uint32_t phase = phase_bits > 0 ? at_frac >> (32 - phase_bits) : 0;
    const f32 X = (f32)((f64)(uint32_t)(phase_bits < 32 ? at_frac << phase_bits : 0) * two_m32);
    const v128_t vx = wasm_f32x4_splat(X);
    const f32 *c = coefs + (int64_t)phase * groups * w * 4;
    const f32 *xk = xp + at_int;
    v128_t acc = wasm_f32x4_splat(0);
    for (int g = 0; g < groups; g++, c += 4 * w) {
      v128_t cf = wasm_v128_load(c + 4 * order);
      for (int e = order - 1; e >= 0; e--) cf = wasm_f32x4_add(wasm_f32x4_mul(cf, vx), wasm_v128_load(c + 4 * e));
      acc = wasm_f32x4_add(wasm_f32x4_mul(cf, wasm_v128_load(xk + 4 * g)), acc);
    }
    const f32 l0 = wasm_f32x4_extract_lane(acc, 0), l1 = wasm_f32x4_extract_lane(acc, 1),
              l2 = wasm_f32x4_extract_lane(acc, 2), l3 = wasm_f32x4_extract_lane(acc, 3);
    out[k] = (l0 + l2) + (l1 + l3);
    const uint64_t f = (uint64_t)at_frac + step_frac;
    at_int += (int)step_int + (int)(f >> 32);
    at_frac = (uint32_t)f;
  }
}

/*
 * soxr's half-band stage (half-fir.h with SSE, soxr-exact.ts runHalfExact): output i centred on
 * xp[2i] (xp already offset past its 2n leading zeros); lanes take coefficient pairs 0-3, 4-7, ...
 * with the centre tap (times 0.5) seeding lane 0 (the other lanes 0 * x), a last pair to lane 0.
 */
EXPORT(soxr_half_fir)
void soxr_half_fir(const f32 *xp, const f32 *c, int n, f32 *out, int n_out) {
  for (int i = 0; i < n_out; i++) {
    const f32 *x = xp + 2 * i;
    f32 l0 = 0.5f * x[0], l1 = 0.0f * x[1], l2 = 0.0f * x[2], l3 = 0.0f * x[3];
    int j = 0;
    for (; j + 4 <= n; j += 4) {
      l0 = l0 + (x[2 * j + 1] + x[-(2 * j + 1)]) * c[j];
      l1 = l1 + (x[2 * j + 3] + x[-(2 * j + 3)]) * c[j + 1];
      l2 = l2 + (x[2 * j + 5] + x[-(2 * j + 5)]) * c[j + 2];
      l3 = l3 + (x[2 * j + 7] + x[-(2 * j + 7)]) * c[j + 3];
    }
    if (j < n) l0 = l0 + (x[2 * j + 1] + x[-(2 * j + 1)]) * c[j];
    out[i] = (l0 + l2) + (l1 + l3);
  }
}

/* ----------------------------------------------------------------- pffft frame loops (fft.ts) */

/*
 * Ordered forward rffts of the T frames sig[t·hop .. t·hop + n) (pffft setup s; out, work, in: n
 * floats each, 16-byte aligned; `in` holds frames that are not aligned themselves), bins
 * [from, from + width) of each to dst + t·stride.
 */
EXPORT(pffft_frames_band)
void pffft_frames_band(PFFFT_Setup *s, const f32 *sig, int n, int hop, int T, f32 *in, f32 *out, f32 *work, int from,
                       int width, f32 *dst, int stride) {
  for (int t = 0; t < T; t++) {
    const f32 *frame = sig + (int64_t)t * hop;
    if (((uintptr_t)frame & 15) != 0) {
      for (int i = 0; i < n; i++) in[i] = frame[i];
      frame = in;
    }
    pffft_transform_ordered(s, frame, out, work, PFFFT_FORWARD);
    f32 *d = dst + (int64_t)t * stride;
    for (int k = 0; k < width; k++) d[k] = out[from + k];
  }
}

/* Unscaled ordered inverse rffts of `count` spectra of n floats stored back to back, in place. */
EXPORT(pffft_inverse_frames)
void pffft_inverse_frames(PFFFT_Setup *s, f32 *frames, int n, int count, f32 *work) {
  for (int t = 0; t < count; t++) {
    f32 *f = frames + (int64_t)t * n;
    pffft_transform_ordered(s, f, f, work, PFFFT_BACKWARD);
  }
}

/* --------------------------------------------------------------- CQT in WASM memory (cqt.ts) */

EXPORT(f64_to_f32)
void f64_to_f32(const f64 *x, int n, f32 *out) {
  for (int i = 0; i < n; i++) out[i] = (f32)x[i];
}

/* x[i] = float32(x[i] / d) in double: numpy's `float32_array /= np.float64(d)` (librosa.resample's scale). */
EXPORT(div_f32_by_f64)
void div_f32_by_f64(f32 *x, int n, f64 d) {
  for (int i = 0; i < n; i++) x[i] = (f32)((f64)x[i] / d);
}

/* Zero pads of `pad` floats around x[0 .. n) copied to dst + pad (dst: n + 2 pad floats). */
EXPORT(pad_f32)
void pad_f32(const f32 *x, int n, int pad, f32 *dst) {
  for (int i = 0; i < pad; i++) dst[i] = dst[pad + n + i] = 0;
  for (int i = 0; i < n; i++) dst[pad + i] = x[i];
}

/* mag[r][t] = sqrt(re² + im²) · scale[r] for rows src_first .. src_first + take of [row][T] responses, t < n_frames. */
EXPORT(cqt_magnitudes)
void cqt_magnitudes(const f64 *re, const f64 *im, int T, int src_first, int take, const f64 *scale, int n_frames,
                    f64 *mag) {
  for (int r = 0; r < take; r++) {
    const f64 *a = re + (int64_t)(src_first + r) * T, *b = im + (int64_t)(src_first + r) * T;
    f64 *m = mag + (int64_t)r * n_frames;
    const f64 s = scale[r];
    for (int t = 0; t < n_frames; t++) m[t] = __builtin_sqrt(a[t] * a[t] + b[t] * b[t]) * s;
  }
}

/* ------------------------------------------------- exp (V8's Math.exp, bit for bit) and chroma banks */

static f64 fdlibm_log2(f64 x);

static inline uint32_t hi_word(f64 x) { union { f64 d; uint64_t u; } v = {x}; return (uint32_t)(v.u >> 32); }
static inline f64 from_hi(uint32_t hi) { union { uint64_t u; f64 d; } v = {(uint64_t)hi << 32}; return v.d; }
/* exp(x) with the operations of fdlibm's e_exp.c (V8's Math.exp): argument reduction by k ln2 split in
   two parts, the rational approximation R(r²), scaling by 2^k */
static f64 fdlibm_exp(f64 x) {
  const f64 halF[2] = {0.5, -0.5};
  const f64 ln2HI[2] = {6.93147180369123816490e-01, -6.93147180369123816490e-01};
  const f64 ln2LO[2] = {1.90821492927058770002e-10, -1.90821492927058770002e-10};
  const f64 invln2 = 1.44269504088896338700e+00;
  const f64 P1 = 1.66666666666666019037e-01, P2 = -2.77777777770155933842e-03, P3 = 6.61375632143793436117e-05,
            P4 = -1.65339022054652515390e-06, P5 = 4.13813679705723846039e-08;
  const f64 o_threshold = 7.09782712893383973096e+02, u_threshold = -7.45133219101941108420e+02;
  const f64 twom1000 = 9.33263618503218878990e-302, two1023 = 8.988465674311579539e307;
  f64 hi = 0, lo = 0, c, t, y, twopk;
  int32_t k = 0;
  uint32_t hx = hi_word(x);
  const int xsb = (hx >> 31) & 1;
  hx &= 0x7fffffff;
  if (hx >= 0x40862E42) {
    if (hx >= 0x7ff00000) return x != x ? x + x : (xsb == 0 ? x : 0.0);
    if (x > o_threshold) return __builtin_inf();
    if (x < u_threshold) return 0.0;
  }
  if (hx > 0x3fd62e42) {
    if (hx < 0x3FF0A2B2) {
      if (x == 1.0) return 2.718281828459045;
      hi = x - ln2HI[xsb];
      lo = ln2LO[xsb];
      k = 1 - xsb - xsb;
    } else {
      k = (int32_t)(invln2 * x + halF[xsb]);
      t = k;
      hi = x - t * ln2HI[0];
      lo = t * ln2LO[0];
    }
    x = hi - lo;
  } else if (hx < 0x3e300000) {
    return 1.0 + x;
  } else {
    k = 0;
  }
  t = x * x;
  twopk = k >= -1021 ? from_hi(0x3ff00000 + ((uint32_t)k << 20)) : from_hi(0x3ff00000 + ((uint32_t)(k + 1000) << 20));
  c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k == 0) return 1.0 - ((x * c) / (c - 2.0) - x);
  y = 1.0 - ((lo - (x * c) / (2.0 - c)) - hi);
  if (k >= -1021) {
    if (k == 1024) return y * 2.0 * two1023;
    return y * twopk;
  }
  return y * twopk * twom1000;
}

/* For tests: exp of n values (checked against Math.exp). */
EXPORT(exp_many)
void exp_many(const f64 *x, int n, f64 *out) {
  for (int i = 0; i < n; i++) out[i] = fdlibm_exp(x[i]);
}

/*
 * librosa.filters.chroma (norm 2, base_c) as chroma.ts chromaFilterBank computes it, operation for
 * operation (step = sr / n_fft and a440_16 = A440 · 2^(tuning / n_chroma) / 16 from JS; frqbins:
 * min(n_fft, n_cols + 1) f64 of work), then filterbank.ts filterBankFromDense's relative floor
 * (1e-12 of the largest weight) and kernels.ts packBank's layout: the nonzero runs of each row as
 * (start, end, offset) triples, their weights (float32 values) packed in run order as float32, runs
 * per row. dense: n_chroma * n_cols f64 of work; col: n_chroma f64. Returns the number of packed weights.
 */
EXPORT(chroma_bank_packed)
int chroma_bank_packed(f64 *frqbins, f64 step, f64 a440_16, int n_chroma, int n_fft, int n_cols, f64 ctroct,
                       f64 octwidth, f64 *dense, f64 *col, f32 *packed, int32_t *triples, int32_t *row_runs) {
  /* frequencies = linspace(0, sr, n_fft, endpoint=False)[1:] in chroma bins (chroma.ts) */
  const int n_frq = n_fft < n_cols + 1 ? n_fft : n_cols + 1;
  for (int i = 1; i < n_frq; i++) frqbins[i] = n_chroma * fdlibm_log2((i * step) / a440_16);
  frqbins[0] = frqbins[1] - 1.5 * n_chroma;
  const int half = (int)__builtin_floor(n_chroma / 2.0 + 0.5); /* Math.round */
  const int shift_rows = 3 * (n_chroma / 12);
  const f64 tiny = 1.1754943508222875e-38;
  for (int i = 0; i < n_cols; i++) {
    f64 binwidth = 1;
    if (i < n_fft - 1) {
      const f64 d = frqbins[i + 1] - frqbins[i];
      binwidth = d > 1.0 ? d : 1.0;
    }
    f64 s = 0;
    for (int c = 0; c < n_chroma; c++) {
      const f64 x = frqbins[i] - c + half + 10 * n_chroma;
      const f64 D = x - n_chroma * __builtin_floor(x / n_chroma) - half;
      const f64 z = (2 * D) / binwidth;
      const f64 w = fdlibm_exp(-0.5 * z * z);
      col[c] = w;
      s += w * w;
    }
    const f64 len = __builtin_sqrt(s);
    const f64 o = (frqbins[i] / n_chroma - ctroct) / octwidth;
    const f64 oct_weight = fdlibm_exp(-0.5 * o * o);
    for (int c = 0; c < n_chroma; c++) {
      const f64 v = len < tiny ? col[c] : col[c] / len;
      const int dst = (((c - shift_rows) % n_chroma) + n_chroma) % n_chroma;
      dense[(int64_t)dst * n_cols + i] = (f32)(v * oct_weight);
    }
  }
  const int n = n_chroma * n_cols;
  f64 max = 0;
  for (int i = 0; i < n; i++) {
    const f64 a = dense[i] < 0 ? -dense[i] : dense[i];
    if (a > max) max = a;
  }
  const f64 floor_ = 1e-12 * max;
  int runs = 0, total = 0;
  for (int r = 0; r < n_chroma; r++) {
    row_runs[r] = runs;
    const f64 *w = dense + (int64_t)r * n_cols;
    int k = 0;
    for (;;) {
      while (k < n_cols && ((w[k] < 0 ? -w[k] : w[k]) < floor_ || w[k] == 0)) k++;
      if (k == n_cols) break;
      const int start = k;
      while (k < n_cols && !((w[k] < 0 ? -w[k] : w[k]) < floor_ || w[k] == 0)) packed[total++] = (f32)w[k++];
      triples[3 * runs] = start;
      triples[3 * runs + 1] = k;
      triples[3 * runs + 2] = total - (k - start);
      runs++;
    }
  }
  row_runs[n_chroma] = runs;
  return total;
}

/* --------------------------------------------------- WAV samples to a mono signal (audio/decode.ts) */

/*
 * Interleaved PCM16 (kind 0), PCM32 (1) or float32 (2) frames to librosa's mono float32: each sample
 * scaled as wav.ts decodeWav does (x / 32768, x / 2^31 in double, rounded to float32), then
 * decode.ts downmix: one channel as is; two: float32(a + b) / 2; more: float32 running sum, divided
 * by the count in double and rounded.
 */
EXPORT(wav_to_mono)
void wav_to_mono(const void *src, int kind, int frames, int nch, f32 *out) {
  if (kind == 0 && nch <= 2) {
    /* the common cases, 4 frames at a time: int16 -> f32 is exact, and so is / 32768 */
    const int16_t *x = (const int16_t *)src;
    const v128_t scale = wasm_f32x4_splat(1.0f / 32768);
    int i = 0;
    if (nch == 1) {
      for (; i + 4 <= frames; i += 4) {
        const v128_t v = wasm_i32x4_extend_low_i16x8(wasm_v128_load64_zero(x + i));
        wasm_v128_store(out + i, wasm_f32x4_mul(wasm_f32x4_convert_i32x4(v), scale));
      }
    } else {
      for (; i + 4 <= frames; i += 4) {
        const v128_t v = wasm_v128_load(x + 2 * i); /* l0 r0 l1 r1 l2 r2 l3 r3 */
        const v128_t l = wasm_f32x4_mul(wasm_f32x4_convert_i32x4(wasm_i32x4_shr(wasm_i32x4_shl(v, 16), 16)), scale);
        const v128_t r = wasm_f32x4_mul(wasm_f32x4_convert_i32x4(wasm_i32x4_shr(v, 16)), scale);
        wasm_v128_store(out + i, wasm_f32x4_div(wasm_f32x4_add(l, r), wasm_f32x4_splat(2.0f)));
      }
    }
    for (; i < frames; i++) {
      if (nch == 1) out[i] = (f32)(x[i] * (1.0 / 32768));
      else out[i] = ((f32)(x[2 * i] * (1.0 / 32768)) + (f32)(x[2 * i + 1] * (1.0 / 32768))) / 2;
    }
    return;
  }
  for (int i = 0; i < frames; i++) {
    f32 s = 0;
    for (int c = 0; c < nch; c++) {
      const int64_t p = (int64_t)i * nch + c;
      f32 v;
      if (kind == 0) v = (f32)(((const int16_t *)src)[p] * (1.0 / 32768));
      else if (kind == 1) v = (f32)(((const int32_t *)src)[p] * (1.0 / 2147483648.0));
      else v = ((const f32 *)src)[p];
      s = c == 0 ? v : s + v;
    }
    out[i] = nch == 1 ? s : nch == 2 ? s / 2 : (f32)((f64)s / nch);
  }
}

/*
 * One CQT octave's sparse basis from the plan's shared rows (cqt.ts octaveBasis): row r of the octave
 * is shared row row_idx[r] times ratios[r]; writes the row starts, idx = 2 * bin - from, re and the
 * (-im, im) pairs, the products rounded as octaveBasis rounds them.
 */
EXPORT(cqt_octave_assemble)
void cqt_octave_assemble(const int32_t *bins, const f64 *re, const f64 *im, const int32_t *shared_start,
                         const int32_t *row_idx, const f64 *ratios, int n_rows, int from, int32_t *row_start,
                         int32_t *idx, f64 *out_re, f64 *out_im_pairs) {
  int at = 0;
  for (int r = 0; r < n_rows; r++) {
    row_start[r] = at;
    const int q = row_idx[r];
    const f64 ratio = ratios[r];
    for (int j = shared_start[q]; j < shared_start[q + 1]; j++, at++) {
      idx[at] = 2 * bins[j] - from;
      out_re[at] = re[j] * ratio;
      const f64 v = im[j] * ratio;
      out_im_pairs[2 * at] = -v;
      out_im_pairs[2 * at + 1] = v;
    }
  }
  row_start[n_rows] = at;
}

/* ------------------------------------- log2 (V8's Math.log2, bit for bit) and estimate_tuning */

/* log2 after FreeBSD's e_log2.c (V8's Math.log2): equal bit for bit on every float32 in [1, 256) and random doubles. */
static inline uint64_t bits(f64 x) { union { f64 d; uint64_t u; } v = {x}; return v.u; }
static inline f64 from_bits(uint64_t u) { union { uint64_t u; f64 d; } v = {u}; return v.d; }
static f64 k_log1p(f64 f) {
  const f64 Lg1 = 6.666666666666735130e-01, Lg2 = 3.999999999940941908e-01, Lg3 = 2.857142874366239149e-01,
            Lg4 = 2.222219843214978396e-01, Lg5 = 1.818357216161805012e-01, Lg6 = 1.531383769920937332e-01,
            Lg7 = 1.479819860511658591e-01;
  const f64 s = f / (2.0 + f);
  const f64 z = s * s;
  const f64 w = z * z;
  const f64 t1 = w * (Lg2 + w * (Lg4 + w * Lg6));
  const f64 t2 = z * (Lg1 + w * (Lg3 + w * (Lg5 + w * Lg7)));
  const f64 R = t2 + t1;
  const f64 hfsq = 0.5 * f * f;
  return s * (hfsq + R);
}
static f64 fdlibm_log2(f64 x) {
  const f64 two54 = 1.80143985094819840000e+16, ivln2hi = 1.44269504072144627571e+00, ivln2lo = 1.67517131648865118353e-10;
  uint64_t u = bits(x);
  int32_t hx = (int32_t)(u >> 32);
  uint32_t lx = (uint32_t)u;
  int32_t k = 0;
  if (hx < 0x00100000) {
    if (((hx & 0x7fffffff) | lx) == 0) return -__builtin_inf();
    if (hx < 0) return __builtin_nan("");
    k -= 54;
    x *= two54;
    hx = (int32_t)(bits(x) >> 32);
  }
  if (hx >= 0x7ff00000) return x + x;
  if (hx == 0x3ff00000 && lx == 0) return 0.0;
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  const int32_t i = (hx + 0x95f64) & 0x100000;
  x = from_bits(((uint64_t)(uint32_t)(hx | (i ^ 0x3ff00000)) << 32) | (bits(x) & 0xffffffffu));
  k += (i >> 20);
  const f64 y = (f64)k;
  const f64 f = x - 1.0;
  const f64 hfsq = 0.5 * f * f;
  const f64 r = k_log1p(f);
  f64 hi = f - hfsq;
  hi = from_bits(bits(hi) & 0xffffffff00000000ull);
  const f64 lo = (f - hi) - hfsq + r;
  f64 val_hi = hi * ivln2hi;
  f64 val_lo = (lo + hi) * ivln2lo + lo * ivln2hi;
  const f64 w = y + val_hi;
  val_lo += (y - w) + val_hi;
  val_hi = w;
  return val_lo + val_hi;
}

/* For tests: log2 of n values (checked against Math.log2). */
EXPORT(log2_many)
void log2_many(const f64 *x, int n, f64 *out) {
  for (int i = 0; i < n; i++) out[i] = fdlibm_log2(x[i]);
}

/* Hoare quickselect with a median-of-three pivot: a[k] becomes the k-th smallest (tuning.ts selectKth). */
static void select_kth_f64(f64 *a, int n, int k) { select_kth(a, n, k); }

/*
 * librosa.estimate_tuning(S) as tuning.ts estimateTuning computes it, all of it here: piptrack's peaks
 * (piptrack_peaks), the median of their magnitudes (float32 mean of the middle pair), the pitches
 * at or above it, and pitch_tuning's histogram of float32 deviations over `n_hist` bins whose edges
 * JS made. Returns the arg-max bin, or -1 when no pitch was found (tuning 0). pitches, mags, work:
 * n_frames * (k_hi - k_lo) f64 each; counts: n_hist ints.
 */
EXPORT(tuning_from_peaks)
COLD int tuning_from_peaks(const f64 *pitches, const f64 *mags, int n, f64 *work, int bpo, int n_hist, const f64 *edges,
                      int32_t *counts);

EXPORT(estimate_tuning)
int estimate_tuning(const f32 *S, int n_frames, int n_bins, int k_lo, int k_hi, f64 threshold, f64 sr, int nfft,
                    f64 *pitches, f64 *mags, f64 *work, int bpo, int n_hist, const f64 *edges, int32_t *counts) {
  const int n = piptrack_peaks(S, n_frames, n_bins, k_lo, k_hi, threshold, sr, nfft, pitches, mags);
  return tuning_from_peaks(pitches, mags, n, work, bpo, n_hist, edges, counts);
}

/* estimate_tuning's second half: the median magnitude and pitch_tuning's histogram over given peaks. */
int tuning_from_peaks(const f64 *pitches, const f64 *mags, int n, f64 *work, int bpo, int n_hist, const f64 *edges,
                      int32_t *counts) {
  f64 median = 0;
  if (n > 0) {
    for (int i = 0; i < n; i++) work[i] = mags[i];
    const int k = (n - 1) >> 1;
    select_kth_f64(work, n, k);
    const f64 lower = work[k];
    if (n % 2 == 1) {
      median = lower;
    } else {
      f64 upper = __builtin_inf();
      for (int i = k + 1; i < n; i++)
        if (work[i] < upper) upper = work[i];
      median = (f32)((f32)(lower + upper) / 2);
    }
  }
  for (int b = 0; b < n_hist; b++) counts[b] = 0;
  int any = 0;
  for (int i = 0; i < n; i++) {
    const f64 f = pitches[i];
    if (!(mags[i] >= median && f > 0)) continue;
    any = 1;
    const f64 octs = (f32)fdlibm_log2((f32)(f / (440.0 / 16)));
    const f64 x = (f32)(bpo * octs);
    f64 r = (f32)(x - __builtin_floor(x));
    if (r >= 0.5) r = (f32)(r - 1.0);
    if (r < edges[0] || r > edges[n_hist]) continue;
    f64 fb = __builtin_floor((r - edges[0]) * n_hist);
    int b = fb < 0 ? 0 : fb > n_hist - 1 ? n_hist - 1 : (int)fb;
    while (b > 0 && r < edges[b]) b--;
    while (b < n_hist - 1 && r >= edges[b + 1]) b++;
    counts[b]++;
  }
  if (!any) return -1;
  int best = 0;
  for (int b = 1; b < n_hist; b++)
    if (counts[b] > counts[best]) best = b;
  return best;
}

/*
 * tonnetz.ts chromaCqt then tonnetz, for the first T frames of |CQT| [n_bins][n_frames_c]: per chroma
 * class c the bins b with M[c][b] != 0 summed in b order, each frame divided by its largest value
 * (unless below float32 tiny), then by its L1 norm, then projected on phi [6][12] in class order.
 * chroma: 12 * T f64 of work; out: 6 * T.
 */
EXPORT(cqt_tonnetz)
COLD void cqt_tonnetz(const f64 *C, int n_bins, int n_frames_c, int T, const f64 *M, const f64 *phi, f64 *chroma, f64 *out) {
  const f64 tiny = 1.1754943508222875e-38;
  for (int i = 0; i < 12 * T; i++) chroma[i] = 0;
  for (int c = 0; c < 12; c++) {
    f64 *o = chroma + (int64_t)c * T;
    for (int b = 0; b < n_bins; b++) {
      if (M[(int64_t)c * n_bins + b] == 0) continue;
      const f64 *row = C + (int64_t)b * n_frames_c;
      for (int t = 0; t < T; t++) o[t] += row[t];
    }
  }
  for (int t = 0; t < T; t++) {
    f64 len = 0;
    for (int c = 0; c < 12; c++) {
      const f64 a = chroma[c * T + t] < 0 ? -chroma[c * T + t] : chroma[c * T + t];
      len = a > len ? a : len;
    }
    if (!(len < tiny))
      for (int c = 0; c < 12; c++) chroma[c * T + t] /= len;
    f64 l1 = 0;
    for (int c = 0; c < 12; c++) l1 += chroma[c * T + t] < 0 ? -chroma[c * T + t] : chroma[c * T + t];
    if (!(l1 < tiny))
      for (int c = 0; c < 12; c++) chroma[c * T + t] /= l1;
  }
  for (int p = 0; p < 6; p++) {
    f64 *o = out + (int64_t)p * T;
    for (int t = 0; t < T; t++) o[t] = 0;
    for (int c = 0; c < 12; c++) {
      const f64 w = phi[p * 12 + c];
      for (int t = 0; t < T; t++) o[t] += w * chroma[c * T + t];
    }
  }
}

/* extract.ts rowMeans: per row the sum of its first T values in order, divided by T. */
EXPORT(row_means)
void row_means(const f64 *X, int n_rows, int cols, int T, f64 *out) {
  for (int r = 0; r < n_rows; r++) {
    f64 s = 0;
    const f64 *x = X + (int64_t)r * cols;
    for (int t = 0; t < T; t++) s += x[t];
    out[r] = s / T;
  }
}

/* ------------------------------------------------ STFT, two frames at a time (stft_f64's arithmetic) */

/*
 * butterflies() for two transforms at once: lane 0 of every v128 belongs to one frame, lane 1 to the
 * next, and each lane goes through exactly the scalar operations of the single-frame code (the first
 * pass is fused with the load by the caller).
 */
static void butterflies_pair(const Fft64 *p, v128_t *restrict zr, v128_t *restrict zi) {
  const int half = p->half;
  const f64 *tw = p->tw;
  int s = 1;
  for (int pi = 0; pi < p->n_passes; pi++) {
    const f64 *w1r = tw, *w1i = tw + s, *w2r = tw + 2 * s, *w2i = tw + 3 * s;
    tw += 4 * s;
    if (pi > 0) {
      const int size = 4 * s;
      for (int start = 0; start < half; start += size) {
        v128_t *r0 = zr + start, *r1 = r0 + s, *r2 = r1 + s, *r3 = r2 + s;
        v128_t *q0 = zi + start, *q1 = q0 + s, *q2 = q1 + s, *q3 = q2 + s;
        for (int j = 0; j < s; j++) {
          const v128_t ar = wasm_f64x2_splat(w1r[j]), ai = wasm_f64x2_splat(w1i[j]);
          v128_t tr = wasm_f64x2_sub(wasm_f64x2_mul(r1[j], ar), wasm_f64x2_mul(q1[j], ai));
          v128_t ti = wasm_f64x2_add(wasm_f64x2_mul(r1[j], ai), wasm_f64x2_mul(q1[j], ar));
          const v128_t b0r = wasm_f64x2_add(r0[j], tr), b0i = wasm_f64x2_add(q0[j], ti);
          const v128_t b1r = wasm_f64x2_sub(r0[j], tr), b1i = wasm_f64x2_sub(q0[j], ti);
          tr = wasm_f64x2_sub(wasm_f64x2_mul(r3[j], ar), wasm_f64x2_mul(q3[j], ai));
          ti = wasm_f64x2_add(wasm_f64x2_mul(r3[j], ai), wasm_f64x2_mul(q3[j], ar));
          const v128_t b2r = wasm_f64x2_add(r2[j], tr), b2i = wasm_f64x2_add(q2[j], ti);
          const v128_t b3r = wasm_f64x2_sub(r2[j], tr), b3i = wasm_f64x2_sub(q2[j], ti);
          const v128_t cr = wasm_f64x2_splat(w2r[j]), ci = wasm_f64x2_splat(w2i[j]);
          const v128_t c2r = wasm_f64x2_sub(wasm_f64x2_mul(b2r, cr), wasm_f64x2_mul(b2i, ci));
          const v128_t c2i = wasm_f64x2_add(wasm_f64x2_mul(b2r, ci), wasm_f64x2_mul(b2i, cr));
          const v128_t d3r = wasm_f64x2_sub(wasm_f64x2_mul(b3r, cr), wasm_f64x2_mul(b3i, ci));
          const v128_t d3i = wasm_f64x2_add(wasm_f64x2_mul(b3r, ci), wasm_f64x2_mul(b3i, cr));
          r0[j] = wasm_f64x2_add(b0r, c2r);
          q0[j] = wasm_f64x2_add(b0i, c2i);
          r2[j] = wasm_f64x2_sub(b0r, c2r);
          q2[j] = wasm_f64x2_sub(b0i, c2i);
          r1[j] = wasm_f64x2_add(b1r, d3i);
          q1[j] = wasm_f64x2_sub(b1i, d3r);
          r3[j] = wasm_f64x2_sub(b1r, d3i);
          q3[j] = wasm_f64x2_add(b1i, d3r);
        }
      }
    }
    s *= 4;
  }
  if (p->last_radix2) {
    const f64 *w1r = p->last_w, *w1i = p->last_w + (half >> 1);
    const int h = half >> 1;
    for (int j = 0; j < h; j++) {
      const int b = j + h;
      const v128_t wr = wasm_f64x2_splat(w1r[j]), wi = wasm_f64x2_splat(w1i[j]);
      const v128_t tr = wasm_f64x2_sub(wasm_f64x2_mul(zr[b], wr), wasm_f64x2_mul(zi[b], wi));
      const v128_t ti = wasm_f64x2_add(wasm_f64x2_mul(zr[b], wi), wasm_f64x2_mul(zi[b], wr));
      zr[b] = wasm_f64x2_sub(zr[j], tr);
      zi[b] = wasm_f64x2_sub(zi[j], ti);
      zr[j] = wasm_f64x2_add(zr[j], tr);
      zi[j] = wasm_f64x2_add(zi[j], ti);
    }
  }
}

/*
 * stft_f64 with frames processed in pairs (the same values bit for bit; a last odd frame, or plans
 * without a radix-4 pass, go through stft_f64). work: 4 * half f64, 16-byte aligned.
 */
EXPORT(stft_f64_pairs)
void stft_f64_pairs(const Fft64 *p, const f64 *padded, int n_frames, int hop, const f64 *window, f32 *out_re,
                    f32 *out_im, f32 *out_mag, f64 *work) {
  const int half = p->half, n_bins = half + 1;
  if (p->n_passes == 0) {
    stft_f64(p, padded, n_frames, hop, window, out_re, out_im, out_mag);
    return;
  }
  v128_t *restrict zr = (v128_t *)work;
  v128_t *restrict zi = zr + half;
  const uint32_t *bitrev = p->bitrev;
  const f64 *split_re = p->split_re, *split_im = p->split_im;
  int t = 0;
  for (; t + 2 <= n_frames; t += 2) {
    const f64 *xa = padded + (int64_t)t * hop, *xb = xa + hop;
#define LD(m) wasm_f64x2_mul(wasm_f64x2_make(xa[m], xb[m]), wasm_f64x2_splat(window[m]))
    for (int i0 = 0; i0 < half; i0 += 4) {
      const int m0 = 2 * bitrev[i0], m1 = 2 * bitrev[i0 + 1], m2 = 2 * bitrev[i0 + 2], m3 = 2 * bitrev[i0 + 3];
      const v128_t a0r = LD(m0), a0i = LD(m0 + 1), a1r = LD(m1), a1i = LD(m1 + 1);
      const v128_t a2r = LD(m2), a2i = LD(m2 + 1), a3r = LD(m3), a3i = LD(m3 + 1);
      const v128_t b0r = wasm_f64x2_add(a0r, a1r), b0i = wasm_f64x2_add(a0i, a1i);
      const v128_t b1r = wasm_f64x2_sub(a0r, a1r), b1i = wasm_f64x2_sub(a0i, a1i);
      const v128_t b2r = wasm_f64x2_add(a2r, a3r), b2i = wasm_f64x2_add(a2i, a3i);
      const v128_t b3r = wasm_f64x2_sub(a2r, a3r), b3i = wasm_f64x2_sub(a2i, a3i);
      zr[i0] = wasm_f64x2_add(b0r, b2r);
      zi[i0] = wasm_f64x2_add(b0i, b2i);
      zr[i0 + 2] = wasm_f64x2_sub(b0r, b2r);
      zi[i0 + 2] = wasm_f64x2_sub(b0i, b2i);
      zr[i0 + 1] = wasm_f64x2_add(b1r, b3i);
      zi[i0 + 1] = wasm_f64x2_sub(b1i, b3r);
      zr[i0 + 3] = wasm_f64x2_sub(b1r, b3i);
      zi[i0 + 3] = wasm_f64x2_add(b1i, b3r);
    }
#undef LD
    butterflies_pair(p, zr, zi);
    f32 *mag_a = out_mag + (int64_t)t * n_bins, *mag_b = mag_a + n_bins;
    f32 *re_a = out_re ? out_re + (int64_t)t * n_bins : 0, *re_b = re_a ? re_a + n_bins : 0;
    f32 *im_a = out_im ? out_im + (int64_t)t * n_bins : 0, *im_b = im_a ? im_a + n_bins : 0;
    {
      const v128_t r0 = wasm_f64x2_add(zr[0], zi[0]), rh = wasm_f64x2_sub(zr[0], zi[0]);
      const f64 r0a = wasm_f64x2_extract_lane(r0, 0), r0b = wasm_f64x2_extract_lane(r0, 1);
      const f64 rha = wasm_f64x2_extract_lane(rh, 0), rhb = wasm_f64x2_extract_lane(rh, 1);
      mag_a[0] = abs_complex64(r0a, 0);
      mag_b[0] = abs_complex64(r0b, 0);
      mag_a[half] = abs_complex64(rha, 0);
      mag_b[half] = abs_complex64(rhb, 0);
      if (re_a) {
        re_a[0] = (f32)r0a, re_b[0] = (f32)r0b, im_a[0] = im_b[0] = 0;
        re_a[half] = (f32)rha, re_b[half] = (f32)rhb, im_a[half] = im_b[half] = 0;
      }
    }
    const v128_t h = wasm_f64x2_splat(0.5), mh = wasm_f64x2_splat(-0.5);
    int k = 1;
    for (; k + 1 < half; k += 2) {
      v128_t xr[2], xi[2];
      for (int d = 0; d < 2; d++) {
        const int kk = k + d;
        const v128_t ar = zr[kk], ai = zi[kk], br = zr[half - kk], bi = wasm_f64x2_neg(zi[half - kk]);
        const v128_t er = wasm_f64x2_mul(h, wasm_f64x2_add(ar, br));
        const v128_t ei = wasm_f64x2_mul(h, wasm_f64x2_add(ai, bi));
        const v128_t or_ = wasm_f64x2_mul(h, wasm_f64x2_sub(ai, bi));
        const v128_t oi = wasm_f64x2_mul(mh, wasm_f64x2_sub(ar, br));
        const v128_t wr = wasm_f64x2_splat(split_re[kk]), wi = wasm_f64x2_splat(split_im[kk]);
        xr[d] = wasm_f64x2_sub(wasm_f64x2_add(er, wasm_f64x2_mul(or_, wr)), wasm_f64x2_mul(oi, wi));
        xi[d] = wasm_f64x2_add(wasm_f64x2_add(ei, wasm_f64x2_mul(or_, wi)), wasm_f64x2_mul(oi, wr));
      }
      /* float32 lanes: (a_k, b_k, a_k+1, b_k+1) */
      const v128_t re32 = wasm_i32x4_shuffle(wasm_f32x4_demote_f64x2_zero(xr[0]), wasm_f32x4_demote_f64x2_zero(xr[1]), 0, 1, 4, 5);
      const v128_t im32 = wasm_i32x4_shuffle(wasm_f32x4_demote_f64x2_zero(xi[0]), wasm_f32x4_demote_f64x2_zero(xi[1]), 0, 1, 4, 5);
      const v128_t m = abs_complex64_x4(re32, im32);
      mag_a[k] = wasm_f32x4_extract_lane(m, 0);
      mag_b[k] = wasm_f32x4_extract_lane(m, 1);
      mag_a[k + 1] = wasm_f32x4_extract_lane(m, 2);
      mag_b[k + 1] = wasm_f32x4_extract_lane(m, 3);
      if (re_a) {
        re_a[k] = wasm_f32x4_extract_lane(re32, 0), re_b[k] = wasm_f32x4_extract_lane(re32, 1);
        re_a[k + 1] = wasm_f32x4_extract_lane(re32, 2), re_b[k + 1] = wasm_f32x4_extract_lane(re32, 3);
        im_a[k] = wasm_f32x4_extract_lane(im32, 0), im_b[k] = wasm_f32x4_extract_lane(im32, 1);
        im_a[k + 1] = wasm_f32x4_extract_lane(im32, 2), im_b[k + 1] = wasm_f32x4_extract_lane(im32, 3);
      }
    }
    for (; k < half; k++) {
      const v128_t ar = zr[k], ai = zi[k], br = zr[half - k], bi = wasm_f64x2_neg(zi[half - k]);
      const v128_t er = wasm_f64x2_mul(h, wasm_f64x2_add(ar, br)), ei = wasm_f64x2_mul(h, wasm_f64x2_add(ai, bi));
      const v128_t or_ = wasm_f64x2_mul(h, wasm_f64x2_sub(ai, bi)), oi = wasm_f64x2_mul(mh, wasm_f64x2_sub(ar, br));
      const v128_t wr = wasm_f64x2_splat(split_re[k]), wi = wasm_f64x2_splat(split_im[k]);
      const v128_t xr = wasm_f64x2_sub(wasm_f64x2_add(er, wasm_f64x2_mul(or_, wr)), wasm_f64x2_mul(oi, wi));
      const v128_t xi = wasm_f64x2_add(wasm_f64x2_add(ei, wasm_f64x2_mul(or_, wi)), wasm_f64x2_mul(oi, wr));
      const f64 xra = wasm_f64x2_extract_lane(xr, 0), xrb = wasm_f64x2_extract_lane(xr, 1);
      const f64 xia = wasm_f64x2_extract_lane(xi, 0), xib = wasm_f64x2_extract_lane(xi, 1);
      mag_a[k] = abs_complex64(xra, xia);
      mag_b[k] = abs_complex64(xrb, xib);
      if (re_a) re_a[k] = (f32)xra, re_b[k] = (f32)xrb, im_a[k] = (f32)xia, im_b[k] = (f32)xib;
    }
  }
  if (t < n_frames)
    stft_f64(p, padded + (int64_t)t * hop, n_frames - t, hop, window, out_re ? out_re + (int64_t)t * n_bins : 0,
             out_im ? out_im + (int64_t)t * n_bins : 0, out_mag + (int64_t)t * n_bins);
}

/* butterflies()'s twiddle-free first radix-4 pass, two transforms at once (lane per transform). */
static void first_pass_pair(v128_t *restrict zr, v128_t *restrict zi, int half) {
  for (int i0 = 0; i0 < half; i0 += 4) {
    const v128_t a0r = zr[i0], a0i = zi[i0], a1r = zr[i0 + 1], a1i = zi[i0 + 1];
    const v128_t a2r = zr[i0 + 2], a2i = zi[i0 + 2], a3r = zr[i0 + 3], a3i = zi[i0 + 3];
    const v128_t b0r = wasm_f64x2_add(a0r, a1r), b0i = wasm_f64x2_add(a0i, a1i);
    const v128_t b1r = wasm_f64x2_sub(a0r, a1r), b1i = wasm_f64x2_sub(a0i, a1i);
    const v128_t b2r = wasm_f64x2_add(a2r, a3r), b2i = wasm_f64x2_add(a2i, a3i);
    const v128_t b3r = wasm_f64x2_sub(a2r, a3r), b3i = wasm_f64x2_sub(a2i, a3i);
    zr[i0] = wasm_f64x2_add(b0r, b2r);
    zi[i0] = wasm_f64x2_add(b0i, b2i);
    zr[i0 + 2] = wasm_f64x2_sub(b0r, b2r);
    zi[i0 + 2] = wasm_f64x2_sub(b0i, b2i);
    zr[i0 + 1] = wasm_f64x2_add(b1r, b3i);
    zi[i0 + 1] = wasm_f64x2_sub(b1i, b3r);
    zr[i0 + 3] = wasm_f64x2_sub(b1r, b3i);
    zi[i0 + 3] = wasm_f64x2_add(b1i, b3r);
  }
}

/* One lane's wavelet (cqt_basis_row's signal) written into interleaved pair arrays; returns nothing. */
static void wavelet_lane(f64 *zr2, f64 *zi2, int lane, const uint32_t *bitrev, int len, int lpad, const f64 *win,
                         const f64 *anchors, f64 cs, f64 sn, f64 ilen, int nfft) {
  f64 l1 = 0, cr = 0, ci = 0;
  for (int j = 0; j < len; j++) {
    if ((j & 31) == 0) {
      cr = anchors[2 * (j >> 5)];
      ci = anchors[2 * (j >> 5) + 1];
    } else {
      const f64 nr = cr * cs - ci * sn;
      ci = cr * sn + ci * cs;
      cr = nr;
    }
    const uint32_t r = bitrev[lpad + j];
    zr2[2 * r + lane] = cr * win[j];
    zi2[2 * r + lane] = ci * win[j];
    l1 += win[j];
  }
  const f64 scale = ilen / nfft / l1;
  for (int j = 0; j < len; j++) {
    const uint32_t r = bitrev[lpad + j];
    zr2[2 * r + lane] *= scale;
    zi2[2 * r + lane] *= scale;
  }
}

/* One lane's magnitudes, threshold and kept bins (cqt_basis_row's tail); returns the count. */
static int sparsify_lane(const f64 *zr2, const f64 *zi2, int lane, int nfft, f64 quantile, f64 *mags, f64 *sorted,
                         int32_t *out_bins, f64 *out_re, f64 *out_im) {
  const int n_keep = (nfft >> 1) + 1;
  for (int k = 0; k < n_keep; k++) {
    const f64 a = zr2[2 * k + lane], b = zi2[2 * k + lane];
    mags[k] = __builtin_sqrt(a * a + b * b);
  }
  const f64 thr = sparsify_threshold(mags, n_keep, quantile, sorted);
  int count = 0;
  for (int k = 0; k < n_keep; k++) {
    if (mags[k] >= thr) {
      out_bins[count] = k;
      out_re[count] = zr2[2 * k + lane];
      out_im[count] = zi2[2 * k + lane];
      count++;
    }
  }
  return count;
}

/*
 * All the wavelet rows of a CQT plan (cqt_basis_row each, bit for bit), two rows of the same n_fft at
 * a time through the pair FFT. Per row: ints (nfft, len, lpad, fft plan, window, anchor offset) and
 * doubles (cos step, sin step, ilen). Writes the rows back to back from out_*; counts[r] each.
 * work: 4 nfft f64 (pair arrays) + 2 (nfft/2 + 1) f64, for the largest nfft.
 */
EXPORT(cqt_basis_rows)
void cqt_basis_rows(int n_rows, const int32_t *pi, const f64 *pf, const f64 *anchors, f64 quantile, f64 *work,
                    int32_t *out_bins, f64 *out_re, f64 *out_im, int32_t *counts) {
  int at = 0;
  for (int r = 0; r < n_rows;) {
    const int32_t *a = pi + 6 * r;
    const int nfft = a[0];
    const Fft64 *p = (const Fft64 *)(intptr_t)a[3];
    const int pair = r + 1 < n_rows && pi[6 * (r + 1)] == nfft && p->n_passes > 0;
    if (!pair) {
      const int n = cqt_basis_row(p, nfft, a[1], a[2], (const f64 *)(intptr_t)a[4], anchors + a[5], pf[3 * r],
                                  pf[3 * r + 1], pf[3 * r + 2], quantile, work, out_bins + at, out_re + at, out_im + at);
      counts[r++] = n;
      at += n;
      continue;
    }
    const int32_t *b = a + 6;
    f64 *zr2 = work, *zi2 = work + 2 * nfft, *mags = work + 4 * nfft, *sorted = mags + (nfft >> 1) + 1;
    for (int i = 0; i < 2 * nfft; i++) zr2[i] = zi2[i] = 0;
    wavelet_lane(zr2, zi2, 0, p->bitrev, a[1], a[2], (const f64 *)(intptr_t)a[4], anchors + a[5], pf[3 * r], pf[3 * r + 1],
                 pf[3 * r + 2], nfft);
    wavelet_lane(zr2, zi2, 1, p->bitrev, b[1], b[2], (const f64 *)(intptr_t)b[4], anchors + b[5], pf[3 * r + 3],
                 pf[3 * r + 4], pf[3 * r + 5], nfft);
    first_pass_pair((v128_t *)zr2, (v128_t *)zi2, nfft);
    butterflies_pair(p, (v128_t *)zr2, (v128_t *)zi2);
    int n = sparsify_lane(zr2, zi2, 0, nfft, quantile, mags, sorted, out_bins + at, out_re + at, out_im + at);
    counts[r] = n;
    at += n;
    n = sparsify_lane(zr2, zi2, 1, nfft, quantile, mags, sorted, out_bins + at, out_re + at, out_im + at);
    counts[r + 1] = n;
    at += n;
    r += 2;
  }
}

/* ------------------------------------------ long signals, frame chunk by frame chunk (extract-long.ts) */

/* out[i] = y[start + i] (float32 or float64), zero outside 0 <= start + i < n. */
EXPORT(segment_to_f64)
void segment_to_f64(const void *y, int is_f32, int n, int start, int len, f64 *out) {
  for (int i = 0; i < len; i++) {
    const int k = start + i;
    out[i] = k < 0 || k >= n ? 0 : is_f32 ? (f64)((const f32 *)y)[k] : ((const f64 *)y)[k];
  }
}

/* out[i] = x[start + i], zero outside 0 <= start + i < n. */
EXPORT(segment_f32)
void segment_f32(const f32 *x, int n, int start, int len, f32 *out) {
  for (int i = 0; i < len; i++) {
    const int k = start + i;
    out[i] = k < 0 || k >= n ? 0 : x[k];
  }
}

/*
 * The harmonic median (over 31 frames, 'reflect' at the signal's ends) of frames f0 .. f0 + F, from the
 * |X| frames c0 .. that were computed (frame-major): each bin's line is read through the global
 * reflection, so every window holds what the whole-signal filter's would. out: F x n_bins.
 */
EXPORT(median_time_chunk)
void median_time_chunk(const int32_t *S, int c0, int n_bins, int T, int f0, int F, int32_t *out, int32_t *line) {
  for (int k = 0; k < n_bins; k++) {
    for (int j = 0; j < F + 30; j++) {
      const int g = reflect_index(f0 - 15 + j, T);
      line[j] = S[(int64_t)(g - c0) * n_bins + k];
    }
    slide_median31(line, F, out + k, n_bins);
  }
}

/* harmonic_mask's soft mask from the two median arrays. */
EXPORT(mask_from_medians)
void mask_from_medians(const f32 *harm, const f32 *perc, int n, f32 *mask) {
  soft_mask(harm, perc, n, mask);
}

/* istft_overlap_add's accumulation of F frames into acc / wss (which the caller keeps between chunks). */
EXPORT(ola_add)
void ola_add(const f32 *frames, int F, int nfft, int hop, const f64 *w, f64 *acc, f64 *wss) {
  const v128_t s = wasm_f64x2_splat(1.0 / nfft);
  for (int t = 0; t < F; t++) {
    const f32 *x = frames + (int64_t)t * nfft;
    f64 *o = acc + (int64_t)t * hop;
    f64 *q = wss + (int64_t)t * hop;
    for (int i = 0; i < nfft; i += 2) {
      const v128_t wv = wasm_v128_load(w + i);
      const v128_t xv = wasm_f64x2_promote_low_f32x4(wasm_v128_load64_zero(x + i));
      wasm_v128_store(o + i, wasm_f64x2_add(wasm_v128_load(o + i), wasm_f64x2_mul(wv, wasm_f64x2_mul(xv, s))));
      wasm_v128_store(q + i, wasm_f64x2_add(wasm_v128_load(q + i), wasm_f64x2_mul(wv, wv)));
    }
  }
}

/* istft_overlap_add's output step (rounded to float32) for `count` accumulated samples. */
EXPORT(ola_emit)
void ola_emit(const f64 *acc, const f64 *wss, int count, f32 *out) {
  const f64 tiny = 1.1754943508222875e-38;
  for (int i = 0; i < count; i++) {
    const f64 ss = wss[i];
    const f64 v = ss > tiny ? acc[i] / ss : acc[i];
    out[i] = (f32)v;
  }
}

/* sums[r] += X[r][t] for t < F, in order (extract.ts rowMeans' sums, continued chunk after chunk). */
EXPORT(row_sums_acc)
void row_sums_acc(const f64 *X, int n_rows, int F, f64 *sums) {
  for (int r = 0; r < n_rows; r++) {
    f64 s = sums[r];
    const f64 *x = X + (int64_t)r * F;
    for (int t = 0; t < F; t++) s += x[t];
    sums[r] = s;
  }
}

/* x = max(x, floor) (power_to_db's top_db floor, applied once the whole matrix's maximum is known). */
EXPORT(clip_floor)
void clip_floor(f64 *x, int n, f64 floor) {
  for (int k = 0; k < n; k++)
    if (x[k] < floor) x[k] = floor;
}

/* normalize.ts normalizeColumns(X, rows, F, 'inf') in place, then row_sums_acc. */
EXPORT(norm_inf_sums)
void norm_inf_sums(f64 *X, int n_rows, int F, f64 *sums) {
  const f64 tiny = 1.1754943508222875e-38;
  for (int t = 0; t < F; t++) {
    f64 len = 0;
    for (int r = 0; r < n_rows; r++) {
      const f64 a = X[(int64_t)r * F + t] < 0 ? -X[(int64_t)r * F + t] : X[(int64_t)r * F + t];
      len = a > len ? a : len;
    }
    if (len < tiny) continue;
    for (int r = 0; r < n_rows; r++) X[(int64_t)r * F + t] /= len;
  }
  row_sums_acc(X, n_rows, F, sums);
}

/* [rows][F] into columns t0 .. t0 + F of a [rows][T] matrix. */
EXPORT(copy_cols)
void copy_cols(const f64 *src, int n_rows, int F, f64 *dst, int T, int t0) {
  for (int r = 0; r < n_rows; r++)
    for (int t = 0; t < F; t++) dst[(int64_t)r * T + t0 + t] = src[(int64_t)r * F + t];
}

/*
 * chroma_cqt's sums, one octave chunk at a time: rows of |CQT| [take][F] for bins dst_first ..
 * (ascending) added to chroma [12][T] at frames t0 .. t0 + F, class_of[bin] their chroma class. Fed
 * bins in ascending order over the whole CQT, each (class, frame) gets its terms in bin order.
 */
EXPORT(chroma_acc_rows)
void chroma_acc_rows(const f64 *mag, int take, int F, int dst_first, const int32_t *class_of, f64 *chroma, int T, int t0) {
  for (int r = 0; r < take; r++) {
    const int c = class_of[dst_first + r];
    if (c < 0) continue;
    f64 *o = chroma + (int64_t)c * T + t0;
    const f64 *m = mag + (int64_t)r * F;
    for (int t = 0; t < F; t++) o[t] += m[t];
  }
}

/* cqt_tonnetz's second half: chroma [12][T] (summed) normalised and projected on phi; out [6][T]. */
EXPORT(tonnetz_from_chroma)
COLD void tonnetz_from_chroma(f64 *chroma, int T, const f64 *phi, f64 *out) {
  const f64 tiny = 1.1754943508222875e-38;
  for (int t = 0; t < T; t++) {
    f64 len = 0;
    for (int c = 0; c < 12; c++) {
      const f64 a = chroma[c * T + t] < 0 ? -chroma[c * T + t] : chroma[c * T + t];
      len = a > len ? a : len;
    }
    if (!(len < tiny))
      for (int c = 0; c < 12; c++) chroma[c * T + t] /= len;
    f64 l1 = 0;
    for (int c = 0; c < 12; c++) l1 += chroma[c * T + t] < 0 ? -chroma[c * T + t] : chroma[c * T + t];
    if (!(l1 < tiny))
      for (int c = 0; c < 12; c++) chroma[c * T + t] /= l1;
  }
  for (int p = 0; p < 6; p++) {
    f64 *o = out + (int64_t)p * T;
    for (int t = 0; t < T; t++) o[t] = 0;
    for (int c = 0; c < 12; c++) {
      const f64 w = phi[p * 12 + c];
      for (int t = 0; t < T; t++) o[t] += w * chroma[c * T + t];
    }
  }
}

/* tuning_from_peaks over float32 peaks (piptrack's pitches and magnitudes are float32 values). work: n floats. */
EXPORT(tuning_from_peaks_f32)
COLD int tuning_from_peaks_f32(const f32 *pitches, const f32 *mags, int n, f32 *work, int bpo, int n_hist, const f64 *edges,
                          int32_t *counts) {
  f64 median = 0;
  if (n > 0) {
    /* the k-th smallest magnitude (and the smallest above it): the same values as over doubles */
    for (int i = 0; i < n; i++) work[i] = mags[i];
    const int k = (n - 1) >> 1;
    int lo = 0, hi = n - 1;
    while (lo < hi) {
      const int mid = (lo + hi) >> 1;
      const f32 x = work[lo], y = work[mid], z = work[hi];
      const f32 pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
      int i = lo, j = hi;
      while (i <= j) {
        while (work[i] < pivot) i++;
        while (work[j] > pivot) j--;
        if (i <= j) {
          const f32 t = work[i];
          work[i] = work[j];
          work[j] = t;
          i++;
          j--;
        }
      }
      if (k <= j) hi = j;
      else if (k >= i) lo = i;
      else break;
    }
    const f64 lower = work[k];
    if (n % 2 == 1) {
      median = lower;
    } else {
      f64 upper = __builtin_inf();
      for (int i = k + 1; i < n; i++)
        if (work[i] < upper) upper = work[i];
      median = (f32)((f32)(lower + upper) / 2);
    }
  }
  for (int b = 0; b < n_hist; b++) counts[b] = 0;
  int any = 0;
  for (int i = 0; i < n; i++) {
    const f64 f = pitches[i];
    if (!((f64)mags[i] >= median && f > 0)) continue;
    any = 1;
    const f64 octs = (f32)fdlibm_log2((f32)(f / (440.0 / 16)));
    const f64 x = (f32)(bpo * octs);
    f64 r = (f32)(x - __builtin_floor(x));
    if (r >= 0.5) r = (f32)(r - 1.0);
    if (r < edges[0] || r > edges[n_hist]) continue;
    f64 fb = __builtin_floor((r - edges[0]) * n_hist);
    int b = fb < 0 ? 0 : fb > n_hist - 1 ? n_hist - 1 : (int)fb;
    while (b > 0 && r < edges[b]) b--;
    while (b < n_hist - 1 && r >= edges[b + 1]) b++;
    counts[b]++;
  }
  if (!any) return -1;
  int best = 0;
  for (int b = 1; b < n_hist; b++)
    if (counts[b] > counts[best]) best = b;
  return best;
}

/* ------------------------------------------------ finiteness of a signal */

/*
 * How many of the n float32 samples are NaN or infinite (exponent bits all set), four at a time. The
 * feature path refuses such signals as librosa does; done here, a 2 s clip costs microseconds where
 * a JS loop's first, interpreted call cost ~25 ms in every fresh worker.
 */
EXPORT(count_nonfinite_f32)
int count_nonfinite_f32(const uint32_t *x, int n) {
  const v128_t exp_mask = wasm_i32x4_splat(0x7f800000);
  v128_t acc = wasm_i32x4_splat(0);
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    v128_t e = wasm_v128_and(wasm_v128_load(x + i), exp_mask);
    acc = wasm_i32x4_sub(acc, wasm_i32x4_eq(e, exp_mask)); /* eq gives -1 per lane */
  }
  int count = wasm_i32x4_extract_lane(acc, 0) + wasm_i32x4_extract_lane(acc, 1) + wasm_i32x4_extract_lane(acc, 2) + wasm_i32x4_extract_lane(acc, 3);
  for (; i < n; i++) count += (x[i] & 0x7f800000u) == 0x7f800000u;
  return count;
}
