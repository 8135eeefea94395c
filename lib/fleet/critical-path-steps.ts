/**
 * When each kind of plan step is done in the critical path (critical-path.ts has the rules):
 * boots and unit starts are recorded in the host's times as the steps pass.
 */
import { checkReady, mountIfServed, type PathModel, type StepAt } from './critical-path-model.js';

/** The machine a step's commands run on: its latency applies. */
function latencyOf(model: PathModel, at: StepAt): number {
  const target = at.step.target;
  return target.kind === 'hypervisor' ? model.latency(target.name) : target.kind === 'host' ? model.latency(target.host) : 0;
}

/** When `at.step` is done if it starts at `at.t`. */
export function stepDone(model: PathModel, at: StepAt): number {
  const { step, vm, t } = at;
  const L = latencyOf(model, at);
  const timings = at.b.timings;
  switch (step.kind) {
    case 'power-state':
      return t + L;
    case 'power-on':
      vm.powered = t + L;
      boot(model, at, t + L);
      return t + L;
    case 'wait-boot': {
      // Without a power-on step the host boots by itself, long before the run.
      if (vm.boot === undefined) boot(model, at, -Infinity);
      let starting = 0;
      for (const u of vm.units.values()) if (u.enabledAt !== undefined) starting = Math.max(starting, u.active);
      return Math.max(t + (step.command === undefined ? 0 : L), (vm.boot ?? Infinity) + timings.settleMs, starting);
    }
    case 'run':
    case 'service':
      return runCommand(model, at, t + L, step.command);
    case 'check':
      return Math.max(t + (step.command === undefined ? 0 : L), checkReady(model, at));
    case 'shutdown':
      vm.off = t + L + timings.shutdownMs;
      return t + L;
    case 'wait-off':
      return Math.max(t + (step.command === undefined ? 0 : L), vm.off ?? t);
    case 'force-off':
    case 'pair':
      return t;
  }
}

/** Powered on at `poweredAt`: SSH answers `boot` later (slow-boot: its time; never-boots: never), units enabled at boot start then. */
export function boot(model: PathModel, at: StepAt, poweredAt: number): void {
  const { vm, b } = at;
  const slow = b.faults.find((f) => f.kind === 'slow-boot');
  const never = b.faults.some((f) => f.kind === 'never-boots');
  vm.boot = never ? Infinity : poweredAt + (slow?.kind === 'slow-boot' ? slow.ms : b.timings.bootMs);
  for (const [name, u] of model.units.get(at.name) ?? new Map<string, { role: string; enabled: boolean }>()) {
    vm.units.set(name, u.enabled ? { role: u.role, active: vm.boot + b.timings.unitStartMs, enabledAt: vm.boot } : { role: u.role, active: Infinity });
  }
  if (model.hosts.get(at.name)?.roles.includes('web')) mountIfServed(model, at, vm.boot);
}

/** `systemctl start|restart U…` of a unit not started yet waits `unit_start`; `mount` mounts; anything else takes no time. */
function runCommand(model: PathModel, at: StepAt, started: number, command: string): number {
  const { vm, b } = at;
  if (model.plan.action === 'down') return started;
  const m = /\bsystemctl\s+(?:start|restart)\s+([^;&|]+)/.exec(command);
  let done = started;
  for (const unit of m?.[1]?.trim().split(/\s+/).map((u) => u.replace(/\.service$/, '')) ?? []) {
    const u = vm.units.get(unit);
    if (!u || u.enabledAt !== undefined) continue;
    u.enabledAt = started;
    u.active = started + b.timings.unitStartMs;
    done = Math.max(done, u.active);
  }
  if (/\bmount\b/.test(command)) mountIfServed(model, at, started);
  return done;
}
