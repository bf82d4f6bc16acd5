// Hostile callers of the desktop shell's IPC: the sender check (ipc.ts: only our windows' top frames showing our
// page), then every contract channel fed the same malformed inputs as the web bridge (tests/helpers/hostile-inputs.ts)
// through the handler main registers for 'api:call', the shell's validation and the real engine behind an in-memory
// port, as tests/main/shell.test.ts composes them.
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SettingsStore } from '../../src/core/settings/store';
import type { EngineChild } from '../../src/main/engine-connection';
import { apiCallHandler, isRendererUrl, senderAllowed, type IpcEventLike } from '../../src/main/ipc';
import { Shell } from '../../src/main/shell';
import { channels, contract, type Envelope } from '../../src/shared/contract';
import { ERROR_HTTP_STATUS } from '../../src/shared/errors';
import { BIG_ARRAY, checkAnswer, hostileCases, prototypesPolluted, UNKNOWN_CHANNELS } from '../helpers/hostile-inputs';
import { pcm16Wav, tempDir, writeFile } from '../helpers/make-wav';
import { memoryEngine } from '../helpers/memory-engine';

const RENDERER = 'file:///opt/SER%20Studio/resources/app.asar/out/renderer/index.html';
const OUR_WEB_CONTENTS = 7;

let root: string;
let shell: Shell;
/** Folders the shell asked an engine to open outside this test's temp folder (refused by the stand-in below). */
const outsideOpens: string[] = [];

/** An engine that refuses to open `dir`, as the real one refuses a folder it cannot use. */
function refusingEngine(dir: string): EngineChild {
  const events = new EventEmitter();
  setImmediate(() => events.emit('message', { kind: 'failed', error: { code: 'bad_request', message: `${dir}: not opened by this test` } }));
  return { postMessage: () => undefined, on: (e: string, l: (arg: never) => void) => events.on(e, l as (...a: unknown[]) => void), kill: () => events.emit('exit', 0) } as EngineChild;
}

/** An IPC event from our window's top frame showing our page, or something else. */
function event(opts: { id?: number; url?: string; subframe?: boolean; noFrame?: boolean } = {}): IpcEventLike {
  const mainFrame = { url: opts.url ?? `${RENDERER}#/datasets` };
  const senderFrame = opts.noFrame ? null : opts.subframe ? { url: mainFrame.url } : mainFrame;
  return { sender: { id: opts.id ?? OUR_WEB_CONTENTS, mainFrame }, senderFrame };
}

const allowed = (e: IpcEventLike) => senderAllowed(e, (id) => id === OUR_WEB_CONTENTS, RENDERER);
let handle: (e: IpcEventLike, channel: unknown, input: unknown) => Promise<Envelope<unknown>>;

beforeAll(async () => {
  root = tempDir('ipc-hostile');
  const settings = new SettingsStore(path.join(root, 'config', 'settings.json'));
  shell = await Shell.start(
    {
      startEngine: (dir) => {
        if (dir.startsWith(root + path.sep)) return memoryEngine(dir);
        outsideOpens.push(dir);
        return refusingEngine(dir);
      },
      pickFolder: async () => null,
      settings,
      broadcast: () => undefined,
    },
    path.join(root, 'ws'),
  );
  handle = apiCallHandler(shell, allowed);
  const data = path.join(root, 'data');
  writeFile(data, 'calm/c1.wav', pcm16Wav({ seconds: 0.3, seed: 1 }));
  writeFile(data, 'fear/f1.wav', pcm16Wav({ seconds: 0.3, seed: 2 }));
  expect(await handle(event(), 'datasets:import', { source: data, name: 'kept' })).toMatchObject({ ok: true, result: { clips: 2 } });
});
afterAll(() => shell?.dispose());

