/**
 * The health check of a failover or failback: every host in scope answers and passes its roles'
 * up checks on the first try, and every pair is whole (or its staying node carries it alone).
 * Reads only; each result is a `health` event. Nothing is retried: the state must be good now.
 */
import type { HealthHost, HealthPair, HealthPlan, PlanHostInfo, PlanStep } from '../plan/index.js';
import { drbdRead, drbdView, judgeDrbdHealth, judgePcsHealth, pcsView, type DrbdView, type PairScope } from '../procedures/index.js';
import { attemptCheck, runCheck } from './check-step.js';
import { hostNamed, type ExecContext } from './context.js';
import { BOOTED } from './power-steps.js';
import { describeResult, type StepHost } from './step-runner.js';
import type { CommandResult } from '../transport/index.js';

export interface HealthResult {
  readonly check: string;
  readonly host?: string;
  readonly ok: boolean;
  readonly observed: string;
  readonly splitBrain?: boolean;
  /** Not run: its host is not running. */
  readonly skipped?: boolean;
  readonly durationMs?: number;
}

type Check = Extract<PlanStep, { kind: 'check' }>;

export interface HealthOptions {
  /** Try each check with its own attempts, interval and deadline (as `up` does) instead of once. */
  readonly retry?: boolean;
}

/**
 * Every host of the health plan: is it running, then its roles' up checks, all in parallel; and
 * every pair in it. Hosts found not running count as absent (not expected as cluster members).
 */
export async function checkHealth(ctx: ExecContext, scope: HealthPlan, options: HealthOptions = {}): Promise<HealthResult[]> {
  const report = (r: HealthResult): HealthResult => {
    ctx.emitter.emit({
      type: 'health', check: r.check, ...(r.host === undefined ? {} : { host: r.host }), ok: r.ok, observed: r.observed,
      ...(r.skipped === true ? { skipped: true } : {}), ...(r.durationMs === undefined ? {} : { durationMs: r.durationMs }),
    });
    return r;
  };
  const hosts = scope.hosts.flatMap((h) => {
    const info = hostNamed(ctx.plan, h.name);
    return info ? [{ info, health: h }] : [];
  });
  // How many commands run at once is the run's concurrency limit (work-limit.ts).
  const running = await Promise.all(hosts.map((h) => hostRunning(ctx, h.info, h.health, report)));
  for (const [i, h] of hosts.entries()) if (running[i]?.ok !== true) ctx.members.set(h.info.name, 'off');
  const results = await Promise.all([
    ...hosts.map((h, i) => (running[i]?.ok === true ? hostChecks(ctx, h.health, report, options) : Promise.resolve(skippedChecks(h.health, report)))),
    ...scope.pairs.map((p) => pairHealth(ctx, p, report)),
  ]);
  return [...running.filter((r): r is HealthResult => r !== undefined), ...results.flat()];
}

/** Whether each of these hosts runs now (its plan's running command), boots (its SSH port answers, the system not yet running), or is off; quietly (no events). */
export async function runningNow(ctx: ExecContext, hosts: readonly HealthHost[]): Promise<Map<string, 'running' | 'booting' | 'off'>> {
  const checks = await Promise.all(hosts.map(async (h): Promise<[string, 'running' | 'booting' | 'off']> => {
    const info = hostNamed(ctx.plan, h.name);
    if (!info) return [h.name, 'off'];
    // The SSH port first: a host that is off does not make us wait for a login to time out.
    const p = await ctx.transport.probe(info.ssh, { signal: ctx.signal, timeoutMs: Math.min(info.timeouts.connectMs, 3000) });
    if (!p.answers) return [h.name, 'off'];
    const r = await exec(ctx, info, h.running.command, Math.min(info.timeouts.connectMs, info.timeouts.stepMs));
    return [h.name, isRunning(r, h.running.systemd) ? 'running' : 'booting'];
  }));
  return new Map(checks);
}

/** The running command's answer: it ran, and (systemd) the system says running or degraded. */
function isRunning(r: CommandResult, systemd: boolean): boolean {
  return r.outcome === 'exited' && (!systemd || BOOTED.has(r.stdout.trim()));
}

