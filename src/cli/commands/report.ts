import path from 'node:path';
import { LANGS, isLang } from '../../shared/i18n';
import { experimentReport } from '../../core/report/experiment-report';
import { REPORT_FORMATS, writeReport, type ReportFormat } from '../../core/report/write';
import { openWorkspace } from '../../core/workspace/workspace';
import { jsonOption, parseCommandArgs, UsageError, workspaceOption } from '../args';

export const reportUsage = `ser-studio report ID [--format ${REPORT_FORMATS.join('|')}] [--lang ${LANGS.join('|')}] [--out DIR (default report-ID)] [--workspace W] [--json]`;

export async function reportCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    format: { type: 'string', default: 'both' },
    lang: { type: 'string', default: 'en' },
    out: { type: 'string', short: 'o' },
    ...workspaceOption,
    ...jsonOption,
  });
  if (positionals.length !== 1) throw new UsageError(`one experiment id is required\nusage: ${reportUsage}`);
  const id = Number(positionals[0]);
  if (!Number.isInteger(id) || id < 1) throw new UsageError(`the experiment id must be a whole number ≥ 1 (got '${positionals[0]}')`);
  const format = values.format as ReportFormat;
  if (!REPORT_FORMATS.includes(format)) throw new UsageError(`--format must be ${REPORT_FORMATS.join(', ')} (got '${values.format}')`);
  const lang = values.lang!;
  if (!isLang(lang)) throw new UsageError(`--lang must be ${LANGS.join(' or ')} (got '${lang}')`);
  const outDir = path.resolve(values.out ?? `report-${id}`);

  const started = performance.now();
  const ws = openWorkspace(values.workspace);
  let doc;
  try {
    // Built from the stored experiment alone; the workspace is closed before the files are written.
    doc = experimentReport(ws.db, id, lang);
  } finally {
    ws.close();
  }
  const written = await writeReport(doc, outDir, format);
  const ms = Math.round(performance.now() - started);
  const files = [written.markdown, written.pdf, ...written.images].filter((f): f is string => f !== null);
  if (values.json) process.stdout.write(JSON.stringify({ experimentId: id, lang, format, ...written, ms }) + '\n');
  else process.stdout.write(`Report of experiment #${id} (${lang}) in ${written.dir}:\n${files.map((f) => `  ${f}`).join('\n')}\n`);
  return 0;
}
