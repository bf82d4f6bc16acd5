import { listExperiments } from '../../core/experiments/queries';
import { formatMeanSd, outcomeText } from '../../shared/outcome';
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
      const rows: (string | number)[][] = [['id', 'dataset', 'status', 'acc', 'macroF1', 'scored on', 'epochs', 'backend', 'protocol']];
      const score = (v: number | null, sd: number | null, n: number) => (v === null ? '-' : formatMeanSd({ mean: v, sd, n }, (x) => x.toFixed(3)));
      for (const e of list)
        rows.push([
          e.parentId ? `  ${e.id}` : String(e.id),
          e.dataset,
          outcomeText(e.status, e.folds),
          score(e.accuracy, e.accuracySd, e.folds?.completed ?? 1),
          score(e.macroF1, e.macroF1Sd, e.folds?.completed ?? 1),
          // which clips the scores come from: a test part early stopping never saw, or the validation clips that chose the epoch
          e.accuracy === null ? '-' : e.scoreSet === 'test' ? 'test' : 'validation*',
          e.folds ? '-' : e.epochs,
          e.backend ?? '-',
          (e.leaky ? '[LEAKY] ' : '') + e.protocol,
        ]);
      process.stdout.write(table(rows) + '\n');
      if (list.some((e) => e.accuracy !== null && e.scoreSet !== 'test')) process.stdout.write('validation*: the validation clips also chose the epoch (early stopping); train --test 0.2 holds out a test part they never see\n');
    }
    return 0;
  } finally {
    ws.close();
  }
}
