// Writing a report from the window: the engine writes it into the workspace's reports folder (in a job process)
// and lists its files, which the page offers as download links (ApiClient.reportFileUrl).
import type { ApiClient, OutputOf } from './types';
import { errorMessage } from './api';
import { lang as windowLang, type Lang } from './i18n';

export type ReportTarget = { experimentId: number } | { classifyRunId: number };
export type WrittenReport = OutputOf<'reports:export'>;

export class ReportExport {
  /** The window's language to begin with; the select beside Export report picks another. */
  lang = $state<Lang>(windowLang());
  writing = $state(false);
  written = $state<WrittenReport | null>(null);
  error = $state('');

  constructor(
    private readonly api: ApiClient,
    readonly target: ReportTarget,
  ) {}

  write = async (): Promise<void> => {
    this.writing = true;
    this.error = '';
    try {
      this.written = await this.api.call('reports:export', { ...this.target, lang: this.lang, format: 'both' });
    } catch (err) {
      this.error = errorMessage(err);
    } finally {
      this.writing = false;
    }
  };

  url(path: string): string {
    return this.api.reportFileUrl(path);
  }
}
