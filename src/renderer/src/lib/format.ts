// Number and time formatting shared by tables, stats and chart labels, in the window's language: the numbers
// through the shared i18n formats (a decimal comma and grouping by spaces in Russian), the units from the catalogues.
import { dec, lang, num, pct, t } from './i18n';

export function formatInt(n: number): string {
  return num(n);
}

/** A total duration: "2 h 05 min", "12 min 30 s", "8.4 s" ("2 ч 05 мин", "8,4 с"). */
export function formatDuration(sec: number): string {
  if (!Number.isFinite(sec)) return '—';
  if (sec < 60) return t('common.unit.seconds', { value: sec < 10 ? dec(sec, 1) : String(Math.round(sec)) });
  const totalMin = Math.floor(sec / 60);
  if (totalMin < 60) return t('common.unit.minutesSeconds', { minutes: totalMin, seconds: String(Math.round(sec - totalMin * 60)).padStart(2, '0') });
  const h = Math.floor(totalMin / 60);
  return t('common.unit.hoursMinutes', { hours: h, minutes: String(totalMin - h * 60).padStart(2, '0') });
}

/** A clip length, always in seconds with two decimals so a column lines up. */
export function formatSeconds(sec: number): string {
  return Number.isFinite(sec) ? t('common.unit.seconds', { value: dec(sec, 2) }) : '—';
}

/** A time span given in milliseconds, in seconds: "0.42 s", "12.3 s". */
export function formatMs(ms: number | null | undefined): string {
  return ms === null || ms === undefined || !Number.isFinite(ms) ? '—' : t('common.unit.seconds', { value: dec(ms / 1000, ms < 10_000 ? 2 : 1) });
}

export function formatSampleRate(hz: number): string {
  return t('ui.unit.kHz', { value: hz % 1000 === 0 ? String(hz / 1000) : dec(hz / 1000, 2) });
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A stored time, local: "2026-12-07 00:23" in English, "07.12.2026 00:23" in Russian. */
export function formatDate(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${formatDay(iso)} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The day alone: "2026-12-07" / "07.12.2026". */
export function formatDay(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const [y, m, day] = [d.getFullYear(), pad(d.getMonth() + 1), pad(d.getDate())];
  return lang() === 'ru' ? `${day}.${m}.${y}` : `${y}-${m}-${day}`;
}

/** A part of a whole as a percentage: "33%", "2.5%" ("2,5 %"). */
export function percent(part: number, whole: number): string {
  if (!whole) return pct(0, 0);
  return pct(part / whole, (100 * part) / whole < 10 ? 1 : 0);
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
