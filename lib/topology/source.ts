/**
 * A YAML source file kept with its syntax tree, so that any path into the data can be turned
 * back into a line and column. Pure: the text is handed in.
 */
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import type { Diagnostic } from './diagnostic.js';
import type { SourceLocation } from './model.js';

export type DataPath = readonly (string | number)[];

export interface YamlSource {
  readonly file: string;
  readonly data: unknown;
  readonly doc: Document;
  readonly lines: LineCounter;
}

const NOUN: Readonly<Record<string, string>> = { hosts: 'host', roles: 'role', hypervisors: 'hypervisor', bastions: 'bastion' };

/** Parses YAML, reporting syntax errors and duplicate keys (with where the first one was). */
export function parseYamlSource(file: string, text: string): { source: YamlSource; diagnostics: Diagnostic[]; syntaxOk: boolean } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false, prettyErrors: false });
  const diagnostics: Diagnostic[] = [];
  for (const e of [...doc.errors, ...doc.warnings]) {
    const pos = lines.linePos(e.pos[0]);
    diagnostics.push({
      severity: doc.errors.includes(e as never) ? 'error' : 'warning',
      message: `YAML: ${e.message.split('\n')[0] ?? e.message}`,
      location: { file, line: pos.line, col: pos.col },
    });
  }
  const source: YamlSource = { file, data: doc.errors.length > 0 ? undefined : doc.toJS(), doc, lines };
  if (doc.contents) findDuplicateKeys(source, doc.contents as Node, [], diagnostics);
  return { source, diagnostics, syntaxOk: doc.errors.length === 0 };
}

function findDuplicateKeys(source: YamlSource, node: Node, path: DataPath, out: Diagnostic[]): void {
  if (isMap(node)) {
    const seen = new Map<string, number>();
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
      const keyStart = (pair.key as Node | null)?.range?.[0] ?? 0;
      if (key !== undefined) {
        const first = seen.get(key);
        if (first !== undefined) {
          const parent = path[path.length - 1];
          const noun = path.length === 1 && typeof parent === 'string' ? NOUN[parent] : undefined;
          const what = noun === undefined ? `key '${key}'` : `${noun} '${key}'`;
          out.push({
            severity: 'error',
            message: `duplicate ${what} (first defined at line ${source.lines.linePos(first).line})`,
            location: position(source, keyStart),
          });
        } else {
          seen.set(key, keyStart);
        }
      }
      if (pair.value && key !== undefined) findDuplicateKeys(source, pair.value as Node, [...path, key], out);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => findDuplicateKeys(source, item as Node, [...path, i], out));
  }
}

function position(source: YamlSource, offset: number): SourceLocation {
  const { line, col } = source.lines.linePos(offset);
  return { file: source.file, line, col };
}

/**
 * Where `path` is written. With `key: true` the location of the map key itself (for unknown or
 * misplaced keys). A path that does not exist resolves to the deepest part that does: a missing key
 * points at the key of the map that lacks it.
 */
export function locate(source: YamlSource, path: DataPath, options: { key?: boolean } = {}): SourceLocation {
  let node = source.doc.contents as Node | null;
  let offset = node?.range?.[0] ?? 0;
  // The key (or list item) that holds the current node: where a missing child is reported.
  let holder = offset;
  for (const [i, segment] of path.entries()) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) return position(source, holder);
      const keyOffset = (pair.key as Node).range?.[0] ?? offset;
      if (i === path.length - 1 && options.key === true) return position(source, keyOffset);
      node = pair.value as Node | null;
      offset = node?.range?.[0] ?? keyOffset;
      holder = keyOffset;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | undefined;
      if (!item) return position(source, holder);
      node = item;
      offset = item.range?.[0] ?? offset;
      holder = offset;
    } else {
      return position(source, holder);
    }
  }
  return position(source, offset);
}
