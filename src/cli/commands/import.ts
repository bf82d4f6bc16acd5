import { NamingSchema } from '../../shared/domain';
import { MAX_CLIP_SECONDS } from '../../shared/dataset-params';
import { importDataset } from '../../core/dataset/import';
import { openWorkspace } from '../../core/workspace/workspace';
import { jsonOption, parseCommandArgs, UsageError, workspaceOption } from '../args';
import { formatDuration, progressBar } from '../output';

export const importUsage =
  `ser-studio import <DIR|CSV> --name NAME [--naming folder|ravdess] [--replace] [--max-duration SECONDS (${MAX_CLIP_SECONDS.default})] [--workspace W] [--json]`;

export async function importCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    name: { type: 'string', short: 'n' },
    naming: { type: 'string', default: 'folder' },
    replace: { type: 'boolean', default: false },
    'max-duration': { type: 'string' },
    ...workspaceOption,
    ...jsonOption,
  });
  if (positionals.length !== 1) throw new UsageError(`expected one folder or CSV manifest\nusage: ${importUsage}`);
  if (!values.name) throw new UsageError(`--name is required\nusage: ${importUsage}`);
  const naming = NamingSchema.safeParse(values.naming);
  if (!naming.success) throw new UsageError(`--naming must be 'folder' or 'ravdess'`);
  const maxDurationSec = values['max-duration'] === undefined ? undefined : Number(values['max-duration']);
  if (maxDurationSec !== undefined && !(maxDurationSec >= MAX_CLIP_SECONDS.min && maxDurationSec <= MAX_CLIP_SECONDS.max)) {
    throw new UsageError(`--max-duration must be a number of seconds from ${MAX_CLIP_SECONDS.min} to ${MAX_CLIP_SECONDS.max} (got '${values['max-duration']}')`);
  }
  const ws = openWorkspace(values.workspace);
  try {
    const bar = progressBar();
    const report = await importDataset(ws.db, {
      source: positionals[0],
      name: values.name,
      naming: naming.data,
      replace: values.replace,
      maxDurationSec,
      onProgress: (p) => p.phase === 'probe' && bar.update(p.done, p.total, p.file ?? ''),
    });
    bar.done();
    if (values.json) {
      process.stdout.write(JSON.stringify(report) + '\n');
    } else {
      const out = process.stdout;
      out.write(`Imported '${report.name}' (id ${report.id}) into ${ws.dir}\n`);
      out.write(`  ${report.clips} clips, ${Object.keys(report.classes).length} classes, ${report.speakers} speakers, ${formatDuration(report.durationSec)}\n`);
      out.write(`  classes: ${Object.entries(report.classes).map(([k, v]) => `${k} ${v}`).join(', ')}\n`);
      out.write(`  added ${report.added}, updated ${report.updated}, unchanged ${report.unchanged}, removed ${report.removed}\n`);
      if (report.errors.length) {
        out.write(`  ${report.errors.length} file(s) not imported:\n`);
        for (const e of report.errors) out.write(`    [${e.code}] ${e.message}\n`);
      }
      if (report.duplicates.length) {
        out.write(`  ${report.duplicates.length} group(s) of identical files:\n`);
        for (const d of report.duplicates) out.write(`    ${d.files.join(' = ')}\n`);
      }
    }
    return 0;
  } finally {
    ws.close();
  }
}
