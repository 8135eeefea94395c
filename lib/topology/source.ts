/**
 * A YAML source file with where each of its nodes starts, so that any path into the data can be
 * turned back into a line and column. Pure: the text is handed in.
 *
 * Files in plain YAML (all the shipped topologies and playbooks) are read by plain-yaml.ts; any
 * other file, and every file with a problem, is parsed by `yaml`, which reports syntax errors and
 * duplicate keys, under LIMITS (size, nesting, anchors and aliases). `yaml` is loaded only then:
 * it is a good part of the start-up time otherwise.
 */
import { createRequire } from 'node:module';
import type { Document } from 'yaml';
import type { Diagnostic } from './diagnostic.js';
import { describeBytes, LIMITS } from './limits.js';
import type { SourceLocation } from './model.js';
import { readPlainYaml } from './plain-yaml.js';
import { LineStarts, locateIn, positionsOf, type LinePositions, type PosNode } from './positions.js';
import { composeDocument } from './yaml-compose.js';
import { inspectDocument } from './yaml-inspect.js';

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

/**
 * Parses YAML, reporting syntax errors, duplicate keys (with where the first one was), and what
 * LIMITS refuses (nesting, anchors and aliases) before the data is made.
 */
export function parseYamlSource(file: string, text: string): { source: YamlSource; diagnostics: Diagnostic[]; syntaxOk: boolean } {
  const stop = { at: 0 };
  const plain = readPlainYaml(text, stop);
  if (plain) return { source: { file, data: plain.data, lines: plain.lines, positions: () => plain.root }, diagnostics: [], syntaxOk: true };
  return parseWithYaml(file, text, stop.at);
}

/** `yaml`'s errors and warnings, located. */
function yamlErrors(doc: Document, file: string, lines: LinePositions): Diagnostic[] {
  return [...doc.errors, ...doc.warnings].map((e) => ({
    severity: doc.errors.includes(e as never) ? 'error' : 'warning',
    message: `YAML: ${e.message.split('\n')[0] ?? e.message}`,
    location: { file, ...lines.linePos(e.pos[0]) },
  }));
}

/** The file parsed by `yaml` (it is not plain YAML from about `stopAt` on), under LIMITS. */
function parseWithYaml(file: string, text: string, stopAt: number): ReturnType<typeof parseYamlSource> {
  const y = yaml();
  const lines = new y.LineCounter();
  const failed = (diagnostics: Diagnostic[]): ReturnType<typeof parseYamlSource> => ({
    source: { file, data: undefined, lines, positions: () => undefined }, diagnostics, syntaxOk: false,
  });
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > LIMITS.fullParserBytes) {
    const at = new LineStarts(text).linePos(stopAt);
    const message = `not plain YAML from here on (anchors, tags, block scalars, tabs, duplicate keys or a syntax error), so the file needs the full YAML parser, which takes at most ${describeBytes(LIMITS.fullParserBytes)}; the file has ${bytes.toLocaleString('en-US')} bytes`;
    return failed([{ severity: 'error', message, location: { file, ...at } }]);
  }
  const composed = composeDocument(y, text, lines);
  if ('tooDeep' in composed) {
    return failed([{ severity: 'error', message: `nested too deep: more than ${LIMITS.depth} mappings and lists inside each other`, location: { file, ...lines.linePos(composed.tooDeep) } }]);
  }
  const doc = composed.doc;
  const diagnostics = yamlErrors(doc, file, lines);
  const inspection = inspectDocument(y, doc, file, lines);
  diagnostics.push(...inspection.diagnostics);
  if (inspection.fatal) return failed(diagnostics);
  let data: unknown;
  if (doc.errors.length === 0) {
    try {
      // Aliases were counted and bounded by inspectDocument; `yaml`'s own count is not needed.
      data = doc.toJS({ maxAliasCount: -1 });
    } catch (e) {
      return failed([...diagnostics, { severity: 'error', message: `YAML: ${e instanceof Error ? e.message : String(e)}`, location: { file, line: 1, col: 1 } }]);
    }
  }
  let positions: PosNode | undefined | null = null;
  const source: YamlSource = {
    file, data, lines,
    positions: () => (positions === null ? (positions = positionsOf(doc, y)) : positions),
  };
  return { source, diagnostics, syntaxOk: doc.errors.length === 0 };
}

/**
 * Where `path` is written. With `key: true` the location of the map key itself (for unknown or
 * misplaced keys). A path that does not exist resolves to the deepest part that does: a missing key
 * points at the key of the map that lacks it.
 */
export function locate(source: YamlSource, path: DataPath, options: { key?: boolean } = {}): SourceLocation {
  return locateIn(source.file, source.positions(), source.lines, path, options.key === true);
}
