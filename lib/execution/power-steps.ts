/**
 * The power steps: state, power on, wait for boot, shutdown, wait until off, force off.
 * Boot detection: domain.md §5.6, cheapest layer first: the SSH port sends its identification
 * (a TCP probe, no handshake), then one login and `systemctl is-system-running` until it says
 * running or degraded, on the connection the first login opened. A connection dropped by a
 * shutting-down host is success. Waits until off read the hypervisor's VM list, one read shared
 * by every VM of that hypervisor that waits (shared-reads.ts), and look again at once when the
 * host's own SSH connections close.
 */
import type { HostPlan, PlanHostInfo, PlanStep } from '../plan/index.js';
import { parsePowerList, parsePowerState, reportsAlreadyOff, reportsAlreadyOn, type PowerState } from '../power/index.js';
import type { CommandResult } from '../transport/index.js';
import { describeDuration } from '../util/duration.js';
import { endpointOf, type ExecContext } from './context.js';
import { poll, type PollVerdict } from './poll.js';
import { commandOutcome, describeResult, execOn, type StepOutcome } from './step-runner.js';

type Step<K extends PlanStep['kind']> = Extract<PlanStep, { kind: K }>;

/** Reads the power state through the driver, or (without one) by trying SSH. */
export async function readPowerState(ctx: ExecContext, plan: HostPlan, host: PlanHostInfo, step: Step<'power-state'>): Promise<{ outcome: StepOutcome; state: PowerState }> {
  if (step.command === undefined) {
    const r = await execOn(ctx, plan, step, 'true', step.timeoutMs);
    const state = sshState(r);
    if (state === 'error') return { outcome: { status: 'failed', message: describeResult(r, step.timeoutMs), result: r }, state: 'unknown' };
    return { outcome: { status: 'passed', message: state === 'on' ? 'SSH answers' : 'SSH does not answer' }, state };
  }
  if (step.list !== undefined && !unlisted.get(ctx)?.has(targetName(step))) {
    // The hypervisor's list, read once for all its VMs; a VM it does not show is asked alone.
    const l = await sharedRead(ctx, step, step.list.command, step.timeoutMs);
    const listed = l.outcome === 'exited' ? parsePowerList(host.driver, l, step.list.vm, 'unknown') : 'unknown';
    if (listed !== 'unknown') return { outcome: { status: 'passed', message: listed === 'on' ? 'running' : 'off', command: step.list.command, result: l }, state: listed };
    // No list at all (not a VM the list does not show): every VM of this hypervisor asks alone.
    if (l.outcome === 'exited' && parsePowerList(host.driver, l, step.list.vm) === 'unknown') noList(ctx, plan, targetName(step), step.list.command, l, step.command);
  }
  const r = await execOn(ctx, plan, step, step.command, step.timeoutMs);
  if (r.outcome !== 'exited') return { outcome: commandOutcome(r, step.timeoutMs), state: 'unknown' };
  const state = parsePowerState(host.driver, r);
  if (state === 'unknown' && host.driver !== 'command') {
    return { outcome: { status: 'failed', message: `cannot tell the power state: ${firstLine(r.stderr || r.stdout) || describeResult(r, step.timeoutMs)}`, result: r }, state };
  }
  return { outcome: { status: 'passed', message: state === 'on' ? 'running' : 'off', result: r }, state };
}

/** on: a command ran on the host; off: the host cannot be reached; error: it answered but refused us. */
function sshState(r: CommandResult): PowerState | 'error' {
  if (r.outcome === 'exited' || r.outcome === 'signalled') return 'on';
  if (r.outcome === 'connect-failed') return r.connectError?.kind === 'unreachable' || r.connectError?.kind === 'timeout' ? 'off' : 'error';
  return 'unknown';
}

/** A connect failure that says nothing about the host: wait, and say so. */
function passing(r: CommandResult): boolean {
  const kind = r.connectError?.kind;
  return r.outcome === 'connect-failed' && (kind === 'unreachable' || kind === 'timeout' || kind === 'local' || kind === 'busy');
}

export async function powerOn(ctx: ExecContext, plan: HostPlan, step: Step<'power-on'>): Promise<StepOutcome> {
  const r = await execOn(ctx, plan, step, step.command, step.timeoutMs);
  if (r.outcome === 'exited' && r.exitCode !== 0 && reportsAlreadyOn(r)) return { status: 'passed', message: 'already running', result: r };
  return commandOutcome(r, step.timeoutMs);
}

/** What `systemctl is-system-running` says of a booted machine. */
export const BOOTED: ReadonlySet<string> = new Set(['running', 'degraded']);
const FAILED_BOOT = new Set(['maintenance']);

/** The longest a single "does SSH answer" probe waits (a VM whose network is not up yet drops SYNs). */
export const PROBE_TIMEOUT_MS = 2000;

