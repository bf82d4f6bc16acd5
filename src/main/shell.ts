/**
 * The desktop shell's composition, without Electron: which engine process serves the windows (one per workspace,
 * replaced when the user switches), the contract calls routed to it, and what the engine asks of the shell (the
 * folder picker, the user's settings) answered here. index.ts gives it Electron's dialog, utilityProcess and
 * windows; tests/main gives it an in-memory engine and a fake dialog.
 */
import { contract, isChannel, type Envelope, type ProgressEvent } from '../shared/contract';
import { ApiError, errorInfo } from '../shared/errors';
import { describeIssues, inputShapeProblem } from '../shared/input-limits';
import type { Lang } from '../shared/i18n/types';
import type { Settings } from '../shared/settings';
import { resolveWorkspaceDir } from '../core/workspace/location';
import type { SettingsStore } from '../core/settings/store';
import { EngineConnection, type EngineChild } from './engine-connection';
import type { ShellRequest } from './engine-protocol';

/**
 * The workspace the app opens at start: --workspace DIR, else $SER_STUDIO_HOME, else the last one the desktop app
 * opened (the first of the recent list), else the default folder in the application-data folder.
 */
export function initialWorkspace(arg: string | undefined, env: NodeJS.ProcessEnv, settings: Settings): { dir: string; from: 'argument' | 'env' | 'recent' | 'default' } {
  if (arg?.trim()) return { dir: resolveWorkspaceDir(arg, env), from: 'argument' };
  if (env.SER_STUDIO_HOME?.trim()) return { dir: resolveWorkspaceDir(undefined, env), from: 'env' };
  const last = settings.recentWorkspaces[0];
  if (last) return { dir: resolveWorkspaceDir(last, env), from: 'recent' };
  return { dir: resolveWorkspaceDir(undefined, env), from: 'default' };
}

export interface ShellDeps {
  /** Starts an engine process on a workspace folder. */
  startEngine(workspace: string): EngineChild;
  /** The native folder picker: a dataset folder to import, or a workspace folder to open. */
  pickFolder(purpose: 'dataset' | 'workspace'): Promise<string | null>;
  settings: SettingsStore;
  /** To every window: the engine's progress events and the shell's own (settings changed, menu commands). */
  broadcast(event: ProgressEvent): void;
  /** The windows show another workspace now (reload them), or the settings changed (rebuild the menu). */
  onWorkspaceChanged?(workspace: string): void;
  onSettingsChanged?(settings: Settings): void;
  /** The engine ended on its own (a crash): the windows cannot be served until a workspace is opened again. */
  onEngineCrashed?(code: number, workspace: string): void;
}

/** Runs that stream until an end event; the workspace is not switched under them. */
const RUN_EVENTS: Partial<Record<ProgressEvent['kind'], { run: string; end: boolean }>> = {
  train: { run: 'training', end: false },
  'train-end': { run: 'training', end: true },
  classify: { run: 'classification', end: false },
  'classify-end': { run: 'classification', end: true },
};

export class Shell {
  private engine!: EngineConnection;
  private current = '';
  /** Runs streaming progress in the current workspace: "training:<requestId>". */
  private readonly running = new Set<string>();
  private switching: Promise<unknown> = Promise.resolve();

  private constructor(private readonly deps: ShellDeps) {}

  /** Starts the engine on `workspace` (resolved as --workspace is) and waits until it has opened it. */
  static async start(deps: ShellDeps, workspace: string): Promise<Shell> {
    const shell = new Shell(deps);
    const dir = resolveWorkspaceDir(workspace);
    shell.engine = await shell.connect(dir);
    shell.current = dir;
    shell.remember(dir);
    return shell;
  }

  get workspace(): string {
    return this.current;
  }

  get settings(): Settings {
    return this.deps.settings.read();
  }

  private connect(dir: string): Promise<EngineConnection> {
    const connection: EngineConnection = new EngineConnection(this.deps.startEngine(dir), {
      onProgress: (event) => {
        if (connection === this.engine) this.track(event);
        this.deps.broadcast(event);
      },
      onShell: (request) => this.answer(request),
      onExit: (code) => {
        if (connection !== this.engine) return;
        this.running.clear();
        this.deps.onEngineCrashed?.(code, this.current);
      },
    });
    return connection.ready.then(
      () => connection,
      (err: unknown) => {
        connection.kill();
        throw err;
      },
    );
  }

