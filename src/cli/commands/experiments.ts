import { listExperiments } from '../../core/experiments/queries';
import { openWorkspace } from '../../core/workspace/workspace';
import { jsonOption, parseCommandArgs, workspaceOption } from '../args';
import { table } from '../output';

export const experimentsUsage = 'ser-studio experiments [--workspace W] [--json]';

export async function experimentsCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, { ...workspaceOption, ...jsonOption });
  const ws = openWorkspace(values.workspace);
  try {
    const list = listExperiments(ws.db).reverse();
    if (values.json) process.stdout.write(JSON.stringify(list) + '\n');
    else if (!list.length) process.stdout.write('No experiments yet. Train one: ser-studio train --dataset NAME\n');
    else {
      const rows: (string | number)[][] = [['id', 'dataset', 'status', 'acc', 'macroF1', 'epochs', 'backend', 'protocol']];
      for (const e of list)
        rows.push([
          e.parentId ? `  ${e.id}` : String(e.id),
          e.dataset,
          e.status,
          e.accuracy === null ? '-' : e.accuracy.toFixed(3),
          e.macroF1 === null ? '-' : e.macroF1.toFixed(3),
          e.epochs,
          e.backend ?? '-',
          (e.leaky ? '[LEAKY] ' : '') + e.protocol,
        ]);
      process.stdout.write(table(rows) + '\n');
    }
    return 0;
  } finally {
    ws.close();
  }
}
