/**
 * Moving a pair's service off the node that leaves in a failover, and letting the node that
 * returns in a failback take part again. Run on the staying node, every step an event:
 *
 *   move:   pcs standby LEAVING → (single-primary with LEAVING Primary: resources stopped there,
 *           drbdadm secondary on LEAVING, drbdadm primary on STAYING, pcs resource cleanup)
 *           → every resource started on STAYING
 *   rejoin: pcs unstandby RETURNING → pcs resource cleanup → both nodes online, nothing failed,
 *           every resource started
 */
import type { SidePair } from '../plan/index.js';
import { drbdRead, judgePcsHealth, pcsView, type PairStep, type Verdict } from '../procedures/index.js';
import type { Host } from '../topology/index.js';
import { hostNamed, type ExecContext } from './context.js';
import { nodeRef, readDrbd, runPairStep, waitFor, type NodeRef } from './pair-steps.js';
import { runStep, type StepOutcome } from './step-runner.js';

type Wait = Extract<PairStep, { kind: 'pcs-wait' }>;

function hostOf(ctx: ExecContext, name: string): Host | undefined {
  return hostNamed(ctx.topology, name);
}


class PairSteps {
  readonly #ctx: ExecContext;
  readonly #sp: SidePair;
  readonly #label: string;

  constructor(ctx: ExecContext, sp: SidePair, label: 'failover' | 'failback') {
    this.#ctx = ctx;
    this.#sp = sp;
    this.#label = label;
  }

  #timing(): { pollMs: number; stepMs: number } {
    const h = hostOf(this.#ctx, this.#sp.staying);
    return { pollMs: h?.timeouts.pollMs ?? 2000, stepMs: h?.timeouts.stepMs ?? 300_000 };
  }

  /** Runs `step` on `on` as an event-visible step. */
  async run(step: PairStep, on: string, work?: (node: NodeRef) => Promise<StepOutcome>): Promise<boolean> {
    const node = nodeRef(on, `${on}/${this.#label}/${step.id}`, step);
    const outcome = await runStep(this.#ctx, node.plan, node.info, () => (work ? work(node) : runPairStep(this.#ctx, node, step, this.#sp.pair.drbd)));
    return outcome.status === 'passed' || outcome.status === 'planned' || outcome.status === 'skipped';
  }

  command(id: string, name: string, command: string, on: string): Promise<boolean> {
    return this.run({ id: `${this.#sp.pair.name}/${id}`, name, kind: 'run', on: 'primary', command, timeoutMs: this.#timing().stepMs }, on);
  }

  /** Waits on the staying node until `judge` passes on `pcs status`. */
  waitPcs(id: string, name: string, judge: (out: string) => Verdict): Promise<boolean> {
    const p = this.#sp.pair.pacemaker;
    const { pollMs } = this.#timing();
    const step: Wait = { id: `${this.#sp.pair.name}/${id}`, name, kind: 'pcs-wait', on: 'primary', read: 'pcs status', resources: p?.resources ?? [], nodes: 'both', pollMs, timeoutMs: p?.timeoutMs ?? 300_000 };
    return this.run(step, this.#sp.staying, (node) => waitFor(this.#ctx, node, step, judge));
  }
}

function standbyCommand(sp: SidePair, verb: 'standby' | 'unstandby', node: string): string {
  return sp.pair.pacemaker?.version === '2' ? `pcs node ${verb} ${node}` : `pcs cluster ${verb} ${node}`;
}

function verdict(ok: boolean, observed: string): Verdict {
  return ok ? { state: 'ok', observed } : { state: 'wait', observed };
}

/** Failover: the pair's resources leave `sp.moving` and run on `sp.staying`. */
export async function moveAway(ctx: ExecContext, sp: SidePair): Promise<boolean> {
  const p = sp.pair.pacemaker;
  if (!p) return true;
  const s = new PairSteps(ctx, sp, 'failover');
  const { moving: away, staying: stay } = sp;
  if (!(await s.command(`standby ${away}`, `standby ${away}`, standbyCommand(sp, 'standby', away), stay))) return false;
  const d = sp.pair.drbd;
  if (d?.mode === 'single-primary' && (await isPrimary(ctx, sp, away))) {
    const wanted = (id: string): boolean => p.resources.length === 0 || p.resources.includes(id);
    const gone = await s.waitPcs(`stopped on ${away}`, `resources stopped on ${away}`, (out) => {
      const v = pcsView(out);
      const left = v.resources.filter((r) => wanted(r.id) && r.started && r.node === away);
      return verdict(v.running && left.length === 0, left.length === 0 ? `nothing runs on ${away}` : `${left.map((r) => r.id).join(', ')} still on ${away}`);
    });
    if (!gone) return false;
    if (!(await s.command(`drbd secondary ${away}`, 'drbd secondary', `drbdadm secondary ${d.resource}`, away))) return false;
    if (!(await s.run({ id: `${sp.pair.name}/drbd primary ${stay}`, name: 'drbd primary', kind: 'promote', on: 'primary', command: `drbdadm primary ${d.resource}`, read: drbdRead(d), timeoutMs: hostOf(ctx, stay)?.timeouts.stepMs ?? 300_000 }, stay))) return false;
    if (!(await s.command('pcs resource cleanup', 'pcs resource cleanup', 'pcs resource cleanup', stay))) return false;
  }
  return s.waitPcs(`running on ${stay}`, `every resource started on ${stay}`, (out) => {
    const v = judgePcsHealth(pcsView(out), p.resources, stay);
    return verdict(v.ok, v.observed);
  });
}

/** Failback: `sp.moving` takes part in the cluster again. */
export async function rejoin(ctx: ExecContext, sp: SidePair): Promise<boolean> {
  const p = sp.pair.pacemaker;
  if (!p) return true;
  const s = new PairSteps(ctx, sp, 'failback');
  if (!(await s.command(`unstandby ${sp.moving}`, `unstandby ${sp.moving}`, standbyCommand(sp, 'unstandby', sp.moving), sp.staying))) return false;
  if (!(await s.command('pcs resource cleanup', 'pcs resource cleanup', 'pcs resource cleanup', sp.staying))) return false;
  return s.waitPcs('whole', 'both nodes online, nothing failed, every resource started', (out) => {
    const v = judgePcsHealth(pcsView(out), p.resources, 'both');
    return verdict(v.ok, v.observed);
  });
}

async function isPrimary(ctx: ExecContext, sp: SidePair, host: string): Promise<boolean> {
  const d = sp.pair.drbd;
  if (!d || ctx.dryRun) return ctx.dryRun;
  const node: NodeRef = { plan: { name: host }, info: { id: `${host}/drbd role`, name: 'drbd role', kind: 'drbd-wait', target: { kind: 'host', host }, command: drbdRead(d) } };
  const v = await readDrbd(ctx, node, d, hostOf(ctx, host)?.timeouts.stepMs ?? 60_000);
  return typeof v === 'object' && v.role === 'Primary';
}
