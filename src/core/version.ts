import { createRequire } from 'node:module';

const requireHere = createRequire(import.meta.url);

function readPackageVersion(): string {
  // Bundled builds (CLI, Electron main) inject the version; from sources read package.json.
  if (typeof __SER_STUDIO_VERSION__ === 'string') return __SER_STUDIO_VERSION__;
  try {
    return (requireHere('../../package.json') as { version: string }).version;
  } catch {
    return '0.0.0-dev';
  }
}

declare const __SER_STUDIO_VERSION__: string | undefined;

export const APP_NAME = 'SER Studio';
export const APP_VERSION = readPackageVersion();
