import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { toApiError } from '../core/api/service';
import { APP_VERSION } from '../core/version';
import { UsageError } from './args';
import { datasetsCommand, datasetsUsage } from './commands/datasets';
import { featuresCommand, featuresUsage } from './commands/features';
import { importCommand, importUsage } from './commands/import';
import { serveCommand, serveUsage } from './commands/serve';
import { trainCommand, trainUsage } from './commands/train';
import { experimentsCommand, experimentsUsage } from './commands/experiments';
import { reportCommand, reportUsage } from './commands/report';
import { classifyCommand, classifyUsage } from './commands/classify';
import { classificationsCommand, classificationsUsage } from './commands/classifications';
import { exportModelCommand, exportModelUsage } from './commands/export-model';

const here = path.dirname(fileURLToPath(import.meta.url));
/** Built layout: out/cli/index.js beside out/renderer. */
const defaultRendererDir = path.resolve(here, '../renderer');

const commands: Record<string, { usage: string; run: (argv: string[]) => Promise<number> }> = {
  import: { usage: importUsage, run: importCommand },
  datasets: { usage: datasetsUsage, run: datasetsCommand },
  features: { usage: featuresUsage, run: featuresCommand },
  train: { usage: trainUsage, run: trainCommand },
  experiments: { usage: experimentsUsage, run: experimentsCommand },
  report: { usage: reportUsage, run: reportCommand },
  classify: { usage: classifyUsage, run: classifyCommand },
  classifications: { usage: classificationsUsage, run: classificationsCommand },
  'export-model': { usage: exportModelUsage, run: exportModelCommand },
  serve: { usage: serveUsage, run: (argv) => serveCommand(argv, defaultRendererDir) },
};

function help(): string {
  return [
    `SER Studio ${APP_VERSION}: speech emotion recognition experiments`,
    '',
    'usage:',
    ...Object.values(commands).map((c) => `  ${c.usage}`),
    '',
    'The workspace is --workspace DIR, else $SER_STUDIO_HOME, else the per-user app-data folder.',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(help() + '\n');
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(APP_VERSION + '\n');
    return 0;
  }
  const cmd = commands[name];
  if (!cmd) {
    process.stderr.write(`ser-studio: unknown command '${name}'\n\n${help()}\n`);
    return 2;
  }
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
