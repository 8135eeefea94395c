/**
 * Checks the shape of a parsed YAML file against a zod schema and turns every issue into a
 * located, plain-English Diagnostic. Pure.
 */
import { z } from 'zod';
import { own } from '../util/own.js';
import { didYouMean } from '../util/suggest.js';
import type { Diagnostic } from './diagnostic.js';
import { DURATION_HINT } from './schema.js';
import { locate, type DataPath, type YamlSource } from './source.js';

type Issue = z.core.$ZodIssue;
type JsonSchema = { properties?: Record<string, JsonSchema>; additionalProperties?: JsonSchema | boolean; items?: JsonSchema; anyOf?: JsonSchema[]; oneOf?: JsonSchema[] };

/** `hosts.acd-dbm.port`, `roles.web.up.steps[2].run`. */
export function pathText(path: DataPath): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out === '' ? seg : `.${seg}`;
  return out === '' ? 'the top level' : out;
}

/**
 * Shape problems described per file. The rest are counted in one more diagnostic: nobody reads
 * 40,000 of them, and describing them took a second.
 */
export const MAX_DESCRIBED = 1000;

/**
 * Validates `source.data` against `schema`. Returns the typed value only when there were no
 * issues; `truncated` when there were more than MAX_DESCRIBED.
 */
export function checkShape<T>(source: YamlSource, schema: z.ZodType<T>): { value?: T; diagnostics: Diagnostic[]; truncated?: true } {
  let result = schema.safeParse(source.data, { reportInput: true });
  // Extension keys (`x-…`, as in Compose: a place for anchors and notes) are allowed in every
  // mapping of fixed keys: they are taken out and the data checked again (the names in a mapping
  // of names, such as hosts, are not keys of that kind: a host may be called x-ray).
  for (let round = 0; !result.success && round < 8 && dropExtensionKeys(source.data, result.error.issues); round++) {
    result = schema.safeParse(source.data, { reportInput: true });
  }
  if (result.success) return { value: result.data, diagnostics: [] };
  const issues = result.error.issues;
  const diagnostics = issues.slice(0, MAX_DESCRIBED).flatMap((issue) => describeIssue(source, schema, issue));
  const next = issues[MAX_DESCRIBED];
  if (next) {
    const more = issues.length - MAX_DESCRIBED;
    diagnostics.push({ severity: 'error', message: `${more.toLocaleString('en-US')} more problem${more === 1 ? '' : 's'} of shape from here on, not listed (the first ${MAX_DESCRIBED.toLocaleString('en-US')} are)`, location: locate(source, next.path as DataPath) });
    return { diagnostics, truncated: true };
  }
  return { diagnostics };
}

/** An extension key: `x-` and more, as Compose allows. */
export const isExtensionKey = (key: string): boolean => key.startsWith('x-') && key.length > 2;

/** Removes the extension keys zod found unknown from `data`; whether there were any. */
function dropExtensionKeys(data: unknown, issues: readonly Issue[]): boolean {
  let dropped = false;
  for (const issue of issues) {
    if (issue.code !== 'unrecognized_keys') continue;
    let node: unknown = data;
    for (const seg of issue.path) node = node !== null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[seg as PropertyKey] : undefined;
    if (node === null || typeof node !== 'object') continue;
    for (const key of issue.keys) {
      if (isExtensionKey(key) && Object.hasOwn(node, key)) {
        delete (node as Record<string, unknown>)[key];
        dropped = true;
      }
    }
  }
  return dropped;
}

