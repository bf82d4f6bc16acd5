// Child-process entry for writing a report (started by job.ts): opens the workspace, writes, answers once.
import { errorInfo } from '../../shared/errors';
import { openWorkspace } from '../workspace/workspace';
import { exportReport } from './export';
import type { ReportJobMessage, ReportJobRequest } from './job';

const send = (m: ReportJobMessage) => new Promise<void>((resolve) => (process.send ? process.send(m, undefined, {}, () => resolve()) : resolve()));

process.once('message', async (msg: ReportJobRequest) => {
  if (msg.kind !== 'report') return;
  let ws;
  try {
    ws = openWorkspace(msg.workspace);
    await send({ kind: 'result', report: await exportReport(ws.db, ws.dir, msg.target, msg.lang, msg.format) });
  } catch (err) {
    await send({ kind: 'error', error: errorInfo(err, 'internal') });
  } finally {
    ws?.close();
    process.disconnect?.();
  }
});
