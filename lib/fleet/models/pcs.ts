/**
 * Pacemaker on the simulated pairs: placement of the resources (sticky, never on a standby or
 * offline node), starts that take time, Samba failing to start where DRBD is not Primary, failed
 * actions that ban a node until `pcs resource cleanup`. Commands are in pcs-commands.ts.
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
import type { SimCluster, SimResource } from './pcs-state.js';

const CLUSTERS = [
  { role: 'storage', name: 'jtelstore', resources: [{ id: 'ClusterIP', agent: 'ocf:heartbeat:IPaddr2', needsDrbd: false }, { id: 'samba', agent: 'systemd:smb', unitVar: true, needsDrbd: true }] },
  { role: 'lb', name: 'jtellb', resources: [{ id: 'ClusterIP', agent: 'ocf:heartbeat:IPaddr2', needsDrbd: false }] },
] as const;

export class PcsModel implements Model {
  world!: World;
  readonly clusters: SimCluster[] = [];
  readonly #drbd: DrbdModel;
  readonly #pending = new Map<string, () => void>();
  #call = 40;
  readonly commands = pcsCommands(this);

  constructor(drbd: DrbdModel) {
    this.#drbd = drbd;
  }

  adjustUnits(topology: Topology, host: SimVm['host'], units: Map<string, { role: string; enabled: boolean }>): void {
    const spec = CLUSTERS.find((s) => host.roles.includes(s.role) && topology.hosts.filter((h) => h.roles.includes(s.role)).length === 2);
    if (!spec) return;
    // The cluster stack is installed but not enabled: the runbook starts it (pcs cluster start --all).
    units.set('corosync', { role: spec.role, enabled: false });
    units.set('pacemaker', { role: spec.role, enabled: false });
    units.set('pcsd', { role: spec.role, enabled: true });
    // In the storage pair, Pacemaker starts Samba; systemd does not at boot.
    if (spec.role === 'storage') for (const [name, u] of units) if (u.role === 'storage' && name !== 'pcsd') units.set(name, { ...u, enabled: false });
  }

  attach(world: World): void {
    this.world = world;
    for (const spec of CLUSTERS) {
      const vms = world.withRole(spec.role);
      if (vms.length !== 2) continue;
      const roleUnit = [...(vms[0]?.units.entries() ?? [])].find(([, u]) => u.role === spec.role)?.[0];
      const fault = vms.find((vm) => vm.fault('pcs-failed-action'))?.fault('pcs-failed-action');
      const resources: SimResource[] = spec.resources.map((r) => ({
        id: r.id, agent: r.agent, needsDrbd: r.needsDrbd, state: 'Stopped', failedOn: new Set<string>(),
        failNext: fault !== undefined && (fault.resource ?? (spec.role === 'storage' ? 'samba' : 'ClusterIP')) === r.id,
        ...('unitVar' in r ? { unit: roleUnit ?? 'smb' } : {}),
      }));
      this.clusters.push({ name: spec.name, nodes: vms.map((v) => v.name), started: new Set(), standby: new Set(), resources, failedActions: [], lastChange: this.#now() });
    }
    this.#drbd.heldOpen = (vm) => this.clusters.some((c) => c.resources.some((r) => r.needsDrbd && r.state === 'Started' && r.node === vm.name));
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
    const target = current !== undefined && candidates.includes(current) ? current : candidates[0];
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
      const drbd = this.#drbd.pair ? nodeOf(this.#drbd.pair, node) : undefined;
      const cannot = r.failNext || (r.needsDrbd && (drbd?.role !== 'Primary' || drbd.disk !== 'UpToDate'));
      if (cannot) {
        r.failNext = false;
        r.failedOn.add(node);
        c.failedActions.push({ resource: r.id, operation: 'start', interval: 0, node, rcText: 'not running', rc: 7, call: this.#call++, status: 'complete', exitReason: r.needsDrbd ? 'Couldn\'t mount device [/dev/drbd0] as /srv/jtelshared' : 'start failed', lastRcChange: formatCtime(new Date()), queuedMs: 0, execMs: 112 });
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

  stop(): void {
    for (const cancel of this.#pending.values()) cancel();
  }
}
