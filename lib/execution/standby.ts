/**
 * Running a pair's move (failover) or rejoin (failback) as the plan lists it (plan/moves.ts):
 * each step an event, on the node it names. Steps marked `when: leaving-primary` run only when
 * the leaving node is the DRBD Primary (single-primary pairs: its resources must stop there and
 * the staying node be promoted); the waits judge `pcs status` as the step says.
 */
import type { MoveStep, SidePairPlan } from '../plan/index.js';
import { drbdRead, judgePcsHealth, pcsView, type Verdict } from '../procedures/index.js';
import { hostNamed, type ExecContext } from './context.js';
import { nodeRef, readDrbd, runPairStep, waitFor, type NodeRef } from './pair-steps.js';
import { runStep, type StepOutcome } from './step-runner.js';

function verdict(ok: boolean, observed: string): Verdict {
  return ok ? { state: 'ok', observed } : { state: 'wait', observed };
}

/** How a move's wait judges `pcs status`. */
function judgeOf(sp: SidePairPlan, step: MoveStep): (out: string) => Verdict {
  const resources = sp.pair.pacemaker?.resources ?? [];
  switch (step.judge) {
    case 'stopped-on': {
      const wanted = (id: string): boolean => resources.length === 0 || resources.includes(id);
      return (out) => {
        const v = pcsView(out);
        const left = v.resources.filter((r) => wanted(r.id) && r.started && r.node === sp.moving);
        return verdict(v.running && left.length === 0, left.length === 0 ? `nothing runs on ${sp.moving}` : `${left.map((r) => r.id).join(', ')} still on ${sp.moving}`);
      };
    }
    case 'running-on':
      return (out) => {
        const v = judgePcsHealth(pcsView(out), resources, sp.staying);
        return verdict(v.ok, v.observed);
      };
    default:
      return (out) => {
        const v = judgePcsHealth(pcsView(out), resources, 'both');
        return verdict(v.ok, v.observed);
      };
  }
}

/** Runs the pair's move or rejoin steps in order; false when one failed (the rest are not run). */
export async function runMoves(ctx: ExecContext, sp: SidePairPlan, label: 'failover' | 'failback'): Promise<boolean> {
  let leavingPrimary: boolean | undefined;
  for (const step of sp.steps) {
    if (ctx.signal.aborted) return false;
    if (step.when === 'leaving-primary') {
      leavingPrimary ??= await isPrimary(ctx, sp, sp.moving);
      if (!leavingPrimary) continue;
    }
    const node = nodeRef(step.host, `${step.host}/${label}/${step.id}`, step);
    const work = step.kind === 'pcs-wait'
      ? (n: NodeRef): Promise<StepOutcome> => waitFor(ctx, n, step, judgeOf(sp, step))
      : (n: NodeRef): Promise<StepOutcome> => runPairStep(ctx, n, step, sp.pair.drbd);
    const outcome = await runStep(ctx, node.plan, node.info, () => work(node));
    if (outcome.status !== 'passed' && outcome.status !== 'planned' && outcome.status !== 'skipped') return false;
  }
  return true;
}

async function isPrimary(ctx: ExecContext, sp: SidePairPlan, host: string): Promise<boolean> {
  const d = sp.pair.drbd;
  if (!d || ctx.dryRun) return ctx.dryRun;
  const node: NodeRef = { plan: { name: host }, info: { id: `${host}/drbd role`, name: 'drbd role', kind: 'drbd-wait', target: { kind: 'host', host }, command: drbdRead(d) } };
  const v = await readDrbd(ctx, node, d, hostNamed(ctx.plan, host)?.timeouts.stepMs ?? 60_000);
  return typeof v === 'object' && v.role === 'Primary';
}
