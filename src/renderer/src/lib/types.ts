// Type-only re-exports of the contract: importing values from src/shared would bundle zod into the page.
export type { ApiClient, Channel, InputOf, OutputOf, ProgressEvent } from '../../../shared/contract';
export type {
  AppInfo,
  Clip,
  DatasetDetail,
  DatasetSummary,
  DuplicateGroup,
  Histogram,
  ImportIssue,
  ImportReport,
  Naming,
  SpeakerCoverage,
} from '../../../shared/domain';
