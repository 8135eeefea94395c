/**
 * Running one step of a pair procedure on the node it names: commands, promotions that check
 * the node first, and waits that read DRBD or Pacemaker state until it is right, a deadline
 * passes, or the state is one that must stop the run (split brain, a node unfit for promotion).
 */
import { drbdRead, drbdView, judgeDrbd, judgePcs, judgePromotion, pcsView, type DrbdView, type PairStep, type Verdict } from '../procedures/index.js';
import type { PairDrbd } from '../topology/index.js';
import { describeDuration } from '../util/duration.js';
import { hostNamed, type ExecContext } from './context.js';
import { poll } from './poll.js';
import { commandOutcome, describeResult, execOn, type StepHost, type StepInfo, type StepOutcome } from './step-runner.js';

export interface NodeRef {
  readonly plan: StepHost;
  readonly info: StepInfo;
}

/** A pair step on `host`, as the step runner sees it (its command, or what it reads). */
export function nodeRef(host: string, id: string, step: PairStep): NodeRef {
  const command = 'command' in step ? step.command : 'read' in step ? step.read : undefined;
  return { plan: { name: host }, info: { id, name: step.name, kind: step.kind, target: { kind: 'host', host }, ...(command === undefined ? {} : { command }) } };
}

/** Reads the node's DRBD state (8.4: /proc/drbd; 9: drbdadm status). */
export async function readDrbd(ctx: ExecContext, node: NodeRef, drbd: PairDrbd, timeoutMs: number): Promise<DrbdView | string> {
  const r = await execOn(ctx, node.plan, node.info, drbdRead(drbd), timeoutMs, { poll: true });
  if (r.outcome !== 'exited') return describeResult(r, timeoutMs);
  // drbdadm status exits 10 when the resource is down: that is a state, not an error.
  return drbdView(r.stdout, drbd);
}

function refused(v: Extract<Verdict, { state: 'refuse' }>): StepOutcome {
  return { status: 'failed', message: `${v.observed}: ${v.advice}` };
}

/** Polls `read` until `judge` says ok; refuse stops at once; the deadline gives the last observation. */
export async function waitFor(ctx: ExecContext, node: NodeRef, step: Extract<PairStep, { pollMs: number }>, judge: (stdout: string) => Verdict): Promise<StepOutcome> {
  let refusal: Extract<Verdict, { state: 'refuse' }> | undefined;
  const result = await poll<string>(ctx, {
    deadlineMs: step.timeoutMs,
    intervalMs: step.pollMs,
    attempt: async (remaining) => {
      const stepMs = hostNamed(ctx.plan, node.plan.name)?.timeouts.stepMs ?? 60_000;
      const r = await execOn(ctx, node.plan, node.info, step.read, Math.min(remaining, stepMs), { poll: true });
      if (r.outcome !== 'exited') return { wait: describeResult(r, remaining) };
      const v = judge(r.stdout);
      if (v.state === 'refuse') {
        refusal = v;
        return { fail: v.observed };
      }
      return v.state === 'ok' ? { done: v.observed } : { wait: v.observed };
    },
  });
  if (result.done !== undefined) return { status: 'passed', message: result.done };
  if (result.stopped === 'cancelled') return { status: 'cancelled', message: `cancelled while waiting (${result.attempts} look${result.attempts === 1 ? '' : 's'}; last seen: ${result.observed})` };
  if (refusal) return refused(refusal);
  return { status: 'timed-out', message: `not reached within ${describeDuration(step.timeoutMs)}; last seen: ${result.observed}` };
}

export async function runPairStep(ctx: ExecContext, node: NodeRef, step: PairStep, drbd: PairDrbd | undefined): Promise<StepOutcome> {
  switch (step.kind) {
    case 'run': {
      if (step.unless !== undefined && drbd) {
        // drbdadm up on a configured resource fails (exit 20): a rerun continues where the last run stopped.
        const v = await readDrbd(ctx, node, drbd, step.timeoutMs);
        if (typeof v === 'object' && v.configured === (step.unless === 'drbd-up')) return { status: 'skipped', message: step.unless === 'drbd-up' ? `already up (${v.cstate})` : 'already down' };
      }
      return commandOutcome(await execOn(ctx, node.plan, node.info, step.command, step.timeoutMs), step.timeoutMs);
    }
    case 'promote': {
      if (!drbd) return { status: 'skipped', message: 'no DRBD on this pair' };
      const v = await readDrbd(ctx, node, drbd, step.timeoutMs);
      if (typeof v === 'string') return { status: 'failed', message: `cannot read the DRBD state: ${v}` };
      if (v.role === 'Primary') return { status: 'passed', message: 'already Primary' };
      const verdict = judgePromotion(v, drbd.resource);
      if (verdict.state === 'refuse') return refused(verdict);
      return commandOutcome(await execOn(ctx, node.plan, node.info, step.command, step.timeoutMs), step.timeoutMs);
    }
    case 'drbd-wait':
      if (!drbd) return { status: 'skipped', message: 'no DRBD on this pair' };
      return waitFor(ctx, node, step, (out) => judgeDrbd(drbdView(out, drbd), step.expect, drbd.resource));
    case 'pcs-wait':
      return waitFor(ctx, node, step, (out) => judgePcs(pcsView(out), { resources: step.resources, nodes: step.nodes, self: node.plan.name }));
    case 'find-primary':
    case 'shutdown':
      return { status: 'failed', message: `${step.kind} is run by the pair runner` };
  }
}
