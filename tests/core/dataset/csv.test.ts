import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../src/core/dataset/csv';
import { parseRavdessName } from '../../../src/core/dataset/naming';

describe('parseCsv', () => {
  it('handles quotes, doubled quotes, CRLF, a BOM and blank lines', () => {
    const text = '\ufeffpath,label,speaker\r\n"a, b.wav",anger,"03"\r\n\r\nc.wav,"say ""hi""",\n';
    expect(parseCsv(text)).toEqual([
      ['path', 'label', 'speaker'],
      ['a, b.wav', 'anger', '03'],
      ['c.wav', 'say "hi"', ''],
    ]);
  });
});

describe('parseRavdessName', () => {
  it('takes the emotion from the 3rd field and the actor from the 7th', () => {
    expect(parseRavdessName('03-01-05-01-02-01-12.wav')).toEqual({ label: 'anger', speaker: '12' });
    expect(parseRavdessName('03-01-01-01-01-01-01.wav')).toEqual({ label: 'neutral', speaker: '01' });
  });
  it('rejects other names with a reason', () => {
    expect(parseRavdessName('hello.wav')).toHaveProperty('error');
    expect(parseRavdessName('03-01-09-01-02-01-12.wav')).toHaveProperty('error');
  });
});
