// Type-only view of the training contract: importing values from src/shared would bundle zod into the page.
export type {
  ExperimentDetail,
  ExperimentSummary,
  SplitSpec,
  TrainProgress,
  TrainRequest,
  TrainResult,
} from '../../../shared/experiment';

export type ExperimentStatus = 'running' | 'completed' | 'cancelled' | 'interrupted' | 'failed';

/** What the engine stores as `summary` for one run (see core/train/metrics summarizeRun); read defensively. */
export interface RunSummary {
  finalTrainAcc: number;
  bestTrainAcc: number;
  finalValAcc: number;
  bestValAcc: number;
  finalTrainLoss: number;
  finalValLoss: number;
  minValLoss: number;
  minValLossEpoch: number;
  bestClass: { label: string; f1: number };
  weakestClass: { label: string; f1: number };
  topConfusion: { trueLabel: string; predictedLabel: string; count: number } | null;
}

export interface MeanSd {
  mean: number;
  sd: number;
  n: number;
}

/** A k-fold parent's `summary`: mean ± sd over its folds. */
export interface FoldsSummary {
  folds: { folds: number; accuracy: MeanSd; macroF1: MeanSd; weightedF1: MeanSd; perClassF1: Record<string, MeanSd> };
  pooledAccuracy?: number;
}

export interface SplitSizes {
  trainClips: number;
  valClips: number;
  trainRows: number;
  valRows: number;
  leakage?: number;
}