function describeIssue(source: YamlSource, schema: z.ZodType, issue: Issue): Diagnostic[] {
  const path = issue.path as (string | number)[];
  const error = (message: string, at: DataPath = path, key = false): Diagnostic => ({
    severity: 'error',
    message,
    location: locate(source, at, { key }),
  });
  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = keysAt(schema, path);
      const where = path.length === 0 ? 'at the top level' : `in ${pathText(path)}`;
      return issue.keys.map((k) => error(`unknown key '${k}' ${where}${didYouMean(k, allowed)}`, [...path, k], true));
    }
    case 'invalid_type':
      return [error(describeType(path, issue.expected, (issue as { input?: unknown }).input))];
    case 'invalid_value': {
      const values = issue.values.map(String);
      const got = (issue as { input?: unknown }).input;
      const hint = typeof got === 'string' ? didYouMean(got, values) : '';
      return [error(`${pathText(path)} must be ${values.length === 1 ? values[0] : `one of ${values.join(', ')}`} (got ${describeValue(got)})${hint}`)];
    }
    case 'too_small':
      return [error(issue.origin === 'string' ? `${pathText(path)} must not be empty` : `${pathText(path)} must be at least ${String(issue.minimum)} (got ${describeValue((issue as { input?: unknown }).input)})`)];
    case 'too_big':
      return [error(`${pathText(path)} must be at most ${String(issue.maximum)} (got ${describeValue((issue as { input?: unknown }).input)})`)];
    case 'invalid_union':
      return [error(`${pathText(path)} must be a string or an integer (got ${describeValue((issue as { input?: unknown }).input)})`)];
    case 'custom':
      if ((issue.params as { kind?: string } | undefined)?.kind === 'duration') {
        return [error(badDuration(path, (issue as { input?: unknown }).input))];
      }
      return [error(`${pathText(path)}: ${issue.message}`)];
    case 'invalid_format':
      return [error(`${pathText(path)} is not valid: ${issue.message} (got ${describeValue((issue as { input?: unknown }).input)})`)];
    case 'invalid_key':
      return [error(`'${String(path[path.length - 1])}' is not a valid name: names use letters, digits, ".", "_" and "-"`, path, true)];
    default:
      return [error(`${pathText(path)}: ${issue.message}`)];
  }
}

const DURATION_KEYS = new Set(['timeout', 'interval']);

function isDurationPath(path: DataPath): boolean {
  const last = path[path.length - 1];
  return (typeof last === 'string' && DURATION_KEYS.has(last)) || path[path.length - 2] === 'timeouts';
}

function badDuration(path: DataPath, input: unknown): string {
  const unitHint = typeof input === 'number' ? ` (did you mean '${input}s'?)` : '';
  const shown = typeof input === 'string' ? JSON.stringify(input) : describeValue(input).replace(/^number /, '');
  return `bad duration ${shown} for ${pathText(path)}: ${DURATION_HINT}${unitHint}`;
}

const NOUNS: Readonly<Record<string, string>> = {
  string: 'a string', number: 'a number', int: 'an integer', boolean: 'true or false',
  array: 'a list', object: 'a mapping', record: 'a mapping', literal: 'a fixed value',
};

function describeType(path: DataPath, expected: string, input: unknown): string {
  const last = path[path.length - 1];
  if (input === undefined && typeof last === 'string') {
    const owner = path.slice(0, -1);
    if (owner.length === 2 && owner[0] === 'hosts' && last === 'address') return `host '${String(owner[1])}' has no address`;
    return `missing key '${last}' in ${pathText(owner)}`;
  }
  if (isDurationPath(path) && expected === 'string') return badDuration(path, input);
  return `${pathText(path)} must be ${NOUNS[expected] ?? expected} (got ${describeValue(input)})`;
}

function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'an empty value';
  if (typeof v === 'string') return `the string ${JSON.stringify(v)}`;
  if (typeof v === 'number' || typeof v === 'boolean') return `${typeof v} ${String(v)}`;
  if (Array.isArray(v)) return 'a list';
  return 'a mapping';
}

const jsonSchemas = new WeakMap<z.ZodType, JsonSchema>();

/** The keys the schema allows at `path`, for did-you-mean suggestions. */
function keysAt(schema: z.ZodType, path: DataPath): string[] {
  let node: JsonSchema | undefined = jsonSchemas.get(schema);
  if (!node) {
    node = z.toJSONSchema(schema, { unrepresentable: 'any', io: 'input' }) as JsonSchema;
    jsonSchemas.set(schema, node);
  }
  for (const seg of path) {
    if (!node) return [];
    node = step(node, seg);
  }
  return node ? Object.keys(mergedProperties(node)) : [];
}

function step(node: JsonSchema, seg: string | number): JsonSchema | undefined {
  const props = mergedProperties(node);
  if (typeof seg === 'number') return node.items;
  return own(props, seg) ?? (typeof node.additionalProperties === 'object' ? node.additionalProperties : undefined);
}

function mergedProperties(node: JsonSchema): Record<string, JsonSchema> {
  const variants = [node, ...(node.anyOf ?? []), ...(node.oneOf ?? [])];
  return Object.assign({}, ...variants.map((v) => v.properties ?? {})) as Record<string, JsonSchema>;
}
