/**
 * planWaves: topological levels. A host's wave is one more than the latest wave among what it
 * waits for; hosts that wait for nothing are wave 1. Pure.
 */
import { InternalError } from '../errors.js';
import type { HostLink } from '../graph/index.js';
import { compareNames } from '../util/names.js';

export function planWaves(hosts: readonly string[], waitsFor: (host: string) => readonly HostLink[]): string[][] {
  const level = new Map<string, number>();
  const visiting = new Set<string>();
  const levelOf = (host: string): number => {
    const known = level.get(host);
    if (known !== undefined) return known;
    if (visiting.has(host)) throw new InternalError(`cycle through ${host} reached planWaves`);
    visiting.add(host);
    const value = waitsFor(host).reduce((max, link) => Math.max(max, levelOf(link.host) + 1), 0);
    visiting.delete(host);
    level.set(host, value);
    return value;
  };
  const waves: string[][] = [];
  for (const host of hosts) {
    const l = levelOf(host);
    (waves[l] ??= []).push(host);
  }
  return waves.map((w) => w.sort(compareNames));
}
