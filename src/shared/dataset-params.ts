// How the window pages a dataset's clips, as plain data (no zod: the renderer imports these values).

/** Columns the clip table sorts by (the engine maps each to its ORDER BY; ties break on the path). */
export const CLIP_SORTS = ['label', 'path', 'speaker', 'duration', 'sampleRate', 'format'] as const;
export type ClipSort = (typeof CLIP_SORTS)[number];
export const SORT_ORDERS = ['asc', 'desc'] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];

/**
 * What an audio header must declare for SER Studio to read the file: a rate, a channel count a recording can have
 * (a 1 Hz or 1 MHz "WAV" is a broken header, and resampling it would make hours of nothing). Files outside are
 * refused at import and at feature time with the code implausible_header.
 */
export const AUDIO_LIMITS = {
  sampleRate: { min: 1000, max: 384_000 },
  channels: { min: 1, max: 64 },
} as const;

/**
 * Longest clip import and training take by default (seconds). An emotion clip lasts seconds; a file of many
 * minutes is a whole session, and augmenting it (pitch shift and time stretch on the whole signal) needs memory in
 * proportion: see docs/robustness.md for the numbers. `import --max-duration` / `train --max-duration` change it.
 */
export const MAX_CLIP_SECONDS = { default: 300, min: 1, max: 24 * 3600 } as const;
