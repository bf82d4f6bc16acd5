/** Human-readable durations and tables for the terminal. */
export function formatDuration(sec: number): string {
  if (sec < 60) return `${sec.toFixed(1)} s`;
  const m = Math.floor(sec / 60);
  const s = Math.round(sec - m * 60);
  if (m < 60) return `${m} min ${s} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function table(rows: (string | number)[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
  return rows
    .map((r) => r.map((cell, c) => (typeof cell === 'number' ? String(cell).padStart(widths[c]) : String(cell).padEnd(widths[c]))).join('  '))
    .join('\n');
}

/** A single-line progress bar, only on a TTY (pipes get nothing so --json output stays clean). */
export function progressBar(stream: NodeJS.WriteStream = process.stderr) {
  const enabled = Boolean(stream.isTTY);
  let last = 0;
  return {
    update(done: number, total: number, label = '') {
      if (!enabled) return;
      const now = Date.now();
      if (now - last < 80 && done < total) return;
      last = now;
      const width = 30;
      const filled = total ? Math.round((done / total) * width) : 0;
      stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${label}`.slice(0, stream.columns || 100).padEnd(Math.min(stream.columns || 100, 100)));
    },
    done() {
      if (enabled) stream.write('\r'.padEnd(Math.min(stream.columns || 100, 100)) + '\r');
    },
  };
}

/**
 * Waits for a job's result with Ctrl-C wired the way a terminal user expects: the first asks the job to stop
 * (it records what it did; `stopping` says what that is), a second kills it.
 */
export async function awaitJob<R>(job: { result: Promise<R>; cancel(): void; kill(): void }, stopping: string, log: (line: string) => void): Promise<R> {
  let interrupts = 0;
  const onSigint = () => {
    if (++interrupts === 1) {
      log(`${stopping} (Ctrl-C again to kill)...`);
      job.cancel();
    } else job.kill();
  };
  process.on('SIGINT', onSigint);
  try {
    return await job.result;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
