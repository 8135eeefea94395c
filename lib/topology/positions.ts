/**
 * Where each node of a YAML file starts, indexed by key, so that a data path turns back into a
 * line and column in a few map lookups (a linear search per host made validating 10,000 hosts
 * take seconds). Built by the plain reader as it reads, or from a `yaml` document on first use.
 * Pure.
 */
import type { Document, Node } from 'yaml';
import type { SourceLocation } from './model.js';

/** A node: a mapping, a sequence, or the offset of anything else (null: `yaml` gave none). */
export type PosNode = PosMap | PosSeq | number | null;

export interface PosEntry {
  /** Where the key starts. */
  readonly key: number;
  /** The value; undefined for an empty one (`key:` and nothing). */
  readonly value: PosNode | undefined;
}

/**
 * A mapping: its keys in order with where each key and value start. Small mappings (a host's
 * flow mapping) are searched in order; a large one (`hosts:`) gets an index on first use.
 */
export class PosMap {
  /** Key, key offset and value of each entry, one after the other (one array: there are tens of thousands of these). */
  readonly #entries: (string | number | PosNode | undefined)[] = [];
  #index: Map<string, number> | undefined;

  constructor(readonly start: number) {}

  /** Adds an entry; a key added twice keeps its first entry. */
  add(key: string, keyOffset: number, value: PosNode | undefined): void {
    this.#entries.push(key, keyOffset, value);
    this.#index = undefined;
  }

  /** Adds the entries of `other` whose keys this mapping does not have (a merge key's mapping). */
  merge(other: PosMap): void {
    const entries = other.#entries;
    for (let i = 0; i < entries.length; i += 3) {
      const key = entries[i] as string;
      if (this.#find(key) < 0) this.add(key, entries[i + 1] as number, entries[i + 2] as PosNode | undefined);
    }
  }

  get(key: string): PosEntry | undefined {
    const i = this.#find(key);
    return i < 0 ? undefined : { key: this.#entries[i + 1] as number, value: this.#entries[i + 2] as PosNode | undefined };
  }

  #find(key: string): number {
    const entries = this.#entries;
    if (entries.length <= 48) {
      for (let i = 0; i < entries.length; i += 3) if (entries[i] === key) return i;
      return -1;
    }
    if (!this.#index) {
      this.#index = new Map();
      for (let i = entries.length - 3; i >= 0; i -= 3) this.#index.set(entries[i] as string, i);
    }
    return this.#index.get(key) ?? -1;
  }
}

export class PosSeq {
  constructor(
    readonly start: number,
    readonly items: readonly (PosNode | undefined)[],
  ) {}
}

/** 1-based line and column of an offset: what `yaml`'s LineCounter answers. */
export interface LinePositions {
  linePos(offset: number): { line: number; col: number };
}

/** Line starts of a text, answering like `yaml`'s LineCounter. */
export class LineStarts implements LinePositions {
  readonly #starts: number[] = [0];

  constructor(text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.#starts.push(i + 1);
  }

  linePos(offset: number): { line: number; col: number } {
    const starts = this.#starts;
    let low = 0;
    let high = starts.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((starts[mid] ?? 0) < offset) low = mid + 1;
      else high = mid;
    }
    if (starts[low] === offset) return { line: low + 1, col: 1 };
    if (low === 0) return { line: 0, col: offset };
    return { line: low, col: offset - (starts[low - 1] ?? 0) + 1 };
  }
}

type YamlIdentity = Pick<typeof import('yaml'), 'isAlias' | 'isMap' | 'isScalar' | 'isSeq'>;

/**
 * The positions of a `yaml` document's nodes. An alias (`*base`) stands for its anchor's node, and
 * a merge key (`<<: *base`, `<<: [*a, *b]`) adds the keys of the mappings it merges that the
 * mapping does not set itself (the first mapping merged wins): a value that came from the anchor
 * is located where the anchor's mapping writes it. Each node is turned into positions once.
 */
export function positionsOf(doc: Document, y: YamlIdentity): PosNode | undefined {
  const node = doc.contents as Node | null;
  const done = new Map<Node, PosNode>();
  const toPos = (n: Node): PosNode => {
    const target = y.isAlias(n) ? (n.resolve(doc) as Node | undefined) : n;
    if (!target) return n.range?.[0] ?? null;
    let pos = done.get(target);
    if (pos === undefined) {
      pos = build(target);
      done.set(target, pos);
    }
    return pos;
  };
  const build = (n: Node): PosNode => {
    if (y.isMap(n)) {
      const map = new PosMap(n.range?.[0] ?? 0);
      const merged: Node[] = [];
      for (const pair of n.items) {
        if (!y.isScalar(pair.key)) continue;
        if (typeof pair.key.value === 'symbol') {
          // A merge key: its mappings' keys come after the mapping's own.
          const value = pair.value as Node | null;
          if (value) merged.push(...(y.isSeq(value) ? (value.items as Node[]) : [value]));
          continue;
        }
        map.add(String(pair.key.value), pair.key.range?.[0] ?? map.start, pair.value ? toPos(pair.value as Node) : undefined);
      }
      for (const source of merged) {
        const from = toPos(source);
        if (from instanceof PosMap) map.merge(from);
      }
      return map;
    }
    if (y.isSeq(n)) return new PosSeq(n.range?.[0] ?? 0, n.items.map((item) => (item ? toPos(item as Node) : undefined)));
    return n.range?.[0] ?? null;
  };
  return node ? toPos(node) : undefined;
}

const startOf = (node: PosNode, fallback: number): number => (node === null ? fallback : typeof node === 'number' ? node : node.start);

/**
 * Where `path` is written. With `key: true` the location of the map key itself (for unknown or
 * misplaced keys). A path that does not exist resolves to the deepest part that does: a missing key
 * points at the key of the map that lacks it.
 */
export function locateIn(file: string, root: PosNode | undefined, lines: LinePositions, path: readonly (string | number)[], key: boolean): SourceLocation {
  const at = (offset: number): SourceLocation => ({ file, ...lines.linePos(offset) });
  let node = root;
  let offset = root === undefined ? 0 : startOf(root, 0);
  // The key (or list item) that holds the current node: where a missing child is reported.
  let holder = offset;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i] as string | number;
    if (node instanceof PosMap) {
      const entry = node.get(String(segment));
      if (!entry) return at(holder);
      if (i === path.length - 1 && key) return at(entry.key);
      node = entry.value;
      offset = node === undefined ? entry.key : startOf(node, entry.key);
      holder = entry.key;
    } else if (node instanceof PosSeq && typeof segment === 'number') {
      const item = node.items[segment];
      if (item === undefined) return at(holder);
      node = item;
      offset = startOf(item, offset);
      holder = offset;
    } else {
      return at(holder);
    }
  }
  return at(offset);
}
