/**
 * A fast reader for the plain YAML topologies, playbooks and fleet files are written in: block
 * mappings and sequences, flow collections, one-line plain and quoted scalars, comments. It gives
 * the data `yaml` would (core schema) and where each node starts, or undefined as soon as it meets
 * anything else (anchors, tags, block or multi-line scalars, duplicate keys, tabs, odd indentation):
 * the caller then parses with `yaml`, which reports every problem. Pure. Why: `yaml` takes about a
 * second for a 10,000-host topology here; this, a tenth of that. spec/topology/plain-yaml.spec.ts
 * holds it to `yaml` on the shipped files and on thousands of mutated ones.
 */
import { LIMITS } from './limits.js';
import { bail, isBail, readFlowPlain, readQuoted, scalarValue, trimSpaces, type Block, type Inline, type Key, type Line, type PlainYaml } from './plain-scalars.js';
import { LineStarts, PosMap, PosSeq, type PosNode } from './positions.js';

export type { PlainYaml };

/** Characters and line starts this reader leaves to `yaml`: tabs, CR, control characters, BOM, directives, document markers. */
const UNSUPPORTED = /[\t\r\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff]|^(?:---|\.\.\.|%)/m;

/** The file read, or undefined when it is not plain YAML (then `yaml` must read it); `stop.at`: about where it stopped. */
export function readPlainYaml(text: string, stop?: { at: number }): PlainYaml | undefined {
  const unsupported = UNSUPPORTED.exec(text);
  if (unsupported) {
    if (stop) stop.at = unsupported.index;
    return undefined;
  }
  const reader = new Reader(text);
  try {
    return reader.document();
  } catch (e) {
    if (!isBail(e)) throw e;
    if (stop) stop.at = reader.at;
    return undefined;
  }
}

