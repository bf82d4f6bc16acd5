// Type-only view of the classification contract: importing values from shared/classify would bundle zod into the
// page (the zod-free shared/classify-params may be imported as values).
export type {
  ClassifyEnd,
  ClassifyProgress,
  ClassifyRequest,
  ClassifyRunDetail,
  ClassifyRunSummary,
  Corpus,
  PredictionPage,
  PredictionRow,
  SkippedFile,
} from '../../../shared/classify';
export type { ErrorInfo } from '../../../shared/experiment';
import type { InputOf } from '../../../shared/contract';
/** What the window may start: a classification with a model of this workspace. */
export type ClassifyStartRequest = InputOf<'classify:start'>['request'];
