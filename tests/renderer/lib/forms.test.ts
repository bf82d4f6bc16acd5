// The forms say what is wrong at the field as it is typed, in the sentences written from the shared limits, and
// never show an impossible value in the run's summary; the import form says why it cannot start and warns of a
// name that exists.
import { describe, expect, it } from 'vitest';
import { buildTrainRequest, defaultForm, describeForm, fieldErrors, formValue, limitAttrs } from '../../../src/renderer/src/lib/experiments';
import { importBlocker, nameClash, replaceQuestion } from '../../../src/renderer/src/lib/import-form';
import { LIMITS } from '../../../src/shared/params';

const withSpeakers = { speakers: 4 };

describe('the new-run form, field by field', () => {
  it('names each invalid field with the message its limit writes, and lists the same sentences before Start', () => {
    const form = { ...defaultForm(1), epochs: -1, batchSize: 100_000, valFraction: 1.5, learningRate: 0, hidden: '256, x' };
    const errors = fieldErrors(form, withSpeakers);
    expect(errors).toEqual({
      valFraction: 'Validation fraction must be a number > 0 and < 1.',
      epochs: 'Epochs must be a whole number from 1 to 10000.',
      batchSize: `Batch size must be a whole number from 1 to ${LIMITS.batchSize.max}.`,
      learningRate: 'Learning rate must be a number > 0 and ≤ 1.',
      hidden: 'Hidden layers: 1 to 8 sizes, each a whole number from 1 to 65536, separated by commas, e.g. 256, 128, 64.',
    });
    expect(buildTrainRequest(form, withSpeakers).errors).toEqual(Object.values(errors));
    expect(fieldErrors(defaultForm(1), withSpeakers)).toEqual({});
  });

  it('takes an emptied field as wrong (the input gives no number)', () => {
    const emptied = { ...defaultForm(1), epochs: undefined as unknown as number, seed: null as unknown as number };
    expect(fieldErrors(emptied, withSpeakers)).toMatchObject({ epochs: expect.stringMatching(/^Epochs must be/), seed: expect.stringMatching(/^Seed must be/) });
  });

  it('never shows an impossible value in the summary or the protocol', () => {
    expect(formValue(-1, 'epochs')).toBe('—');
    expect(formValue(100, 'epochs')).toBe('100');
    expect(formValue(Number.NaN, 'learningRate')).toBe('—');
    expect(describeForm({ ...defaultForm(1), valFraction: 1.5 })).toBe('stratified hold-out (the validation fraction to fix)');
    expect(describeForm({ ...defaultForm(1), valFraction: -0.5, seed: -1 })).toBe('stratified hold-out (the validation fraction and the seed to fix)');
    expect(describeForm({ ...defaultForm(1), split: 'kfold', k: 1 })).toBe('stratified k-fold cross-validation (K to fix)');
    expect(describeForm({ ...defaultForm(1), valFraction: 0.25 })).toBe('stratified hold-out 75/25, seed 42');
  });

  it("gives the inputs the browser's bounds from the same limits", () => {
    expect(limitAttrs('batchSize')).toEqual({ min: 1, max: LIMITS.batchSize.max, step: 1 });
    expect(limitAttrs('epochs')).toEqual({ min: 1, max: 10_000, step: 1 });
    // Exclusive bounds are the form's to check; any step, so 0.33 is not a browser error the message never mentions.
    expect(limitAttrs('valFraction')).toEqual({ step: 'any' });
    expect(limitAttrs('learningRate')).toEqual({ max: 1, step: 'any' });
  });
});

describe('the import form', () => {
  const datasets = [{ name: 'emodb', source: '/data/emodb', clips: 535 }];

  it('says why Import is disabled', () => {
    expect(importBlocker({ source: '', name: '', running: false, canPick: false })).toBe('Type the path of a folder or a CSV manifest.');
    expect(importBlocker({ source: ' ', name: 'x', running: false, canPick: true })).toBe('Type the path of a folder or a CSV manifest, or choose a folder.');
    expect(importBlocker({ source: '/data/x', name: '  ', running: false, canPick: false })).toBe('Name the dataset.');
    expect(importBlocker({ source: '/data/x', name: 'x', running: false, canPick: false })).toBe('');
    expect(importBlocker({ source: '', name: '', running: true, canPick: false })).toBe('');
  });

  it('warns that a name exists, and what importing under it does', () => {
    expect(nameClash('emodb', '/data/emodb/', datasets)).toBe(
      'A dataset named “emodb” exists (535 clips, from this source): importing it again updates it; unchanged files are not read again.',
    );
    expect(nameClash(' emodb ', '/data/other', datasets)).toMatch(/^A dataset named “emodb” exists \(535 clips from \/data\/emodb\): importing under this name replaces its clips/);
    expect(nameClash('emodb-2', '/data/emodb', datasets)).toBe('');
  });

  it('asks before replacing with what the refusal names (dataset_exists details), else with what the page lists', () => {
    expect(replaceQuestion({ name: 'emodb', source: '/srv/emodb', clips: 12 }, 'emodb', datasets)).toEqual({ name: 'emodb', source: '/srv/emodb', clips: 12 });
    expect(replaceQuestion(undefined, ' emodb ', datasets)).toEqual({ name: 'emodb', source: '/data/emodb', clips: 535 });
    expect(replaceQuestion({ source: 3 }, 'emodb', datasets)).toEqual({ name: 'emodb', source: '/data/emodb', clips: 535 });
    expect(replaceQuestion(null, 'unknown', datasets)).toBeNull();
  });
});
