/**
 * What the service step's files share: running a command on the step's target, probing the
 * service's state, waiting for a state, its health check, and ending the step early (cancel, or
 * a state that cannot be read) by throwing a Halt that runService turns into the outcome.
 */
import type { HostPlan, PlanStep } from '../plan/index.js';
import { probeCommand, readState, type ServiceState, type ServiceTimes } from '../services/index.js';
import type { ServiceSpec } from '../topology/index.js';
import type { CommandResult } from '../transport/index.js';
import { formatDuration } from '../util/duration.js';
import { runCheck, type CheckStep } from './check-step.js';
import type { ExecContext } from './context.js';
import { poll } from './poll.js';
import { describeResult, execOn, type StepOutcome } from './step-runner.js';

export type ServiceStep = Extract<PlanStep, { kind: 'service' }>;

/** One service step being run. */
export interface ServiceRun {
  readonly ctx: ExecContext;
  readonly plan: HostPlan;
  readonly step: ServiceStep;
  readonly spec: ServiceSpec;
  readonly times: ServiceTimes;
}

/** Ends the step with this outcome, from however deep it is thrown. */
export class Halt extends Error {
  constructor(readonly outcome: StepOutcome) {
    super(outcome.message ?? outcome.status);
  }
}

export const CANCELLED: StepOutcome = { status: 'cancelled', message: 'cancelled' };

/** A failure decided by `command` (timed-out when that command timed out). */
export function failure(message: string, command: string, result?: CommandResult): StepOutcome {
  return { status: result?.outcome === 'timed-out' ? 'timed-out' : 'failed', message, command, ...(result ? { result } : {}) };
}

export const exitedZero = (r: CommandResult): boolean => r.outcome === 'exited' && r.exitCode === 0;

/** `0.4s`, `12.0s`, `2m05s`. */
export const seconds = (ms: number): string => (ms < 60_000 ? `${(Math.max(0, ms) / 1000).toFixed(1)}s` : formatDuration(ms));

export const elapsedSince = (x: ServiceRun, started: number): number => x.ctx.clock.now() - started;

/** Runs `command` (bounded by the step's timeout unless told); a cancel ends the step. */
export async function run(x: ServiceRun, command: string, timeoutMs = x.step.timeoutMs): Promise<CommandResult> {
  const r = await execOn(x.ctx, x.plan, x.step, command, timeoutMs);
  if (r.outcome === 'cancelled' || x.ctx.signal.aborted) throw new Halt({ ...CANCELLED, result: r });
  return r;
}

/** `svc -d /service/x: exit 111`, for messages. */
export const said = (command: string, r: CommandResult, timeoutMs: number): string => `${command}: ${describeResult(r, timeoutMs)}`;

/** The service's state now; a probe that does not run to its end (timeout, lost connection) ends the step. */
export async function probe(x: ServiceRun): Promise<ServiceState> {
  const command = probeCommand(x.spec);
  const r = await run(x, command);
  if (r.outcome !== 'exited') throw new Halt(failure(`cannot tell the state: ${said(command, r, x.step.timeoutMs)}`, command, r));
  return readState(x.spec, r);
}

export interface Waited {
  readonly ok: boolean;
  /** The last state seen. */
  readonly state: ServiceState;
}

/** Probes every `times.pollMs` until `want` holds or `deadlineMs` has passed (the first probe at once). */
export async function waitFor(x: ServiceRun, want: (s: ServiceState) => boolean, deadlineMs: number): Promise<Waited> {
  let state: ServiceState | undefined;
  const r = await poll(x.ctx, {
    deadlineMs, intervalMs: x.times.pollMs,
    attempt: async () => {
      state = await probe(x);
      return want(state) ? { done: state } : { wait: state.text };
    },
  });
  if (r.stopped === 'cancelled') throw new Halt(CANCELLED);
  if (!state) state = await probe(x);
  return { ok: r.done !== undefined, state };
}

export const isStopped = (s: ServiceState): boolean => s.known && !s.running;
export const isStarted = (s: ServiceState): boolean => s.running && s.settled;

/** The health check's outcome with the command it ran; undefined without one (or with `attempts: 0`). */
export async function health(x: ServiceRun): Promise<StepOutcome | undefined> {
  const h = x.spec.health;
  const planned = x.step.check;
  if (!h || !planned) return undefined;
  const check: CheckStep = {
    ...planned, id: `${x.step.id}/health`, name: h.name, kind: 'check',
    target: h.local ? { kind: 'local' } : x.step.target, role: x.step.role,
  };
  const out = await runCheck(x.ctx, x.plan, check);
  if (out.status === 'cancelled') throw new Halt(CANCELLED);
  return { ...out, command: check.command ?? check.describe };
}

export function warn(x: ServiceRun, message: string): void {
  x.ctx.emitter.emit({ type: 'warning', host: x.plan.name, message: `${x.step.name}: ${message}` });
}