/** Polls until SSH answers (probe, then a login) and the OS says it has booted. */
export async function waitBoot(ctx: ExecContext, plan: HostPlan, host: PlanHostInfo, step: Step<'wait-boot'>): Promise<StepOutcome> {
  const command = step.command ?? 'true';
  /** SSH answered: log in from now on (the connection is kept for the steps that follow). */
  let answered = false;
  const result = await poll<string>(ctx, {
    deadlineMs: step.timeoutMs,
    intervalMs: step.pollMs,
    attempt: async (remaining) => {
      if (!answered) {
        const p = await ctx.transport.probe(host.ssh, { signal: ctx.signal, timeoutMs: Math.min(remaining, host.timeouts.connectMs, PROBE_TIMEOUT_MS), background: true });
        if (!p.answers) return p.final === true ? { fail: p.observed } : { wait: p.observed };
        answered = true;
      }
      const full = host.timeouts.connectMs + 10_000;
      const r = await execOn(ctx, plan, step, command, Math.min(remaining, full), { background: true, poll: true });
      // An attempt the deadline cut short says nothing new.
      if (r.outcome === 'timed-out' && remaining < full) return { wait: '' };
      if (passing(r)) answered = false;
      return bootVerdict(r, step.command !== undefined, full);
    },
  });
  if (result.done !== undefined) {
    if (result.done === 'degraded') ctx.emitter.emit({ type: 'warning', host: plan.name, message: `${plan.name} booted degraded: one or more units failed (systemctl --failed)` });
    return { status: 'passed', message: result.done };
  }
  if (result.stopped === 'cancelled') return { status: 'cancelled', message: `cancelled while waiting (${result.attempts} look${result.attempts === 1 ? '' : 's'}; last seen: ${result.observed})` };
  if (result.stopped === 'failed') return { status: 'failed', message: result.observed };
  return { status: 'timed-out', message: `not booted after ${describeDuration(step.timeoutMs)} (last seen: ${result.observed})` };
}

function bootVerdict(r: CommandResult, systemd: boolean, timeoutMs: number): PollVerdict<string> {
  if (r.outcome === 'connect-failed') {
    if (passing(r)) return { wait: r.connectError?.message ?? 'SSH not answering' };
    return { fail: r.connectError?.message ?? 'cannot connect' };
  }
  if (r.outcome !== 'exited') return { wait: describeResult(r, timeoutMs) };
  if (!systemd) return { done: 'SSH answers' };
  const word = firstLine(r.stdout);
  if (BOOTED.has(word)) return { done: word };
  if (FAILED_BOOT.has(word)) return { fail: `the OS is in ${word} mode (rescue or emergency target)` };
  if (r.exitCode === 127) return { fail: 'systemctl not found: this host does not run systemd; set boot_check: ssh' };
  if (word === 'offline') return { fail: 'systemd is not the init system (is-system-running: offline); set boot_check: ssh' };
  return { wait: `is-system-running: ${word || `exit ${r.exitCode ?? '?'}`}` };
}

export async function shutdown(ctx: ExecContext, plan: HostPlan, step: Step<'shutdown'>): Promise<StepOutcome> {
  const r = await execOn(ctx, plan, step, step.command, step.timeoutMs);
  if (step.mode === 'guest') {
    // The host closing the connection under us is what a shutdown looks like.
    if (r.outcome === 'connection-lost') return { status: 'passed', message: 'connection closed by the shutting-down host', result: r };
    return commandOutcome(r, step.timeoutMs);
  }
  if (r.outcome === 'exited' && r.exitCode !== 0 && reportsAlreadyOff(r)) return { status: 'passed', message: 'already off', result: r };
  const outcome = commandOutcome(r, step.timeoutMs);
  if (outcome.status === 'timed-out') {
    // A request that never returns (the guest ignores it, `qm shutdown` blocks): the wait until
    // off and, after it, the forced power-off decide, as for a guest that does not go down.
    ctx.emitter.emit({ type: 'warning', host: plan.name, message: `${plan.name}: graceful shutdown request (${step.command}) did not return within ${describeDuration(step.timeoutMs)}; waiting, then forcing the power off` });
    return { status: 'passed', message: 'request did not return; the wait and the forced power-off decide', result: r };
  }
  if (outcome.status === 'failed' && r.outcome === 'exited') {
    // e.g. `qm shutdown` reporting its own timeout: the wait and the forced power-off decide.
    ctx.emitter.emit({ type: 'warning', host: plan.name, message: `${plan.name}: graceful shutdown request reported ${describeResult(r, step.timeoutMs)}: ${firstLine(r.stderr || r.stdout)}` });
    return { status: 'passed', message: `request returned exit ${r.exitCode ?? '?'}`, result: r };
  }
  return outcome;
}

/**
 * Polls until the host is off: the hypervisor's list (shared with its other VMs) or the driver's
 * state command says so, or (without a driver) SSH no longer answers its port.
 */
