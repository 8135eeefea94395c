/**
 * The health check of a failover or failback: every host in scope answers and passes its roles'
 * up checks on the first try, and every pair is whole (or its staying node carries it alone).
 * Reads only; each result is a `health` event. Nothing is retried: the state must be good now.
 */
import pLimit from 'p-limit';
import { hostSteps, type HostPlan, type PlanStep } from '../plan/index.js';
import { drbdView, judgeDrbdHealth, judgePcsHealth, pcsView, type DrbdView, type PairScope } from '../procedures/index.js';
import type { Host, Pair } from '../topology/index.js';
import { attemptCheck } from './check-step.js';
import type { ExecContext } from './context.js';
import { describeResult } from './step-runner.js';

export interface HealthScope {
  readonly hosts: readonly string[];
  readonly pairs: readonly { readonly pair: Pair; readonly scope: PairScope }[];
}

export interface HealthResult {
  readonly check: string;
  readonly host?: string;
  readonly ok: boolean;
  readonly observed: string;
  readonly splitBrain?: boolean;
}

type Check = Extract<PlanStep, { kind: 'check' }>;

export async function checkHealth(ctx: ExecContext, scope: HealthScope): Promise<HealthResult[]> {
  const limit = pLimit(ctx.topology.concurrency);
  const report = (r: HealthResult): HealthResult => {
    ctx.emitter.emit({ type: 'health', check: r.check, ...(r.host === undefined ? {} : { host: r.host }), ok: r.ok, observed: r.observed });
    return r;
  };
  const hosts = scope.hosts.map((name) => ctx.topology.hosts.find((h) => h.name === name)).filter((h): h is Host => h !== undefined);
  const results = await Promise.all([
    ...hosts.map((h) => limit(() => hostHealth(ctx, h, report))),
    ...scope.pairs.map((p) => limit(() => pairHealth(ctx, p.pair, p.scope, report))),
  ]);
  return results.flat();
}

async function exec(ctx: ExecContext, host: Host, command: string, timeoutMs = host.timeouts.stepMs): ReturnType<ExecContext['transport']['exec']> {
  return ctx.transport.exec(host.ssh, command, { signal: ctx.signal, timeoutMs });
}

async function hostHealth(ctx: ExecContext, host: Host, report: (r: HealthResult) => HealthResult): Promise<HealthResult[]> {
  const booted = host.bootCheck === 'systemd' ? 'systemctl is-system-running' : 'true';
  const r = await exec(ctx, host, booted, Math.max(host.timeouts.connectMs, host.timeouts.stepMs));
  const state = r.stdout.trim();
  const up = r.outcome === 'exited' && (host.bootCheck !== 'systemd' || state === 'running' || state === 'degraded');
  const out = [report({ check: 'running', host: host.name, ok: up, observed: r.outcome === 'exited' ? state || `exit ${r.exitCode ?? '?'}` : describeResult(r, host.timeouts.stepMs) })];
  if (!up) return out;
  const pair = ctx.topology.pairs.find((p) => p.hosts.includes(host.name));
  const steps = hostSteps(ctx.topology, host, 'up', pair ? { name: pair.name, replaces: pair.replaces } : undefined);
  const plan: HostPlan = { name: host.name, address: host.ssh.address, roles: host.roles, wave: 0, waitsFor: [], steps };
  for (const step of plan.steps.filter((s): s is Check => s.kind === 'check')) {
    const { verdict } = await attemptCheck(ctx, undefined, step);
    out.push(report({ check: `${step.role ?? ''}/${step.name}`, host: host.name, ok: verdict.ok, observed: verdict.observed }));
  }
  return out;
}

async function pairHealth(ctx: ExecContext, pair: Pair, scope: PairScope, report: (r: HealthResult) => HealthResult): Promise<HealthResult[]> {
  const out: HealthResult[] = [];
  const hosts = pair.hosts.map((n) => ctx.topology.hosts.find((h) => h.name === n)).filter((h): h is Host => h !== undefined);
  const nodes = scope === 'both' ? hosts : hosts.filter((h) => h.name === scope);
  const d = pair.drbd;
  if (d) {
    const read = d.version === '9' ? `drbdadm status ${d.resource}` : 'cat /proc/drbd';
    const views = new Map<string, DrbdView | string>();
    await Promise.all(hosts.map(async (h) => {
      if (!nodes.includes(h) && scope !== 'both') return;
      const r = await exec(ctx, h, read);
      views.set(h.name, r.outcome === 'exited' ? drbdView(r.stdout, d) : describeResult(r, h.timeouts.stepMs));
    }));
    const ordered = new Map(hosts.filter((h) => views.has(h.name)).map((h) => [h.name, views.get(h.name) ?? '']));
    const verdicts = judgeDrbdHealth(ordered, d.mode === 'dual-primary', scope);
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
      verdict = judgePcsHealth(pcsView(r.stdout), p.resources, scope);
      break;
    }
    out.push(report({ check: `${pair.name}/Pacemaker`, ok: verdict?.ok ?? false, observed: verdict?.observed ?? `cluster status unreadable (${seen ?? 'no node'})` }));
  }
  return out;
}