  private track(event: ProgressEvent) {
    const kind = RUN_EVENTS[event.kind];
    if (!kind || !('requestId' in event)) return;
    const key = `${kind.run}:${event.requestId}`;
    if (kind.end) this.running.delete(key);
    else this.running.add(key);
  }

  private remember(dir: string) {
    this.deps.onSettingsChanged?.(this.deps.settings.addRecent(dir));
  }

  /** What the engine asks of the shell. */
  async answer(request: ShellRequest): Promise<unknown> {
    if (request.op === 'pickFolder') return this.deps.pickFolder('dataset');
    if (request.op === 'settings:get') return this.deps.settings.read();
    const next = this.deps.settings.update((s) => ({ ...s, ...request.patch }));
    this.deps.onSettingsChanged?.(next);
    return next;
  }

  /** A window's contract call: validated here, answered by the engine (a workspace switch by the shell itself). */
  async call(channel: unknown, input: unknown): Promise<Envelope<unknown>> {
    if (typeof channel !== 'string' || !isChannel(channel)) return { ok: false, error: { code: 'unknown_channel', message: `Unknown call ${typeof channel === 'string' ? `'${channel.slice(0, 200)}'` : `(a ${channel === null ? 'null' : typeof channel}, not a name)`}.` } };
    const tooLarge = inputShapeProblem(input);
    if (tooLarge) return { ok: false, error: { code: 'invalid_input', message: `Invalid input for ${channel}: ${tooLarge}.` } };
    const parsed = contract[channel].input.safeParse(input ?? {});
    if (!parsed.success) return { ok: false, error: { code: 'invalid_input', message: `Invalid input for ${channel}: ${describeIssues(parsed.error.issues)}` } };
    if (channel === 'workspaces:open') {
      try {
        return { ok: true, result: await this.openWorkspace((parsed.data as { dir: string }).dir) };
      } catch (err) {
        return { ok: false, error: errorInfo(err, 'internal') };
      }
    }
    return this.engine.call(channel, parsed.data);
  }

  /**
   * Switches to another workspace: a new engine opens it, and only once it has does it replace the old one (a
   * folder that cannot be opened leaves everything as it was: the error says why). Refused while a run streams in
   * the current one (its job would lose the engine that relays it).
   */
  openWorkspace(dir: string): Promise<{ workspace: string }> {
    const run = async () => {
      const target = resolveWorkspaceDir(dir);
      if (target === this.current) {
        this.remember(target);
        return { workspace: target };
      }
      if (this.running.size) {
        const [first] = [...this.running];
        const what = first.slice(0, first.indexOf(':'));
        throw new ApiError('workspace_busy', `A ${what} is running in this workspace; wait for it or cancel it before switching.`);
      }
      const next = await this.connect(target);
      const old = this.engine;
      this.engine = next;
      this.current = target;
      this.running.clear();
      old.kill();
      this.remember(target);
      this.deps.onWorkspaceChanged?.(target);
      return { workspace: target };
    };
    // One switch at a time.
    const result = this.switching.then(run, run);
    this.switching = result.catch(() => undefined);
    return result;
  }

  /** The View menu's language: stored, and every window told. */
  setLanguage(language: Lang): Settings {
    const next = this.deps.settings.update((s) => ({ ...s, language }));
    this.deps.onSettingsChanged?.(next);
    this.deps.broadcast({ kind: 'settings', settings: next });
    return next;
  }

  /** File > Recent workspaces > Clear: only the current one stays. */
  clearRecent(): Settings {
    const next = this.deps.settings.update((s) => ({ ...s, recentWorkspaces: s.recentWorkspaces.filter((d) => d === this.current) }));
    this.deps.onSettingsChanged?.(next);
    this.deps.broadcast({ kind: 'settings', settings: next });
    return next;
  }

  /** File > Import folder…: the picked folder goes to the windows' import form. */
  async importFolder(): Promise<string | null> {
    const picked = await this.deps.pickFolder('dataset');
    if (picked) this.deps.broadcast({ kind: 'menu', command: 'import-folder', path: picked });
    return picked;
  }

  clipFile(clipId: number) {
    return this.engine.clipFile(clipId);
  }

  classifiedFile(runId: number, idx: number) {
    return this.engine.classifiedFile(runId, idx);
  }

  dispose() {
    this.engine?.kill();
  }
}