const PLAIN_KEY = /^[^-?:,[\]{}#&*!|>'"%@`\s][^,[\]{}#]*$/;

class Reader {
  /** Collections open: past LIMITS.depth the file is left to `yaml`, which refuses it with its place. */
  #depth = 0;
  /** Where the last key, item or value read starts: about where a file that is not plain YAML stops being so. */
  at = 0;

  constructor(readonly t: string) {}

  #in(): void {
    if (++this.#depth > LIMITS.depth) bail();
  }

  #out<T>(node: T): T {
    this.#depth--;
    return node;
  }

  document(): PlainYaml {
    const first = this.#content(0);
    if (!first || first.indent !== 0 || this.#isItem(first.at)) bail();
    const map = this.#blockMap(first.at, 0);
    if (map.next) bail();
    return { data: map.value as Record<string, unknown>, root: map.pos as PosMap, lines: new LineStarts(this.t) };
  }

  /** The next line with content from the line starting at `from`, past blank and comment lines. */
  #content(from: number): Line | undefined {
    const t = this.t;
    let p = from;
    for (;;) {
      let q = p;
      while (t.charCodeAt(q) === 32) q++;
      if (q >= t.length) return undefined;
      if (t[q] !== '\n' && t[q] !== '#') return { at: q, indent: q - p };
      const nl = t.indexOf('\n', q);
      if (nl < 0) return undefined;
      p = nl + 1;
    }
  }

  #eol(p: number): number {
    const nl = this.t.indexOf('\n', p);
    return nl < 0 ? this.t.length : nl;
  }

  /** The next content line after the line of `p`. */
  #below(p: number): Line | undefined {
    return this.#content(Math.min(this.#eol(p) + 1, this.t.length));
  }

  #spaces(p: number): number {
    while (this.t.charCodeAt(p) === 32) p++;
    return p;
  }

  /** After a node: spaces, then the end of the line or a comment (after a space). The next content line. */
  #lineEnd(end: number): Line | undefined {
    const p = this.#spaces(end);
    const c = this.t[p];
    if (c !== undefined && c !== '\n' && !(c === '#' && p > end)) bail();
    return this.#below(p);
  }

  #isItem(p: number): boolean {
    return this.t[p] === '-' && this.#spaceOrEnd(p + 1);
  }

  #blockNode(line: Line): Block {
    return this.#isItem(line.at) ? this.#blockSeq(line.at, line.indent) : this.#blockMap(line.at, line.indent);
  }

  /** A block mapping whose first key is at `first`, in column `indent`. */
  #blockMap(first: number, indent: number): Block {
    this.#in();
    const value: Record<string, unknown> = {};
    const pos = new PosMap(first);
    let at = first;
    for (;;) {
      const key = this.#keyAt(at) ?? bail();
      if (Object.hasOwn(value, key.text)) bail();
      const read = this.#mapValue(key.after, indent);
      value[key.text] = read.value;
      pos.add(key.text, key.start, read.pos);
      const next = read.next;
      if (!next || next.indent < indent) return this.#out({ value, pos, next });
      if (next.indent > indent || this.#isItem(next.at)) bail();
      at = next.at;
    }
  }

  #mapValue(after: number, indent: number): Block {
    const p = this.#spaces(after);
    const c = this.t[p];
    if (c === undefined || c === '\n' || c === '#') {
      const next = this.#below(p);
      if (next && next.indent > indent) return this.#blockNode(next);
      // A sequence may sit at the indentation of its key.
      if (next && next.indent === indent && this.#isItem(next.at)) return this.#blockSeq(next.at, indent);
      return bail();
    }
    const read = this.#inline(p, indent);
    return { value: read.value, pos: read.pos, next: this.#lineEnd(read.end) };
  }

  /** A block sequence whose first `-` is at `first`, in column `indent`. */
  #blockSeq(first: number, indent: number): Block {
    this.#in();
    const value: unknown[] = [];
    const items: PosNode[] = [];
    let at = first;
    for (;;) {
      const read = this.#item(at, indent);
      value.push(read.value);
      items.push(read.pos);
      const next = read.next;
      // A line at this indentation that is not an item belongs to the mapping the sequence is a value of.
      if (!next || next.indent < indent || (next.indent === indent && !this.#isItem(next.at))) return this.#out({ value, pos: new PosSeq(first, items), next });
      if (next.indent > indent) bail();
      at = next.at;
    }
  }

  #item(dash: number, indent: number): Block {
    this.at = dash;
    const t = this.t;
    const p = this.#spaces(dash + 1);
    const c = t[p];
    if (c === undefined || c === '\n' || c === '#') {
      const next = this.#below(p);
      return next && next.indent > indent ? this.#blockNode(next) : bail();
    }
    if (this.#isItem(p)) bail();
    if (this.#keyAt(p)) return this.#blockMap(p, p - (t.lastIndexOf('\n', p - 1) + 1));
    const read = this.#inline(p, indent);
    return { value: read.value, pos: read.pos, next: this.#lineEnd(read.end) };
  }

  /** The implicit key at `p` if the line has one (`key: …`); bails on a key this reader does not take. */
  #keyAt(p: number): Key | undefined {
    this.at = p;
    const t = this.t;
    const c = t[p];
    if (c === '{' || c === '[') return undefined;
    if (c === '"' || c === "'") {
      const quoted = readQuoted(this.t, p);
      const colon = this.#spaces(quoted.end);
      if (t[colon] !== ':' || !this.#spaceOrEnd(colon + 1)) return undefined;
      if (quoted.value === '__proto__' || colon - p >= 1000) bail();
      return { text: quoted.value, start: p, after: colon + 1 };
    }
    const line = t.slice(p, this.#eol(p));
    let colon = line.indexOf(':');
    while (colon >= 0 && colon + 1 < line.length && line[colon + 1] !== ' ') colon = line.indexOf(':', colon + 1);
    if (colon < 0) return undefined;
    const hash = line.indexOf(' #');
    if (hash >= 0 && hash < colon) return undefined;
    const text = trimSpaces(line.slice(0, colon));
    // `<<` is a merge key: `yaml` merges it.
    if (!PLAIN_KEY.test(text) || text === '__proto__' || text === '<<' || colon >= 1000 || typeof scalarValue(text) !== 'string') bail();
    return { text, start: p, after: p + colon + 1 };
  }

  #spaceOrEnd(p: number): boolean {
    return p >= this.t.length || this.t[p] === ' ' || this.t[p] === '\n';
  }

  /** A scalar or flow collection in block context, on one line (a flow collection may go on). */
  #inline(p: number, indent: number): Inline {
    this.at = p;
    const t = this.t;
    const c = t[p] as string;
    if (c === '{' || c === '[') return this.#flow(p, indent);
    if (c === '"' || c === "'") {
      const quoted = readQuoted(this.t, p);
      return { value: quoted.value, pos: p, end: quoted.end };
    }
    if ('?:,[]{}#&*!|>%@`'.includes(c) || this.#isItem(p)) bail();
    const line = t.slice(p, this.#eol(p));
    const hash = line.indexOf(' #');
    const raw = trimSpaces(hash < 0 ? line : line.slice(0, hash));
    if (raw.includes(': ') || raw.endsWith(':')) bail();
    return { value: scalarValue(raw), pos: p, end: p + raw.length };
  }

  /** A flow collection at `p`; lines after the first must be indented deeper than `indent`. */
  #flow(p: number, indent: number): Inline {
    return this.t[p] === '[' ? this.#flowSeq(p, indent) : this.#flowMap(p, indent);
  }

  #flowSeq(p: number, indent: number): Inline {
    this.#in();
    const t = this.t;
    const value: unknown[] = [];
    const items: PosNode[] = [];
    let q = this.#flowSpace(p + 1, indent);
    while (t[q] !== ']') {
      const read = this.#flowNode(q, indent);
      value.push(read.value);
      items.push(read.pos);
      q = this.#flowSpace(read.end, indent);
      if (t[q] === ',') q = this.#flowSpace(q + 1, indent);
      else if (t[q] !== ']') bail();
    }
    return this.#out({ value, pos: new PosSeq(p, items), end: q + 1 });
  }

  #flowMap(p: number, indent: number): Inline {
    this.#in();
    const t = this.t;
    const value: Record<string, unknown> = {};
    const pos = new PosMap(p);
    let q = this.#flowSpace(p + 1, indent);
    while (t[q] !== '}') {
      const key = this.#flowKey(q);
      if (Object.hasOwn(value, key.text)) bail();
      const v = this.#flowSpace(key.after, indent);
      if (t[v] === ',' || t[v] === '}') bail();
      const read = this.#flowNode(v, indent);
      value[key.text] = read.value;
      pos.add(key.text, key.start, read.pos);
      q = this.#flowSpace(read.end, indent);
      if (t[q] === ',') q = this.#flowSpace(q + 1, indent);
      else if (t[q] !== '}') bail();
    }
    return this.#out({ value, pos, end: q + 1 });
  }

  /** Spaces, line breaks and comments inside a flow collection. */
  #flowSpace(p: number, indent: number): number {
    const t = this.t;
    for (;;) {
      const c = t[p];
      if (c === ' ') p++;
      else if (c === '#' && (t[p - 1] === ' ' || t[p - 1] === '\n')) p = this.#eol(p);
      else if (c === '\n') {
        const s = this.#spaces(p + 1);
        const d = t[s];
        if (d !== undefined && d !== '\n' && d !== '#' && s - (p + 1) <= indent) bail();
        p = s;
      } else return p;
    }
  }

  #flowKey(p: number): Key {
    this.at = p;
    const t = this.t;
    const read = t[p] === '"' || t[p] === "'" ? readQuoted(t, p) : readFlowPlain(t, p);
    const colon = this.#spaces(read.end);
    if (typeof read.value !== 'string' || read.value === '__proto__' || read.value === '<<' || t[colon] !== ':' || !this.#spaceOrEnd(colon + 1) || colon - p >= 1000) bail();
    return { text: read.value, start: p, after: colon + 1 };
  }

  #flowNode(p: number, indent: number): Inline {
    this.at = p;
    const t = this.t;
    const c = t[p];
    if (c === '{' || c === '[') return this.#flow(p, indent);
    const read = c === '"' || c === "'" ? readQuoted(t, p) : readFlowPlain(t, p);
    return { value: read.value, pos: p, end: read.end };
  }
}
