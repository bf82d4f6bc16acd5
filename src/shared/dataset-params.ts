// How the window pages a dataset's clips, as plain data (no zod: the renderer imports these values).

/** Columns the clip table sorts by (the engine maps each to its ORDER BY; ties break on the path). */
export const CLIP_SORTS = ['label', 'path', 'speaker', 'duration', 'sampleRate', 'format'] as const;
export type ClipSort = (typeof CLIP_SORTS)[number];
export const SORT_ORDERS = ['asc', 'desc'] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];
