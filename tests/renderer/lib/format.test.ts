import { describe, expect, it } from 'vitest';
import { baseName, formatDuration, formatSampleRate, formatSeconds, percent, sortedClasses } from '../../../src/renderer/src/lib/format';
import { labelColour, tint } from '../../../src/renderer/src/lib/palette';

describe('format', () => {
  it('formats total durations at the right scale', () => {
    expect(formatDuration(8.44)).toBe('8.4 s');
    expect(formatDuration(42.4)).toBe('42 s');
    expect(formatDuration(110.2)).toBe('1 min 50 s');
    expect(formatDuration(7505)).toBe('2 h 05 min');
    expect(formatDuration(Number.NaN)).toBe('—');
  });

  it('formats clip lengths, rates, shares and counts', () => {
    expect(formatSeconds(1.016)).toBe('1.02 s');
    expect(formatSampleRate(22050)).toBe('22.05 kHz');
    expect(formatSampleRate(16000)).toBe('16 kHz');
    expect(percent(1, 3)).toBe('33%');
    expect(percent(1, 40)).toBe('2.5%');
    expect(percent(1, 0)).toBe('0%');
  });

  it('proposes a dataset name from a folder or a manifest path', () => {
    expect(baseName('/data/emodb/')).toBe('emodb');
    expect(baseName('/data/emodb/manifest.csv')).toBe('emodb');
    expect(baseName('C:\\corpora\\ravdess')).toBe('ravdess');
    expect(baseName('/data/crema-d.csv')).toBe('crema-d');
  });

  it('orders classes by name', () => {
    expect(sortedClasses({ sadness: 2, anger: 5, fear: 1 })).toEqual([
      ['anger', 5],
      ['fear', 1],
      ['sadness', 2],
    ]);
  });
});

describe('palette', () => {
  it('gives an emotion the same colour under its usual spellings', () => {
    expect(labelColour('angry')).toBe(labelColour('anger'));
    expect(labelColour('Happy')).toBe(labelColour('happiness'));
    expect(labelColour('sadness')).not.toBe(labelColour('anger'));
  });

  it('gives unknown labels a stable colour', () => {
    expect(labelColour('W')).toBe(labelColour('W'));
    expect(labelColour('W')).toMatch(/^#[0-9a-f]{6}$/);
  });

  it('tints a hex colour', () => {
    expect(tint('#ff8000', 0.5)).toBe('rgba(255, 128, 0, 0.5)');
  });
});
