// A recorded run's stage in words, for the lists (the row's stage and progress, as the engine last wrote them).
import type { ExperimentSummary } from './experiment-types';
import type { RunStage } from '../../../shared/outcome';
import { num, t } from './i18n';

/** "starting", "extracting features", "training", "saving the model". */
export function stageText(stage: RunStage): string {
  return t(`ui.stage.${stage}`);
}

/** "features 412 / 2,620", "fold 2 / 5 · epoch 12 / 100", "starting"; "while extracting features" for a run stopped there. */
export function stageNote(run: Pick<ExperimentSummary, 'status' | 'stage' | 'progress'>): string {
  const { stage, progress: p } = run;
  if (!stage) return '';
  if (run.status !== 'running') return stage === 'queued' ? t('ui.stage.whileQueued') : stage === 'features' ? t('ui.stage.whileFeatures') : '';
  if (stage === 'features' && p?.features) return t('ui.runs.stageFeatures', { done: num(p.features.done), total: num(p.features.total) });
  if (stage === 'training' && p && p.epoch) {
    const epoch = { epoch: num(p.epoch), max: num(p.maxEpochs) };
    return p.fold !== null && p.plan.folds > 1 ? t('ui.runs.stageFoldEpoch', { fold: p.fold + 1, folds: p.plan.folds, ...epoch }) : t('ui.runs.stageEpoch', epoch);
  }
  return stageText(stage);
}
