// The run's protocol and outcome in the reader's language. The English text is the one describeProtocol,
// outcomeText and foldsText (src/shared) write; the tests hold the two to each other.
import type { ExperimentStatus, FoldCount } from '../outcome';
import { innerValidationOf, testPartOf, type ProtocolOutline } from '../protocol';
import { t, type Lang } from './index';

const pct = (f: number): number => Math.round(f * 100);

/**
 * The protocol in words; `seeds` words a seed group's protocol ("…, seeds 42–44") instead of the run's own seed.
 */
export function describeProtocolIn(lang: Lang, p: ProtocolOutline, seeds?: string): string {
  const base = describeSplitIn(lang, p, seeds);
  const test = testPartOf(p);
  const inner = innerValidationOf(p);
  if (inner) return base + t(lang, inner.bySpeaker ? 'common.protocol.innerValSpeakers' : 'common.protocol.innerVal', { val: pct(inner.fraction) });
  if (!test) return base;
  const speakers = test.speakers ? t(lang, 'common.protocol.testSpeakers', { speakers: test.speakers.join(', ') }) : '';
  return base + t(lang, 'common.protocol.testPart', { test: pct(test.fraction), speakers });
}

function describeSplitIn(lang: Lang, p: ProtocolOutline, seeds?: string): string {
  const seed = seeds === undefined ? t(lang, 'common.protocol.seed', { seed: p.seed }) : t(lang, 'common.protocol.seeds', { seeds });
  switch (p.kind) {
    case 'stratified':
    case 'leaky':
      return t(lang, p.kind === 'leaky' ? 'common.protocol.leaky' : 'common.protocol.stratified', { train: pct(1 - p.valFraction), val: pct(p.valFraction), seed });
    case 'speaker':
      return p.heldOutSpeakers
        ? t(lang, 'common.protocol.speaker', { speakers: p.heldOutSpeakers.join(', '), seed })
        : t(lang, 'common.protocol.speakerPlanned', { val: pct(p.valFraction), seed });
    case 'kfold':
    case 'speaker-kfold': {
      const kfold = p.kind === 'kfold';
      if (p.fold === undefined) return t(lang, kfold ? 'common.protocol.kfold' : 'common.protocol.speakerKfold', { k: p.k, seed });
      const speakers = p.heldOutSpeakers ? t(lang, 'common.protocol.foldSpeakers', { speakers: p.heldOutSpeakers.join(', ') }) : '';
      return t(lang, kfold ? 'common.protocol.kfoldFold' : 'common.protocol.speakerKfoldFold', { k: p.k, fold: p.fold + 1, speakers, seed });
    }
  }
}

export function statusText(lang: Lang, status: ExperimentStatus): string {
  return t(lang, `common.status.${status}`);
}

/** "incomplete: 1 of 3 folds (cancelled)" for a cross-validation stopped part-way, else the status. */
export function outcomeTextIn(lang: Lang, status: ExperimentStatus, folds: FoldCount | null): string {
  if (folds && status !== 'running' && folds.completed < folds.k) {
    return t(lang, 'common.outcome.incomplete', { completed: folds.completed, count: folds.k, status: statusText(lang, status) });
  }
  return statusText(lang, status);
}

/** "over 3 folds", "over 1 of 3 folds". */
export function foldsTextIn(lang: Lang, folds: FoldCount): string {
  return folds.completed === folds.k
    ? t(lang, 'common.folds.over', { count: folds.k })
    : t(lang, 'common.folds.overPartial', { completed: folds.completed, count: folds.k });
}
