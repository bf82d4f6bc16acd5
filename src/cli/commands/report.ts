import path from 'node:path';
import { LANGS, isLang } from '../../shared/i18n';
import { classifyReport } from '../../core/report/classify-report';
import { experimentReport } from '../../core/report/experiment-report';
import { REPORT_FORMATS, writeReport, type ReportFormat } from '../../core/report/write';
import { openWorkspace } from '../../core/workspace/workspace';
import { jsonOption, parseCommandArgs, UsageError, workspaceOption } from '../args';

export const reportUsage =
  `ser-studio report (ID | --classify RUN) [--format ${REPORT_FORMATS.join('|')}] [--lang ${LANGS.join('|')}] ` +
  '[--out DIR (default report-ID or report-classify-RUN)] [--workspace W] [--json]';

function wholeNumber(what: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`the ${what} must be a whole number ≥ 1 (got '${text}')`);
  return n;
}

export async function reportCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    format: { type: 'string', default: 'both' },
    lang: { type: 'string', default: 'en' },
    out: { type: 'string', short: 'o' },
    classify: { type: 'string' },
    ...workspaceOption,
    ...jsonOption,
  });
  const classifyRun = values.classify !== undefined;
  if (classifyRun ? positionals.length !== 0 : positionals.length !== 1) {
    throw new UsageError(`${classifyRun ? 'give either an experiment id or --classify RUN, not both' : 'one experiment id (or --classify RUN) is required'}\nusage: ${reportUsage}`);
  }
  const id = classifyRun ? wholeNumber('classify run id', values.classify!) : wholeNumber('experiment id', positionals[0]);
  const format = values.format as ReportFormat;
  if (!REPORT_FORMATS.includes(format)) throw new UsageError(`--format must be ${REPORT_FORMATS.join(', ')} (got '${values.format}')`);
  const lang = values.lang!;
  if (!isLang(lang)) throw new UsageError(`--lang must be ${LANGS.join(' or ')} (got '${lang}')`);
  const outDir = path.resolve(values.out ?? (classifyRun ? `report-classify-${id}` : `report-${id}`));

  const started = performance.now();
  const ws = openWorkspace(values.workspace);
  let doc;
  try {
    // Built from what the workspace stores alone; the workspace is closed before the files are written.
    doc = classifyRun ? classifyReport(ws.db, id, lang) : experimentReport(ws.db, id, lang);
  } finally {
    ws.close();
  }
  const written = await writeReport(doc, outDir, format);
  const ms = Math.round(performance.now() - started);
  const files = [written.markdown, written.pdf, ...written.images].filter((f): f is string => f !== null);
  const subject = classifyRun ? `classify run #${id}` : `experiment #${id}`;
  if (values.json) process.stdout.write(JSON.stringify({ ...(classifyRun ? { classifyRunId: id } : { experimentId: id }), lang, format, ...written, ms }) + '\n');
  else process.stdout.write(`Report of ${subject} (${lang}) in ${written.dir}:\n${files.map((f) => `  ${f}`).join('\n')}\n`);
  return 0;
}
