// Runs in an Electron utilityProcess: the whole engine lives here so the main process never
// blocks on SQLite, hashing or DSP. It answers the main process's relayed contract calls (engine-handlers.ts).
import { runEngine } from './engine-handlers';

const ws = runEngine(process.parentPort, process.env.SER_STUDIO_WORKSPACE, process.env.SER_STUDIO_SQLITE_BINDING || undefined);
// A workspace it could not open: the shell has been told why and ends this process (or it ends itself).
if (!ws) setTimeout(() => process.exit(1), 5000).unref();
process.on('exit', () => ws?.close());