describe('the IPC sender check', () => {
  it('takes our window\'s top frame showing our page', async () => {
    expect(await handle(event(), 'app:info', {})).toMatchObject({ ok: true, result: { transport: 'electron' } });
    expect(allowed(event({ url: `${RENDERER}?lang=ru#/experiments/3` }))).toBe(true);
  });

  it('refuses a frame inside the page, another window, a destroyed frame, another page', async () => {
    const calls: unknown[] = [];
    const spy = apiCallHandler({ call: async (channel) => (calls.push(channel), { ok: true, result: null }) }, allowed);
    const refused = [
      event({ subframe: true }),
      event({ id: OUR_WEB_CONTENTS + 1 }),
      event({ noFrame: true }),
      event({ url: 'https://evil.example/' }),
      event({ url: 'file:///etc/passwd' }),
      event({ url: 'file:///tmp/out/renderer/index.html' }),
      event({ url: 'data:text/html,<script>1</script>' }),
      event({ url: 'about:blank' }),
      event({ url: 'not a url' }),
    ];
    for (const e of refused) {
      expect(await spy(e, 'datasets:delete', { id: 1 }), JSON.stringify(e)).toEqual({ ok: false, error: { code: 'forbidden', message: 'Unknown sender.' } });
    }
    // Refused before the shell: nothing validated, nothing routed.
    expect(calls).toEqual([]);
    expect(ERROR_HTTP_STATUS.forbidden).toBe(403);
  });

  it('takes the dev server\'s origin under electron-vite dev, and nothing else', () => {
    expect(isRendererUrl('http://localhost:5173/#/datasets', 'http://localhost:5173')).toBe(true);
    expect(isRendererUrl('http://localhost:5174/', 'http://localhost:5173')).toBe(false);
    expect(isRendererUrl('http://localhost.evil.example:5173/', 'http://localhost:5173')).toBe(false);
    expect(isRendererUrl('file:///opt/SER%20Studio/resources/app.asar/out/renderer/index.html', 'http://localhost:5173')).toBe(false);
  });
});

describe('every contract channel, fed malformed input through the shell\'s IPC handler', () => {
  const failures: string[] = [];
  let total = 0;

  it.each(channels.map((c) => [c]))('%s: a validation error or a 4xx, never an engine failure', async (channel) => {
    const cases = hostileCases(channel, contract[channel].input, { seed: 6 });
    total += cases.length;
    for (const c of cases) {
      const problem = checkAnswer(c, await handle(event(), c.channel, c.input));
      if (problem) failures.push(`${c.channel} / ${c.name}: ${problem}`);
    }
    expect(failures.filter((f) => f.startsWith(`${channel} /`))).toEqual([]);
    expect(await handle(event(), 'app:info', {})).toMatchObject({ ok: true });
    expect(prototypesPolluted()).toBe(false);
  });

  it('covered every channel and left the workspace as it was', async () => {
    expect(total).toBeGreaterThan(channels.length * 13);
    expect(failures).toEqual([]);
    const list = (await handle(event(), 'datasets:list', {})) as Envelope<{ name: string; clips: number }[]>;
    expect(list.ok && list.result.find((d) => d.name === 'kept')?.clips).toBe(2);
    expect(shell.workspace).toBe(path.join(root, 'ws'));
  });

  it('opened no workspace from a relative path, and every other one as the absolute folder it names', () => {
    for (const dir of outsideOpens) expect(path.isAbsolute(dir), dir).toBe(true);
    expect(outsideOpens).not.toContain(path.resolve('abc'));
  });

  it('answers channels that do not exist, whatever they are', async () => {
    for (const name of [...UNKNOWN_CHANNELS, 42, null, undefined, {}, ['app:info'], { toString: 'app:info' }]) {
      expect(await handle(event(), name, {}), JSON.stringify(name)).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
    }
  });

  it('refuses an input of 100,000 values before its schema, at once', async () => {
    const started = performance.now();
    const r = await handle(event(), 'experiments:start', { request: { dataset: 1, augment: BIG_ARRAY }, requestId: 'big' });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringMatching(/more than 10000 values/) } });
  });

  it('workspaces:open takes absolute folders only; one that cannot be a workspace is a 4xx that says why', async () => {
    for (const dir of ['abc', '../../etc', 'ws', 'a\u0000b', './', 'file:///etc']) {
      expect(await handle(event(), 'workspaces:open', { dir }), dir).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    }
    const file = path.join(root, 'a-file');
    fs.writeFileSync(file, 'not a folder');
    const r = await handle(event(), 'workspaces:open', { dir: file });
    expect(r).toMatchObject({ ok: false, error: { code: 'bad_request', message: expect.stringContaining(file) } });
    expect(shell.workspace).toBe(path.join(root, 'ws'));
  });
});
