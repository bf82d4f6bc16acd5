import { parseArgs, type ParseArgsConfig } from 'node:util';

export class UsageError extends Error {
  readonly code = 'usage';
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** node:util parseArgs with our error type, so bad flags print usage instead of a stack trace. */
export function parseCommandArgs<O extends Options>(argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

export const workspaceOption = { workspace: { type: 'string' as const, short: 'w' } };
export const jsonOption = { json: { type: 'boolean' as const, default: false } };
