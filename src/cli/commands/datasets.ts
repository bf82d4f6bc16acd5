import { listDatasets } from '../../core/dataset/queries';
import { openWorkspace } from '../../core/workspace/workspace';
import { jsonOption, parseCommandArgs, workspaceOption } from '../args';
import { formatDuration, table } from '../output';

export const datasetsUsage = 'ser-studio datasets [--workspace W] [--json]';

export async function datasetsCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, { ...workspaceOption, ...jsonOption });
  const ws = openWorkspace(values.workspace);
  try {
    const list = listDatasets(ws.db);
    if (values.json) process.stdout.write(JSON.stringify(list) + '\n');
    else if (!list.length) process.stdout.write(`No datasets in ${ws.dir} yet. Import one: ser-studio import <DIR|CSV> --name NAME\n`);
    else {
      const rows: (string | number)[][] = [['id', 'name', 'clips', 'classes', 'speakers', 'duration', 'errors', 'source']];
      for (const d of list)
        rows.push([d.id, d.name, d.clips, Object.keys(d.classes).length, d.speakers, formatDuration(d.durationSec), d.errors, d.source]);
      process.stdout.write(table(rows) + '\n');
    }
    return 0;
  } finally {
    ws.close();
  }
}
