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

/** Returns undefined when the file is not a mapping at all. */
export function salvage(data: unknown): Salvaged | undefined {
  if (!isRecord(data)) return undefined;
  const written = {
    hosts: keysOf(data, 'hosts'),
    roles: keysOf(data, 'roles'),
    hypervisors: keysOf(data, 'hypervisors'),
    bastions: keysOf(data, 'bastions'),
  };
  const copy = structuredClone(data);
  for (let round = 0; round < 4; round++) {
    const result = TopologySchema.safeParse(copy);
    if (result.success) return { raw: result.data, written };
    for (const issue of result.error.issues) drop(copy, issue);
  }
  return { raw: { hosts: {}, roles: {} }, written };
}

function drop(data: Record<string, unknown>, issue: z.core.$ZodIssue): void {
  if (issue.path.length === 0) {
    if (issue.code === 'unrecognized_keys') for (const k of issue.keys) delete data[k];
    return;
  }
  const [top, entry] = issue.path;
  if (typeof top !== 'string') return;
  const section = data[top];
  if (SECTIONS.has(top) && isRecord(section) && typeof entry === 'string') {
    delete section[entry];
  } else if (top === 'hosts' || top === 'roles') {
    data[top] = {};
  } else {
    delete data[top];
  }
}
