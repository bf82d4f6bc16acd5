import { NamingSchema } from '../../shared/domain';
import { importDataset } from '../../core/dataset/import';
import { openWorkspace } from '../../core/workspace/workspace';
import { jsonOption, parseCommandArgs, UsageError, workspaceOption } from '../args';
import { formatDuration, progressBar } from '../output';

export const importUsage = 'ser-studio import <DIR|CSV> --name NAME [--naming folder|ravdess] [--workspace W] [--json]';

export async function importCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    name: { type: 'string', short: 'n' },
    naming: { type: 'string', default: 'folder' },
    ...workspaceOption,
    ...jsonOption,
  });
  if (positionals.length !== 1) throw new UsageError(`expected one folder or CSV manifest\nusage: ${importUsage}`);
  if (!values.name) throw new UsageError(`--name is required\nusage: ${importUsage}`);
  const naming = NamingSchema.safeParse(values.naming);
  if (!naming.success) throw new UsageError(`--naming must be 'folder' or 'ravdess'`);
  const ws = openWorkspace(values.workspace);
  try {
    const bar = progressBar();
    const report = await importDataset(ws.db, {
      source: positionals[0],
      name: values.name,
      naming: naming.data,
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
