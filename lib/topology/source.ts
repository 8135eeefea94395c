/**
 * A YAML source file with where each of its nodes starts, so that any path into the data can be
 * turned back into a line and column. Pure: the text is handed in.
 *
 * Files in plain YAML (all the shipped topologies and playbooks) are read by plain-yaml.ts; any
 * other file, and every file with a problem, is parsed by `yaml`, which reports syntax errors and
 * duplicate keys. `yaml` is loaded only then: it is a good part of the start-up time otherwise.
 */
import { createRequire } from 'node:module';
import type { Node } from 'yaml';
import type { Diagnostic } from './diagnostic.js';
import type { SourceLocation } from './model.js';
import { readPlainYaml } from './plain-yaml.js';
import { locateIn, positionsOf, type LinePositions, type PosNode } from './positions.js';

export type DataPath = readonly (string | number)[];

export interface YamlSource {
  readonly file: string;
  readonly data: unknown;
  readonly lines: LinePositions;
  /** Where each node starts (from a `yaml` document, built on first use). */
  readonly positions: () => PosNode | undefined;
}

type YamlModule = typeof import('yaml');
let yamlModule: YamlModule | undefined;
const yaml = (): YamlModule => (yamlModule ??= createRequire(import.meta.url)('yaml') as YamlModule);

const NOUN: Readonly<Record<string, string>> = { hosts: 'host', roles: 'role', hypervisors: 'hypervisor', bastions: 'bastion' };

/** Parses YAML, reporting syntax errors and duplicate keys (with where the first one was). */
export function parseYamlSource(file: string, text: string): { source: YamlSource; diagnostics: Diagnostic[]; syntaxOk: boolean } {
  const plain = readPlainYaml(text);
  if (plain) return { source: { file, data: plain.data, lines: plain.lines, positions: () => plain.root }, diagnostics: [], syntaxOk: true };
  const y = yaml();
  const lines = new y.LineCounter();
  const doc = y.parseDocument(text, { lineCounter: lines, uniqueKeys: false, prettyErrors: false });
  const diagnostics: Diagnostic[] = [];
  for (const e of [...doc.errors, ...doc.warnings]) {
    const pos = lines.linePos(e.pos[0]);
    diagnostics.push({
      severity: doc.errors.includes(e as never) ? 'error' : 'warning',
      message: `YAML: ${e.message.split('\n')[0] ?? e.message}`,
      location: { file, line: pos.line, col: pos.col },
    });
  }
  let positions: PosNode | undefined | null = null;
  const source: YamlSource = {
    file, data: doc.errors.length > 0 ? undefined : doc.toJS(), lines,
    positions: () => (positions === null ? (positions = positionsOf(doc, y)) : positions),
  };
  if (doc.contents) findDuplicateKeys(source, doc.contents as Node, [], diagnostics);
  return { source, diagnostics, syntaxOk: doc.errors.length === 0 };
}

function findDuplicateKeys(source: YamlSource, node: Node, path: DataPath, out: Diagnostic[]): void {
  const y = yaml();
  if (y.isMap(node)) {
    const seen = new Map<string, number>();
    for (const pair of node.items) {
      const key = y.isScalar(pair.key) ? String(pair.key.value) : undefined;
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
            location: { file: source.file, ...source.lines.linePos(keyStart) },
          });
        } else {
          seen.set(key, keyStart);
        }
      }
      if (pair.value && key !== undefined) findDuplicateKeys(source, pair.value as Node, [...path, key], out);
    }
  } else if (y.isSeq(node)) {
    node.items.forEach((item, i) => findDuplicateKeys(source, item as Node, [...path, i], out));
  }
}

/**
 * Where `path` is written. With `key: true` the location of the map key itself (for unknown or
 * misplaced keys). A path that does not exist resolves to the deepest part that does: a missing key
 * points at the key of the map that lacks it.
 */
export function locate(source: YamlSource, path: DataPath, options: { key?: boolean } = {}): SourceLocation {
  return locateIn(source.file, source.positions(), source.lines, path, options.key === true);
}