async function exec(ctx: ExecContext, host: PlanHostInfo, command: string, timeoutMs = host.timeouts.stepMs): ReturnType<ExecContext['transport']['exec']> {
  return ctx.transport.exec(host.ssh, command, { signal: ctx.signal, timeoutMs });
}

async function hostRunning(ctx: ExecContext, host: PlanHostInfo, health: HealthHost, report: (r: HealthResult) => HealthResult): Promise<HealthResult> {
  const t0 = ctx.clock.now();
  const { command, systemd, timeoutMs } = health.running;
  const r = await exec(ctx, host, command, timeoutMs);
  const state = r.stdout.trim();
  const up = isRunning(r, systemd);
  const observed = r.outcome === 'exited' ? state || `exit ${r.exitCode ?? '?'}` : describeResult(r, host.timeouts.stepMs);
  return report({ check: 'running', host: host.name, ok: up, observed, durationMs: Math.round(ctx.clock.now() - t0) });
}

const checkName = (step: Check): string => `${step.role ?? ''}/${step.name}`;

function skippedChecks(health: HealthHost, report: (r: HealthResult) => HealthResult): HealthResult[] {
  return health.checks.map((step) => report({ check: checkName(step), host: health.name, ok: false, skipped: true, observed: 'not run: the host is not running' }));
}

async function hostChecks(ctx: ExecContext, health: HealthHost, report: (r: HealthResult) => HealthResult, options: HealthOptions): Promise<HealthResult[]> {
  const plan: StepHost = { name: health.name };
  return Promise.all(health.checks.map(async (step) => {
    const t0 = ctx.clock.now();
    let ok: boolean;
    let observed: string;
    if (options.retry === true) {
      const outcome = await runCheck(ctx, plan, step);
      ok = outcome.status === 'passed';
      observed = outcome.message ?? outcome.status;
    } else {
      ({ ok, observed } = (await attemptCheck(ctx, health.name, step)).verdict);
    }
    return report({ check: checkName(step), host: health.name, ok, observed, durationMs: Math.round(ctx.clock.now() - t0) });
  }));
}

async function pairHealth(ctx: ExecContext, { pair, scope }: HealthPair, report: (r: HealthResult) => HealthResult): Promise<HealthResult[]> {
  const out: HealthResult[] = [];
  const hosts = pair.hosts.map((n) => hostNamed(ctx.plan, n)).filter((h): h is PlanHostInfo => h !== undefined);
  const nodes = scope === 'both' ? hosts : hosts.filter((h) => h.name === scope);
  const d = pair.drbd;
  if (d) {
    const views = new Map(await Promise.all(nodes.map(async (h): Promise<[string, DrbdView | string]> => {
      const r = await exec(ctx, h, drbdRead(d));
      return [h.name, r.outcome === 'exited' ? drbdView(r.stdout, d) : describeResult(r, h.timeouts.stepMs)];
    })));
    const verdicts = judgeDrbdHealth(views, d.mode === 'dual-primary', scope as PairScope);
    verdicts.forEach((v) => out.push(report({ check: `${pair.name}/DRBD ${d.resource}`, ...(v.node === undefined ? {} : { host: v.node }), ok: v.ok, observed: v.observed, ...(v.splitBrain ? { splitBrain: true } : {}) })));
  }
  const p = pair.pacemaker;
  if (p) {
    let seen: string | undefined;
    let verdict: { ok: boolean; observed: string } | undefined;
    for (const h of nodes) {
      const r = await exec(ctx, h, 'pcs status');
      if (r.outcome !== 'exited' || r.exitCode !== 0) {
        seen = `${h.name}: ${r.outcome === 'exited' ? (r.stderr.trim() || `exit ${r.exitCode ?? '?'}`) : describeResult(r, h.timeouts.stepMs)}`;
        continue;
      }
      verdict = judgePcsHealth(pcsView(r.stdout), p.resources, scope as PairScope);
      break;
    }
    out.push(report({ check: `${pair.name}/Pacemaker`, ok: verdict?.ok ?? false, observed: verdict?.observed ?? `cluster status unreadable (${seen ?? 'no node'})` }));
  }
  return out;
}
