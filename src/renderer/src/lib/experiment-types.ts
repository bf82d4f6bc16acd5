// Type-only view of the training contract: importing values from src/shared would bundle zod into the page.
import type { MeanSd } from '../../../shared/experiment';

export type {
  ExperimentDetail,
  ExperimentStatus,
  MeanSd,
  RunSummary,
  ExperimentSummary,
  SplitSpec,
  TrainProgress,
  TrainRequest,
  TrainResult,
} from '../../../shared/experiment';

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
