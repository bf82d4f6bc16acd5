// Number and time formatting shared by tables, stats and chart labels.

const intFmt = new Intl.NumberFormat('en-US');

export function formatInt(n: number): string {
  return intFmt.format(n);
}

/** A total duration: "2 h 05 min", "12 min 30 s", "8.4 s". */
export function formatDuration(sec: number): string {
  if (!Number.isFinite(sec)) return '—';
  if (sec < 60) return `${sec < 10 ? sec.toFixed(1) : Math.round(sec)} s`;
  const totalMin = Math.floor(sec / 60);
  if (totalMin < 60) return `${totalMin} min ${String(Math.round(sec - totalMin * 60)).padStart(2, '0')} s`;
  const h = Math.floor(totalMin / 60);
  return `${h} h ${String(totalMin - h * 60).padStart(2, '0')} min`;
}

/** A clip length, always in seconds with two decimals so a column lines up. */
export function formatSeconds(sec: number): string {
  return Number.isFinite(sec) ? `${sec.toFixed(2)} s` : '—';
}

export function formatSampleRate(hz: number): string {
  return hz % 1000 === 0 ? `${hz / 1000} kHz` : `${(hz / 1000).toFixed(2)} kHz`;
}

export function formatDate(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function percent(part: number, whole: number): string {
  if (!whole) return '0%';
  const p = (100 * part) / whole;
  return `${p < 10 ? p.toFixed(1) : Math.round(p)}%`;
}

/** The last path segment, without a trailing slash, to propose a dataset name. */
export function baseName(p: string): string {
  const parts = p.replace(/[\\/]+$/, '').split(/[\\/]/);
  const last = parts[parts.length - 1] ?? '';
  return last.replace(/\.(csv|tsv)$/i, '') === 'manifest' && parts.length > 1 ? parts[parts.length - 2] : last.replace(/\.(csv|tsv)$/i, '');
}

/** Labels in name order: every class view (chips, charts, filters) uses this one order. */
export function sortedClasses(classes: Record<string, number>): [string, number][] {
  return Object.entries(classes).sort((a, b) => a[0].localeCompare(b[0]));
}

/** "1 group", "3 groups". */
export function plural(n: number, noun: string, many = `${noun}s`): string {
  return `${formatInt(n)} ${n === 1 ? noun : many}`;
}
