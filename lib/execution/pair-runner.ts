/**
 * A redundant pair as one unit of the run: both hosts run their own steps up to their `pair`
 * step side by side, then the pair's procedure runs once, every state checked before the next
 * step (pair-steps.ts). Who is the primary going up: --primary, else the node recorded as shut
 * down last, else what the nodes show (the resync source; with equal data the first node).
 * Going down, the node found active is the primary; it goes last and is recorded.
 *
 * In a failover or failback only one host of the pair is in the plan (a member): the other
 * keeps running and is the primary; the one-node procedure runs with these roles fixed.
 */
import type { Action, HostPlan, PairPlan } from '../plan/index.js';
import { InternalError } from '../errors.js';
import { own } from '../util/own.js';
import { activeNode, judgePcs, pcsView, type DrbdView, type PcsView, type PairProcedure, type PairStep } from '../procedures/index.js';
import { hostNamed, type ExecContext } from './context.js';
import { runHost, type HostResult } from './host-runner.js';
import { nodeRef, readDrbd, runPairStep, type NodeRef } from './pair-steps.js';
import { poll } from './poll.js';
import { runStep, skipStep, type StepOutcome } from './step-runner.js';

export interface PairUnit {
  readonly pair: PairPlan;
  /** The plans of the pair's members (both hosts, or the one leaving or returning). */
  readonly hosts: readonly HostPlan[];
}

interface Roles {
  primary: string;
  secondary: string;
  /** Set by a failover or failback: the primary keeps running and must stay the primary. */
  readonly fixed: boolean;
}

type Decision = { readonly procedure: PairProcedure; readonly roles: Roles; readonly learn: boolean } | { readonly result: HostResult };

export async function runPairUnit(ctx: ExecContext, unit: PairUnit, action: Action, powered: (host: string) => () => void): Promise<Map<string, HostResult>> {
  const pre = await Promise.all(unit.hosts.map((h) => runHost(ctx, h, action, powered(h.name))));
  const results = new Map<string, HostResult>(unit.hosts.map((h, i) => [h.name, pre[i] ?? { status: 'failed' }]));
  const present = unit.hosts.filter((_, i) => pre[i]?.atPair === true).map((h) => h.name);
  const broken = unit.hosts.filter((_, i) => pre[i]?.atPair !== true && pre[i]?.status !== 'already-down');
  if (broken.length > 0 || (action === 'up' && present.length < unit.hosts.length)) {
    const why = broken.map((h) => `${h.name} ${results.get(h.name)?.status ?? 'failed'}`).join(', ');
    // These hosts ran (powered on, booted): they did not reach the target because the pair could not, which is a failure, not "never started".
    for (const h of present) results.set(h, { status: 'failed', reason: `${action === 'up' ? 'booted' : 'running'}, but the ${unit.pair.name} pair procedure needs ${unit.hosts.length === 2 ? 'both nodes' : 'its node'} (${why})` });
    return results;
  }
  if (present.length === 0) return results;
  const wasOn = unit.hosts.every((_, i) => pre[i]?.wasOn === true);
  const outcome = await new PairRun(ctx, unit, action, present).run(wasOn);
  for (const h of present) results.set(h, outcome);
  return results;
}

class PairRun {
  readonly #ctx: ExecContext;
  readonly #unit: PairUnit;
  readonly #action: Action;
  readonly #present: readonly string[];

  constructor(ctx: ExecContext, unit: PairUnit, action: Action, present: readonly string[]) {
    this.#ctx = ctx;
    this.#unit = unit;
    this.#action = action;
    this.#present = present;
  }

