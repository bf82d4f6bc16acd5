import { describe, expect, it } from 'vitest';
import {
  aggregateFolds,
  classificationReport,
  confusionMatrix,
  formatClassificationReport,
  summarizeRun,
} from '../../../src/core/train/metrics';
import { formatMeanSd, meanSd, outcomeText } from '../../../src/shared/outcome';

// Expected values from scikit-learn 1.9.1: classification_report(..., zero_division=0), confusion_matrix.
const labels = ['anger', 'boredom', 'fear', 'sadness'];
const yTrue = [0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3];
const yPred = [0, 0, 1, 2, 1, 1, 0, 2, 2, 2, 1, 0, 1, 1];
const sklearnText = `              precision    recall  f1-score   support

       anger      0.500     0.500     0.500         4
     boredom      0.333     0.667     0.444         3
        fear      0.750     0.600     0.667         5
     sadness      0.000     0.000     0.000         2

    accuracy                          0.500        14
   macro avg      0.396     0.442     0.403        14
weighted avg      0.482     0.500     0.476        14`;

describe('classification report', () => {
  const r = classificationReport(yTrue, yPred, labels);

  it('matches scikit-learn per class, averages and accuracy', () => {
    expect(r.confusion).toEqual([
      [2, 1, 1, 0],
      [1, 2, 0, 0],
      [1, 1, 3, 0],
      [0, 2, 0, 0],
    ]);
    expect(r.perClass.anger).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5, support: 4 });
    expect(r.perClass.boredom.precision).toBeCloseTo(0.3333333333333333, 15);
    expect(r.perClass.boredom.recall).toBeCloseTo(0.6666666666666666, 15);
    expect(r.perClass.boredom.f1).toBeCloseTo(0.4444444444444444, 15);
    expect(r.perClass.fear).toMatchObject({ precision: 0.75, recall: 0.6, support: 5 });
    expect(r.perClass.fear.f1).toBeCloseTo(0.6666666666666666, 15);
    expect(r.perClass.sadness).toEqual({ precision: 0, recall: 0, f1: 0, support: 2 });
    expect(r.accuracy).toBe(0.5);
    expect(r.macro.precision).toBeCloseTo(0.3958333333333333, 15);
    expect(r.macro.recall).toBeCloseTo(0.44166666666666665, 15);
    expect(r.macro.f1).toBeCloseTo(0.4027777777777778, 15);
    expect(r.weighted.precision).toBeCloseTo(0.48214285714285715, 15);
    expect(r.weighted.recall).toBeCloseTo(0.5, 15);
    expect(r.weighted.f1).toBeCloseTo(0.47619047619047616, 15);
    expect(r.weighted.support).toBe(14);
  });

  it('prints the same table as scikit-learn', () => {
    expect(formatClassificationReport(r)).toBe(sklearnText);
  });

  it('counts a confusion matrix and rejects mismatched lengths', () => {
    expect(confusionMatrix([0, 1, 1], [1, 1, 0], 2)).toEqual([
      [0, 1],
      [1, 1],
    ]);
    expect(() => confusionMatrix([0], [0, 1], 2)).toThrow(RangeError);
  });

  it('summarises a run like the reference report', () => {
    const s = summarizeRun({ loss: [1.2, 0.8, 0.5], acc: [0.4, 0.6, 0.7], valLoss: [1.0, 0.7, 0.9], valAcc: [0.5, 0.65, 0.6] }, r);
    expect(s).toEqual({
      finalTrainAcc: 0.7,
      bestTrainAcc: 0.7,
      finalValAcc: 0.6,
      bestValAcc: 0.65,
      finalTrainLoss: 0.5,
      finalValLoss: 0.9,
      minValLoss: 0.7,
      minValLossEpoch: 2,
      bestClass: { label: 'fear', f1: r.perClass.fear.f1 },
      weakestClass: { label: 'sadness', f1: 0 },
      topConfusion: { trueLabel: 'sadness', predictedLabel: 'boredom', count: 2 },
    });
  });
});

describe('k-fold aggregation', () => {
  it('gives mean and sample sd over folds', () => {
    const m = meanSd([0.6, 0.7, 0.8]);
    expect(m.mean).toBeCloseTo(0.7, 12);
    expect(m.sd).toBeCloseTo(0.1, 12);
    expect(m.n).toBe(3);
    // One fold has no spread to report: sd is null, never a misleading 0.
    expect(meanSd([0.5]).sd).toBeNull();
    expect(formatMeanSd(meanSd([0.631]), (v) => (v * 100).toFixed(1))).toBe('63.1');
    const perfect = classificationReport([0, 1], [0, 1], ['a', 'b']);
    const half = classificationReport([0, 1], [0, 0], ['a', 'b']);
    const k = aggregateFolds([perfect, half]);
    expect(k.accuracy.mean).toBe(0.75);
    expect(k.accuracy.sd).toBeCloseTo(Math.SQRT1_2 * 0.5, 12);
    expect(k.perClassF1.b.mean).toBe(0.5);
    expect(formatMeanSd(k.accuracy, (v) => v.toFixed(3))).toBe('0.750 ± 0.354');
  });

  it('names an incomplete cross-validation for what it is', () => {
    expect(outcomeText('cancelled', { k: 3, completed: 1 })).toBe('incomplete: 1 of 3 folds (cancelled)');
    expect(outcomeText('completed', { k: 3, completed: 3 })).toBe('completed');
    expect(outcomeText('cancelled', null)).toBe('cancelled');
    expect(outcomeText('running', { k: 3, completed: 1 })).toBe('running');
  });
});
