import { exportModel } from '../../core/classify/export';
import { openWorkspace } from '../../core/workspace/workspace';
import { jsonOption, parseCommandArgs, UsageError, workspaceOption } from '../args';

export const exportModelUsage = 'ser-studio export-model ID [--fold N] --out DIR [--workspace W] [--json]';

/** Writes an experiment's checked model as a folder that `classify --model DIR` accepts anywhere. */
export async function exportModelCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { out: { type: 'string', short: 'o' }, fold: { type: 'string' }, ...workspaceOption, ...jsonOption });
  if (positionals.length !== 1 || !/^\d+$/.test(positionals[0]) || Number(positionals[0]) < 1) {
    throw new UsageError(`expected one experiment id\nusage: ${exportModelUsage}`);
  }
  if (!values.out) throw new UsageError(`--out DIR is required\nusage: ${exportModelUsage}`);
  if (values.fold !== undefined && !/^[1-9]\d*$/.test(values.fold)) throw new UsageError(`--fold must be a fold number from 1 (got '${values.fold}')`);
  const ws = openWorkspace(values.workspace);
  try {
    const ref = { experimentId: Number(positionals[0]), ...(values.fold !== undefined ? { fold: Number(values.fold) - 1 } : {}) };
    const out = await exportModel(ws, ref, values.out);
    if (values.json) process.stdout.write(JSON.stringify(out) + '\n');
    else {
      const o = out.identity.origin;
      for (const n of out.notices) process.stderr.write(`note: ${n}\n`);
      process.stdout.write(
        `Model of experiment ${o.experimentId}${o.fold !== null ? ` (fold ${o.fold + 1})` : ''} (trained on '${o.dataset}', ${out.identity.labels.length} classes) written to ${out.dir}:\n` +
          out.files.map((f) => `  ${f}`).join('\n') +
          `\nClassify with it anywhere: ser-studio classify --model ${out.dir} <DIR|CSV|FILE...>\n`,
      );
    }
    return 0;
  } finally {
    ws.close();
  }
}
