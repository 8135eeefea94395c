/**
 * The shared storage: web servers mount /home/jtel/shared from the storage at boot (fstab) and
 * with `mount`, which works only while a storage VM is running and serving the share. A web
 * server booted before its storage has no share (the runbook's "logo not visible"). Where a
 * Pacemaker cluster runs Samba (pcs.ts), the share is served from the node running it and
 * mounted through the cluster's virtual IP: a soft mount, which stays mounted when the VIP and
 * Samba move to the other node. Does not model the mount hanging while no node serves it.
 */
import { hostVars } from '../../topology/index.js';
import type { CommandContext, CommandHandler } from '../commands/command.js';
import type { SimVm } from '../vm.js';
import type { World } from '../world.js';
import type { Model } from './model.js';

export const DEFAULT_SHARE = '/home/jtel/shared';

export class SharesModel implements Model {
  #world!: World;
  /** Another model (pcs) may decide which storage VM serves the share. */
  servedBy: (world: World) => SimVm | undefined = (world) => world.withRole('storage').find((vm) => world.roleActive(vm, 'storage'));
  /** The address web servers mount from (a virtual IP, set by pcs); the first storage VM without one. */
  server: string | undefined;
  readonly commands: Readonly<Record<string, CommandHandler>> = {
    mountpoint: (ctx, args) => this.#mountpoint(ctx, args),
    mount: (ctx, args) => this.#mount(ctx, args),
    umount: (ctx, args) => {
      for (const p of args) ctx.vm?.mounts.delete(p);
      return 0;
    },
    findmnt: (ctx, args) => {
      const path = args.at(-1) ?? '';
      if (!ctx.vm?.mounts.has(path)) return 1;
      ctx.out(`${this.#source()} cifs\n`);
      return 0;
    },
  };

  attach(world: World): void {
    this.#world = world;
  }

  /** The share path a web VM mounts. */
  shareOf(vm: SimVm): string | undefined {
    const role = this.#world.topology.roles.get('web');
    if (!role || !vm.host.roles.includes('web')) return undefined;
    return hostVars(this.#world.topology, vm.host, role).shared_dir ?? DEFAULT_SHARE;
  }

  onBoot(vm: SimVm): void {
    const share = this.shareOf(vm);
    if (share !== undefined && this.servedBy(this.#world)) vm.mounts.add(share);
  }

  #source(): string {
    return `//${this.server ?? this.#world.withRole('storage')[0]?.name ?? 'acd-store'}/shared`;
  }

  #mountpoint(ctx: CommandContext, args: readonly string[]): number {
    const path = args.filter((a) => !a.startsWith('-')).at(-1) ?? '';
    const quiet = args.includes('-q');
    if (ctx.vm?.mounts.has(path)) {
      if (!quiet) ctx.out(`${path} is a mountpoint\n`);
      return 0;
    }
    if (!quiet) ctx.out(`${path} is not a mountpoint\n`);
    return 32;
  }

  #mount(ctx: CommandContext, args: readonly string[]): number {
    const vm = ctx.vm;
    if (!vm) return 1;
    if (args.length === 0) {
      for (const m of vm.mounts) ctx.out(`${this.#source()} on ${m} type cifs (rw,relatime,vers=3.0,cache=strict,soft)\n`);
      return 0;
    }
    const path = args.at(-1) ?? '';
    if (path !== this.shareOf(vm)) {
      ctx.err(`mount: ${path}: can't find in /etc/fstab.\n`);
      return 1;
    }
    if (vm.mounts.has(path)) {
      ctx.err(`mount error(16): Device or resource busy\n`);
      return 32;
    }
    if (!this.servedBy(this.#world)) {
      ctx.err('mount error(112): Host is down\nRefer to the mount.cifs(8) manual page (e.g. man mount.cifs) and kernel log messages (dmesg)\n');
      return 32;
    }
    vm.mounts.add(path);
    return 0;
  }
}
