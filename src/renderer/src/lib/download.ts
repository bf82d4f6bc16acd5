// Saving what the engine returned as a file: a Blob behind a download link, clicked once. Blob URLs are
// same-origin, allowed by both CSPs (the page's and the bridge's); Electron shows its save dialog for it.
import { dec, t } from './i18n';

export function saveText(name: string, mime: string, content: string): void {
  const url = URL.createObjectURL(new Blob([content], { type: mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  // The download has its own reference by now; give slow machines a while before letting the blob go.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** "12 KB", "1.4 MB". */
export function formatBytes(n: number): string {
  if (n < 1024) return t('ui.bytes.b', { value: n });
  if (n < 1024 * 1024) return t('ui.bytes.kb', { value: Math.round(n / 1024) });
  return t('ui.bytes.mb', { value: dec(n / (1024 * 1024), 1) });
}
