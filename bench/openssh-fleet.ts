/**
 * A fleet of real OpenSSH servers for the benchmarks: each VM of a topology is an `sshd` on
 * 127.0.0.1 (its own port, host key and config) that a fake libvirt hypervisor — itself an sshd
 * whose `virsh` is a script (bench/openssh-fleet/bin) — starts `boot` after `virsh start` and kills
 * `shutdown` after `virsh shutdown` or `systemctl poweroff`, sessions and all. On the VMs,
 * `systemctl`, `mysql`, `mysqladmin`, `curl`, `mount` and `mountpoint` are scripts that play the
 * jtel services (a unit start takes its time; JBoss answers `deploy` after it started; the load
 * balancer answers once a web server does; Hazelcast counts the running members). Everything goes
 * through real sshd and bash: the transport, the process-group wrapper and the polls are measured
 * as they would be against real hosts. Needs root (sshd) and openssh-server. Not the engine's:
 * only bench/ uses it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Plan } from '../lib/plan/index.js';
import type { Topology } from '../lib/topology/index.js';
import { ROOT } from '../spec/support/topologies.js';

export interface OpensshTimings {
  readonly bootS: number;
  readonly shutdownS: number;
  /** Per unit, seconds; others take `unitS`. */
  readonly units: Readonly<Record<string, number>>;
  readonly unitS: number;
  readonly deployS: number;
}

export const JTEL_TIMINGS: OpensshTimings = { bootS: 1, shutdownS: 0.3, units: { smb: 0.3, haproxy: 0.3, mysqld: 1, jboss: 0.5, 'jtel-telephony': 0.5 }, unitS: 0.3, deployS: 0.5 };

export interface OpensshFleet {
  /** Pass as `--fleet DIR`: it holds fleet.json (the overlay), the key and known_hosts. */
  readonly dir: string;
  stop(): void;
}

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', () => resolve()));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

function keygen(file: string): string {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', file]);
  return readFileSync(`${file}.pub`, 'utf8').trim().split(' ').slice(0, 2).join(' ');
}

function sshdConfig(dir: string, name: string, port: number): string {
  return [
    `Port ${port}`, 'ListenAddress 127.0.0.1', `HostKey ${path.join(dir, 'keys', name)}`, `PidFile ${path.join(dir, 'state', name, 'sshd.pid')}`,
    `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`, 'UsePAM no', 'StrictModes no', 'PasswordAuthentication no', 'KbdInteractiveAuthentication no',
    'PermitRootLogin prohibit-password', 'MaxStartups 200', 'MaxSessions 10', 'LogLevel ERROR',
    `SetEnv PATH=${path.join(dir, 'bin')}:/usr/bin:/bin:/usr/sbin:/sbin RF_DIR=${dir} RF_VM=${name} SHLVL=1`, '',
  ].join('\n');
}

function timingsFile(t: OpensshTimings): string {
  const ms = (s: number): string => String(Math.round(s * 1000));
  return [
    `BOOT=${t.bootS}`, `SHUTDOWN=${t.shutdownS}`, `UNIT_START=${t.unitS}`, `DEPLOY_MS=${ms(t.deployS)}`,
    ...Object.entries(t.units).map(([u, s]) => `UNIT_${u.replace(/-/g, '_')}=${s}`), '',
  ].join('\n');
}

export async function startOpensshFleet(topology: Topology, timings: OpensshTimings = JTEL_TIMINGS): Promise<OpensshFleet> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'orchestrate-openssh-fleet-'));
  for (const d of ['bin', 'keys', 'state', 'vms']) mkdirSync(path.join(dir, d));
  const src = path.join(ROOT, 'bench/openssh-fleet/bin');
  for (const f of readdirSync(src)) {
    copyFileSync(path.join(src, f), path.join(dir, 'bin', f));
    chmodSync(path.join(dir, 'bin', f), 0o755);
  }
  writeFileSync(path.join(dir, 'timings'), timingsFile(timings));
  const client = path.join(dir, 'id_ed25519');
  writeFileSync(path.join(dir, 'authorized_keys'), `${keygen(client)}\n`);
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const known: string[] = [];
  const at = async (name: string): Promise<{ address: string; port: number }> => {
    const port = await freePort();
    mkdirSync(path.join(dir, 'state', name, 'units'), { recursive: true });
    mkdirSync(path.join(dir, 'vms', name), { recursive: true });
    known.push(`[127.0.0.1]:${port} ${keygen(path.join(dir, 'keys', name))}`);
    writeFileSync(path.join(dir, 'vms', name, 'sshd_config'), sshdConfig(dir, name, port));
    return { address: '127.0.0.1', port };
  };
  const hosts: Record<string, { address: string; port: number }> = {};
  for (const h of topology.hosts) hosts[h.name] = await at(h.name);
  const hypervisors: Record<string, { address: string; port: number }> = {};
  for (const name of topology.hypervisors.keys()) {
    hypervisors[name] = await at(name);
    // A hypervisor is no VM: it runs from the start, and its config lives outside vms/ (virsh lists vms/).
    const cfg = path.join(dir, 'state', name, 'sshd_config');
    writeFileSync(cfg, sshdConfig(dir, name, hypervisors[name].port));
    rmSync(path.join(dir, 'vms', name), { recursive: true });
    const r = spawnSync('/usr/sbin/sshd', ['-f', cfg, '-E', path.join(dir, 'state', name, 'log')]);
    if (r.status !== 0) throw new Error(`sshd for ${name} did not start: ${r.stderr.toString()}`);
  }
  writeFileSync(path.join(dir, 'known_hosts'), `${known.join('\n')}\n`);
  writeFileSync(path.join(dir, 'fleet.json'), `${JSON.stringify({ version: 1, topology: topology.name, hosts, hypervisors, identity: client, knownHosts: path.join(dir, 'known_hosts'), timeScale: 1, http: {} }, null, 2)}\n`);
  return {
    dir,
    stop() {
      for (const name of readdirSync(path.join(dir, 'state'))) {
        try {
          const pid = Number(readFileSync(path.join(dir, 'state', name, 'sshd.pid'), 'utf8'));
          spawnSync('bash', ['-c', `tree() { for c in $(pgrep -P "$1"); do tree "$c"; echo "$c"; done; }; kill -KILL $(tree ${pid}) ${pid}`]);
        } catch {
          // not running
        }
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The shortest possible wall time of `plan` against this fleet, commands costing nothing: a host
 * starts when what it waits for is done (`requires`: up, `after`: powered on); up, it is powered
 * at once, boots, then its `systemctl start` steps take their units' times, and JBoss answers
 * `deploy` later; down, it is off `shutdown` after it starts.
 */
export function opensshPath(topology: Topology, plan: Plan, t: OpensshTimings = JTEL_TIMINGS): number {
  const done = new Map<string, number>();
  const started = new Map<string, number>();
  for (const h of plan.hosts) {
    const start = Math.max(0, ...h.waitsFor.map((l) => (l.kind === 'after' && plan.action === 'up' ? started.get(l.host) ?? 0 : done.get(l.host) ?? 0)));
    started.set(h.name, start);
    if (plan.action === 'down') {
      done.set(h.name, start + t.shutdownS);
      continue;
    }
    let at = start + t.bootS;
    for (const s of h.steps) {
      const unit = s.kind === 'run' ? /^systemctl start (\S+)$/.exec(s.command)?.[1] : undefined;
      if (unit !== undefined) at += t.units[unit] ?? t.unitS;
      if (unit === 'jboss') at += t.deployS;
    }
    done.set(h.name, at);
  }
  void topology;
  return Math.max(...done.values()) * 1000;
}
