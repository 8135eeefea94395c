/**
 * Running a check: attempts × (timeout + interval) within an optional deadline, until
 * `successes` attempts in a row pass, with quick looks early on (runCheck). The last
 * observation is kept for the summary.
 */
import { judgeOutput, runsNatively, type JudgeEnv, type Verdict } from '../checks/index.js';
import type { CheckPlan, Platform } from '../plan/index.js';
import type { CommandResult } from '../transport/index.js';
import { describeDuration } from '../util/duration.js';
import { own } from '../util/own.js';
import { endpointOf, hostNamed, type ExecContext } from './context.js';
import { nativeProbe } from './net-check.js';
import { pollGap, POLL_FLOOR_MS } from './poll.js';
import { describeResult, execOn, type StepHost, type StepInfo, type StepOutcome } from './step-runner.js';

/** A check as the runner needs it: a plan check step, or a service's health check. */
export type CheckStep = StepInfo & CheckPlan & { readonly timeoutMs: number };

/** What the judges need from the run: how many Hazelcast members are certainly, and possibly, there (members.ts). */
function judgeEnv(ctx: ExecContext, step: CheckStep, self: string): JudgeEnv {
  if (step.probe.kind !== 'hazelcast' || step.probe.members !== 'auto') return {};
  return { members: ctx.members.range(memberHosts(ctx.plan.platform, step.probe.memberRoles), self) };
}

const memberCache = new WeakMap<Platform, Map<string, readonly string[]>>();

/** Every host of these roles on the platform, not only those the plan changes; once per platform and role list (each attempt of each member asks). */
function memberHosts(platform: Platform, roles: readonly string[]): readonly string[] {
  let byRoles = memberCache.get(platform);
  if (!byRoles) memberCache.set(platform, (byRoles = new Map()));
  const key = roles.join('\u0000');
  let hosts = byRoles.get(key);
  if (!hosts) byRoles.set(key, (hosts = [...new Set(roles.flatMap((r) => own(platform.roles, r) ?? []))]));
  return hosts;
}

/**
 * One attempt on `host`: the verdict and the command result (absent for the controller's own
 * requests). With `plan`, the command's output is streamed as step-output events.
 */
export async function attemptCheck(ctx: ExecContext, host: string, step: CheckStep, plan?: StepHost, background = false): Promise<{ verdict: Verdict; result?: CommandResult; cancelled?: boolean }> {
  if (runsNatively(step.probe, step.target.kind === 'local')) {
    const defaultHost = hostNamed(ctx.plan, host)?.ssh.address ?? '127.0.0.1';
    // The controller makes the request itself: its URL and headers get the secrets' values here, and what it saw is masked.
    const probe = ctx.secrets ? ctx.secrets.fillDeep(step.probe) : step.probe;
    const verdict = await ctx.limit.run(background, ctx.signal,
      () => nativeProbe(probe, { timeoutMs: step.timeoutMs, signal: ctx.signal, defaultHost, env: judgeEnv(ctx, step, host) }),
      (): Verdict => ({ ok: false, observed: 'cancelled' }));
    return { verdict: ctx.secrets ? ctx.secrets.maskDeep(verdict) : verdict, cancelled: ctx.signal.aborted };
  }
  const command = step.command ?? '';
  const r = plan
    ? await execOn(ctx, plan, step, command, step.timeoutMs, { background, poll: true })
    : await ctx.transport.exec(endpointOf(ctx.plan, step.target), command, { signal: ctx.signal, timeoutMs: step.timeoutMs, ...(background ? { background } : {}) });
  if (r.outcome === 'cancelled') return { verdict: { ok: false, observed: 'cancelled' }, result: r, cancelled: true };
  if (r.outcome !== 'exited') return { verdict: { ok: false, observed: describeResult(r, step.timeoutMs) }, result: r };
  return { verdict: judgeOutput(step.probe, { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode ?? 0 }, judgeEnv(ctx, step, host)), result: r };
}

/**
 * Tries a check until it passes (`successes` attempts in a row), its attempts are used up, or its
 * deadline passes. Counted attempts are `intervalMs` apart, as configured; between the first and
 * the second, quick looks paced like any poll (poll.ts: from 50 ms, a twentieth of the time waited)
 * catch a service that comes up a moment later without using attempts, so a check waits little
 * longer than the service (not with `successes` > 1: those attempts are meant to be spaced). A
 * mount check's remedy runs once, after an attempt saw the failure it remedies (never after a
 * timeout or a lost connection), and the check looks again at once.
 */
