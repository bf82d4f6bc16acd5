// A recorded run's stage in words, for the lists (the row's stage and progress, as the engine last wrote them).
import type { ExperimentSummary } from './experiment-types';
import { stageText } from '../../../shared/outcome';

const n = (v: number) => v.toLocaleString('en-US');

/** "features 412 / 2,620", "fold 2 / 5 · epoch 12 / 100", "starting"; "while extracting features" for a run stopped there. */
export function stageNote(run: Pick<ExperimentSummary, 'status' | 'stage' | 'progress'>): string {
  const { stage, progress: p } = run;
  if (!stage) return '';
  if (run.status !== 'running') return stage === 'queued' || stage === 'features' ? `while ${stageText(stage)}` : '';
  if (stage === 'features' && p?.features) return `features ${n(p.features.done)} / ${n(p.features.total)}`;
  if (stage === 'training' && p && p.epoch) {
    const fold = p.fold !== null && p.plan.folds > 1 ? `fold ${p.fold + 1} / ${p.plan.folds} · ` : '';
    return `${fold}epoch ${n(p.epoch)} / ${n(p.maxEpochs)}`;
  }
  return stageText(stage);
}