export async function waitOff(ctx: ExecContext, plan: HostPlan, host: PlanHostInfo, step: Step<'wait-off'>, deadlineMs: number): Promise<StepOutcome> {
  const result = await poll<true>(ctx, {
    deadlineMs,
    intervalMs: step.pollMs,
    // The host's own connections closing is the moment to look again (it says nothing by itself).
    wake: ctx.transport.closed(host.ssh),
    attempt: async (remaining) => {
      if (step.command === undefined) {
        const p = await ctx.transport.probe(host.ssh, { signal: ctx.signal, timeoutMs: Math.min(remaining, host.timeouts.connectMs, PROBE_TIMEOUT_MS), background: true });
        return p.answers || p.local === true ? { wait: p.answers ? 'SSH still answers' : p.observed } : { done: true };
      }
      const timeoutMs = Math.min(remaining, host.timeouts.stepMs);
      const r = await readOff(ctx, plan, host, step, timeoutMs);
      return r.state === 'off' ? { done: true } : { wait: r.result.outcome === 'exited' ? `${step.vm ?? plan.name} ${r.state === 'on' ? 'still running' : firstLine(r.result.stdout) || r.state}` : describeResult(r.result, timeoutMs) };
    },
  });
  if (result.done) {
    ctx.transport.forget(host.ssh);
    return { status: 'passed', message: 'off' };
  }
  if (result.stopped === 'cancelled') return { status: 'cancelled', message: `cancelled while waiting (${result.attempts} look${result.attempts === 1 ? '' : 's'}; last seen: ${result.observed})` };
  return { status: 'timed-out', message: `still on after ${describeDuration(deadlineMs)} (last seen: ${result.observed})` };
}

/** Hypervisors whose VM list could not be read: their VMs use their own state command. */
const unlisted = new WeakMap<ExecContext, Set<string>>();

/** The power state for a wait until off: from the hypervisor's shared VM list, or the VM's own state command. */
async function readOff(ctx: ExecContext, plan: HostPlan, host: PlanHostInfo, step: Step<'wait-off'>, timeoutMs: number): Promise<{ state: PowerState; result: CommandResult }> {
  const command = step.command ?? '';
  const target = targetName(step);
  const skip = unlisted.get(ctx)?.has(target) === true;
  if (step.vm !== undefined && !skip) {
    const r = await sharedRead(ctx, step, command, host.timeouts.stepMs);
    const state = r.outcome === 'exited' ? parsePowerList(host.driver, r, step.vm) : 'unknown';
    if (state !== 'unknown' || step.fallback === undefined || r.outcome !== 'exited') return { state, result: r };
    noList(ctx, plan, target, command, r, step.fallback);
  }
  const own = step.vm === undefined ? command : step.fallback ?? command;
  const r = await execOn(ctx, plan, step, own, timeoutMs, { background: true, poll: true });
  return { state: r.outcome === 'exited' ? parsePowerState(host.driver, r) : 'unknown', result: r };
}

/** This hypervisor does not answer the list as expected: its VMs ask one by one from now on (said once). */
function noList(ctx: ExecContext, plan: HostPlan, target: string, command: string, r: CommandResult, fallback: string): void {
  const set = unlisted.get(ctx) ?? new Set<string>();
  unlisted.set(ctx, set);
  if (set.has(target)) return;
  set.add(target);
  ctx.emitter.emit({ type: 'warning', host: plan.name, message: `${command} on ${target} gave no VM list (${firstLine(r.stderr || r.stdout) || `exit ${r.exitCode ?? '?'}`}); asking each VM with its own command (${fallback})` });
}

function targetName(step: Step<'wait-off' | 'power-state'>): string {
  return step.target.kind === 'hypervisor' ? step.target.name : '';
}

/** One read of `command` on the step's target, shared with every host polling the same (a hypervisor's VM list). */
function sharedRead(ctx: ExecContext, step: Step<'wait-off' | 'power-state'>, command: string, timeoutMs: number): Promise<CommandResult> {
  const endpoint = endpointOf(ctx.plan, step.target);
  const key = `${endpoint === 'local' ? 'local' : endpoint.name}\u0000${command}`;
  // Not streamed as output: the read belongs to every VM of the hypervisor, not to this host.
  return ctx.reads.read(key, () => ctx.transport.exec(endpoint, command, { signal: ctx.signal, timeoutMs, background: true }));
}

export async function forceOff(ctx: ExecContext, plan: HostPlan, step: Step<'force-off'>): Promise<StepOutcome> {
  const r = await execOn(ctx, plan, step, step.command, step.timeoutMs);
  if (r.outcome === 'exited' && r.exitCode !== 0 && reportsAlreadyOff(r)) return { status: 'passed', message: 'already off', result: r };
  return commandOutcome(r, step.timeoutMs);
}

function firstLine(text: string): string {
  return (text.split('\n').find((l) => l.trim() !== '') ?? '').trim();
}
