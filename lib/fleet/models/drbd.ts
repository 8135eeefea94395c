/**
 * DRBD 8.4 on the simulated pairs: one resource per topology pair with `drbd` (its resource,
 * minor, and dual- or single-primary mode). `cat /proc/drbd` lists every configured minor of the
 * VM; a node whose peer wrote while it was away resyncs in simulated time; two Primaries that
 * both wrote apart meet in split brain. DRBD is not started at boot (the runbook runs `drbdadm
 * up`). The `drbdadm` command is in drbd-commands.ts. A pair declaring DRBD 9 still behaves,
 * and speaks, as 8.4.
 */
import type { DrbdDevice } from '../../parsers/index.js';
import { formatProcDrbd } from '../formats/index.js';
import type { SimVm } from '../vm.js';
import type { World } from '../world.js';
import { drbdadmCommand } from './drbd-commands.js';
import { connected, deviceOf, newDrbdPair, nodeOf, peerOf, type DrbdNodeState, type DrbdPairState } from './drbd-state.js';
import type { Model } from './model.js';

export const DRBD_VERSION = { version: '8.4.11', buildTag: 'srcversion: C83CE761848B9DE61379370' } as const;

export class DrbdModel implements Model {
  #world!: World;
  /** One per topology pair with DRBD, in the topology's order. */
  readonly pairs: DrbdPairState[] = [];
  readonly #cancelSync = new Map<DrbdPairState, () => void>();
  /** What the event log last said of each node (`pair\0vm`), so every change is logged once. */
  readonly #logged = new Map<string, string>();
  /** Whether the device of `pair` is in use on a VM (Samba serving it); pcs.ts refines this. */
  heldOpen: (vm: SimVm, pair: DrbdPairState) => boolean = () => false;
  readonly commands = { drbdadm: drbdadmCommand(this) };

  attach(world: World): void {
    this.#world = world;
    for (const p of world.topology.pairs) {
      if (!p.drbd) continue;
      const linkBroken = p.hosts.some((h) => world.vms.get(h)?.fault('drbd-peer-unreachable') !== undefined);
      const pair = newDrbdPair({ name: p.name, hosts: p.hosts, drbd: p.drbd, linkBroken });
      this.pairs.push(pair);
      for (const n of pair.nodes) this.#logged.set(`${pair.name}\u0000${n.vm}`, JSON.stringify(this.#snapshot(pair, n.vm)));
    }
  }

  /** The pair `vm` is a node of with `resource` (without one: its first pair). */
  pairOf(vm: string, resource?: string): DrbdPairState | undefined {
    return this.pairs.find((p) => nodeOf(p, vm) !== undefined && (resource === undefined || p.resource === resource));
  }

  /** The pairs `vm` is a node of, by minor. */
  pairsOf(vm: string): DrbdPairState[] {
    return this.pairs.filter((p) => nodeOf(p, vm) !== undefined).sort((a, b) => a.minor - b.minor);
  }

  /** The pair of a topology pair (and of its Pacemaker cluster). */
  pairNamed(name: string): DrbdPairState | undefined {
    return this.pairs.find((p) => p.name === name);
  }

  readonly running = (vm: string): boolean => this.#world.vms.get(vm)?.running === true;

