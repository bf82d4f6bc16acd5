/**
 * Any thrown value as the `{ code, message }` pair that crosses processes and reaches the user:
 * our errors carry a string `code` (ApiError, AudioError, SplitError...); anything else gets `fallbackCode`.
 */
export function errorInfo(err: unknown, fallbackCode: string): { code: string; message: string } {
  const e = err as { code?: unknown; message?: unknown } | null | undefined;
  return {
    code: typeof e?.code === 'string' ? e.code : fallbackCode,
    message: typeof e?.message === 'string' ? e.message : String(err),
  };
}
