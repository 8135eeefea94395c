/**
 * planWaves: topological levels. A host's wave is one more than the latest wave among what it
 * waits for; hosts that wait for nothing are wave 1. Pure.
 */
import { InternalError } from '../errors.js';
import type { HostLink } from '../graph/index.js';
import { naturalOrderOf } from '../util/names.js';

export function planWaves(hosts: readonly string[], waitsFor: (host: string) => readonly HostLink[]): string[][] {
  const level = new Map<string, number>();
  const waves: string[][] = [];
  for (const host of hosts) {
    const l = levelOf(host, waitsFor, level);
    (waves[l] ??= []).push(host);
  }
  const order = naturalOrderOf(hosts);
  return waves.map((w) => w.sort(order));
}

/**
 * The level of `host`, computing what it waits for first. Depth-first with an explicit stack:
 * a chain of thousands of hosts must not overflow the call stack.
 */
function levelOf(host: string, waitsFor: (host: string) => readonly HostLink[], level: Map<string, number>): number {
  const known = level.get(host);
  if (known !== undefined) return known;
  const visiting = new Set<string>([host]);
  const stack: { host: string; links: readonly HostLink[]; next: number; max: number }[] = [{ host, links: waitsFor(host), next: 0, max: 0 }];
  for (;;) {
    const top = stack[stack.length - 1] as (typeof stack)[number];
    const link = top.links[top.next];
    if (link !== undefined) {
      top.next++;
      const l = level.get(link.host);
      if (l !== undefined) {
        top.max = Math.max(top.max, l + 1);
        continue;
      }
      if (visiting.has(link.host)) throw new InternalError(`cycle through ${link.host} reached planWaves`);
      visiting.add(link.host);
      stack.push({ host: link.host, links: waitsFor(link.host), next: 0, max: 0 });
      continue;
    }
    stack.pop();
    visiting.delete(top.host);
    level.set(top.host, top.max);
    const parent = stack[stack.length - 1];
    if (!parent) return top.max;
    parent.max = Math.max(parent.max, top.max + 1);
  }
}

