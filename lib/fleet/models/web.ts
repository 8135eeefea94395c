/**
 * The HTTP side of the platform: the load balancer's login page and logo (haproxy in front of
 * the JBoss web servers), JBoss itself, and the Hazelcast health endpoint whose clusterSize
 * counts the telephony and web members. A member started while no database master was up
 * forms a cluster of its own (the runbook's "calls are not signalled"). Reached with `curl` on
 * a host (by VM name, address, or a cluster's virtual IP, which leads to the node holding it),
 * or over real HTTP from the controller (fleet.ts). Ports it does not serve are asked of the
 * other models (declared services' health endpoints); `connect` is bash's /dev/tcp.
 */
import { formatHazelcastHealth } from '../formats/index.js';
import type { UnitState } from '../log.js';
import type { SimVm } from '../vm.js';
import type { World } from '../world.js';
import { curlCommand } from './curl.js';
import type { Model } from './model.js';
import type { SharesModel } from './shares.js';

export interface HttpAnswer {
  readonly status: number;
  readonly body: string;
  readonly type: string;
}

/** Virtual IPs as the Pacemaker clusters hold them (pcs.ts). */
export interface VipLookup {
  isVip(address: string): boolean;
  /** The running VM holding the virtual IP; undefined while none does. */
  vipHolder(address: string): SimVm | undefined;
}

/** Where a name leads from a VM: a VM, `unreachable` (a virtual IP nobody holds), or undefined (unknown). */
export type Destination = SimVm | 'unreachable' | undefined;

/** A VM's name resolution: localhost, a virtual IP, a VM's name, or its address (real or in the fleet). */
export function resolveName(world: World, vips: VipLookup | undefined, name: string, from: SimVm | undefined): Destination {
  if (name === '127.0.0.1' || name === 'localhost') return from;
  if (vips?.isVip(name) === true) return vips.vipHolder(name) ?? 'unreachable';
  return world.vms.get(name) ?? world.vmAt(name);
}

/** Ports that have HTTP on the VMs of each role. */
export const HTTP_PORTS: Readonly<Record<string, readonly number[]>> = { lb: [80], web: [8080, 5701], telephony: [5701] };
const MEMBER_ROLES = ['telephony', 'web'];

export class WebModel implements Model {
  #world!: World;
  readonly #shares: SharesModel;
  readonly #vips: VipLookup | undefined;
  /** Hazelcast cluster each running member joined. */
  readonly #cluster = new Map<string, string>();
  /** Members of each cluster, kept with #cluster (every member asks its cluster's size, so counting it each time was quadratic). */
  readonly #size = new Map<string, number>();
  readonly commands = { curl: curlCommand((vm, port, path) => this.request(vm, port, path), (name, from) => resolveName(this.#world, this.#vips, name, from)) };

  constructor(shares: SharesModel, vips?: VipLookup) {
    this.#shares = shares;
    this.#vips = vips;
  }

  attach(world: World): void {
    this.#world = world;
  }

  onUnit(vm: SimVm, unit: string, state: UnitState): void {
    const role = vm.units.get(unit)?.role ?? '';
    if (!MEMBER_ROLES.includes(role)) return;
    this.#leave(vm.name);
    if (state !== 'active') return;
    const dbUp = this.#world.withRole('db-master').some((m) => this.#world.roleActive(m, 'db-master'));
    const cluster = dbUp ? 'main' : `split-${vm.name}`;
    this.#cluster.set(vm.name, cluster);
    this.#size.set(cluster, (this.#size.get(cluster) ?? 0) + 1);
  }

  #leave(member: string): void {
    const cluster = this.#cluster.get(member);
    if (cluster === undefined) return;
    this.#cluster.delete(member);
    const left = (this.#size.get(cluster) ?? 1) - 1;
    if (left > 0) this.#size.set(cluster, left);
    else this.#size.delete(cluster);
  }

  /** JBoss has deployed: active for at least the deploy time. */
  #jbossReady(vm: SimVm): boolean {
    const unit = [...vm.units.values()].find((u) => u.role === 'web');
    return vm.running && unit?.state === 'active' && this.#world.time.now() - (unit.activeSince ?? 0) >= this.#world.time.real(vm.behaviour.timings.deployMs);
  }

  /** Answers an HTTP GET to `vm`:`port` (its own endpoints, then the other models'), or `refused` when nothing listens there. */
  request(vm: SimVm | undefined, port: number, path: string): HttpAnswer | 'refused' {
    if (!vm?.running) return 'refused';
    return this.#own(vm, port, path) ?? this.#world.http(vm, port, path) ?? 'refused';
  }

  listens(vm: SimVm, port: number): boolean {
    return this.#own(vm, port, port === 5701 ? '/hazelcast/health' : '/') !== undefined;
  }

  /** A TCP connection from `from` to `name`:`port` (`</dev/tcp/NAME/PORT`): how it ends. */
  connect(from: SimVm | undefined, name: string, port: number): 'open' | 'refused' | 'unreachable' | 'unknown' {
    const to = resolveName(this.#world, this.#vips, name, from);
    if (to === undefined) return 'unknown';
    if (to === 'unreachable') return 'unreachable';
    return this.#world.listens(to, port) ? 'open' : 'refused';
  }

  #own(vm: SimVm, port: number, path: string): HttpAnswer | undefined {
    if (!vm.running) return undefined;
    if (port === 80 && this.#world.roleActive(vm, 'lb')) return this.#lb(path);
    if (port === 8080 && this.#world.roleActive(vm, 'web')) {
      return this.#jbossReady(vm) ? html(200, 'jtel Portal') : html(503, 'JBWEB000065: HTTP Status 503 - the application is deploying');
    }
    if (port === 5701 && this.#cluster.has(vm.name) && path.startsWith('/hazelcast/health')) return this.#health(vm);
    return undefined;
  }

  #lb(path: string): HttpAnswer {
    const webs = this.#world.withRole('web');
    if (!webs.some((w) => this.#jbossReady(w))) return { status: 503, type: 'text/html', body: '<html><body><h1>503 Service Unavailable</h1>\nNo server is available to handle this request.\n</body></html>\n' };
    if (path.startsWith('/logo')) {
      const served = webs.some((w) => this.#jbossReady(w) && w.mounts.has(this.#shares.shareOf(w) ?? ''));
      return served ? { status: 200, type: 'image/png', body: 'PNG (jtel logo)' } : html(404, 'Not Found: /logo.png (the shared storage is not mounted)');
    }
    return html(200, 'jtel ACD - Login');
  }

  #health(vm: SimVm): HttpAnswer {
    const cluster = this.#cluster.get(vm.name);
    const size = cluster === undefined ? 0 : this.#size.get(cluster) ?? 0;
    const body = formatHazelcastHealth({ nodeState: 'ACTIVE', clusterState: 'ACTIVE', clusterSafe: true, migrationQueueSize: 0, clusterSize: size }, { version: 5 });
    return { status: 200, type: 'application/json', body };
  }
}

function html(status: number, title: string): HttpAnswer {
  return { status, type: 'text/html', body: `<html><head><title>${title}</title></head><body>${title}</body></html>\n` };
}
