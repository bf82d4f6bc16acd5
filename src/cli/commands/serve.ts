import path from 'node:path';
import { startBridge } from '../../bridge/server';
import { openWorkspace } from '../../core/workspace/workspace';
import { settingsFile } from '../../core/workspace/location';
import { SettingsStore } from '../../core/settings/store';
import { parseCommandArgs, UsageError, workspaceOption } from '../args';

export const serveUsage = 'ser-studio serve [--port N] [--workspace W] [--renderer DIR]';

export async function serveCommand(argv: string[], rendererDir: string): Promise<number> {
  const { values } = parseCommandArgs(argv, {
    port: { type: 'string', short: 'p', default: '5187' },
    renderer: { type: 'string' },
    ...workspaceOption,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port must be an integer 0-65535 (0 = any free port)');
  const ws = openWorkspace(values.workspace);
  const settings = new SettingsStore(settingsFile());
  const bridge = await startBridge(ws, { port, rendererDir: path.resolve(values.renderer ?? rendererDir), settings });
  process.stdout.write(`SER Studio is serving on ${bridge.url}\n`);
  process.stdout.write(`workspace: ${ws.dir}\n(only this machine can connect; the token in the URL is required)\n`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      bridge.close().finally(() => {
        ws.close();
        resolve();
      });
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}
