/**
 * Mutations of YAML text for the fuzzer: line edits, YAML indicators, prototype names, values
 * that would inject into commands, odd scalars, indentation changes and raw bytes.
 */
import type { Prng } from './prng.js';

/** Names that Object.prototype answers for in a plain `{}`. */
export const PROTOTYPE_NAMES = ['constructor', 'toString', 'hasOwnProperty', 'valueOf', '__proto__', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString', '__defineGetter__', '__lookupSetter__'] as const;

/** Values that run a second command if a built-in command takes them unquoted. */
export const INJECTIONS = ['x; touch /tmp/orchestrate-fuzz-pwned', '$(touch /tmp/orchestrate-fuzz-pwned)', '`touch /tmp/orchestrate-fuzz-pwned`', 'a && touch /tmp/f', "a' ; touch /tmp/f; '", '-oProxyCommand=touch /tmp/f', 'a\nb', 'a|b', '../../etc/passwd'] as const;

const INDICATORS = ['&a ', '*a', '!!str ', '!!map ', '!foo ', '? ', '- ', ': ', '{', '}', '[', ']', '|', '>', '"', "'", '#', '\t', '%YAML 1.2\n---\n', '---\n', '...\n', '<<: *a', '~', '&b [*b]', '*undefined', '\\', '\u00a0', '\ufeff', '\u2028'];

const SCALARS = ['', 'null', '~', 'true', 'no', '.inf', '-.inf', '.nan', '0x1F', '0o17', '1e400', '-1', '0', '99999999999999999999', '1.5', '"', "''", '{}', '[]', '{ a: 1 }', '[1, [2, [3]]]', '"{{constructor}}"', '"{{__proto__}}"', '"{{toString}}"', '"{{ host }}"', 'x'.repeat(5000)];

function lines(text: string): string[] {
  return text.split('\n');
}

/** A random offset in `text`, on a character boundary. */
function offset(r: Prng, text: string): number {
  return r.int(0, text.length);
}

type Mutation = (r: Prng, text: string) => string;

const MUTATIONS: readonly (readonly [Mutation, number])[] = [
  [(r, t) => { const l = lines(t); l.splice(r.int(0, l.length - 1), 1); return l.join('\n'); }, 3],
  [(r, t) => { const l = lines(t); const i = r.int(0, l.length - 1); l.splice(i, 0, l[i] ?? ''); return l.join('\n'); }, 3],
  [(r, t) => { const l = lines(t); const i = r.int(0, l.length - 1); const j = r.int(0, l.length - 1); [l[i], l[j]] = [l[j] ?? '', l[i] ?? '']; return l.join('\n'); }, 2],
  [(r, t) => { const at = offset(r, t); return t.slice(0, at) + r.pick(INDICATORS) + t.slice(at); }, 5],
  [(r, t) => replaceWord(r, t, r.pick(PROTOTYPE_NAMES)), 4],
  [(r, t) => replaceWord(r, t, `"${r.pick(INJECTIONS).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`), 3],
  [(r, t) => replaceValue(r, t, r.pick(SCALARS)), 4],
  [(r, t) => { const l = lines(t); const i = r.int(0, l.length - 1); l[i] = r.chance(0.5) ? ` ${l[i] ?? ''}` : (l[i] ?? '').replace(/^ {1,2}/, ''); return l.join('\n'); }, 3],
  [(r, t) => { const at = offset(r, t); const a = r.int(0, t.length - at); return t.slice(0, at) + t.slice(at + Math.min(a, 200)); }, 2],
  [(r, t) => { const at = offset(r, t); return t.slice(0, at) + r.bytes(r.int(1, 8)).toString('latin1') + t.slice(at); }, 2],
  [(r, t) => t.slice(0, offset(r, t)), 1],
  [(r, t) => { const at = offset(r, t); const end = Math.min(t.length, at + r.int(1, 400)); return t.slice(0, end) + t.slice(at, end) + t.slice(end); }, 2],
  [(r, t) => replaceWord(r, t, wordOf(r, t)), 3],
];

const WORD = /[A-Za-z_][A-Za-z0-9_.-]*/g;

function wordOf(r: Prng, t: string): string {
  const words = t.match(WORD) ?? ['x'];
  return r.pick(words);
}

/** Replaces one occurrence of a word (a key, a name, a value) by `by`. */
function replaceWord(r: Prng, t: string, by: string): string {
  const matches = [...t.matchAll(WORD)];
  if (matches.length === 0) return t + by;
  const m = r.pick(matches);
  return t.slice(0, m.index) + by + t.slice(m.index + m[0].length);
}

/** Replaces the value after one `key: ` by `by`. */
function replaceValue(r: Prng, t: string, by: string): string {
  const matches = [...t.matchAll(/: ([^,{}[\]\n#]+)/g)];
  if (matches.length === 0) return t;
  const m = r.pick(matches);
  return t.slice(0, m.index + 2) + by + t.slice(m.index + m[0].length);
}

/** `n` random mutations of `text`. */
export function mutate(r: Prng, text: string, n: number): string {
  let out = text;
  for (let i = 0; i < n; i++) out = r.weighted(MUTATIONS)(r, out);
  return out;
}