export async function runCheck(ctx: ExecContext, plan: StepHost, step: CheckStep): Promise<StepOutcome> {
  ctx.polls.active++;
  try {
    return await tryCheck(ctx, plan, step);
  } finally {
    ctx.polls.active--;
  }
}

async function tryCheck(ctx: ExecContext, plan: StepHost, step: CheckStep): Promise<StepOutcome> {
  const started = ctx.clock.now();
  const pastDeadline = (): boolean => step.deadlineMs !== undefined && ctx.clock.now() - started >= step.deadlineMs;
  const quick = step.successes === 1 && step.intervalMs > 2 * POLL_FLOOR_MS;
  let last: CommandResult | undefined;
  let observed = '';
  let streak = 0;
  let remedied = false;
  let counted = 0;
  let looks = 0;
  let nextCounts = true;
  let countedEnd = started;
  for (;;) {
    const counts = nextCounts;
    if (counts) counted++;
    const a = await attemptCheck(ctx, plan.name, step, plan, looks > 0);
    looks++;
    if (a.cancelled === true) return { status: 'cancelled', message: `cancelled at attempt ${counted} of ${step.attempts}${observed === '' ? '' : ` (last seen: ${observed})`}`, ...(a.result ? { result: a.result } : {}) };
    const end = ctx.clock.now();
    if (counts) countedEnd = end;
    last = a.result ?? last;
    observed = a.verdict.observed;
    streak = a.verdict.ok ? streak + 1 : 0;
    if (streak >= step.successes) return { status: 'passed', message: passedMessage(observed, step, counted, looks, remedied), ...(a.result ? { result: a.result } : {}) };
    if (!a.verdict.ok && counts) ctx.emitter.emit({ type: 'check-attempt', host: plan.name, step: step.id, attempt: counted, attempts: step.attempts, ok: false, observed });
    if (!a.verdict.ok && !remedied && step.probe.kind === 'mount' && step.probe.remedy !== undefined && a.result?.outcome === 'exited') {
      remedied = true;
      const fix = await execOn(ctx, plan, step, step.probe.remedy, step.timeoutMs);
      if (fix.outcome === 'cancelled') return { status: 'cancelled', result: fix };
      ctx.emitter.emit({ type: 'warning', host: plan.name, message: `${step.name}: ${observed}; tried the remedy once: ${step.probe.remedy} (${describeResult(fix, step.timeoutMs)})` });
      nextCounts = false;
      continue;
    }
    if (counted >= step.attempts) break;
    if (pastDeadline()) break;
    const due = countedEnd + step.intervalMs;
    const quickGap = pollGap(end - started, step.intervalMs, ctx.polls.active);
    let pause: number;
    if (quick && counted === 1 && end + quickGap < due) {
      pause = quickGap;
      nextCounts = false;
    } else {
      pause = Math.max(0, due - end);
      nextCounts = true;
    }
    try {
      await ctx.sleep(pause, ctx.signal);
    } catch {
      return { status: 'cancelled', message: `cancelled after attempt ${counted} of ${step.attempts} (last seen: ${observed})`, ...(last ? { result: last } : {}) };
    }
    if (pastDeadline()) break;
  }
  const tried = counted === 1 ? '1 attempt' : `${counted} attempts`;
  const limit = pastDeadline() && counted < step.attempts ? ` (deadline ${describeDuration(step.deadlineMs ?? 0)})` : '';
  const streakNote = step.successes > 1 ? `, needed ${step.successes} passes in a row` : '';
  return { status: 'failed', message: `still failing after ${tried}${limit}${streakNote}: ${observed}`, ...(last ? { result: last } : {}) };
}

function passedMessage(observed: string, step: CheckStep, counted: number, looks: number, remedied: boolean): string {
  const how = [
    counted > 1 ? `attempt ${counted}` : looks > 1 ? `look ${looks}` : '',
    step.successes > 1 ? `${step.successes} in a row` : '',
    remedied ? 'after the remedy' : '',
  ].filter((x) => x !== '');
  return how.length > 0 ? `${observed} (${how.join(', ')})` : observed;
}

/** One quiet attempt, to tell whether a running host is already up. */
export async function probeCheck(ctx: ExecContext, host: string, step: CheckStep): Promise<boolean> {
  return (await attemptCheck(ctx, host, step)).verdict.ok;
}
