/**
 * systemctl on a simulated VM, with systemd's words and exit codes: is-active prints the state
 * and exits 0 only when active (3 otherwise); is-system-running exits 0 only for running.
 * poweroff, shutdown and reboot cut the session as the machine goes down.
 */
import type { CommandContext, CommandHandler, CommandOutcome } from './command.js';

const unitName = (u: string): string => u.replace(/\.service$/, '');

async function start(ctx: CommandContext, units: readonly string[]): Promise<number> {
  const vm = ctx.vm;
  if (!vm) return 1;
  for (const u of units.map(unitName)) {
    if (!vm.units.has(u)) {
      ctx.err(`Failed to start ${u}.service: Unit ${u}.service not found.\n`);
      return 5;
    }
    const state = await vm.startUnit(u);
    if (state === 'failed') {
      ctx.err(`Job for ${u}.service failed because the control process exited with error code.\nSee "systemctl status ${u}.service" and "journalctl -xe" for details.\n`);
      return 1;
    }
  }
  return 0;
}

function stop(ctx: CommandContext, units: readonly string[]): number {
  for (const u of units.map(unitName)) {
    if (!ctx.vm?.units.has(u)) {
      ctx.err(`Failed to stop ${u}.service: Unit ${u}.service not loaded.\n`);
      return 5;
    }
    ctx.vm.stopUnit(u);
  }
  return 0;
}

function isActive(ctx: CommandContext, units: readonly string[]): number {
  let all = true;
  for (const u of units.map(unitName)) {
    const state = ctx.vm?.units.get(u)?.state ?? 'inactive';
    ctx.out(`${state}\n`);
    if (state !== 'active') all = false;
  }
  return all ? 0 : 3;
}

function isSystemRunning(ctx: CommandContext): number {
  const state = ctx.vm?.systemState() ?? 'offline';
  ctx.out(`${state}\n`);
  return state === 'running' ? 0 : 1;
}

/** The machine goes down: the session is cut, as sshd is stopped under it. */
export function goDown(ctx: CommandContext, reboot = false): CommandOutcome {
  const vm = ctx.vm;
  if (!vm) return 1;
  vm.shutdown(reboot ? 'reboot' : 'systemctl poweroff');
  if (reboot) ctx.world.time.after(vm.behaviour.timings.shutdownMs, () => vm.powerOn('reboot'));
  return { drop: true };
}

async function systemctl(ctx: CommandContext, args: readonly string[]): Promise<CommandOutcome> {
  const [verb, ...rest] = args.filter((a) => !a.startsWith('--') || a === '--failed');
  const units = rest.filter((a) => !a.startsWith('-'));
  switch (verb) {
    case 'start':
      return start(ctx, units);
    case 'restart':
      stop(ctx, units);
      return start(ctx, units);
    case 'stop':
      return stop(ctx, units);
    case 'reload':
      return isActive({ ...ctx, out: () => undefined }, units) === 0 ? 0 : 1;
    case 'is-active':
      return isActive(ctx, units);
    case 'is-system-running':
      return isSystemRunning(ctx);
    case 'reset-failed':
      for (const u of units.map(unitName)) if (ctx.vm?.units.get(u)?.state === 'failed') ctx.vm.stopUnit(u);
      return 0;
    case 'poweroff':
    case 'halt':
      return goDown(ctx);
    case 'reboot':
      return goDown(ctx, true);
    default:
      ctx.err(`Unknown command verb ${verb ?? ''}.\n`);
      return 1;
  }
}

export const SYSTEMCTL_COMMANDS: Readonly<Record<string, CommandHandler>> = {
  systemctl,
  poweroff: (ctx) => goDown(ctx),
  halt: (ctx) => goDown(ctx),
  reboot: (ctx) => goDown(ctx, true),
  shutdown: (ctx, args) => goDown(ctx, args.includes('-r')),
};
