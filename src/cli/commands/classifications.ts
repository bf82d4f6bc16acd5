import { listClassifyRuns } from '../../core/classify/runs';
import { openWorkspace } from '../../core/workspace/workspace';
import { jsonOption, parseCommandArgs, workspaceOption } from '../args';
import { table } from '../output';

export const classificationsUsage = 'ser-studio classifications [--workspace W] [--json]';

export async function classificationsCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, { ...workspaceOption, ...jsonOption });
  const ws = openWorkspace(values.workspace);
  try {
    const list = listClassifyRuns(ws.db);
    if (values.json) process.stdout.write(JSON.stringify(list) + '\n');
    else if (!list.length) process.stdout.write('No classifications yet. Classify a folder: ser-studio classify --experiment ID DIR\n');
    else {
      const rows: (string | number)[][] = [['id', 'status', 'model', 'source', 'files', 'classified', 'failed', 'acc', 'macroF1', 'corpus', 'backend', 'started']];
      for (const r of list) {
        rows.push([
          String(r.id),
          r.status,
          r.model,
          r.source,
          r.files,
          r.classified,
          r.failed,
          r.accuracy === null ? '-' : r.accuracy.toFixed(3),
          r.macroF1 === null ? '-' : r.macroF1.toFixed(3),
          r.corpus ?? '-',
          r.backend ?? '-',
          r.startedAt.replace('T', ' ').slice(0, 19),
        ]);
      }
      process.stdout.write(table(rows) + '\n');
    }
    return 0;
  } finally {
    ws.close();
  }
}
