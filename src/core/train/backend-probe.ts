/**
 * Which tfjs backend `auto` will train with here, told without loading TensorFlow (the About box and app:info ask
 * it; backend.ts's selectBackend loads the backend for real and records it with every run): native TensorFlow
 * when tfjs-node is installed with its compiled binding, else the WASM backend when installed, else pure JS.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const requireHere = createRequire(import.meta.url);

function installed(pkg: string): { dir: string; version: string } | null {
  try {
    const file = requireHere.resolve(`${pkg}/package.json`);
    return { dir: path.dirname(file), version: (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version };
  } catch {
    return null;
  }
}

export function probeBackend(): string {
  const node = installed('@tensorflow/tfjs-node');
  if (node) {
    const lib = path.join(node.dir, 'lib');
    const built = fs.existsSync(lib) && fs.readdirSync(lib).some((d) => fs.existsSync(path.join(lib, d, 'tfjs_binding.node')));
    if (built) return `tensorflow (tfjs-node ${node.version})`;
  }
  const wasm = installed('@tensorflow/tfjs-backend-wasm');
  if (wasm) return `wasm (tfjs-backend-wasm ${wasm.version}${node ? '; tfjs-node is installed without its native binding' : ''})`;
  return 'cpu (pure JavaScript)';
}
