/**
 * virsh (libvirt) and qm (Proxmox VE) on a simulated hypervisor, with their messages and exit
 * codes (domain.md §5.1, §5.2). Start and shutdown requests return at once; the VM boots or
 * stops in simulated time. `qm shutdown --timeout S` waits, as the real one does.
 */
import type { SimVm } from '../vm.js';
import type { CommandContext, CommandHandler } from './command.js';

function domain(ctx: CommandContext, name: string | undefined): SimVm | undefined {
  return name === undefined ? undefined : ctx.hypervisor?.vms.get(name);
}

const virshState = (vm: SimVm): string => (vm.power === 'off' ? 'shut off' : 'running');
const virshReason = (vm: SimVm): string => (vm.power === 'off' ? 'shutdown' : 'booted');

function virshList(ctx: CommandContext, all: boolean): number {
  const rows = [...(ctx.hypervisor?.vms.entries() ?? [])].filter(([, vm]) => all || vm.power !== 'off');
  ctx.out(' Id   Name' + ' '.repeat(Math.max(12, ...rows.map(([n]) => n.length)) - 3) + 'State\n');
  ctx.out(`${'-'.repeat(Math.max(12, ...rows.map(([n]) => n.length)) + 17)}\n`);
  rows.forEach(([name, vm], i) => {
    const id = vm.power === 'off' ? '-' : String(i + 1);
    ctx.out(` ${id.padEnd(4)} ${name.padEnd(Math.max(12, ...rows.map(([n]) => n.length)) + 1)}${virshState(vm)}\n`);
  });
  ctx.out('\n');
  return 0;
}

function virsh(ctx: CommandContext, argv: readonly string[]): number {
  const args = argv[0] === '-c' ? argv.slice(2) : argv;
  const [verb, name] = args;
  if (verb === 'list') return virshList(ctx, args.includes('--all'));
  const vm = domain(ctx, name);
  if (!vm) {
    ctx.err(`error: failed to get domain '${name ?? ''}'\n`);
    return 1;
  }
  switch (verb) {
    case 'domstate':
      ctx.out(args.includes('--reason') ? `${virshState(vm)} (${virshReason(vm)})\n\n` : `${virshState(vm)}\n\n`);
      return 0;
    case 'start':
      if (!vm.powerOn('virsh start')) {
        ctx.err('error: Domain is already active\n');
        return 1;
      }
      ctx.out(`Domain '${name ?? ''}' started\n\n`);
      return 0;
    case 'shutdown':
      if (vm.power === 'off') {
        ctx.err(`error: Failed to shutdown domain '${name ?? ''}'\nerror: Requested operation is not valid: domain is not running\n`);
        return 1;
      }
      vm.shutdown('virsh shutdown');
      ctx.out(`Domain '${name ?? ''}' is being shutdown\n\n`);
      return 0;
    case 'destroy':
      if (!vm.destroy('virsh destroy')) {
        ctx.err(`error: Failed to destroy domain '${name ?? ''}'\nerror: Requested operation is not valid: domain is not running\n`);
        return 1;
      }
      ctx.out(`Domain '${name ?? ''}' destroyed\n\n`);
      return 0;
    default:
      ctx.err(`error: unknown command: '${verb ?? ''}'\n`);
      return 1;
  }
}

async function qmShutdown(ctx: CommandContext, vm: SimVm, id: string, args: readonly string[]): Promise<number> {
  if (vm.power === 'off') {
    ctx.err(`VM ${id} not running\n`);
    return 2;
  }
  vm.shutdown('qm shutdown');
  // --timeout is real seconds, as the engine counts them (simulated time only paces the VM).
  const t = args.indexOf('--timeout');
  const deadline = t >= 0 ? ctx.world.time.now() + Number(args[t + 1]) * 1000 : Infinity;
  const off = (): boolean => vm.power === 'off';
  while (!off()) {
    if (ctx.world.time.now() >= deadline) {
      if (args.includes('--forceStop') || args.includes('--forceStop=1')) {
        vm.destroy('qm shutdown --forceStop');
        return 0;
      }
      ctx.err('VM quit/powerdown failed - got timeout\n');
      return 255;
    }
    await new Promise((r) => setTimeout(r, 10));
    if (ctx.signal.aborted) return 255;
  }
  return 0;
}

async function qm(ctx: CommandContext, args: readonly string[]): Promise<number> {
  const [verb, id] = args;
  if (verb === 'list') {
    ctx.out('      VMID NAME                 STATUS     MEM(MB)    BOOTDISK(GB) PID\n');
    for (const [vmid, vm] of ctx.hypervisor?.vms ?? []) {
      ctx.out(`${vmid.padStart(10)} ${vm.name.padEnd(20)} ${(vm.power === 'off' ? 'stopped' : 'running').padEnd(10)} ${'4096'.padEnd(10)} ${'64.00'.padStart(12)} ${vm.power === 'off' ? 0 : 2000 + Number(vmid)}\n`);
    }
    return 0;
  }
  const vm = domain(ctx, id);
  if (!vm) {
    ctx.err(`Configuration file 'nodes/pve/qemu-server/${id ?? ''}.conf' does not exist\n`);
    return 2;
  }
  switch (verb) {
    case 'status':
      ctx.out(`status: ${vm.power === 'off' ? 'stopped' : 'running'}\n`);
      return 0;
    case 'start':
      if (!vm.powerOn('qm start')) {
        ctx.err(`VM ${id ?? ''} already running\n`);
        return 2;
      }
      return 0;
    case 'shutdown':
      return qmShutdown(ctx, vm, id ?? '', args);
    case 'stop':
      vm.destroy('qm stop');
      return 0;
    default:
      ctx.err(`400 unknown command 'qm ${verb ?? ''}'\n`);
      return 255;
  }
}

export const HYPERVISOR_COMMANDS: Readonly<Record<string, CommandHandler>> = { virsh, qm };
