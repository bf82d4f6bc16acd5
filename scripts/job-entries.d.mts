// Types of job-entries.mjs (read by electron.vite.config.ts, which the type-check covers).
export declare const JOB_ENTRIES: Readonly<Record<string, string>>;
