import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { toApiError } from '../shared/errors';
import { APP_VERSION } from '../core/version';
import { UsageError } from './args';

const here = path.dirname(fileURLToPath(import.meta.url));
/** Built layout: out/cli/index.js beside out/renderer. */
const defaultRendererDir = path.resolve(here, '../renderer');

/**
 * Each command's module is loaded when it runs: `features FILE` should print in well under a second, and loading
 * every command (the report's PDF and chart libraries, the trainer's tfjs, the bridge) cost ~0.9 s of start-up.
 * The build keeps them in chunks of their own (scripts/build-cli.mjs: splitting).
 */
interface CommandModule {
  usage: string;
  run: (argv: string[]) => Promise<number>;
}
const commands: Record<string, () => Promise<CommandModule>> = {
  import: async () => import('./commands/import').then((m) => ({ usage: m.importUsage, run: m.importCommand })),
  datasets: async () => import('./commands/datasets').then((m) => ({ usage: m.datasetsUsage, run: m.datasetsCommand })),
  features: async () => import('./commands/features').then((m) => ({ usage: m.featuresUsage, run: m.featuresCommand })),
  train: async () => import('./commands/train').then((m) => ({ usage: m.trainUsage, run: m.trainCommand })),
  experiments: async () => import('./commands/experiments').then((m) => ({ usage: m.experimentsUsage, run: m.experimentsCommand })),
  report: async () => import('./commands/report').then((m) => ({ usage: m.reportUsage, run: m.reportCommand })),
  classify: async () => import('./commands/classify').then((m) => ({ usage: m.classifyUsage, run: m.classifyCommand })),
  classifications: async () => import('./commands/classifications').then((m) => ({ usage: m.classificationsUsage, run: m.classificationsCommand })),
  'export-model': async () => import('./commands/export-model').then((m) => ({ usage: m.exportModelUsage, run: m.exportModelCommand })),
  serve: async () => import('./commands/serve').then((m) => ({ usage: m.serveUsage, run: (argv: string[]) => m.serveCommand(argv, defaultRendererDir) })),
};

async function help(): Promise<string> {
  const loaded = await Promise.all(Object.values(commands).map((load) => load()));
  return [
    `SER Studio ${APP_VERSION}: speech emotion recognition experiments`,
    '',
    'usage:',
    ...loaded.map((c) => `  ${c.usage}`),
    '',
    'The workspace is --workspace DIR, else $SER_STUDIO_HOME, else the per-user app-data folder.',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write((await help()) + '\n');
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(APP_VERSION + '\n');
    return 0;
  }
  const load = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!load) {
    process.stderr.write(`ser-studio: unknown command '${name}'\n\n${await help()}\n`);
    return 2;
  }
  const cmd = await load();
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`usage: ${cmd.usage}\n`);
    return 0;
  }
  try {
    return await cmd.run(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`ser-studio ${name}: ${err.message}\n`);
      return 2;
    }
    const e = toApiError(err);
    process.stderr.write(`ser-studio ${name}: ${e.message}${e.code === 'internal' && (err as Error).stack ? `\n${(err as Error).stack}` : ''}\n`);
    return 1;
  }
}
