/**
 * systemctl on a simulated VM, with systemd's words and exit codes: is-active prints the state
 * and exits 0 only when active (3 otherwise); is-system-running exits 0 only for running.
 * start waits for the unit (refused beyond the start limit: StartLimitBurst=5 in 10 s); stop of a
 * unit whose process a model simulates (a declared service) sends TERM and waits, deactivating,
 * until it exits — systemd kills it after TimeoutStopSec, or `systemctl kill -s KILL` does.
 * poweroff, shutdown and reboot cut the session as the machine goes down.
 */
import { ABORTED, raceAbort } from '../../util/abort.js';
import { START_LIMIT } from '../vm.js';
import type { CommandContext, CommandHandler, CommandOutcome } from './command.js';

const unitName = (u: string): string => u.replace(/\.service$/, '');

/** Options that take a value (`-s KILL`, `--signal=KILL`, `-p StartLimitBurst`). */
const WITH_VALUE = new Set(['-s', '--signal', '-p', '--property', '-t', '--type', '-n', '--lines', '-o', '--output', '-H', '--host', '-M', '--machine', '--kill-who', '--state', '--job-mode']);

interface Invocation {
  readonly verb: string | undefined;
  readonly units: readonly string[];
  readonly options: ReadonlyMap<string, readonly string[]>;
}

function parse(args: readonly string[]): Invocation {
  const words: string[] = [];
  const options = new Map<string, string[]>();
  const add = (key: string, value: string): void => void options.set(key, [...(options.get(key) ?? []), value]);
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    if (eq > 0) add(a.slice(0, eq), a.slice(eq + 1));
    else if (WITH_VALUE.has(a)) add(a, args[++i] ?? '');
    else if (/^-[sp].+/.test(a)) add(a.slice(0, 2), a.slice(2));
    else if (a.startsWith('-')) add(a, '');
    else words.push(a);
  }
  const [verb, ...units] = words;
  return { verb, units: units.map(unitName), options };
}

/** Waits for `work` unless the command is stopped first (the job goes on in systemd). */
async function unlessStopped<T>(ctx: CommandContext, work: Promise<T>): Promise<T> {
  const value = await raceAbort(work, ctx.signal);
  if (value === ABORTED) throw ctx.signal.reason as Error;
  return value;
}

async function start(ctx: CommandContext, units: readonly string[]): Promise<number> {
  const vm = ctx.vm;
  if (!vm) return 1;
  for (const u of units) {
    const unit = vm.units.get(u);
    if (!unit) {
      ctx.err(`Failed to start ${u}.service: Unit ${u}.service not found.\n`);
      return 5;
    }
    // A start queued behind a stop that is still running waits for it.
    while (unit.state === 'deactivating') await ctx.world.time.wait(100, ctx.signal);
    const state = await unlessStopped(ctx, vm.startUnit(u));
    if (state !== 'failed') continue;
    const why = unit.result === 'start-limit-hit' ? 'start of the service was attempted too often' : 'the control process exited with error code';
    ctx.err(`Job for ${u}.service failed because ${why}.\nSee "systemctl status ${u}.service" and "journalctl -xe" for details.\n`);
    if (unit.result === 'start-limit-hit') ctx.err(`To force a start use "systemctl reset-failed ${u}.service"\nfollowed by "systemctl start ${u}.service" again.\n`);
    return 1;
  }
  return 0;
}

async function stop(ctx: CommandContext, units: readonly string[]): Promise<number> {
  for (const u of units) {
    if (!ctx.vm?.units.has(u)) {
      ctx.err(`Failed to stop ${u}.service: Unit ${u}.service not loaded.\n`);
      return 5;
    }
    const process = ctx.world.unitProcess(ctx.vm, u);
    if (process) await unlessStopped(ctx, process.stop());
    else ctx.vm.setUnit(u, 'inactive');
  }
  return 0;
}

function reload(ctx: CommandContext, units: readonly string[]): number {
  for (const u of units) {
    if (ctx.vm?.units.get(u)?.state !== 'active') {
      ctx.err(`${u}.service is not active, cannot reload.\n`);
      return 1;
    }
    ctx.world.unitProcess(ctx.vm, u)?.signal('HUP');
  }
  return 0;
}

function kill(ctx: CommandContext, units: readonly string[], signal: string): number {
  for (const u of units) {
    const unit = ctx.vm?.units.get(u);
    if (!ctx.vm || !unit) {
      ctx.err(`Failed to kill unit ${u}.service: Unit ${u}.service not loaded.\n`);
      return 1;
    }
    const process = ctx.world.unitProcess(ctx.vm, u);
    if (process) process.signal(signal);
    else if (unit.state === 'active' || unit.state === 'activating' || unit.state === 'deactivating') {
      if (signal === 'KILL') ctx.vm.setUnit(u, 'failed');
      else if (['TERM', 'INT', 'QUIT'].includes(signal)) ctx.vm.setUnit(u, 'inactive');
    }
  }
  return 0;
}

function isActive(ctx: CommandContext, units: readonly string[]): number {
  let all = true;
  for (const u of units) {
    const state = ctx.vm?.units.get(u)?.state ?? 'inactive';
    ctx.out(`${state}\n`);
    if (state !== 'active') all = false;
  }
  return all ? 0 : 3;
}

/** `systemctl show [-p NAME[,NAME]]… UNIT`: NAME=VALUE lines. */
function show(ctx: CommandContext, units: readonly string[], wanted: readonly string[]): number {
  for (const [i, u] of units.entries()) {
    const unit = ctx.vm?.units.get(u);
    const process = ctx.vm ? ctx.world.unitProcess(ctx.vm, u) : undefined;
    const props: Record<string, string> = {
      Id: `${u}.service`, LoadState: unit ? 'loaded' : 'not-found', ActiveState: unit?.state ?? 'inactive',
      Result: unit?.result ?? 'success', MainPID: String(process?.pid ?? 0),
      StartLimitBurst: String(START_LIMIT.burst), StartLimitIntervalUSec: `${START_LIMIT.intervalMs / 1000}s`,
    };
    const names = wanted.length > 0 ? wanted : Object.keys(props);
    if (i > 0) ctx.out('\n');
    for (const name of names) if (props[name] !== undefined) ctx.out(`${name}=${props[name]}\n`);
  }
  return 0;
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
  const { verb, units, options } = parse(args);
  const option = (...keys: string[]): string[] => keys.flatMap((k) => options.get(k) ?? []);
  switch (verb) {
    case 'start':
      return start(ctx, units);
    case 'restart': {
      const stopped = await stop(ctx, units);
      return stopped === 0 ? start(ctx, units) : stopped;
    }
    case 'stop':
      return stop(ctx, units);
    case 'reload':
      return reload(ctx, units);
    case 'kill':
      return kill(ctx, units, (option('-s', '--signal').at(-1) ?? 'TERM').toUpperCase().replace(/^SIG/, ''));
    case 'is-active':
      return isActive(ctx, units);
    case 'show':
      return show(ctx, units, option('-p', '--property').flatMap((p) => p.split(',')).filter((p) => p !== ''));
    case 'is-system-running':
      return isSystemRunning(ctx);
    case 'reset-failed':
      for (const u of units.length > 0 ? units : [...(ctx.vm?.units.keys() ?? [])]) ctx.vm?.resetFailed(u);
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
