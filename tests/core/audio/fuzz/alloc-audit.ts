/**
 * Allocation audit for the fuzz runner: every typed array, ArrayBuffer, Buffer.alloc* and WebAssembly memory
 * (creation and growth) made through the global constructors is measured, so a case can be held to a budget
 * proportional to its file's size. An allocation above the hard cap is refused (thrown) instead of made, and the
 * case is reported even if the code under test catches the error: a header that claims 4 GB must not get 4 GB.
 * Import this module before any code under test.
 */

export interface AllocAudit {
  /** Largest single allocation of the current case (bytes) and what made it. */
  max: number;
  maxWhat: string;
  /** Sum of the current case's allocations (bytes). */
  total: number;
  /** The first allocation refused in this case, if any. */
  refused: { bytes: number; what: string } | null;
  /** Allocations above this are refused. */
  hardCap: number;
}

export const audit: AllocAudit = { max: 0, maxWhat: '', total: 0, refused: null, hardCap: 1 << 30 };

export function resetAudit(): void {
  audit.max = 0;
  audit.maxWhat = '';
  audit.total = 0;
  audit.refused = null;
}

function note(bytes: number, what: string): void {
  if (!(bytes > 0)) return;
  audit.total += bytes;
  if (bytes > audit.max) {
    audit.max = bytes;
    audit.maxWhat = what;
  }
  if (bytes > audit.hardCap) {
    audit.refused ??= { bytes, what };
    throw new RangeError(`fuzz allocation audit: refused ${what} of ${bytes} bytes (cap ${audit.hardCap})`);
  }
}

function lengthOf(arg: unknown): number {
  if (typeof arg === 'number') return arg;
  if (arg && typeof arg === 'object' && !(arg instanceof ArrayBuffer) && !(typeof SharedArrayBuffer !== 'undefined' && arg instanceof SharedArrayBuffer)) {
    const n = (arg as { length?: unknown }).length;
    if (typeof n === 'number') return n;
  }
  return 0;
}

const g = globalThis as unknown as Record<string, unknown>;
for (const name of [
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
]) {
  const Ctor = g[name] as { BYTES_PER_ELEMENT: number } & (new (...a: unknown[]) => object);
  g[name] = new Proxy(Ctor, {
    construct(target, args, newTarget) {
      note(lengthOf(args[0]) * target.BYTES_PER_ELEMENT, `new ${name}`);
      return Reflect.construct(target, args, newTarget === g[name] ? target : newTarget);
    },
  });
}
for (const name of ['ArrayBuffer', 'SharedArrayBuffer']) {
  const Ctor = g[name] as new (...a: unknown[]) => object;
  if (!Ctor) continue;
  g[name] = new Proxy(Ctor, {
    construct(target, args, newTarget) {
      note(typeof args[0] === 'number' ? args[0] : 0, `new ${name}`);
      return Reflect.construct(target, args, newTarget === g[name] ? target : newTarget);
    },
  });
}
for (const method of ['alloc', 'allocUnsafe', 'allocUnsafeSlow'] as const) {
  const original = Buffer[method] as (size: number, ...rest: unknown[]) => Buffer;
  (Buffer as unknown as Record<string, unknown>)[method] = function (size: number, ...rest: unknown[]) {
    note(size, `Buffer.${method}`);
    return original.call(Buffer, size, ...rest);
  };
}
{
  // (the project's type libraries leave WebAssembly out)
  type MemoryCtor = (new (d: { initial?: number }) => object) & { prototype: { grow(delta: number): number } };
  const wasm = (globalThis as unknown as { WebAssembly: { Memory: MemoryCtor } }).WebAssembly;
  const Memory = wasm.Memory;
  const grow = Memory.prototype.grow;
  Memory.prototype.grow = function (this: object, delta: number) {
    note(delta * 65536, 'WebAssembly.Memory.grow');
    return grow.call(this, delta);
  };
  wasm.Memory = new Proxy(Memory, {
    construct(target, args, newTarget) {
      const d = args[0] as { initial?: number } | undefined;
      note((d?.initial ?? 0) * 65536, 'new WebAssembly.Memory');
      return Reflect.construct(target, args, newTarget);
    },
  });
}
