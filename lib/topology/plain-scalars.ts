/**
 * Scalars and node types for the plain YAML reader (plain-yaml.ts): one-line quoted scalars with
 * their escapes, and plain scalars resolved as `yaml`'s core schema does. Pure.
 */

import type { LineStarts, PosMap, PosNode } from './positions.js';

/** A file the reader took: its data (what `yaml` gives), where each node starts, its line starts. */
export interface PlainYaml {
  readonly data: Record<string, unknown>;
  readonly root: PosMap;
  readonly lines: LineStarts;
}

/** A line with content: where its content starts and how far it is indented. */
export type Line = { readonly at: number; readonly indent: number };

/** A node read in block context: its data, positions, and the next content line after it. */
export interface Block {
  readonly value: unknown;
  readonly pos: PosNode;
  readonly next: Line | undefined;
}

/** A node read inline: its data, positions, and the offset just after it. */
export interface Inline {
  readonly value: unknown;
  readonly pos: PosNode;
  readonly end: number;
}

/** A key: its text, where it starts, and the offset just after its `:`. */
export interface Key {
  readonly text: string;
  readonly start: number;
  readonly after: number;
}

const NOT_PLAIN = new Error('not plain YAML');

/** Gives up on the plain reading: the file is left to `yaml`. */
export function bail(): never {
  throw NOT_PLAIN;
}

export function isBail(e: unknown): boolean {
  return e === NOT_PLAIN;
}

const DOUBLE_RUN = /[^"\\\n]*/y;
const ESCAPES: Readonly<Record<string, string>> = {
  '0': '\0', a: '\x07', b: '\b', e: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v',
  N: '\u0085', _: '\u00a0', L: '\u2028', P: '\u2029', ' ': ' ', '"': '"', '/': '/', '\\': '\\',
};

/** The quoted scalar at `p` (its quote), on one line; `end` is just after the closing quote. */
export function readQuoted(t: string, p: number): { value: string; end: number } {
  let eol = t.indexOf('\n', p);
  if (eol < 0) eol = t.length;
  let value = '';
  let i = p + 1;
  if (t[p] === "'") {
    for (;;) {
      const close = t.indexOf("'", i);
      if (close < 0 || close >= eol) bail();
      if (t[close + 1] !== "'") return { value: value + t.slice(i, close), end: close + 1 };
      value += t.slice(i, close + 1);
      i = close + 2;
    }
  }
  for (;;) {
    DOUBLE_RUN.lastIndex = i;
    const run = DOUBLE_RUN.exec(t)?.[0] ?? '';
    value += run;
    i += run.length;
    if (t[i] === '"') return { value, end: i + 1 };
    if (t[i] !== '\\') bail();
    const escaped = readEscape(t, i + 1);
    value += escaped.text;
    i = escaped.end;
  }
}

/** The escape after a backslash, as `yaml` reads it; anything it would report bails. */
function readEscape(t: string, p: number): { text: string; end: number } {
  const c = t[p] ?? '';
  const simple = ESCAPES[c];
  if (simple !== undefined) return { text: simple, end: p + 1 };
  const length = c === 'x' ? 2 : c === 'u' ? 4 : c === 'U' ? 8 : bail();
  const hex = t.slice(p + 1, p + 1 + length);
  if (hex.length !== length || !/^[0-9a-fA-F]+$/.test(hex)) bail();
  const code = parseInt(hex, 16);
  if (code > 0x10ffff) bail();
  return { text: String.fromCodePoint(code), end: p + 1 + length };
}

/** Without trailing spaces (only spaces: YAML's white space is space and tab, and tabs are not read here). */
export function trimSpaces(s: string): string {
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 32) end--;
  return end === s.length ? s : s.slice(0, end);
}

const SPACE = 32;
const LINE = 10;
const HASH = 35;
const COLON = 58;

/** Ends a plain scalar in a flow collection: `,`, `[`, `]`, `{`, `}`, a line end. */
const flowEnd = (c: number): boolean => c === 44 || c === 91 || c === 93 || c === 123 || c === 125 || c === LINE;

/**
 * The plain scalar at `p` in a flow collection; `end` is just after its last character other than
 * a space. It stops at a flow indicator, a line end, ` #` (a comment), or a `:` followed by white
 * space, a flow indicator or the end.
 */
export function readFlowPlain(t: string, p: number): { value: unknown; end: number } {
  const c = t[p];
  if (c === undefined || '?:,[]{}#&*!|>%@`\n'.includes(c) || (c === '-' && ' \n,[]{}'.includes(t[p + 1] ?? '\n'))) bail();
  let end = p;
  for (let i = p; i < t.length; i++) {
    const ch = t.charCodeAt(i);
    if (flowEnd(ch)) break;
    if (ch === SPACE) {
      if (t.charCodeAt(i + 1) === HASH) break;
      continue;
    }
    if (ch === COLON) {
      const next = t.charCodeAt(i + 1);
      if (Number.isNaN(next) || flowEnd(next) || /\s/.test(String.fromCharCode(next))) break;
    }
    end = i + 1;
  }
  return { value: scalarValue(t.slice(p, end)), end };
}

/** A plain scalar as `yaml`'s core schema resolves it (the same tests, in the same order). */
export function scalarValue(raw: string): unknown {
  const c = raw.charCodeAt(0);
  // Most scalars are names and commands: a letter other than those that start null, true, false.
  if ((c >= 0x61 && c <= 0x7a && c !== 0x6e && c !== 0x74 && c !== 0x66) || (c >= 0x41 && c <= 0x5a && c !== 0x4e && c !== 0x54 && c !== 0x46)) return raw;
  if (/^(?:~|[Nn]ull|NULL)?$/.test(raw)) return null;
  if (/^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/.test(raw)) return raw[0] === 't' || raw[0] === 'T';
  if (/^0o[0-7]+$/.test(raw)) return parseInt(raw.slice(2), 8);
  if (/^[-+]?[0-9]+$/.test(raw)) return parseInt(raw, 10);
  if (/^0x[0-9a-fA-F]+$/.test(raw)) return parseInt(raw.slice(2), 16);
  if (/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/.test(raw)) return raw.slice(-3).toLowerCase() === 'nan' ? NaN : raw[0] === '-' ? -Infinity : Infinity;
  if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/.test(raw)) return parseFloat(raw);
  if (/^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/.test(raw)) return parseFloat(raw);
  return raw;
}
