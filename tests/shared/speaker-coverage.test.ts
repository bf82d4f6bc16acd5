import { describe, expect, it } from 'vitest';
import { coverageWarning, coverageWarningText } from '../../src/shared/speaker-coverage';

const cov = (shares: number[], classes = 4) => ({
  classes,
  speakers: shares.map((share, i) => ({ speaker: `s${i + 1}`, covered: Math.round(share * classes), share })),
  mean: shares.reduce((a, b) => a + b, 0) / shares.length,
  unassigned: 0,
});

describe('coverageWarning', () => {
  it('says nothing when every speaker spans the classes, or when there are no speakers', () => {
    expect(coverageWarning(cov([1, 1, 0.75, 1]))).toBeNull();
    expect(coverageWarning(null)).toBeNull();
  });

  it('warns below a mean of 0.8, naming the speakers with the fewest classes', () => {
    const w = coverageWarning(cov([0.75, 0.75, 0.75, 0.5]))!;
    expect(w.mean).toBeCloseTo(0.6875);
    expect(w.low.map((s) => s.speaker)[0]).toBe('s4');
    expect(coverageWarningText(w)).toMatch(/^WARNING: per-speaker normalisation needs .* 69% of the 4 classes .*s4 \(2\/4\)/);
  });

  it('warns when one speaker is below 0.5, naming only such speakers', () => {
    const w = coverageWarning(cov([1, 1, 1, 1, 1, 0.25]))!;
    expect(w.low).toEqual([{ speaker: 's6', covered: 1 }]);
  });
});