  async run(wasOn: boolean): Promise<HostResult> {
    const pair = this.#unit.pair;
    const decided = this.#ctx.dryRun ? this.#planned() : await this.#decide(wasOn);
    if ('result' in decided) return decided.result;
    const { roles } = decided;
    let learn = decided.learn;
    for (const step of this.#steps(decided.procedure)) {
      if (learn && step.kind === 'drbd-wait') {
        learn = false;
        await this.#learnPrimary(roles, step.pollMs);
      }
      // Going down with one node already off (a failover took it), its steps have nothing to do.
      if (this.#action === 'down' && !roles.fixed && !this.#present.includes(roles[step.on])) {
        const node = this.#node(roles[step.on], step);
        skipStep(this.#ctx, node.plan, node.info, 'already off');
        continue;
      }
      // With the other node already off, a whole-cluster command cannot reach it: this node's own.
      const alone = this.#action === 'down' && this.#present.length === 1 && step.kind === 'run' && step.alone !== undefined;
      const outcome = await this.#step(alone ? { ...step, command: step.alone ?? step.command } : step, roles);
      if (outcome.status === 'cancelled') return { status: 'cancelled' };
      if (outcome.status === 'failed' || outcome.status === 'timed-out') {
        return { status: 'failed', reason: `${pair.name}: ${step.name} on ${roles[step.on]}: ${outcome.message ?? outcome.status}` };
      }
    }
    if (this.#ctx.dryRun) return { status: 'planned' };
    if (this.#action === 'down') this.#ctx.pairs.remember(pair.name, roles.primary);
    return { status: this.#action === 'up' ? 'up' : 'down' };
  }

  #steps(procedure: PairProcedure): readonly PairStep[] {
    const p = this.#unit.pair;
    if (procedure === p.procedure) return p.steps;
    if ((procedure === 'one-up' || procedure === 'one-down') && p.oneNode) return p.oneNode;
    throw new InternalError(`pair ${p.name}: the plan has no ${procedure} procedure`);
  }

  #node(host: string, step: PairStep): NodeRef {
    return nodeRef(host, `${host}/${step.id}`, step);
  }

  /** A dry run shows the plan's procedure with the known (or first) node as primary. */
  #planned(): Decision {
    const p = this.#unit.pair;
    const primary = p.primary?.host ?? p.hosts[0];
    return { procedure: p.procedure, roles: { primary, secondary: p.hosts.find((h) => h !== primary) ?? p.hosts[1], fixed: p.primary?.source === 'staying' }, learn: false };
  }

  async #step(step: PairStep, roles: Roles): Promise<StepOutcome> {
    const host = roles[step.on];
    const node = this.#node(host, step);
    if (step.kind === 'shutdown') return this.#shutdown(host);
    if (step.kind === 'find-primary') {
      return runStep(this.#ctx, node.plan, node.info, async () => {
        const found = this.#ctx.dryRun ? undefined : await this.#findActive(step.read, roles);
        if (found !== undefined && found !== roles.primary && roles.fixed) {
          return { status: 'failed', message: `the resources still run on ${found}, which is leaving: move them to ${roles.primary} first (pcs standby ${found})` };
        }
        if (found !== undefined && found !== roles.primary) Object.assign(roles, { primary: found, secondary: roles.primary });
        return { status: 'passed', message: `${roles.primary} is the primary${found === undefined ? ' (no active node found: the first node)' : ' (it runs the resources)'}` };
      });
    }
    return runStep(this.#ctx, node.plan, node.info, () => runPairStep(this.#ctx, node, step, this.#unit.pair.drbd));
  }

  async #shutdown(host: string): Promise<StepOutcome> {
    const plan = this.#unit.hosts.find((h) => h.name === host);
    if (!plan) return { status: 'failed', message: `no host ${host}` };
    const r = await runHost(this.#ctx, plan, 'down', () => undefined, own(this.#unit.pair.shutdown, host) ?? []);
    if (r.status === 'down' || r.status === 'planned') return { status: 'passed' };
    return { status: r.status === 'cancelled' ? 'cancelled' : 'failed', message: r.reason ?? r.status };
  }

  /** The node running the pair's resources, from `pcs status` on a present node (on the primary when it stays); without Pacemaker, the DRBD Primary. */
  async #findActive(read: string, roles: Roles): Promise<string | undefined> {
    const pcs = this.#unit.pair.pacemaker;
    const host = hostNamed(this.#ctx.plan, roles.fixed ? roles.primary : this.#present[0] ?? '');
    if (!pcs && this.#unit.pair.drbd) {
      // Without Pacemaker the active node is the DRBD Primary (single-primary); with two, the first.
      const views = await this.#views();
      const primaries = this.#unit.pair.hosts.filter((h, i) => this.#present.includes(h) && typeof views[i] === 'object' && (views[i] as DrbdView).role === 'Primary');
      return primaries.length === 1 ? primaries[0] : this.#present.length === 1 ? this.#present[0] : undefined;
    }
    if (!pcs || !host) return this.#present.length === 1 ? this.#present[0] : undefined;
    const v = await this.#readPcs(host.name, read);
    return v ? activeNode(v, pcs.resources) : undefined;
  }

  /** The cluster as `read` (the plan's `pcs status`) shows it on `node`; undefined when it cannot be read. */
  async #readPcs(node: string, read: string): Promise<PcsView | undefined> {
    const host = hostNamed(this.#ctx.plan, node);
    if (!host) return undefined;
    const r = await this.#ctx.transport.exec(host.ssh, read, { signal: this.#ctx.signal, timeoutMs: host.timeouts.stepMs });
    return r.outcome === 'exited' ? pcsView(r.stdout) : undefined;
  }

  async #views(): Promise<(DrbdView | string)[]> {
    const d = this.#unit.pair.drbd;
    if (!d) return [];
    const probe = this.#unit.pair.steps[0] as PairStep;
    return Promise.all(this.#unit.pair.hosts.map((h) => readDrbd(this.#ctx, this.#node(h, probe), d, 60_000)));
  }

