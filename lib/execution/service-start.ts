/**
 * Starting a service (start, once, restart) under its restart policy: an attempt runs the start
 * command, waits until the manager shows the service running (10 s at most) and runs the health
 * check. A failed attempt counts; the count starts again when the previous failure is more than
 * the window ago; between attempts what is there is stopped (systemd: reset-failed, restart).
 * systemd units cap the attempts one below their StartLimitBurst.
 */
import {
  countFailure, MAX_ROUNDS, NO_FAILURES, parseStartLimitBurst, probeCommand, startedVerb, startLimitBurst, startLimitCap, startPlan,
  type RestartCount,
} from '../services/index.js';
import type { CommandResult } from '../transport/index.js';
import { describeDuration } from '../util/duration.js';
import { exitedZero, failure, health, isStarted, probe, run, said, waitFor, warn, type ServiceRun } from './service-exec.js';
import { stopService } from './service-stop.js';
import type { StepOutcome } from './step-runner.js';

/** A failed attempt: why, and the command that decided it. */
interface Failed {
  readonly reason: string;
  readonly command: string;
  readonly result?: CommandResult | undefined;
  /** Nothing more may be tried (what is there could not be stopped). */
  readonly final?: boolean;
}

type Attempt = { readonly ok: true; readonly detail: string; readonly stopped?: string } | ({ readonly ok: false } & Failed);

export async function startService(x: ServiceRun): Promise<StepOutcome> {
  const spec = x.spec;
  const failures: Failed[] = [];
  let count: RestartCount = NO_FAILURES;
  const counted = (f: Failed): void => {
    failures.push(f);
    count = countFailure(count, x.ctx.clock.now(), spec.restart.windowMs);
  };
  if (spec.action !== 'restart') {
    const state = await probe(x);
    if (isStarted(state)) {
      const h = await health(x);
      if (!h) return { status: 'passed', message: `already running (${state.text})` };
      if (h.status === 'passed') return { status: 'passed', message: `already running; health passed: ${h.message ?? ''}` };
      counted({ reason: `already running, but health ${h.message ?? 'failed'}`, command: h.command ?? '', result: h.result });
    }
  }
  const cap = await capByStartLimit(x, spec.restart.attempts);
  while (count.streak < cap && failures.length < MAX_ROUNDS * cap) {
    const previous = failures.at(-1);
    if (previous) warn(x, `attempt ${failures.length} failed (${previous.reason}); ${cap - count.streak} more allowed, trying again`);
    const a = await attempt(x, previous !== undefined);
    if (a.ok) return { status: 'passed', message: success(x, a, failures, cap, count) };
    counted(a);
    if (a.final === true) break;
  }
  const last = failures.at(-1) ?? { reason: 'no attempt', command: probeCommand(spec) };
  const list = failures.map((f, i) => `attempt ${i + 1}: ${f.reason}`).join('; ');
  const verb = spec.action === 'restart' ? 'restart' : 'start';
  return failure(failures.length === 1 ? last.reason : `did not ${verb} in ${failures.length} attempts (${list})`, last.command, last.result);
}

function success(x: ServiceRun, a: Extract<Attempt, { ok: true }>, failures: readonly Failed[], cap: number, count: RestartCount): string {
  const n = failures.length + 1;
  const head = n === 1 ? startedVerb(x.spec.action) : `${startedVerb(x.spec.action)} on attempt ${n}${count.restarted ? '' : ` of ${cap}`}`;
  const stopped = a.stopped !== undefined && x.spec.action === 'restart' && n === 1 ? `: ${a.stopped}` : '';
  const before = failures.length === 0 ? '' : ` (${failures.map((f, i) => `attempt ${i + 1}: ${f.reason}`).join('; ')})`;
  return `${head}${stopped}; ${a.detail}${before}`;
}

/** One attempt: stop what is there if needed, start, wait until running, health. */
async function attempt(x: ServiceRun, retry: boolean): Promise<Attempt> {
  const plan = startPlan(x.spec, retry);
  let stopped: string | undefined;
  if (plan.stopFirst) {
    const s = await stopService(x);
    if (s.status !== 'passed') return { ok: false, reason: `could not stop it first: ${s.message ?? s.status}`, command: s.command ?? '', result: s.result, final: true };
    stopped = s.message;
  }
  if (plan.prepare !== undefined) await run(x, plan.prepare);
  const r = await run(x, plan.command);
  if (!exitedZero(r)) return { ok: false, reason: said(plan.command, r, x.step.timeoutMs), command: plan.command, result: r };
  const waited = await waitFor(x, isStarted, x.times.startMs);
  if (!waited.ok) return { ok: false, reason: `not running ${describeDuration(x.times.startMs)} after ${plan.command}: ${waited.state.text}`, command: probeCommand(x.spec) };
  const h = await health(x);
  if (h && h.status !== 'passed') return { ok: false, reason: `health ${h.message ?? 'failed'}`, command: h.command ?? '', result: h.result };
  const detail = h ? `health passed: ${h.message ?? ''}` : waited.state.text;
  return stopped === undefined ? { ok: true, detail } : { ok: true, detail, stopped };
}

/** systemd: at most StartLimitBurst - 1 attempts, so that the unit's start limit never refuses one. */
async function capByStartLimit(x: ServiceRun, attempts: number): Promise<number> {
  if (x.spec.manager !== 'systemd' || attempts <= 1) return attempts;
  const command = startLimitBurst(x.spec.target);
  const r = await run(x, command);
  const burst = exitedZero(r) ? parseStartLimitBurst(r.stdout) : undefined;
  const cap = startLimitCap(burst);
  if (cap === undefined || cap >= attempts) return attempts;
  warn(x, `${x.spec.target} has StartLimitBurst=${burst ?? '?'} (systemd refuses more starts within its StartLimitIntervalSec): at most ${cap} start attempts instead of ${attempts}`);
  return cap;
}
