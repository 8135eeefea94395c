/**
 * Pacemaker on the simulated pairs (one cluster per topology pair with `pacemaker`): placement
 * of the resources (sticky, never on a standby or offline node, preferring a node where the
 * pair's DRBD is Primary), starts that take time, Samba failing to start where DRBD is not
 * Primary, failed actions that ban a node until `pcs resource cleanup`. Answers which VM holds
 * a virtual IP (`vipHolder`) and serves the share from where the cluster runs Samba. Commands
 * are in pcs-commands.ts; the cluster as data in pcs-state.ts.
 */
import { formatCtime } from '../formats/index.js';
import type { Topology } from '../../topology/index.js';
import type { UnitState } from '../log.js';
import type { SimVm } from '../vm.js';
import type { World } from '../world.js';
import type { DrbdModel } from './drbd.js';
import { nodeOf } from './drbd-state.js';
import type { Model } from './model.js';
import { pcsCommands } from './pcs-commands.js';
import { clusterFromPair, failedStart, type SimCluster, type SimResource } from './pcs-state.js';
import type { SharesModel } from './shares.js';

/** The role of the cluster stack's own units (corosync, pacemaker, pcsd): no service role's. */
export const CLUSTER_STACK_ROLE = 'pacemaker';

export class PcsModel implements Model {
  world!: World;
  readonly clusters: SimCluster[] = [];
  readonly #drbd: DrbdModel;
  readonly #shares: SharesModel;
  readonly #pending = new Map<string, () => void>();
  #call = 40;
  readonly commands = pcsCommands(this);

  constructor(options: { drbd: DrbdModel; shares: SharesModel }) {
    this.#drbd = options.drbd;
    this.#shares = options.shares;
  }

  adjustUnits(topology: Topology, host: SimVm['host'], units: Map<string, { role: string; enabled: boolean }>): void {
    const pair = topology.pairs.find((p) => p.pacemaker !== undefined && p.hosts.includes(host.name));
    if (!pair) return;
    // Pacemaker starts the replaced roles' services; systemd does not at boot.
    for (const [name, u] of units) if (pair.replaces.includes(u.role)) units.set(name, { ...u, enabled: false });
    // The cluster stack is installed but not enabled: the runbook starts it (pcs cluster start --all).
    units.set('corosync', { role: CLUSTER_STACK_ROLE, enabled: false });
    units.set('pacemaker', { role: CLUSTER_STACK_ROLE, enabled: false });
    units.set('pcsd', { role: CLUSTER_STACK_ROLE, enabled: true });
  }