  /** What /proc/drbd shows of `pair` on `vm` now. */
  device(pair: DrbdPairState, vm: string): DrbdDevice {
    return deviceOf(pair, vm, this.#world.time.now(), this.running);
  }

  /** A warm fleet: every pair up, connected, Primary (both, or the first node without dual-primary). */
  warm(): void {
    for (const pair of this.pairs) pair.nodes.forEach((n, i) => Object.assign(n, { up: true, role: pair.dualPrimary || i === 0 ? 'Primary' : 'Secondary' }));
    this.settle();
  }

  onShutdown(vm: SimVm): void {
    const mine = this.pairsOf(vm.name).map((p) => nodeOf(p, vm.name));
    if (mine.length === 0) return;
    for (const me of mine) if (me) Object.assign(me, { up: false, role: 'Secondary' });
    this.settle();
  }

  readFile(vm: SimVm, path: string): string | undefined {
    const pairs = this.pairsOf(vm.name);
    if (path !== '/proc/drbd' || pairs.length === 0) return undefined;
    return formatProcDrbd(pairs.map((p) => this.device(p, vm.name)).filter((d) => d.kind === 'configured'), DRBD_VERSION);
  }

  /**
   * Applies DRBD's rules to every pair after any change (who wrote alone, connection, resync,
   * split brain), then logs each node whose state differs from what the log last said.
   */
  settle(): void {
    for (const pair of this.pairs) this.#settle(pair);
  }

  #settle(pair: DrbdPairState): void {
    if (!connected(pair, this.running)) this.#apart(pair);
    else if (pair.nodes.every((n) => n.wroteAlone)) {
      for (const n of pair.nodes) n.standAlone = true;
      this.#world.log.write({ type: 'fault', host: pair.nodes[0].vm, fault: 'split-brain', detail: `block drbd${pair.minor}: Split-Brain detected but unresolved, dropping connection!` });
    } else if (pair.sync === undefined) {
      const target = pair.nodes.find((n) => n.disk !== 'UpToDate' || peerOf(pair, n.vm).wroteAlone);
      if (target) this.#startSync(pair, target);
      else for (const n of pair.nodes) n.wroteAlone = false;
    }
    for (const n of pair.nodes) {
      const now = this.#snapshot(pair, n.vm);
      const key = `${pair.name}\u0000${n.vm}`;
      if (this.#logged.get(key) === JSON.stringify(now)) continue;
      this.#logged.set(key, JSON.stringify(now));
      this.#world.log.write({ type: 'drbd', host: n.vm, resource: pair.resource, ...now });
    }
  }

  /** Not connected: only a Primary in use (Samba serving from it) writes; its absent peer falls behind. */
  #apart(pair: DrbdPairState): void {
    this.#stopSync(pair);
    for (const n of pair.nodes) {
      const vm = this.#world.vms.get(n.vm);
      if (!n.up || !vm?.running || n.role !== 'Primary' || !this.heldOpen(vm, pair)) continue;
      n.wroteAlone = true;
      // The absent peer is outdated (resource-level fencing); a Primary peer is never outdated.
      const peer = peerOf(pair, n.vm);
      if (!peer.wroteAlone && peer.disk === 'UpToDate' && !(peer.up && peer.role === 'Primary')) peer.disk = 'Outdated';
    }
  }

  #snapshot(pair: DrbdPairState, vm: string): { role: string; cstate: string; disk: string; peerDisk: string } {
    const d = this.device(pair, vm);
    return d.kind === 'configured' ? { role: d.role, cstate: d.cstate, disk: d.disk, peerDisk: d.peerDisk } : { role: 'Unconfigured', cstate: 'Unconfigured', disk: 'Unconfigured', peerDisk: '' };
  }

  #startSync(pair: DrbdPairState, target: DrbdNodeState): void {
    const source = peerOf(pair, target.vm);
    const resyncMs = this.#world.vms.get(target.vm)?.behaviour.timings.resyncMs ?? 30_000;
    target.disk = 'Inconsistent';
    pair.sync = { source: source.vm, target: target.vm, startedAt: this.#world.time.now(), durationMs: this.#world.time.real(resyncMs) };
    this.#cancelSync.set(pair, this.#world.time.after(resyncMs, () => {
      this.#cancelSync.delete(pair);
      delete pair.sync;
      target.disk = 'UpToDate';
      source.wroteAlone = false;
      target.wroteAlone = false;
      this.settle();
    }));
  }

  #stopSync(pair: DrbdPairState): void {
    this.#cancelSync.get(pair)?.();
    this.#cancelSync.delete(pair);
    delete pair.sync;
  }

}
