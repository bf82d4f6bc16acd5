// Malformed and hostile inputs for every contract channel, generated from the channel's own zod schema so that a
// new channel (or a new field) is fuzzed without touching the tests: a valid baseline is synthesised from the
// schema, then each field in turn is replaced by a wrong type, an out-of-range number, a huge string or array,
// a path that leaves every dataset, or an object carrying prototype-pollution keys; whole inputs are replaced too.
// Seeded: the same seed gives the same cases (a failure names its case and can be replayed).
import type { z } from 'zod';
import { contract, type Channel } from '../../src/shared/contract';
import { ERROR_HTTP_STATUS, isErrorCode } from '../../src/shared/errors';
import { inputShapeProblem } from '../../src/shared/input-limits';
import { mulberry32 } from './mulberry32';

type Schema = z.ZodType;
interface Def {
  type: string;
  shape?: Record<string, Schema>;
  options?: Schema[];
  innerType?: Schema;
  element?: Schema;
  entries?: Record<string, string>;
  values?: unknown[];
  in?: Schema;
}
const defOf = (s: Schema): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** An id no test record has: a baseline must never delete or change the records a test set up. */
export const ABSENT_ID = 987_654;

const STRING_CANDIDATES = ['abc', 'req-1', 'a', 'x'.repeat(16), '/nonexistent/ser-studio-fuzz'];
const NUMBER_CANDIDATES = [ABSENT_ID, 1, 2, 0, 0.5, 0.01, 10, 100, 1000];

/** A value the schema accepts (fields with a default or that are optional are left out), or undefined. */
export function sampleValid(schema: Schema): unknown {
  const ok = (v: unknown) => schema.safeParse(v).success;
  const d = defOf(schema);
  switch (d.type) {
    case 'optional':
    case 'default':
    case 'prefault':
    case 'nullable':
    case 'readonly':
    case 'catch':
      return sampleValid(d.innerType!);
    case 'pipe':
      return sampleValid(d.in!);
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, field] of Object.entries(d.shape!)) {
        const t = defOf(field).type;
        if (t === 'optional' || t === 'default' || t === 'prefault') continue;
        out[k] = sampleValid(field);
      }
      return ok(out) ? out : undefined;
    }
    case 'union':
      for (const option of d.options!) {
        const v = sampleValid(option);
        if (v !== undefined && ok(v)) return v;
      }
      return undefined;
    case 'array': {
      const el = sampleValid(d.element!);
      for (let n = 0; n <= 4; n++) {
        const v = Array.from({ length: n }, () => el);
        if (ok(v)) return v;
      }
      return undefined;
    }
    case 'string':
      return STRING_CANDIDATES.find(ok);
    case 'number':
    case 'int':
      return NUMBER_CANDIDATES.find(ok);
    case 'boolean':
      return false;
    case 'enum':
      return Object.values(d.entries!)[0];
    case 'literal':
      return d.values![0];
    case 'record':
      return {};
    default:
      return undefined;
  }
}

/** Strips the wrappers that do not change what a field holds. */
function unwrap(schema: Schema): Schema {
  let s = schema;
  for (;;) {
    const d = defOf(s);
    if (['optional', 'default', 'prefault', 'nullable', 'readonly', 'catch'].includes(d.type)) s = d.innerType!;
    else if (d.type === 'pipe') s = d.in!;
    else return s;
  }
}

/** The object schema among a field's (a union's options: the one its baseline value satisfies). */
function objectOf(schema: Schema, value: unknown): Schema | null {
  const s = unwrap(schema);
  const d = defOf(s);
  if (d.type === 'object') return s;
  if (d.type === 'union') {
    for (const o of d.options!) {
      const u = unwrap(o);
      if (defOf(u).type === 'object' && (value === undefined || u.safeParse(value).success)) return u;
    }
  }
  return null;
}

export const MB_STRING = 'x'.repeat(1_000_000);
export const BIG_ARRAY: number[] = Array.from({ length: 100_000 }, (_, i) => i);

/** Strings that name files outside every dataset, or try to. */
export const HOSTILE_PATHS = [
  '../../etc/passwd',
  '../../../../../../../../etc/shadow',
  '/etc/passwd',
  '/etc',
  '/dev/zero',
  '/proc/self/environ',
  '/tmp/../etc/passwd',
  'a\u0000b',
  '/etc/passwd\u0000.wav',
  '..\\..\\windows\\win.ini',
  'C:\\Windows\\System32\\config\\SAM',
  '\\\\evil-host\\share\\x.wav',
  '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  'file:///etc/passwd',
  '~/.ssh/id_rsa',
];

