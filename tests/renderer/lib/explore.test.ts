import { describe, expect, it } from 'vitest';
import { groupPoints, hasSpeakers, NO_SPEAKER, share } from '../../../src/renderer/src/lib/explore';
import { labelColour } from '../../../src/shared/charts/palette';
import { CATEGORY_COLOURS, categoryStyle } from '../../../src/shared/charts/scatter';
import type { ExplorePoint } from '../../../src/shared/explore';

const pt = (clipId: number, label: string, speaker: string | null): ExplorePoint => ({ clipId, path: `${label}/${clipId}.wav`, label, speaker, x: clipId, y: -clipId });
const points = [pt(1, 'sadness', '10'), pt(2, 'anger', '9'), pt(3, 'anger', null), pt(4, 'neutral', '10'), pt(5, 'anger', '9')];

describe('explorer groups', () => {
  it('groups by class with each emotion\'s colour, names sorted', () => {
    const g = groupPoints(points, 'label');
    expect(g.map((x) => [x.label, x.points.map((p) => p.clipId), x.colour])).toEqual([
      ['anger', [2, 3, 5], labelColour('anger')],
      ['neutral', [4], labelColour('neutral')],
      ['sadness', [1], labelColour('sadness')],
    ]);
  });

  it('groups by speaker in natural order, clips without one last and grey', () => {
    const g = groupPoints(points, 'speaker', new Set(['10']));
    expect(g.map((x) => [x.label, x.points.length, x.hidden])).toEqual([
      ['9', 2, false],
      ['10', 2, true],
      [NO_SPEAKER, 1, false],
    ]);
    expect(g[0].colour).toBe(CATEGORY_COLOURS[0]);
    expect(g[1].colour).toBe(CATEGORY_COLOURS[1]);
  });

  it('gives 72 speakers distinct colour-and-shape pairs', () => {
    const styles = Array.from({ length: 72 }, (_, i) => categoryStyle(i));
    expect(new Set(styles.map((s) => `${s.colour}/${s.pointStyle}`)).size).toBe(72);
  });

  it('formats shares and knows when speakers can colour', () => {
    expect(share(0.29)).toBe('29.0%');
    expect(share(0.0004)).toBe('0.04%');
    expect(share(0)).toBe('0.0%');
    expect(hasSpeakers(points)).toBe(true);
    expect(hasSpeakers([pt(1, 'a', 'x'), pt(2, 'b', null)])).toBe(false);
  });
});
