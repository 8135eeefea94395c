/**
 * A healthy jtel platform as a fake transport, for deterministic scale specs: VMs behind virsh
 * (FakeTransport), units that `systemctl start|stop` switch, a Hazelcast cluster whose size is
 * the telephony and web hosts that started their service and are still on, MySQL that answers
 * healthy, shares mounted, the login page through the load balancer, and DRBD + Pacemaker pairs
 * that follow drbdadm and pcs commands. No timers: it answers at once, so a run on a clock that
 * only moves when the run sleeps is exact and fast.
 */
import { formatProcDrbd } from '../../lib/fleet/formats/drbd.js';
import { formatHazelcastHealth } from '../../lib/fleet/formats/hazelcast.js';
import { formatPcsStatus } from '../../lib/fleet/formats/pcs.js';
import type { Topology } from '../../lib/topology/index.js';
import { FakeTransport, type Call } from './fake-transport.js';

type Reply = ReturnType<FakeTransport['override']>;

/** Units whose start makes the host a Hazelcast member. */
const MEMBER_UNITS = new Set(['jboss', 'jtel-telephony']);

interface PairState {
  readonly hosts: readonly [string, string];
  readonly resources: readonly string[];
  readonly up: Set<string>;
  readonly primary: Set<string>;
  cluster: boolean;
}

export class FakePlatform extends FakeTransport {
  /** Units running, by host. */
  readonly units = new Map<string, Set<string>>();
  readonly #pairs = new Map<string, PairState>();
  /** Proxmox VMs: host name by hypervisor and VMID. */
  readonly #qm = new Map<string, Map<string, string>>();
  #clock: () => number = () => 0;

  constructor(topology: Topology) {
    super();
    for (const p of topology.pairs) {
      const state: PairState = { hosts: p.hosts, resources: p.pacemaker?.resources ?? [], up: new Set(), primary: new Set(), cluster: false };
      for (const h of p.hosts) this.#pairs.set(h, state);
    }
    for (const h of topology.hosts) {
      if (h.power.driver !== 'qm') continue;
      const vms = this.#qm.get(h.power.hypervisor) ?? new Map<string, string>();
      vms.set(h.power.vm, h.name);
      this.#qm.set(h.power.hypervisor, vms);
    }
    this.override = (call) => this.#reply(call);
  }

  /** The run's clock, for the dates pcs prints. */
  useClock(now: () => number): void {
    this.#clock = now;
  }

  members(): number {
    return [...this.units].filter(([host, units]) => this.on.has(host) && [...units].some((u) => MEMBER_UNITS.has(u))).length;
  }

