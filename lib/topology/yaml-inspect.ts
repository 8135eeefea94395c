/**
 * What is checked in a `yaml` document before its data is made: duplicate keys (with where the
 * first one was), the key `__proto__` (JavaScript objects cannot keep it: it was silently
 * dropped), nesting past LIMITS.depth, and anchors and aliases: an alias without an anchor
 * before it, an alias inside the value it repeats (a loop), and more anchors, aliases or
 * repeated values than LIMITS allow (an alias bomb is refused here, before it is expanded).
 * One walk, in document order, which is the order aliases resolve in. Pure.
 */
import type { Alias, Document, LineCounter, Node, Pair } from 'yaml';
import type { Diagnostic } from './diagnostic.js';
import { LIMITS } from './limits.js';

type YamlIdentity = Pick<typeof import('yaml'), 'isAlias' | 'isMap' | 'isScalar' | 'isSeq'>;

const NOUN: Readonly<Record<string, string>> = Object.assign(Object.create(null) as Record<string, string>, { hosts: 'host', roles: 'role', hypervisors: 'hypervisor', bastions: 'bastion' });

export interface Inspection {
  readonly diagnostics: Diagnostic[];
  /** A problem that keeps the data from being made (nesting, aliases, `__proto__`). */
  readonly fatal: boolean;
}

export function inspectDocument(y: YamlIdentity, doc: Document, file: string, lines: LineCounter): Inspection {
  const inspector = new Inspector(y, file, lines);
  if (doc.contents) inspector.visit(doc.contents as Node, 0, undefined);
  return { diagnostics: inspector.diagnostics, fatal: inspector.fatal };
}

class Inspector {
  readonly diagnostics: Diagnostic[] = [];
  fatal = false;
  /** The last node with each anchor so far: what an alias met now refers to. */
  readonly #anchors = new Map<string, Node>();
  /** The collections being walked (an alias of one of them would contain itself). */
  readonly #open = new Set<Node>();
  /** How many values each node stands for, its aliases expanded. */
  readonly #sizes = new WeakMap<Node, number>();
  #anchorCount = 0;
  #aliasCount = 0;
  #repeated = 0;
  readonly #said = new Set<string>();

  constructor(
    readonly y: YamlIdentity,
    readonly file: string,
    readonly lines: LineCounter,
  ) {}

  #error(offset: number | undefined, message: string, options: { fatal: boolean; once?: string }): void {
    if (options.fatal) this.fatal = true;
    if (options.once !== undefined) {
      if (this.#said.has(options.once)) return;
      this.#said.add(options.once);
    }
    this.diagnostics.push({ severity: 'error', message, location: { file: this.file, ...this.lines.linePos(offset ?? 0) } });
  }

  /** Walks `node` (at `depth` collections down) and returns how many values it stands for. `section`: the top-level key it is under. */
  visit(node: Node | null, depth: number, section: string | undefined): number {
    if (!node) return 0;
    const y = this.y;
    if (y.isAlias(node)) return this.#alias(node);
    const start = node.range?.[0];
    if (node.anchor !== undefined) {
      if (++this.#anchorCount > LIMITS.anchors) this.#error(start, `more than ${LIMITS.anchors} anchors (&name) in one file`, { fatal: true, once: 'anchors' });
      this.#anchors.set(node.anchor, node);
    }
    if (!y.isMap(node) && !y.isSeq(node)) {
      this.#sizes.set(node, 1);
      return 1;
    }
    if (depth + 1 > LIMITS.depth) {
      this.#error(start, `nested too deep: more than ${LIMITS.depth} mappings and lists inside each other`, { fatal: true, once: 'depth' });
      return 1;
    }
    this.#open.add(node);
    let size = 1;
    if (y.isMap(node)) {
      const seen = new Map<string, number>();
      for (const pair of node.items) size += this.#pair(pair as Pair<Node | null, Node | null>, seen, depth + 1, section);
    } else {
      for (const item of node.items) size += this.visit(item as Node | null, depth + 1, undefined);
    }
    this.#open.delete(node);
    size = Math.min(size, Number.MAX_SAFE_INTEGER);
    this.#sizes.set(node, size);
    return size;
  }

  #pair(pair: Pair<Node | null, Node | null>, seen: Map<string, number>, depth: number, section: string | undefined): number {
    const y = this.y;
    const key = y.isScalar(pair.key) ? String(pair.key.value) : undefined;
    const keyStart = pair.key?.range?.[0] ?? 0;
    // Keys are walked for their anchors and aliases; a scalar key is not a value repeated.
    const keySize = this.visit(pair.key, depth, undefined);
    let size = y.isScalar(pair.key) ? 0 : keySize;
    if (key !== undefined) {
      const first = seen.get(key);
      if (first !== undefined) {
        const noun = depth === 2 && section !== undefined ? NOUN[section] : undefined;
        const what = noun === undefined ? `key '${key}'` : `${noun} '${key}'`;
        this.#error(keyStart, `duplicate ${what} (first defined at line ${this.lines.linePos(first).line})`, { fatal: false });
      } else {
        seen.set(key, keyStart);
      }
      // Refused, not handled: zod drops the key from every record and object it builds, and no
      // name (they use letters, digits, . _ -, starting with a letter or digit) can be it anyway.
      if (key === '__proto__') this.#error(keyStart, "key '__proto__' is not allowed (it names JavaScript's object prototype, and would be lost)", { fatal: true });
    }
    size += this.visit(pair.value, depth, depth === 1 ? key : undefined);
    return size;
  }

  #alias(alias: Alias): number {
    const at = alias.range?.[0];
    if (++this.#aliasCount > LIMITS.aliases) this.#error(at, `more than ${LIMITS.aliases} aliases (*name) in one file`, { fatal: true, once: 'aliases' });
    const target = this.#anchors.get(alias.source);
    if (!target) {
      this.#error(at, `alias '*${alias.source}' has no anchor '&${alias.source}' before it`, { fatal: true });
      return 1;
    }
    if (this.#open.has(target)) {
      this.#error(at, `alias '*${alias.source}' is inside the value it repeats: it would repeat itself forever`, { fatal: true });
      return 1;
    }
    const size = this.#sizes.get(target) ?? 1;
    this.#repeated = Math.min(this.#repeated + size, Number.MAX_SAFE_INTEGER);
    if (this.#repeated > LIMITS.aliasedValues) {
      this.#error(at, `aliases repeat more than ${LIMITS.aliasedValues.toLocaleString('en-US')} values in all (an alias bomb?)`, { fatal: true, once: 'repeated' });
    }
    return size;
  }
}