/** A fresh object with own `__proto__` / `constructor` / `prototype` keys (as JSON.parse makes them). */
export function pollutingObject(): Record<string, unknown> {
  return JSON.parse('{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"prototype":{"polluted":"yes"}}');
}

/** Whether any hostile input reached a prototype. */
export function prototypesPolluted(): boolean {
  const probe = {} as Record<string, unknown>;
  return 'polluted' in probe || 'polluted' in Object.prototype || 'polluted' in Array.prototype || 'polluted' in Function.prototype;
}

/** What a field may be replaced by: every wrong type, edge numbers, huge values, hostile paths and keys. */
function fieldValues(): { name: string; value: unknown }[] {
  return [
    { name: 'string', value: 'not-what-you-expect' },
    { name: 'empty string', value: '' },
    { name: 'zero', value: 0 },
    { name: 'negative', value: -1 },
    { name: 'fraction', value: 1.5 },
    { name: 'huge number', value: 1e308 },
    { name: 'huge negative', value: -1e308 },
    { name: 'unsafe integer', value: Number.MAX_SAFE_INTEGER + 2 },
    { name: 'true', value: true },
    { name: 'null', value: null },
    { name: 'empty array', value: [] },
    { name: 'array of objects', value: [{}, { a: 1 }] },
    { name: 'empty object', value: {} },
    { name: "'NaN'", value: 'NaN' },
    { name: "'Infinity'", value: 'Infinity' },
    { name: "'-Infinity'", value: '-Infinity' },
    { name: "'1e309'", value: '1e309' },
    { name: '1 MB string', value: MB_STRING },
    { name: '100k array', value: BIG_ARRAY },
    { name: 'polluting object', value: pollutingObject() },
    ...HOSTILE_PATHS.map((p) => ({ name: `path ${JSON.stringify(p)}`, value: p })),
  ];
}

export interface HostileCase {
  channel: string;
  name: string;
  input: unknown;
}

export const rng = mulberry32;