  #reply(call: Call): Reply {
    const c = call.command;
    if (call.command === 'systemctl poweroff') this.units.delete(call.on);
    if (/^virsh (destroy|shutdown) /.test(c)) this.units.delete(c.split(' ')[2] ?? '');
    if (c.startsWith('qm ')) return this.#qmCommand(call.on, c);
    const daemon = this.#daemon(call.on, c);
    if (daemon) return daemon;
    const unit = /^systemctl (start|stop|is-active) (\S+)$/.exec(c);
    if (unit) return this.#unit(call.on, unit[1] ?? '', unit[2] ?? '');
    if (c.startsWith('curl ')) return this.#http(c);
    if (c === 'mysqladmin ping') return { stdout: 'mysqld is alive\n' };
    if (c.startsWith('mysql -NBe \'SELECT @@read_only')) return { stdout: '0\n' };
    if (c.includes('SHOW REPLICA STATUS')) return { stdout: REPLICA };
    if (c.startsWith('mountpoint')) return { stdout: `${c.split(' ').at(-1) ?? ''} is a mountpoint\n` };
    const pair = this.#pairs.get(call.on);
    if (pair) return this.#pair(call.on, c, pair);
    return undefined;
  }

  /** Daemons of the other service managers (init.d, daemontools, pidfiles), by host: since when each runs. */
  readonly #daemons = new Map<string, Map<string, number>>();

  /** init.d scripts, daemontools' svc/svstat and pidfile daemons (start-stop-daemon, pgrep/pkill -F): they start and stop at once. */
  #daemon(host: string, c: string): Reply {
    const running = this.#daemons.get(host) ?? new Map<string, number>();
    this.#daemons.set(host, running);
    const set = (key: string, on: boolean): Reply => {
      if (on && !running.has(key)) running.set(key, this.#clock());
      if (!on) running.delete(key);
      return {};
    };
    const initd = /^(\/etc\/init\.d\/\S+) (\w+)$/.exec(c);
    if (initd) {
      const [, script = '', verb] = initd;
      if (verb === 'status') return running.has(script) ? { stdout: 'running\n' } : { exitCode: 3, stdout: 'stopped\n' };
      if (verb === 'start' || verb === 'restart') return set(script, true);
      if (verb === 'stop' || verb === 'grace') return set(script, false);
      return {};
    }
    const svc = /^svc -(\w) (\S+)$/.exec(c);
    if (svc) return set(svc[2] ?? '', svc[1] === 'u' || svc[1] === 'o');
    const svstat = /^svstat (\S+)$/.exec(c);
    if (svstat) {
      const dir = svstat[1] ?? '';
      const since = running.get(dir);
      const secs = Math.floor((this.#clock() - (since ?? 0)) / 1000);
      return { stdout: since === undefined ? `${dir}: down ${secs} seconds, normally up\n` : `${dir}: up (pid 4242) ${secs} seconds\n` };
    }
    if (/^(touch|rm -f) \S+\/down$/.test(c)) return {};
    const pid = /--pidfile (\S+)/.exec(c);
    if (pid && c.startsWith('start-stop-daemon --start')) return set(pid[1] ?? '', true);
    const pgrep = /^pgrep -F (\S+)$/.exec(c);
    if (pgrep) return running.has(pgrep[1] ?? '') ? { stdout: '4242\n' } : { exitCode: 1 };
    const pkill = /^pkill -(\w+) -F (\S+)$/.exec(c);
    if (pkill) {
      if (!running.has(pkill[2] ?? '')) return { exitCode: 1 };
      return ['INT', 'TERM', 'KILL', 'QUIT'].includes(pkill[1] ?? '') ? set(pkill[2] ?? '', false) : {};
    }
    if (/^systemctl show -p StartLimitBurst /.test(c)) return { stdout: 'StartLimitBurst=5\n' };
    return undefined;
  }

  /** `qm status|start|shutdown|stop|list` on a Proxmox node (domain.md §5.2). */
  #qmCommand(node: string, c: string): Reply {
    const vms = this.#qm.get(node) ?? new Map<string, string>();
    const [, verb, id = ''] = c.split(' ');
    if (verb === 'list') {
      const rows = [...vms].map(([vmid, host]) => `${vmid.padStart(10)} ${host.padEnd(20)} ${this.on.has(host) ? 'running' : 'stopped'}    4096              64.00 0`);
      return { stdout: `      VMID NAME                 STATUS     MEM(MB)    BOOTDISK(GB) PID\n${rows.join('\n')}\n` };
    }
    const host = vms.get(id);
    if (host === undefined) return { exitCode: 2, stderr: `Configuration file 'nodes/${node}/qemu-server/${id}.conf' does not exist\n` };
    if (verb === 'status') return { stdout: `status: ${this.on.has(host) ? 'running' : 'stopped'}\n` };
    if (verb === 'start') {
      if (this.on.has(host)) return { exitCode: 255, stderr: `VM ${id} already running\n` };
      this.on.add(host);
    } else if (verb === 'shutdown' || verb === 'stop') {
      this.on.delete(host);
      this.units.delete(host);
    }
    return {};
  }

  #unit(host: string, verb: string, unit: string): Reply {
    const running = this.units.get(host) ?? new Set<string>();
    this.units.set(host, running);
    if (verb === 'start') running.add(unit);
    if (verb === 'stop') running.delete(unit);
    if (verb === 'is-active') return running.has(unit) ? { stdout: 'active\n' } : { stdout: 'inactive\n', exitCode: 3 };
    return {};
  }

  #http(c: string): Reply {
    if (c.includes('/hazelcast/health')) {
      const size = this.members();
      return { stdout: `${formatHazelcastHealth({ nodeState: 'ACTIVE', clusterState: 'ACTIVE', clusterSafe: true, migrationQueueSize: 0, clusterSize: size }, { version: 5 })}\n200` };
    }
    return { stdout: 'Login\n200' };
  }

  #pair(host: string, c: string, p: PairState): Reply {
    const [a, b] = p.hosts;
    const peer = host === a ? b : a;
    if (/^drbdadm up /.test(c)) p.up.add(host);
    else if (/^drbdadm primary /.test(c)) p.primary.add(host);
    else if (/^drbdadm down /.test(c)) {
      p.up.delete(host);
      p.primary.delete(host);
    } else if (c === 'pcs cluster start --all' || c === 'pcs cluster start') p.cluster = true;
    else if (c === 'pcs cluster stop --all') p.cluster = false;
    else if (c === 'cat /proc/drbd') return { stdout: this.#procDrbd(host, peer, p) };
    else if (c === 'pcs status') return this.#pcs(p);
    else return undefined;
    return {};
  }

  #procDrbd(host: string, peer: string, p: PairState): string {
    if (!p.up.has(host)) return formatProcDrbd([{ kind: 'unconfigured', minor: 0 }], VERSION);
    const connected = p.up.has(peer) && this.on.has(peer);
    const role = (h: string) => (p.primary.has(h) ? 'Primary' : 'Secondary') as 'Primary' | 'Secondary';
    return formatProcDrbd([{
      kind: 'configured', minor: 0, cstate: connected ? 'Connected' : 'WFConnection', role: role(host), peerRole: connected ? role(peer) : 'Unknown',
      disk: 'UpToDate', peerDisk: connected ? 'UpToDate' : 'DUnknown', protocol: 'C', flags: 'r-----', counters: {},
    }], VERSION);
  }

  #pcs(p: PairState): Reply {
    const active = p.hosts.find((h) => p.primary.has(h)) ?? p.hosts[0];
    const out = formatPcsStatus({
      layout: '1.1', stackRunning: p.cluster, clusterName: 'pair',
      nodes: p.hosts.map((name) => ({ name, state: this.on.has(name) ? 'online' : 'offline' })),
      resources: p.resources.map((id) => ({ kind: 'primitive', id, agent: 'ocf::heartbeat:IPaddr2', state: 'Started', node: active })),
      failedActions: [],
    }, { now: new Date(this.#clock()) });
    return { stdout: out.stdout, stderr: out.stderr, exitCode: out.exitCode };
  }
}

const VERSION = { version: '8.4.11' };

const REPLICA = '*************************** 1. row ***************************\n               Slave_IO_State: Waiting for master to send event\n                  Master_Host: acd-dbm1\n             Slave_IO_Running: Yes\n            Slave_SQL_Running: Yes\n        Seconds_Behind_Master: 0\n';