  attach(world: World): void {
    this.world = world;
    for (const pair of world.topology.pairs) {
      const vms = pair.hosts.map((h) => world.vms.get(h));
      if (!pair.pacemaker || !vms[0] || !vms[1]) continue;
      const failedAction = vms.find((vm) => vm?.fault('pcs-failed-action'))?.fault('pcs-failed-action');
      this.clusters.push(clusterFromPair({ pair: { ...pair, pacemaker: pair.pacemaker }, units: vms[0].units, ...(failedAction ? { failedAction } : {}), lastChange: this.#now() }));
    }
    this.#drbd.heldOpen = (vm, pair) => this.clusters.some((c) => c.name === pair.name && c.resources.some((r) => r.needsDrbd && r.state === 'Started' && r.node === vm.name));
    const samba = this.clusters.flatMap((c) => c.resources.filter((r) => r.role === 'storage').map((r) => ({ c, r })))[0];
    if (!samba) return;
    // Web servers mount the share through the VIP (a soft CIFS mount: it survives a move).
    this.#shares.servedBy = () => (samba.r.state === 'Started' && samba.r.node !== undefined ? this.#runningVm(samba.r.node) : undefined);
    const vip = samba.c.resources.find((r) => r.vip !== undefined)?.vip;
    if (vip !== undefined) this.#shares.server = vip;
  }

  #runningVm(name: string): SimVm | undefined {
    const vm = this.world.vms.get(name);
    return vm?.running ? vm : undefined;
  }

  /** Whether `address` is the virtual IP of a cluster. */
  isVip(address: string): boolean {
    return this.clusters.some((c) => c.resources.some((r) => r.vip === address));
  }

  /** The running VM where the IP resource carrying `address` is Started; undefined when none holds it. */
  vipHolder(address: string): SimVm | undefined {
    const r = this.clusters.flatMap((c) => c.resources).find((x) => x.vip === address && x.state === 'Started');
    return r?.node === undefined ? undefined : this.#runningVm(r.node);
  }

  #now(): string {
    return `${formatCtime(new Date())} by root via cibadmin`;
  }

  clusterOf(vm: string): SimCluster | undefined {
    return this.clusters.find((c) => c.nodes.includes(vm));
  }

  online(c: SimCluster, node: string): boolean {
    return c.started.has(node) && this.world.vms.get(node)?.running === true;
  }

  /** A warm fleet: stacks running, resources started on the first node. */
  warm(): void {
    for (const c of this.clusters) {
      for (const n of c.nodes) {
        c.started.add(n);
        this.world.vms.get(n)?.setUnit('corosync', 'active');
        this.world.vms.get(n)?.setUnit('pacemaker', 'active');
      }
    }
    for (const c of this.clusters) this.place(c, true);
  }

  onShutdown(vm: SimVm): void {
    const c = this.clusterOf(vm.name);
    if (!c) return;
    c.started.delete(vm.name);
    this.place(c);
  }

  onUnit(vm: SimVm, unit: string, state: UnitState): void {
    // `systemctl stop pacemaker` takes the node out of the cluster.
    if ((unit === 'pacemaker' || unit === 'corosync') && state !== 'active' && this.clusterOf(vm.name)?.started.has(vm.name)) this.onShutdown(vm);
  }

  /** Changed something in the CIB (standby, cleanup, stack): note it and place again. */
  changed(c: SimCluster): void {
    c.lastChange = `${this.#now()} on ${c.nodes[0] ?? ''}`;
    this.place(c);
  }

  /** Moves the resources where they may run; starts take `resource_start` of simulated time. */
  place(c: SimCluster, immediately = false): void {
    const current = c.resources[0]?.node;
    const candidates = c.nodes.filter((n) => this.online(c, n) && !c.standby.has(n) && c.resources.every((r) => !r.failedOn.has(n)));
    const target = current !== undefined && candidates.includes(current) ? current : candidates.find((n) => this.#drbdReady(c, n)) ?? candidates[0];
    if (target === current && c.resources.every((r) => r.state === 'Started')) return;
    this.#pending.get(c.name)?.();
    this.#pending.delete(c.name);
    for (const r of c.resources) if (r.node !== target || r.state !== 'Started') this.#stop(r);
    this.#drbd.settle();
    if (target === undefined) return;
    const start = (): void => this.#start(c, target);
    if (immediately) start();
    else this.#pending.set(c.name, this.world.time.after(this.world.vms.get(target)?.behaviour.timings.resourceStartMs ?? 2000, start));
  }

  #start(c: SimCluster, node: string): void {
    this.#pending.delete(c.name);
    for (const r of c.resources) {
      if (r.failNext || (r.needsDrbd && !this.#drbdReady(c, node))) {
        r.failNext = false;
        r.failedOn.add(node);
        c.failedActions.push(failedStart({ resource: r, node, call: this.#call++, drbd: r.needsDrbd ? this.#drbd.pairNamed(c.name) : undefined }));
        this.world.log.write({ type: 'pcs', cluster: c.name, resource: r.id, state: 'FAILED', node });
        for (const other of c.resources) this.#stop(other);
        this.place(c);
        return;
      }
      r.state = 'Started';
      r.node = node;
      if (r.unit) this.world.vms.get(node)?.setUnit(r.unit, 'active');
      this.world.log.write({ type: 'pcs', cluster: c.name, resource: r.id, state: 'Started', node });
    }
    this.#drbd.settle();
  }

  /** Whether the resources that need DRBD can start on `node`: its device Primary and UpToDate. */
  #drbdReady(c: SimCluster, node: string): boolean {
    if (!c.resources.some((r) => r.needsDrbd)) return true;
    const pair = this.#drbd.pairNamed(c.name);
    const me = pair ? nodeOf(pair, node) : undefined;
    return me?.up === true && me.role === 'Primary' && me.disk === 'UpToDate';
  }

  /** `pcs node standby|unstandby`: kept in the CIB, so it survives the node's restart. */
  setStandby(c: SimCluster, node: string, standby: boolean): void {
    if (c.standby.has(node) === standby) return;
    if (standby) c.standby.add(node);
    else c.standby.delete(node);
    this.world.log.write({ type: 'pcs-node', cluster: c.name, node, standby });
  }

  #stop(r: SimResource): void {
    if (r.state === 'Started' && r.node !== undefined) {
      if (r.unit) this.world.vms.get(r.node)?.setUnit(r.unit, 'inactive');
      const c = this.clusters.find((x) => x.resources.includes(r));
      this.world.log.write({ type: 'pcs', cluster: c?.name ?? '', resource: r.id, state: 'Stopped', node: r.node });
    }
    r.state = 'Stopped';
    delete r.node;
  }

  /** `pcs resource cleanup [rsc]`: forgets failures, then places again. */
  cleanup(c: SimCluster, resource?: string): { resource: string; node: string }[] {
    const cleaned = c.failedActions.filter((a) => resource === undefined || a.resource === resource).map((a) => ({ resource: a.resource, node: a.node }));
    for (const r of c.resources) if (resource === undefined || r.id === resource) r.failedOn.clear();
    c.failedActions.splice(0, c.failedActions.length, ...c.failedActions.filter((a) => resource !== undefined && a.resource !== resource));
    this.changed(c);
    return cleaned;
  }

}
