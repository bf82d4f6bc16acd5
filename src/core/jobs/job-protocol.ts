import type { ErrorInfo, TrainProgress, TrainRequest, TrainResult } from '../../shared/experiment';

/** Messages between a job host and its job process (a discriminated union, checked on both sides). */
export type JobRequest = { kind: 'train'; workspace: string; request: TrainRequest } | { kind: 'cancel' };

export type JobMessage =
  | { kind: 'progress'; progress: TrainProgress }
  | { kind: 'result'; result: TrainResult }
  | { kind: 'error'; error: ErrorInfo };
