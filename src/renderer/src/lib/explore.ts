// The feature explorer's points grouped for the chart and its legend: by class (each emotion's own colour) or by
// speaker (a colour and shape per speaker). Plain functions, tested in tests/renderer/lib/explore.test.ts.
import type { ExplorePoint } from '../../../shared/explore';
import { categoryStyle, type ScatterGroup } from '../../../shared/charts/scatter';
import { labelColour } from '../../../shared/charts/palette';
import { pct, t } from './i18n';

export type ColourBy = 'label' | 'speaker';

/** The group of clips without a speaker (its key; the legend names it in the window's language). */
export const NO_SPEAKER = '(no speaker)';

export interface PointGroup extends ScatterGroup<ExplorePoint> {
  key: string;
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** Groups in a stable order (names sorted naturally, "(no speaker)" last), each with its colour and shape. */
export function groupPoints(points: readonly ExplorePoint[], by: ColourBy, hidden: ReadonlySet<string> = new Set()): PointGroup[] {
  const groups = new Map<string, ExplorePoint[]>();
  for (const p of points) {
    const key = by === 'label' ? p.label : (p.speaker ?? NO_SPEAKER);
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(p);
  }
  const keys = [...groups.keys()].sort((a, b) => (a === NO_SPEAKER ? 1 : b === NO_SPEAKER ? -1 : collator.compare(a, b)));
  return keys.map((key, i) => {
    const style = by === 'label' ? { colour: labelColour(key), pointStyle: 'circle' as const } : key === NO_SPEAKER ? { colour: '#98a2b3', pointStyle: 'circle' as const } : categoryStyle(i);
    return { key, label: key === NO_SPEAKER ? t('ui.explore.noSpeaker') : key, ...style, points: groups.get(key)!, hidden: hidden.has(key) };
  });
}

/** "29.0%" ("29,0 %") of a 0..1 share; shares under 0.1% keep two decimals. */
export function share(ratio: number): string {
  const percent = ratio * 100;
  return pct(ratio, percent < 0.1 && percent > 0 ? 2 : 1);
}

/** True when colouring by speaker says something: at least two speakers recorded. */
export function hasSpeakers(points: readonly ExplorePoint[]): boolean {
  const seen = new Set<string>();
  for (const p of points) if (p.speaker) seen.add(p.speaker);
  return seen.size >= 2;
}
