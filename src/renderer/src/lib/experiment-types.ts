// Type-only view of the training contract: importing values from shared/experiment would bundle zod into the page
// (the zod-free shared modules — params, outcome, protocol, errors — may be imported as values).
export type {
  ErrorInfo,
  ExperimentDetail,
  ExperimentSummary,
  FoldsSummary,
  QueuedRun,
  RunSummary,
  SeedQueue,
  SkippedClip,
  SpeakerScore,
  SplitSizes,
  SplitSpec,
  Timings,
  TrainProgress,
  TrainRequest,
  TrainResult,
  Weights,
} from '../../../shared/experiment';
export type { ExperimentStatus, MeanSd } from '../../../shared/outcome';
