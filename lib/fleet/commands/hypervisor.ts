/**
 * virsh (libvirt) and qm (Proxmox VE) on a simulated hypervisor, with their messages and exit
 * codes (domain.md §5.1, §5.2; texts from formats/). Start and shutdown requests return at
 * once and the VM boots or stops in simulated time; `qm shutdown --timeout S` waits, as the
 * real one does.
 */
import type { ToolOutput } from '../../parsers/index.js';
import { sleep } from '../../util/abort.js';
import { formatQmError, formatQmList, formatQmStatus, formatVirshAction, formatVirshDomstate, formatVirshError, formatVirshList } from '../formats/index.js';
import type { SimVm } from '../vm.js';
import type { CommandContext, CommandHandler } from './command.js';

/** Writes a tool's output and returns its exit code. */
export function emit(ctx: CommandContext, output: ToolOutput): number {
  if (output.stdout) ctx.out(output.stdout);
  if (output.stderr) ctx.err(output.stderr);
  return output.exitCode;
}

const on = (vm: SimVm): boolean => vm.power !== 'off';

function virshList(ctx: CommandContext, args: readonly string[]): number {
  const domains = [...(ctx.hypervisor?.vms.entries() ?? [])].map(([name, vm], i) => ({ name, state: on(vm) ? ('running' as const) : ('shut off' as const), ...(on(vm) ? { id: i + 1 } : {}) }));
  ctx.out(formatVirshList(domains, { all: args.includes('--all'), name: args.includes('--name') }));
  return 0;
}

function virsh(ctx: CommandContext, argv: readonly string[]): number {
  const args = argv[0] === '-c' ? argv.slice(2) : argv;
  const [verb, name = ''] = args;
  if (verb === 'list') return virshList(ctx, args);
  const vm = ctx.hypervisor?.vms.get(name);
  if (!vm) return emit(ctx, formatVirshError(name, { kind: 'no-domain' }));
  switch (verb) {
    case 'domstate':
      ctx.out(formatVirshDomstate(on(vm) ? 'running' : 'shut off', args.includes('--reason') ? { reason: on(vm) ? 'booted' : 'shutdown' } : {}));
      return 0;
    case 'start':
      return vm.powerOn('virsh start') ? emit(ctx, formatVirshAction('start', name)) : emit(ctx, formatVirshError(name, { kind: 'already-active' }));
    case 'shutdown':
      return vm.shutdown('virsh shutdown') || vm.power === 'stopping' ? emit(ctx, formatVirshAction('shutdown', name)) : emit(ctx, formatVirshError(name, { kind: 'not-running', action: 'shutdown' }));
    case 'destroy':
      return vm.destroy('virsh destroy') ? emit(ctx, formatVirshAction('destroy', name)) : emit(ctx, formatVirshError(name, { kind: 'not-running', action: 'destroy' }));
    case 'reset':
      // A hard reset: off and on at once, the boot starting over.
      if (!on(vm)) {
        ctx.err(`error: Failed to reset domain '${name}'\nerror: Requested operation is not valid: domain is not running\n`);
        return 1;
      }
      vm.destroy('virsh reset');
      vm.powerOn('virsh reset');
      ctx.out(`Domain '${name}' was reset\n\n`);
      return 0;
    default:
      ctx.err(`error: unknown command: '${verb ?? ''}'\n`);
      return 1;
  }
}

async function qmShutdown(ctx: CommandContext, vm: SimVm, args: readonly string[]): Promise<number> {
  if (!on(vm)) return 0;
  vm.shutdown('qm shutdown');
  // --timeout is real seconds, as the engine counts them (simulated time only paces the VM).
  const t = args.indexOf('--timeout');
  const deadline = t >= 0 ? ctx.world.time.now() + Number(args[t + 1]) * 1000 : Infinity;
  while (on(vm)) {
    if (ctx.world.time.now() >= deadline) {
      if (args.includes('--forceStop') || args.includes('--forceStop=1')) {
        vm.destroy('qm shutdown --forceStop');
        return 0;
      }
      return emit(ctx, formatQmError({ kind: 'shutdown-timeout' }));
    }
    await sleep(10, ctx.signal).catch(() => undefined);
    if (ctx.signal.aborted) return 255;
  }
  return 0;
}

async function qm(ctx: CommandContext, args: readonly string[]): Promise<number> {
  const [verb, id = ''] = args;
  const vms = ctx.hypervisor?.vms ?? new Map<string, SimVm>();
  if (verb === 'list') {
    ctx.out(formatQmList([...vms].map(([vmid, vm]) => ({ vmid: Number(vmid), name: vm.name, status: on(vm) ? 'running' : 'stopped', memMb: 4096, bootDiskGb: 64, pid: on(vm) ? 2000 + Number(vmid) : 0 }))));
    return 0;
  }
  const vm = vms.get(id);
  if (!vm) return emit(ctx, formatQmError({ kind: 'no-such-vm', vmid: Number(id), node: ctx.hypervisor?.name ?? 'pve' }));
  switch (verb) {
    case 'status':
      ctx.out(formatQmStatus(on(vm) ? 'running' : 'stopped'));
      return 0;
    case 'start':
      return vm.powerOn('qm start') ? 0 : emit(ctx, formatQmError({ kind: 'already-running', vmid: Number(id) }));
    case 'shutdown':
      return qmShutdown(ctx, vm, args);
    case 'stop':
      vm.destroy('qm stop');
      return 0;
    case 'reset':
      if (!on(vm)) {
        ctx.err(`VM ${id} not running\n`);
        return 255;
      }
      vm.destroy('qm reset');
      vm.powerOn('qm reset');
      return 0;
    default:
      ctx.err(`400 unknown command 'qm ${verb ?? ''}'\n`);
      return 255;
  }
}

export const HYPERVISOR_COMMANDS: Readonly<Record<string, CommandHandler>> = { virsh, qm };
