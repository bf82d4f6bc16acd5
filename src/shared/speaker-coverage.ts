// When per-speaker normalisation is worth warning against, decided once for the CLI and the new-run form. No zod
// here (the renderer imports it).
import type { SpeakerCoverage } from './domain';
import { SPEAKER_COVERAGE } from './params';

export interface CoverageWarning {
  /** Mean share of the classes a speaker has clips of. */
  mean: number;
  classes: number;
  /** Speakers below SPEAKER_COVERAGE.minSpeaker, with the classes they cover (all of them when the mean is the problem). */
  low: { speaker: string; covered: number }[];
}

/**
 * A warning when the speakers' clips do not span the classes: the mean coverage is below SPEAKER_COVERAGE.minMean or
 * some speaker's below minSpeaker. Null when coverage is fine or unknown (no speakers: that run is refused anyway).
 */
export function coverageWarning(c: SpeakerCoverage | null | undefined): CoverageWarning | null {
  if (!c || !c.speakers.length) return null;
  const low = c.speakers.filter((s) => s.share < SPEAKER_COVERAGE.minSpeaker);
  if (c.mean >= SPEAKER_COVERAGE.minMean && !low.length) return null;
  const named = low.length ? low : [...c.speakers].sort((a, b) => a.share - b.share).slice(0, 10);
  return { mean: c.mean, classes: c.classes, low: named.map((s) => ({ speaker: s.speaker, covered: s.covered })) };
}

/** The CLI's sentence (the form words it from the catalogues). */
export function coverageWarningText(w: CoverageWarning): string {
  const list = w.low.slice(0, 10).map((s) => `${s.speaker} (${s.covered}/${w.classes})`).join(', ') + (w.low.length > 10 ? `, and ${w.low.length - 10} more` : '');
  return (
    `WARNING: per-speaker normalisation needs each speaker's clips to span the classes, and here they do not: on average a speaker ` +
    `has clips of ${(w.mean * 100).toFixed(0)}% of the ${w.classes} classes (speakers with the fewest: ${list}). Subtracting the mean of a ` +
    `speaker who has one emotion subtracts the emotion; expect worse results than --normalize global.`
  );
}
