import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Where a worker/job entry lives. Built bundles (out/cli, out/main) put every entry flat beside
 * the bundle that starts it, as `<name>.js`; from TypeScript sources (tests, tsx) the entry is the
 * .ts file itself, started through a tiny bootstrap that registers tsx in the new thread/process.
 */
export function resolveEntry(callerUrl: string, name: string, sourceRelPath: string): { file: string; viaTsx: boolean } {
  const caller = fileURLToPath(callerUrl);
  if (caller.endsWith('.ts')) return { file: path.resolve(path.dirname(caller), sourceRelPath), viaTsx: true };
  return { file: path.join(path.dirname(caller), `${name}.js`), viaTsx: false };
}

/** Bootstrap source for running a .ts entry in a worker thread (tsx registered first). */
export function tsxBootstrap(tsFile: string): string {
  return (
    `import { register } from 'tsx/esm/api'; register(); ` + `await import(${JSON.stringify(pathToFileURL(tsFile).href)});`
  );
}