  /** Which procedure, and who is who, from what the nodes show now. */
  async #decide(wasOn: boolean): Promise<Decision> {
    const pair = this.#unit.pair;
    const [x, y] = pair.hosts;
    const other = (h: string): string => (h === x ? y : x);
    if (pair.primary?.source === 'staying') return this.#oneNode(wasOn, pair.primary.host);
    if (this.#action === 'down') {
      const only = this.#present.length === 1 ? this.#present[0] : undefined;
      return { procedure: 'both-down', roles: only ? { primary: only, secondary: other(only), fixed: false } : { primary: x, secondary: y, fixed: false }, learn: false };
    }
    const known = pair.primary?.host;
    const views = await this.#views();
    const up = pair.hosts.filter((_, i) => typeof views[i] === 'object' && (views[i] as DrbdView).configured);
    // One node up as the Primary carries the pair: the other joins it. One node up but Secondary
    // is a both-up cut short: it goes on (drbdadm up of the node already up is skipped).
    const carrier = up.length === 1 && (views[pair.hosts.indexOf(up[0] ?? x)] as DrbdView).role === 'Primary';
    if (pair.drbd && carrier) return { procedure: 'one-up', roles: { primary: up[0] ?? x, secondary: other(up[0] ?? x), fixed: false }, learn: false };
    if (pair.drbd && up.length === 2 && views.every((v) => this.#healthy(v)) && (await this.#clusterUp(pair.hosts, 'both'))) return { result: { status: wasOn ? 'already-up' : 'up' } };
    const promotedNow = pair.hosts.some((_, i) => typeof views[i] === 'object' && (views[i] as DrbdView).role === 'Primary');
    if (known === undefined && pair.drbd && !promotedNow) {
      this.#ctx.emitter.emit({ type: 'warning', message: `${pair.name}: no primary recorded and none given (--primary): bringing DRBD up on both, then taking the node with the newest data (the resync source), or ${x} if both are equal` });
    }
    // A node already Primary (a both-up cut short after the promotion) stays the primary.
    const promoted = pair.hosts.find((_, i) => typeof views[i] === 'object' && (views[i] as DrbdView).role === 'Primary');
    const primary = promoted ?? known ?? x;
    return { procedure: 'both-up', roles: { primary, secondary: other(primary), fixed: false }, learn: promoted === undefined && known === undefined && pair.drbd !== undefined };
  }

  /** A failover's or failback's member: the one-node procedure, unless DRBD shows it already done. */
  async #oneNode(wasOn: boolean, staying: string): Promise<Decision> {
    const pair = this.#unit.pair;
    const member = pair.hosts.find((h) => h !== staying) ?? staying;
    const roles = { primary: staying, secondary: member, fixed: true };
    if (this.#action === 'up' && pair.drbd && wasOn) {
      const views = await this.#views();
      const mine = views[pair.hosts.indexOf(member)];
      // DRBD in sync is not enough: a run cut short before `pcs cluster start` left the node out of the cluster.
      if (this.#healthy(mine) && (await this.#clusterUp([member], 'self'))) return { result: { status: 'already-up' } };
    }
    return { procedure: pair.procedure, roles, learn: false };
  }

  /** Without Pacemaker, true; with it, whether `pcs status` on a present node shows these nodes online (and, for `both`, every resource started). */
  async #clusterUp(nodes: readonly string[], scope: 'both' | 'self'): Promise<boolean> {
    const p = this.#unit.pair.pacemaker;
    if (!p) return true;
    const on = this.#present[0];
    const read = [...this.#unit.pair.steps, ...(this.#unit.pair.oneNode ?? [])].find((s) => s.kind === 'pcs-wait');
    const v = on === undefined ? undefined : await this.#readPcs(on, read?.kind === 'pcs-wait' ? read.read : 'pcs status');
    if (!v) return false;
    return nodes.every((n) => judgePcs(v, { resources: scope === 'both' ? p.resources : [], nodes: scope, self: n }).state === 'ok');
  }

  #healthy(v: DrbdView | string | undefined): boolean {
    const dual = this.#unit.pair.drbd?.mode !== 'single-primary';
    return typeof v === 'object' && v.cstate === 'Connected' && v.disk === 'UpToDate' && v.peerDisk === 'UpToDate' && (!dual || v.role === 'Primary');
  }

  /** With no primary known: wait until the nodes connect; the resync source has the newest data. Split brain stops the run. */
  async #learnPrimary(roles: Roles, pollMs: number): Promise<void> {
    const d = this.#unit.pair.drbd;
    if (!d) return;
    const first = this.#unit.pair.hosts[0];
    const probe = this.#unit.pair.steps[0] as PairStep;
    const seen = await poll<DrbdView>(this.#ctx, {
      deadlineMs: d.timeoutMs,
      intervalMs: pollMs,
      attempt: async () => {
        const v = await readDrbd(this.#ctx, this.#node(first, probe), d, 60_000);
        if (typeof v === 'string') return { wait: v };
        return ['Connected', 'SyncSource', 'SyncTarget', 'StandAlone'].includes(v.cstate) ? { done: v } : { wait: v.cstate };
      },
    });
    if (!seen.done || seen.done.cstate === 'StandAlone') return; // the wait step reports it
    if (seen.done.cstate === 'SyncTarget') Object.assign(roles, { primary: roles.secondary, secondary: roles.primary });
    this.#ctx.emitter.emit({ type: 'warning', message: `${this.#unit.pair.name}: ${roles.primary} taken as the primary (${seen.done.cstate === 'Connected' ? 'both had the same data' : 'it has the newest data'})` });
  }
}
