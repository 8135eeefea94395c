/**
 * Cycles in a directed graph, each as a concrete path (not just the set of nodes), starting at
 * its smallest node so that messages are deterministic. Pure.
 */
import { Graph, alg } from '@dagrejs/graphlib';
import { compareNames } from './names.js';

/** Each cycle as [a, b, …, a], following edges from → to. */
export function findCyclePaths(graph: Graph): string[][] {
  if (alg.isAcyclic(graph)) return [];
  const cycles: string[][] = [];
  for (const component of alg.findCycles(graph)) {
    const members = new Set(component);
    const start = [...component].sort(compareNames)[0];
    if (start === undefined) continue;
    const path = shortestLoop(graph, start, members);
    if (path) cycles.push(path);
  }
  return cycles.sort((a, b) => compareNames(a[0] ?? '', b[0] ?? ''));
}

/** Breadth-first from `start` back to itself, staying inside the strongly connected component. */
function shortestLoop(graph: Graph, start: string, members: ReadonlySet<string>): string[] | undefined {
  const previous = new Map<string, string>();
  const queue: string[] = [start];
  while (queue.length > 0) {
    const node = queue.shift() as string;
    const next = (graph.successors(node) ?? []).filter((n) => members.has(n)).sort(compareNames);
    for (const succ of next) {
      if (succ === start) {
        const back: string[] = [];
        for (let n: string | undefined = node; n !== undefined && n !== start; n = previous.get(n)) back.push(n);
        return [start, ...back.reverse(), start];
      }
      if (!previous.has(succ)) {
        previous.set(succ, node);
        queue.push(succ);
      }
    }
  }
  return undefined;
}
