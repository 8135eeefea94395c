/**
 * DRBD 8.4 on the simulated storage pair (the two hosts with role `storage`): `drbdadm
 * up|down|primary|secondary|role|cstate|dstate|status|connect|disconnect` and `cat /proc/drbd`
 * with the real texts and exit codes; resync in simulated time; split brain when both wrote
 * apart. DRBD is not started at boot (the runbook runs `drbdadm up`).
 */
import { drbdStatusFrom84, formatDrbdadmCstate, formatDrbdadmDstate, formatDrbdadmRole, formatDrbdadmStatus, formatDrbdAlreadyConfigured, formatDrbdFailure, formatDrbdStateChangeFailed, formatProcDrbd } from '../formats/index.js';
import type { CommandContext, CommandHandler } from '../commands/command.js';
import { emit } from '../commands/hypervisor.js';
import type { SimVm } from '../vm.js';
import type { World } from '../world.js';
import { connected, deviceOf, nodeOf, peerOf, type DrbdNodeState, type DrbdPairState } from './drbd-state.js';
import type { Model } from './model.js';

export const DRBD_VERSION = { version: '8.4.11', buildTag: 'srcversion: C83CE761848B9DE61379370' } as const;

export class DrbdModel implements Model {
  #world!: World;
  pair: DrbdPairState | undefined;
  #cancelSync: (() => void) | undefined;
  /** Whether the device is in use on a VM (Samba serving it); pcs.ts refines this. */
  heldOpen: (vm: SimVm) => boolean = () => false;
  readonly commands: Readonly<Record<string, CommandHandler>> = { drbdadm: (ctx, args) => this.#drbdadm(ctx, args) };
  readonly #options: { resource: string; dualPrimary: boolean };

  constructor(options: { resource?: string; dualPrimary?: boolean } = {}) {
    this.#options = { resource: options.resource ?? 'jtelshared', dualPrimary: options.dualPrimary ?? true };
  }

  attach(world: World): void {
    this.#world = world;
    const storage = world.withRole('storage');
    if (storage.length !== 2) return;
    const node = (vm: SimVm): DrbdNodeState => ({ vm: vm.name, up: false, role: 'Secondary', disk: 'UpToDate', wroteAlone: false, standAlone: false });
    this.pair = {
      resource: this.#options.resource, minor: 0, dualPrimary: this.#options.dualPrimary,
      nodes: [node(storage[0] as SimVm), node(storage[1] as SimVm)],
      linkBroken: storage.some((vm) => vm.fault('drbd-peer-unreachable')),
    };
  }

  #running = (vm: string): boolean => this.#world.vms.get(vm)?.running === true;

  /** A warm fleet: the pair up, connected, Primary (both, or the first without dual-primary). */
  warm(): void {
    if (!this.pair) return;
    this.pair.nodes.forEach((n, i) => Object.assign(n, { up: true, role: this.pair?.dualPrimary === true || i === 0 ? 'Primary' : 'Secondary' }));
    this.settle();
  }

  onShutdown(vm: SimVm): void {
    const me = this.pair ? nodeOf(this.pair, vm.name) : undefined;
    if (!me) return;
    Object.assign(me, { up: false, role: 'Secondary' });
    this.settle();
  }

  readFile(vm: SimVm, path: string): string | undefined {
    if (path !== '/proc/drbd' || !this.pair || !nodeOf(this.pair, vm.name)) return undefined;
    const device = deviceOf(this.pair, vm.name, this.#world.time.now(), this.#running);
    return formatProcDrbd(device.kind === 'configured' ? [device] : [], DRBD_VERSION);
  }

  /** Applies DRBD's rules after any change: who wrote alone, connection, resync, split brain. */
  settle(): void {
    const pair = this.pair;
    if (!pair) return;
    const before = pair.nodes.map((n) => this.#snapshot(n.vm));
    const linked = connected(pair, this.#running);
    if (!linked) {
      this.#stopSync();
      // Only a Primary in use (Samba serving from it) writes: then its absent peer falls behind.
      for (const n of pair.nodes) {
        const vm = this.#world.vms.get(n.vm);
        if (!n.up || !vm?.running || n.role !== 'Primary' || !this.heldOpen(vm)) continue;
        n.wroteAlone = true;
        // The absent peer is outdated (resource-level fencing); a Primary peer is never outdated.
        const peer = peerOf(pair, n.vm);
        if (!peer.wroteAlone && peer.disk === 'UpToDate' && !(peer.up && peer.role === 'Primary')) peer.disk = 'Outdated';
      }
    } else if (pair.nodes.every((n) => n.wroteAlone)) {
      for (const n of pair.nodes) n.standAlone = true;
      this.#world.log.write({ type: 'fault', host: pair.nodes[0].vm, fault: 'split-brain', detail: `block drbd${pair.minor}: Split-Brain detected but unresolved, dropping connection!` });
    } else if (pair.sync === undefined) {
      const target = pair.nodes.find((n) => n.disk !== 'UpToDate' || peerOf(pair, n.vm).wroteAlone);
      if (target) this.#startSync(pair, target);
      else for (const n of pair.nodes) n.wroteAlone = false;
    }
    pair.nodes.forEach((n, i) => {
      const now = this.#snapshot(n.vm);
      if (JSON.stringify(now) !== JSON.stringify(before[i])) this.#world.log.write({ type: 'drbd', host: n.vm, resource: pair.resource, ...now });
    });
  }

  #snapshot(vm: string): { role: string; cstate: string; disk: string; peerDisk: string } {
    const d = this.pair ? deviceOf(this.pair, vm, this.#world.time.now(), this.#running) : undefined;
    return d?.kind === 'configured' ? { role: d.role, cstate: d.cstate, disk: d.disk, peerDisk: d.peerDisk } : { role: 'Unconfigured', cstate: 'Unconfigured', disk: 'Unconfigured', peerDisk: '' };
  }

  #startSync(pair: DrbdPairState, target: DrbdNodeState): void {
    const source = peerOf(pair, target.vm);
    const vm = this.#world.vms.get(target.vm);
    target.disk = 'Inconsistent';
    const durationMs = this.#world.time.real(vm?.behaviour.timings.resyncMs ?? 30_000);
    pair.sync = { source: source.vm, target: target.vm, startedAt: this.#world.time.now(), durationMs };
    this.#cancelSync = this.#world.time.after(vm?.behaviour.timings.resyncMs ?? 30_000, () => {
      this.#cancelSync = undefined;
      delete pair.sync;
      target.disk = 'UpToDate';
      source.wroteAlone = false;
      target.wroteAlone = false;
      this.settle();
    });
  }

  #stopSync(): void {
    this.#cancelSync?.();
    this.#cancelSync = undefined;
    if (this.pair) delete this.pair.sync;
  }

  #drbdadm(ctx: CommandContext, args: readonly string[]): number {
    const words = args.filter((a) => !a.startsWith('-'));
    const [verb, resource = ''] = words;
    const pair = this.pair;
    const me = pair && ctx.vm ? nodeOf(pair, ctx.vm.name) : undefined;
    if (!pair || !me || resource.split(':')[0] !== pair.resource) {
      ctx.err(`'${resource}' not defined in your config (for this host).\n`);
      return 10;
    }
    const minor = String(pair.minor);
    const device = (): ReturnType<typeof deviceOf> => deviceOf(pair, me.vm, this.#world.time.now(), this.#running);
    const notUp = (): number => emit(ctx, formatDrbdFailure(minor, 127, { info: ['unknown minor'], command: `drbdsetup-84 ${verb ?? ''} ${minor}` }));
    switch (verb) {
      case 'up':
        if (me.up) return emit(ctx, formatDrbdAlreadyConfigured(pair.minor, { command: `drbdmeta ${minor} v08 /dev/vg0/${pair.resource} internal apply-al` }));
        me.up = true;
        this.settle();
        return 0;
      case 'down':
        if (me.up && me.role === 'Primary' && ctx.vm && this.heldOpen(ctx.vm)) return emit(ctx, formatDrbdStateChangeFailed(pair.resource, -12, { command: `drbdsetup-84 down ${pair.resource}` }));
        Object.assign(me, { up: false, role: 'Secondary' });
        this.settle();
        return 0;
      case 'primary':
        return this.#promote(ctx, me, minor);
      case 'secondary':
        if (!me.up) return notUp();
        if (ctx.vm && this.heldOpen(ctx.vm)) return emit(ctx, formatDrbdStateChangeFailed(minor, -12, { command: `drbdsetup-84 secondary ${minor}` }));
        me.role = 'Secondary';
        this.settle();
        return 0;
      case 'role':
      case 'cstate':
      case 'dstate': {
        const d = device();
        if (d.kind !== 'configured') return notUp();
        ctx.out(verb === 'role' ? formatDrbdadmRole(d) : verb === 'cstate' ? formatDrbdadmCstate(d) : formatDrbdadmDstate(d));
        return 0;
      }
      case 'status':
        if (!me.up) return emit(ctx, { stdout: '', stderr: `${pair.resource}: No such resource\nCommand 'drbdsetup status ${pair.resource}' terminated with exit code 10\n`, exitCode: 10 });
        ctx.out(formatDrbdadmStatus(drbdStatusFrom84(pair.resource, device())));
        return 0;
      case 'disconnect':
        me.standAlone = true;
        this.settle();
        return 0;
      case 'connect':
        me.standAlone = false;
        if (args.includes('--discard-my-data')) Object.assign(me, { wroteAlone: false, disk: 'Outdated', role: 'Secondary' });
        this.settle();
        return 0;
      default:
        ctx.err(`drbdadm: Unknown command '${verb ?? ''}'\n`);
        return 20;
    }
  }

  #promote(ctx: CommandContext, me: DrbdNodeState, minor: string): number {
    const pair = this.pair;
    if (!pair) return 10;
    const command = { command: `drbdsetup-84 primary ${minor}` };
    if (!me.up) return emit(ctx, formatDrbdFailure(minor, 127, { info: ['unknown minor'], ...command }));
    if (me.disk !== 'UpToDate') return emit(ctx, formatDrbdStateChangeFailed(minor, -2, command));
    const peer = peerOf(pair, me.vm);
    if (!pair.dualPrimary && connected(pair, this.#running) && peer.role === 'Primary') return emit(ctx, formatDrbdStateChangeFailed(minor, -1, command));
    me.role = 'Primary';
    this.settle();
    return 0;
  }

  stop(): void {
    this.#stopSync();
  }
}
