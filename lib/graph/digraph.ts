/**
 * A small directed graph with a label per edge, kept as adjacency maps both ways, and its
 * cycles as concrete paths. Pure. Replaces @dagrejs/graphlib, whose string-keyed edges cost more
 * than building the whole plan on a 10,000-host topology. Not a general graph library: nodes are
 * strings, at most one edge per ordered pair.
 */
import { compareNames } from '../util/names.js';

export class Digraph<L> {
  readonly #out = new Map<string, Map<string, L>>();
  /** Built from the out-edges when first asked for: validating and planning `up` never ask. */
  #in: Map<string, Map<string, L>> | undefined;

  addNode(v: string): void {
    if (!this.#out.has(v)) this.#out.set(v, new Map());
  }

  /** The label of the edge v → w, if there is one. */
  edge(v: string, w: string): L | undefined {
    return this.#out.get(v)?.get(w);
  }

  /** Adds (or relabels) the edge v → w, adding both nodes if needed. */
  setEdge(v: string, w: string, label: L): void {
    let out = this.#out.get(v);
    if (!out) this.#out.set(v, (out = new Map()));
    this.addNode(w);
    out.set(w, label);
    this.#in = undefined;
  }

  /**
   * Gives `v` these out-edges (to nodes already added). The map is kept, not copied: hosts with
   * the same roles share one (and must not be given more edges afterwards).
   */
  setOutEdges(v: string, edges: Map<string, L>): void {
    this.#out.set(v, edges);
    this.#in = undefined;
  }

  /** The nodes, in the order they were added. */
  nodes(): IterableIterator<string> {
    return this.#out.keys();
  }

  /** w → label for every edge v → w. */
  outEdges(v: string): ReadonlyMap<string, L> {
    return this.#out.get(v) ?? new Map<string, L>();
  }

  /** u → label for every edge u → v. */
  inEdges(v: string): ReadonlyMap<string, L> {
    if (!this.#in) {
      this.#in = new Map();
      for (const [u, edges] of this.#out) {
        for (const [w, label] of edges) {
          let into = this.#in.get(w);
          if (!into) this.#in.set(w, (into = new Map()));
          into.set(u, label);
        }
      }
    }
    return this.#in.get(v) ?? new Map<string, L>();
  }
}

/**
 * Each cycle as [a, b, …, a], following edges from → to: one per strongly connected component
 * (of more than one node, or one with an edge to itself), the shortest loop through its smallest
 * node. Sorted by that node, so that messages are deterministic.
 */
export function findCyclePaths<L>(g: Digraph<L>): string[][] {
  const cycles: string[][] = [];
  for (const component of stronglyConnected(g)) {
    const only = component[0];
    if (component.length === 1 && (only === undefined || g.edge(only, only) === undefined)) continue;
    const start = [...component].sort(compareNames)[0];
    if (start === undefined) continue;
    const path = shortestLoop(g, start, new Set(component));
    if (path) cycles.push(path);
  }
  return cycles.sort((a, b) => compareNames(a[0] ?? '', b[0] ?? ''));
}

/** Tarjan's algorithm without recursion (a chain of 10,000 hosts must not overflow the stack). */
function stronglyConnected<L>(g: Digraph<L>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  let next = 0;
  for (const root of g.nodes()) {
    if (index.has(root)) continue;
    const work: { v: string; successors: Iterator<string> }[] = [];
    const enter = (v: string): void => {
      index.set(v, next);
      low.set(v, next);
      next++;
      stack.push(v);
      onStack.add(v);
      work.push({ v, successors: g.outEdges(v).keys() });
    };
    enter(root);
    while (work.length > 0) {
      const frame = work[work.length - 1] as (typeof work)[number];
      const step = frame.successors.next();
      if (!step.done) {
        const w = step.value;
        if (!index.has(w)) enter(w);
        else if (onStack.has(w)) low.set(frame.v, Math.min(low.get(frame.v) ?? 0, index.get(w) ?? 0));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.v, Math.min(low.get(parent.v) ?? 0, low.get(frame.v) ?? 0));
      if (low.get(frame.v) !== index.get(frame.v)) continue;
      const component: string[] = [];
      for (;;) {
        const w = stack.pop() as string;
        onStack.delete(w);
        component.push(w);
        if (w === frame.v) break;
      }
      out.push(component);
    }
  }
  return out;
}

/** Breadth-first from `start` back to itself, staying inside the strongly connected component. */
function shortestLoop<L>(g: Digraph<L>, start: string, members: ReadonlySet<string>): string[] | undefined {
  const previous = new Map<string, string>();
  const queue: string[] = [start];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head] as string;
    const next = [...g.outEdges(node).keys()].filter((n) => members.has(n)).sort(compareNames);
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
