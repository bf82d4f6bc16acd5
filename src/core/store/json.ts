/** JSON columns read back: a broken or empty value is null, and a schema turns it into today's shape (or null). */
import type { z } from 'zod';

export function parseJson(text: string | null): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** The column's value as `schema` reads it, or null when it is missing or has another shape. */
export function readJson<T extends z.ZodType>(schema: T, text: string | null): z.output<T> | null {
  const r = schema.safeParse(parseJson(text));
  return r.success ? r.data : null;
}
