// Every error code that crosses a process or reaches a person, defined once. No zod here, so the
// renderer can import it. Codes are stable snake_case identifiers; messages are sentences for people.

/**
 * Each code with the HTTP status the web bridge answers it with. Application errors a user can act on
 * (a missing dataset, a broken file) are 4xx; the engine's own failures are 5xx.
 */
export const ERROR_HTTP_STATUS = {
  // calls and transports
  invalid_input: 400,
  bad_request: 400,
  unknown_channel: 404,
  unauthorized: 401,
  forbidden: 403,
  method_not_allowed: 405,
  payload_too_large: 413,
  duplicate_request: 409,
  not_found: 404,
  unreachable: 503,
  timeout: 504,
  engine_exited: 503,
  internal: 500,
  workspace_too_new: 409,
  workspace_busy: 409,
  // dataset import
  source_not_found: 404,
  bad_source: 400,
  empty_source: 400,
  bad_manifest: 400,
  bad_row: 400,
  repeated_row: 400,
  no_label: 400,
  bad_name: 400,
  missing: 404,
  dataset_exists: 409,
  link_loop: 422,
  // audio files
  empty: 422,
  unsupported_format: 422,
  truncated: 422,
  corrupt: 422,
  unreadable: 422,
  implausible_header: 422,
  not_finite: 422,
  too_long: 422,
  extract_failed: 500,
  // splits and training
  too_few_classes: 422,
  too_few_items: 422,
  no_speakers: 422,
  too_few_speakers: 422,
  bad_option: 400,
  unsupported_model: 422,
  backend_unavailable: 503,
  // jobs
  cancelled: 409,
  experiment_running: 409,
  worker_crashed: 500,
  job_crashed: 500,
  job_failed: 500,
  train_failed: 500,
  clips_failed: 422,
  no_result: 500,
  // classification with a trained model
  model_missing: 404,
  model_altered: 422,
  bad_model: 422,
  model_per_fold: 409,
  not_audio: 422,
  too_short: 422,
  classify_failed: 500,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_HTTP_STATUS;
export const ERROR_CODES = Object.keys(ERROR_HTTP_STATUS) as ErrorCode[];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERROR_HTTP_STATUS, value);
}

/** An error the engine raises on purpose: a code from the union and a sentence the UI can show. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/**
 * Any thrown value as the `{ code, message }` pair that crosses processes and reaches the user: our
 * errors carry a code of the union (ApiError, AudioError, SplitError...); anything else gets `fallback`.
 */
export function errorInfo(err: unknown, fallback: ErrorCode): { code: ErrorCode; message: string } {
  const e = err as { code?: unknown; message?: unknown } | null | undefined;
  return {
    code: isErrorCode(e?.code) ? e.code : fallback,
    message: typeof e?.message === 'string' ? e.message : String(err),
  };
}

/** Any thrown value as the contract's error: an ApiError as it is, anything else as `internal` (its message kept). */
export function toApiError(err: unknown): { code: ErrorCode; message: string; details?: unknown } {
  if (err instanceof ApiError) return { code: err.code, message: err.message, details: err.details };
  return errorInfo(err, 'internal');
}
