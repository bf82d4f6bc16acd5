import path from 'node:path';
import { utilityProcess } from 'electron';
import type { EngineChild } from './engine-connection';

/** The engine (engine.js) in an Electron utilityProcess on `workspace`, for an EngineConnection. */
export function forkEngine(workspace: string, sqliteBinding: string | undefined): EngineChild {
  return utilityProcess.fork(path.join(__dirname, 'engine.js'), [], {
    serviceName: 'SER Studio engine',
    env: { ...process.env, SER_STUDIO_WORKSPACE: workspace, SER_STUDIO_SQLITE_BINDING: sqliteBinding ?? '' },
    stdio: 'inherit',
  });
}
