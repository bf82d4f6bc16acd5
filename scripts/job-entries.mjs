// The modules that start in a thread or process of their own (workers, job children), each bundled as an entry of
// its own beside the code that starts it (resolveEntry in src/core/jobs/entry.ts finds it by name). One list for
// both builds: the desktop app's main bundle (electron.vite.config.ts) and the CLI's (scripts/build-cli.mjs).
export const JOB_ENTRIES = {
  'feature-worker': 'src/core/jobs/feature-worker.ts',
  'job-process': 'src/core/jobs/job-process.ts',
  'classify-job': 'src/core/classify/classify-job.ts',
  'report-job': 'src/core/report/report-job.ts',
  'explore-job': 'src/core/explore/explore-job.ts',
  'decode-worker': 'src/core/audio/decode-worker.ts',
};
