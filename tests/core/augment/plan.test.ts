import { describe, expect, it } from 'vitest';
import { applyAugmentation, drawParams } from '../../../src/core/augment/draw';
import { AUG_NAMES } from '../../../src/core/augment/params';
import { copyName, planClip, type CopyPlan } from '../../../src/core/augment/plan';
import { Rng } from '../../../src/core/train/rng';

const SR = 22050;
const clip = new Float32Array(6000).map((_, i) => Math.fround(0.6 * Math.sin(i / 5) + 0.2 * Math.sin(i / 31)));
const KEY_A = 'a'.repeat(64);
const KEY_B = 'b'.repeat(64);

/** Every copy of one clip computed at once (production plans them with planClip, then a feature worker computes each). */
function augmentClip(y: ArrayLike<number>, sr: number, plan: CopyPlan, seed: number, clipKey: string) {
  return planClip(plan, seed, clipKey).map((p) => {
    const r = applyAugmentation(y, sr, p.params);
    return { augId: p.augId, copy: p.copy, y: r.y, params: r.params };
  });
}

describe('drawParams: reference ranges', () => {
  it('draws inside the ranges of augment.py', () => {
    const rng = new Rng(9);
    const seen = { pitch: [] as number[], stretch: [] as number[], shift: [] as number[], gain: [] as number[] };
    for (let i = 0; i < 300; i++) {
      for (const name of ['pitch', 'stretch', 'shift', 'gain', 'noise'] as const) {
        const p = drawParams(name, rng);
        if (p.aug === 'pitch') seen.pitch.push(p.nSteps);
        else if (p.aug === 'stretch') seen.stretch.push(p.rate);
        else if (p.aug === 'shift') seen.shift.push(p.shiftSamples);
        else if (p.aug === 'gain') seen.gain.push(p.gain);
        else expect(p.factor === 0.005 && Number.isInteger(p.noiseSeed)).toBe(true);
      }
    }
    const range = (v: number[]) => [Math.min(...v), Math.max(...v)];
    const [pl, ph] = range(seen.pitch);
    expect(pl >= -2 && pl < -1.9 && ph < 2 && ph > 1.9).toBe(true);
    const [sl, sh] = range(seen.stretch);
    expect(sl >= 0.8 && sl < 0.81 && sh < 1.2 && sh > 1.19).toBe(true);
    const [kl, kh] = range(seen.shift);
    expect(seen.shift.every(Number.isInteger)).toBe(true);
    expect(kl > -5000 && kl < -4800 && kh < 5000 && kh > 4800).toBe(true);
    const [gl, gh] = range(seen.gain);
    expect(gl >= 0.8 && gl < 0.81 && gh < 1.2 && gh > 1.19).toBe(true);
  });
});

describe('copy plan', () => {
  it("'cycle' with 5 copies gives one of each, ids stable", () => {
    const copies = planClip({ policy: 'cycle', copies: 5 }, 42, KEY_A);
    expect(copies.map((c) => c.params.aug)).toEqual([...AUG_NAMES]);
    expect(copies.map((c) => c.augId)).toEqual(['noise#0@42', 'pitch#1@42', 'stretch#2@42', 'shift#3@42', 'gain#4@42']);
    expect(planClip({ policy: 'cycle', copies: 7 }, 42, KEY_A).map((c) => c.params.aug).slice(5)).toEqual(['noise', 'pitch']);
    expect(planClip({ policy: 'cycle', copies: 3, names: ['gain', 'shift'] }, 1, KEY_A).map((c) => c.augId)).toEqual([
      'gain#0@1',
      'shift#1@1',
      'gain#2@1',
    ]);
  });

  it("'random' draws names per (seed, clip, copy), uses all names, and repeats", () => {
    const plan = { policy: 'random' as const, copies: 200 };
    const a = planClip(plan, 5, KEY_A).map((c) => c.params.aug);
    expect(planClip(plan, 5, KEY_A).map((c) => c.params.aug)).toEqual(a);
    expect(new Set(a).size).toBe(5);
    expect(planClip(plan, 6, KEY_A).map((c) => c.params.aug)).not.toEqual(a);
    // copy k does not depend on how many copies are asked for
    expect(planClip({ policy: 'random', copies: 3 }, 5, KEY_A).map((c) => c.params.aug)).toEqual(a.slice(0, 3));
    expect(copyName(plan, 5, KEY_A, 17)).toBe(a[17]);
  });

  it('the same id means the same parameters whatever the policy', () => {
    const cyc = planClip({ policy: 'cycle', copies: 5 }, 3, KEY_A);
    const rnd = planClip({ policy: 'random', copies: 50 }, 3, KEY_A);
    for (const r of rnd) {
      const c = cyc.find((x) => x.augId === r.augId);
      if (c) expect(r.params).toEqual(c.params);
    }
  });

  it('copies depend on (seed, clip, copy), not on processing order', () => {
    const plan = { policy: 'cycle' as const, copies: 5 };
    const a1 = augmentClip(clip, SR, plan, 42, KEY_A);
    augmentClip(clip, SR, plan, 42, KEY_B);
    const a2 = augmentClip(clip, SR, plan, 42, KEY_A);
    expect(a2.map((c) => c.params)).toEqual(a1.map((c) => c.params));
    for (let k = 0; k < 5; k++) expect(Array.from(a2[k].y)).toEqual(Array.from(a1[k].y));
    const b = planClip(plan, 42, KEY_B);
    expect(b.map((c) => c.params)).not.toEqual(a1.map((c) => c.params));
    const c = planClip(plan, 43, KEY_A);
    expect(c.map((x) => x.params)).not.toEqual(a1.map((x) => x.params));
  });

  it('logged parameters replay the exact signal; lengths as the reference', () => {
    const copies = augmentClip(clip, SR, { policy: 'cycle', copies: 5 }, 42, KEY_A);
    for (const c of copies) {
      expect(Array.from(applyAugmentation(clip, SR, c.params).y)).toEqual(Array.from(c.y));
      if (c.params.aug === 'stretch') expect(c.y.length).toBe(Math.round(clip.length / c.params.rate));
      else expect(c.y.length).toBe(clip.length);
      // JSON round trip (what gets logged) keeps everything needed
      expect(JSON.parse(JSON.stringify(c.params))).toEqual(c.params);
    }
  });

  it('rejects bad plans', () => {
    expect(() => planClip({ policy: 'cycle', copies: -1 }, 1, KEY_A)).toThrow(RangeError);
    expect(() => planClip({ policy: 'cycle', copies: 2, names: [] }, 1, KEY_A)).toThrow(RangeError);
    // @ts-expect-error unknown policy
    expect(() => planClip({ policy: 'shuffle', copies: 2 }, 1, KEY_A)).toThrow(RangeError);
  });
});
