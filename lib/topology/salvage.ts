/**
 * Keeps the valid part of a topology whose shape check failed, so that references, drivers and
 * cycles can still be checked and every problem is reported in one run. Entries with a shape
 * problem are dropped (their problem is already reported); their names stay known, so nothing
 * else is reported as a reference to a missing entry. Pure.
 */
import type { z } from 'zod';
import { TopologySchema, type RawTopology } from './schema.js';

const SECTIONS = new Set(['hosts', 'roles', 'hypervisors', 'bastions']);

export interface Salvaged {
  readonly raw: RawTopology;
  /** Every name written under hosts/roles/hypervisors/bastions, valid or not. */
  readonly written: { readonly hosts: ReadonlySet<string>; readonly roles: ReadonlySet<string>; readonly hypervisors: ReadonlySet<string>; readonly bastions: ReadonlySet<string> };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function keysOf(data: Record<string, unknown>, section: string): Set<string> {
  const value = data[section];
  return new Set(isRecord(value) ? Object.keys(value) : []);
}

/**
 * Returns undefined when the file is not a mapping at all. `valid` is the shape check's result
 * when it passed: nothing to drop then (and no second check of 10,000 hosts).
 */
export function salvage(data: unknown, valid?: RawTopology): Salvaged | undefined {
  if (!isRecord(data)) return undefined;
  const written = {
    hosts: keysOf(data, 'hosts'),
    roles: keysOf(data, 'roles'),
    hypervisors: keysOf(data, 'hypervisors'),
    bastions: keysOf(data, 'bastions'),
  };
  if (valid) return { raw: valid, written };
  const copy = structuredClone(data);
  for (let round = 0; round < 10; round++) {
    const result = TopologySchema.safeParse(copy);
    if (result.success) return { raw: result.data, written };
    for (const issue of result.error.issues) drop(copy, issue);
  }
  return { raw: { hosts: {}, roles: {} }, written };
}

/**
 * Removes what an issue is about: unknown keys, or the bad value itself; when a required key is
 * missing, the whole entry (host, role…) or section goes.
 */
function drop(data: Record<string, unknown>, issue: z.core.$ZodIssue): void {
  const path = issue.path.map(String);
  const missing = issue.code === 'invalid_type' && (issue as { input?: unknown }).input === undefined;
  if (issue.code === 'unrecognized_keys') {
    const owner = walk(data, path);
    if (isRecord(owner)) for (const k of issue.keys) delete owner[k];
    return;
  }
  const top = path[0];
  if (top === undefined) return;
  if (missing) {
    const section = data[top];
    if (SECTIONS.has(top) && path.length > 2 && isRecord(section)) delete section[path[1] ?? ''];
    else if (top === 'hosts' || top === 'roles') data[top] = {};
    else deleteAt(data, path.length > 1 ? path.slice(0, -1) : path);
    return;
  }
  if (path.length === 1 && (top === 'hosts' || top === 'roles')) data[top] = {};
  else deleteAt(data, path);
}

function walk(data: unknown, path: readonly string[]): unknown {
  let node = data;
  for (const seg of path) node = isRecord(node) || Array.isArray(node) ? (node as Record<string, unknown>)[seg] : undefined;
  return node;
}

/** Deletes the value at `path` (list items are removed, so indexes shift: good enough for salvage). */
function deleteAt(data: Record<string, unknown>, path: readonly string[]): void {
  const parent = walk(data, path.slice(0, -1));
  const key = path[path.length - 1] ?? '';
  if (Array.isArray(parent)) parent.splice(Number(key), 1);
  else if (isRecord(parent)) delete parent[key];
}
