import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sweepPartials, writeDirAtomically, writeFileAtomically } from '../../../src/core/workspace/atomic-dir';
import { processAlive } from '../../../src/core/workspace/process-alive';
import { tempDir } from '../../helpers/make-wav';

const partials = (dir: string) => fs.readdirSync(dir).filter((n) => n.includes('.partial-'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The pid of a process that has ended. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

/**
 * A zombie: a process that has ended and that its parent never reaps (the shell execs a sleep, which does not wait
 * for its children), as a killed job left to an init that does not reap. Lives until the sleep ends.
 */
async function zombie(): Promise<{ pid: number; done: () => void }> {
  const sh = spawn('sh', ['-c', 'sleep 0 & echo $!; exec sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const pid = await new Promise<number>((resolve) => sh.stdout.once('data', (d) => resolve(Number(String(d).trim()))));
  for (let i = 0; i < 200 && !/\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8')); i++) await sleep(10);
  return { pid, done: () => sh.kill('SIGKILL') };
}

describe('writeDirAtomically', () => {
  it('writes the folder whole, and replaces an older one whole', async () => {
    const root = tempDir('atomic');
    const dir = path.join(root, 'models', 'experiment-1');
    const out = await writeDirAtomically(dir, (tmp) => {
      expect(path.dirname(tmp)).toBe(path.dirname(dir));
      fs.writeFileSync(path.join(tmp, 'model.json'), '{"a":1}');
      fs.mkdirSync(path.join(tmp, 'sub'));
      fs.writeFileSync(path.join(tmp, 'sub', 'weights.bin'), Buffer.alloc(1000, 7));
      return 'done';
    });
    expect(out).toBe('done');
    expect(fs.readFileSync(path.join(dir, 'model.json'), 'utf8')).toBe('{"a":1}');
    expect(fs.statSync(path.join(dir, 'sub', 'weights.bin')).size).toBe(1000);
    await writeDirAtomically(dir, (tmp) => fs.writeFileSync(path.join(tmp, 'model.json'), '{"b":2}'));
    expect(fs.readdirSync(dir)).toEqual(['model.json']);
    expect(fs.readFileSync(path.join(dir, 'model.json'), 'utf8')).toBe('{"b":2}');
    expect(partials(path.dirname(dir))).toEqual([]);
  });

  it('writes nothing when the writer fails half-way, and leaves an older folder as it was', async () => {
    const root = tempDir('atomic');
    const dir = path.join(root, 'experiment-2');
    const fail = (tmp: string) => {
      fs.writeFileSync(path.join(tmp, 'model.json'), 'half');
      throw new Error('disk full');
    };
    await expect(writeDirAtomically(dir, fail)).rejects.toThrow('disk full');
    expect(fs.existsSync(dir)).toBe(false);
    expect(fs.readdirSync(root)).toEqual([]);
    await writeDirAtomically(dir, (tmp) => fs.writeFileSync(path.join(tmp, 'model.json'), 'old'));
    await expect(writeDirAtomically(dir, async (tmp) => fail(tmp))).rejects.toThrow('disk full');
    expect(fs.readdirSync(dir)).toEqual(['model.json']);
    expect(fs.readFileSync(path.join(dir, 'model.json'), 'utf8')).toBe('old');
    expect(partials(root)).toEqual([]);
  });

  it('a writer killed (kill -9) half-way leaves no folder, only a partial that the next sweep removes', async () => {
    const root = tempDir('atomic');
    const dir = path.join(root, 'experiment-3');
    const script = path.join(root, 'writer.mts');
    const module = path.resolve('src/core/workspace/atomic-dir.ts');
    fs.writeFileSync(
      script,
      `import fs from 'node:fs';
       import path from 'node:path';
       import { writeDirAtomically } from ${JSON.stringify(module)};
       await writeDirAtomically(${JSON.stringify(dir)}, async (tmp) => {
         fs.writeFileSync(path.join(tmp, 'model.json'), '{}');
         const fd = fs.openSync(path.join(tmp, 'weights.bin'), 'w');
         fs.writeSync(fd, Buffer.alloc(4096));
         process.stdout.write('writing\\n');
         await new Promise((r) => setTimeout(r, 60_000));
       });`,
    );
    const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise((resolve, reject) => {
      child.stdout.once('data', resolve);
      child.once('exit', (code) => reject(new Error(`the writer exited (${code}) before writing`)));
    });
    const left = partials(root);
    expect(left).toEqual([expect.stringMatching(new RegExp(`^\\.experiment-3\\.partial-${child.pid}-\\d+$`))]);
    // while the writer runs, its partial is not swept
    expect(sweepPartials(root)).toEqual([]);
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    expect(fs.existsSync(dir)).toBe(false);
    expect(sweepPartials(root)).toEqual(left);
    expect(fs.readdirSync(root)).toEqual(['writer.mts']);
  }, 30_000);
});

describe('writeFileAtomically', () => {
  it('replaces a file whole; a failed write leaves the old file and no temporary', () => {
    const root = tempDir('atomic');
    const file = path.join(root, 'report.md');
    writeFileAtomically(file, 'one');
    writeFileAtomically(file, new TextEncoder().encode('two'));
    expect(fs.readFileSync(file, 'utf8')).toBe('two');
    // a folder where the file should go: the rename fails
    const blocked = path.join(root, 'blocked');
    fs.mkdirSync(path.join(blocked, 'x'), { recursive: true });
    expect(() => writeFileAtomically(blocked, 'three')).toThrow();
    expect(fs.readdirSync(root).sort()).toEqual(['blocked', 'report.md']);
  });
});

describe('sweepPartials', () => {
  it('removes the partials of dead processes (a zombie is dead), keeps those of live ones and of this process', async () => {
    const root = tempDir('atomic');
    const z = await zombie();
    try {
      const live = spawn('sleep', ['30'], { stdio: 'ignore' });
      try {
        const dead = deadPid();
        const make = (name: string) => {
          fs.mkdirSync(path.join(root, name));
          fs.writeFileSync(path.join(root, name, 'weights.bin'), 'half');
          return name;
        };
        const gone = [make(`.experiment-1.partial-${dead}-0`), make(`.experiment-2.partial-${z.pid}-3`), make(`.report.md.partial-${dead}-1`)];
        const kept = [make(`.experiment-3.partial-${live.pid}-0`), make(`.experiment-4.partial-${process.pid}-0`), make('experiment-5'), make('.hidden')];
        expect(processAlive(dead)).toBe(false);
        expect(processAlive(z.pid)).toBe(false);
        expect(processAlive(live.pid!)).toBe(true);
        expect(processAlive(process.pid)).toBe(true);
        expect(sweepPartials(root).sort()).toEqual(gone.sort());
        expect(fs.readdirSync(root).sort()).toEqual(kept.sort());
        expect(sweepPartials(path.join(root, 'missing'))).toEqual([]);
      } finally {
        live.kill('SIGKILL');
      }
    } finally {
      z.done();
    }
  });
});