function setAt(base: unknown, path: string[], value: unknown, remove = false): unknown {
  const copy = structuredClone(base) as Record<string, unknown>;
  let o = copy;
  for (const k of path.slice(0, -1)) {
    if (typeof o[k] !== 'object' || o[k] === null) o[k] = {};
    o = o[k] as Record<string, unknown>;
  }
  const last = path.at(-1)!;
  if (remove) delete o[last];
  // defineProperty: a key named __proto__ becomes an own key, as JSON.parse would make it.
  else Object.defineProperty(o, last, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

/** Every field path of an object schema (nested objects included), with the object schema that holds it. */
function fieldPaths(schema: Schema, base: unknown, prefix: string[] = []): { path: string[]; kinds: Set<string> }[] {
  const obj = objectOf(schema, base);
  if (!obj) return [];
  const out: { path: string[]; kinds: Set<string> }[] = [];
  for (const [k, field] of Object.entries(defOf(obj).shape!)) {
    const path = [...prefix, k];
    const value = (base as Record<string, unknown> | undefined)?.[k];
    const nested = objectOf(field, value);
    const inner = unwrap(field);
    const kinds = new Set(defOf(inner).type === 'union' ? defOf(inner).options!.map((o) => defOf(unwrap(o)).type) : [defOf(inner).type]);
    out.push({ path, kinds });
    if (nested) out.push(...fieldPaths(nested, value ?? sampleValid(nested), path));
  }
  return out;
}

/**
 * The cases for one channel: whole inputs of the wrong kind, then each field (at any depth) missing, replaced by
 * every value of fieldValues(), and an unknown key beside it. `sample` (0..1) keeps a seeded share of the per-field
 * replacements for channels with many fields (every field is still hit by some).
 */
export function hostileCases(channel: string, schema: Schema, opts: { seed?: number; sample?: number } = {}): HostileCase[] {
  const random = rng(opts.seed ?? 12);
  const base = sampleValid(schema) ?? {};
  const cases: HostileCase[] = [];
  const add = (name: string, input: unknown) => cases.push({ channel, name, input });
  add('valid baseline', base);
  add('null', null);
  add('number', 42);
  add('string', '../../etc/passwd');
  add('boolean', true);
  add('array', []);
  add('array of the baseline', [base]);
  add('1 MB string', MB_STRING);
  add('100k array', BIG_ARRAY);
  add('polluting keys only', pollutingObject());
  add('baseline with polluting keys', Object.assign(pollutingObject(), base));
  add('unknown key', { ...(base as object), notAField: 1 });
  add('deeply nested', JSON.parse('{"a":'.repeat(500) + '1' + '}'.repeat(500)));
  for (const { path, kinds } of fieldPaths(schema, base)) {
    const where = path.join('.');
    add(`${where}: missing`, setAt(base, path, undefined, true));
    const values = fieldValues();
    for (const v of values) {
      if (opts.sample !== undefined && opts.sample < 1 && random() > opts.sample) continue;
      // The huge values where they could pass for the field's type (a string, a list); elsewhere in one field of ten.
      const huge = v.value === MB_STRING ? 'string' : v.value === BIG_ARRAY ? 'array' : null;
      if (huge && !kinds.has(huge) && random() > 0.1) continue;
      add(`${where}: ${v.name}`, setAt(base, path, v.value));
    }
    if (path.length > 1) add(`${where}: unknown sibling`, setAt(base, [...path.slice(0, -1), 'notAField'], 1));
    add(`${where}: __proto__ sibling`, setAt(base, [...path.slice(0, -1), '__proto__'], { polluted: 'yes' }));
  }
  return cases;
}

/** Every channel of the contract (iterated from the contract object itself) with its cases. */
export function allHostileCases(opts: { seed?: number; sample?: number } = {}): HostileCase[] {
  return (Object.keys(contract) as Channel[]).flatMap((channel) => hostileCases(channel, contract[channel].input as Schema, opts));
}

/** Channel names no contract has (each must answer unknown_channel). */
export const UNKNOWN_CHANNELS = ['fs:readFile', 'shell:exec', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'datasets:list ', 'DATASETS:LIST', 'datasets', '', 'x'.repeat(5000), '../datasets:list', 'datasets:list/../app:info'];

/** An error message says what is wrong in a few sentences; it never echoes a huge input back. */
export const MAX_MESSAGE = 4096;

/**
 * What a hostile call may answer: an input the schema refuses is invalid_input (400); an input it takes (a path
 * string is a string) is either handled (ok) or refused with a known code whose status is 4xx: never a 5xx.
 */
export function checkAnswer(c: HostileCase, envelope: unknown, status?: number): string | null {
  const e = envelope as { ok?: unknown; result?: unknown; error?: { code?: unknown; message?: unknown } } | null;
  if (!e || typeof e !== 'object' || typeof e.ok !== 'boolean') return `not an envelope: ${JSON.stringify(envelope)?.slice(0, 200)}`;
  // As the transports judge it: the shape limits first (no schema sees 100,000 values), then the channel's schema.
  const accepted = !inputShapeProblem(c.input) && ((contract as Record<string, { input: Schema }>)[c.channel]?.input.safeParse(c.input ?? {}).success ?? false);
  if (!accepted) {
    if (e.ok || e.error?.code !== 'invalid_input') return `expected invalid_input, got ${JSON.stringify(e).slice(0, 300)}`;
    if (typeof e.error.message !== 'string' || e.error.message.length > MAX_MESSAGE) return `an invalid_input message of ${String(e.error.message).length} characters`;
    if (status !== undefined && status !== 400) return `invalid_input answered with status ${status}`;
    return null;
  }
  if (e.ok) return status === undefined || status === 200 ? null : `ok answered with status ${status}`;
  if (!isErrorCode(e.error?.code)) return `unknown error code ${String(e.error?.code)}`;
  const want = ERROR_HTTP_STATUS[e.error.code];
  if (want < 400 || want >= 500) return `a ${want} error (${e.error.code}: ${String(e.error.message).slice(0, 200)})`;
  if (status !== undefined && status !== want) return `status ${status} for ${e.error.code} (expected ${want})`;
  if (typeof e.error.message !== 'string' || !e.error.message) return 'an error without a message';
  if (e.error.message.length > MAX_MESSAGE) return `a message of ${e.error.message.length} characters`;
  return null;
}
