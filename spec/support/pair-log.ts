/** Reading what a run did to the simulated machines from the fleet's event log, for pair specs. */
import type { FleetEvent } from '../../lib/fleet/log.js';
import type { RunEvent } from '../../lib/events/index.js';
import type { TestFleet } from './fleet.js';

/** Commands that change a machine (everything else only reads). */
const CHANGING = /^(drbdadm (up|down|primary|secondary|connect|disconnect)|pcs (cluster|node|resource)|virsh (start|shutdown|destroy)|qm (start|shutdown|stop)|systemctl (start|stop|poweroff|restart)|mount |umount |shutdown|poweroff)|SET |STOP |START |INSERT |CHANGE /;

/** Where the log is now: pass it to `since` to see what happened afterwards. */
export function mark(f: TestFleet): number {
  return f.fleet.world.log.events.length;
}

function commands(f: TestFleet, from: number): Extract<FleetEvent, { type: 'command' }>[] {
  return f.fleet.world.log.events.slice(from).filter((e): e is Extract<FleetEvent, { type: 'command' }> => e.type === 'command');
}

/** The state-changing commands run since `from`, as `host: command`, optionally only those matching `only`. */
export function changesSince(f: TestFleet, from: number, only?: RegExp): string[] {
  return commands(f, from).filter((e) => CHANGING.test(e.command) && (only === undefined || only.test(`${e.host}: ${e.command}`))).map((e) => `${e.host}: ${e.command}`);
}

/** Every command run since `from`, as `host: command`. */
export function commandsSince(f: TestFleet, from: number): string[] {
  return commands(f, from).map((e) => `${e.host}: ${e.command}`);
}

/** The orchestrate events of a `--json` run. */
export function runEvents(out: string): RunEvent[] {
  return out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as RunEvent);
}

/** What an operator would compare before and after: power, DRBD, Pacemaker placement, MySQL read_only. */
export async function platformState(f: TestFleet, run: (host: string, command: string) => Promise<{ stdout: string }>): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const vm of f.fleet.world.vms.values()) {
    out[`${vm.name} power`] = vm.power;
    if (!vm.running) continue;
    const roles = vm.host.roles;
    if (f.fleet.world.topology.pairs.some((p) => p.drbd && p.hosts.includes(vm.name))) out[`${vm.name} drbd`] = (await run(vm.name, 'cat /proc/drbd')).stdout.split('\n').filter((l) => /cs:/.test(l)).join(' ');
    if (f.fleet.world.topology.pairs.some((p) => p.pacemaker && p.hosts.includes(vm.name))) {
      out[`${vm.name} pcs`] = (await run(vm.name, 'pcs status')).stdout.split('\n').filter((l) => /Online|OFFLINE|standby|Started|Stopped|FAILED/.test(l)).join(' | ');
    }
    if (roles.some((r) => r.startsWith('db-'))) out[`${vm.name} read_only`] = (await run(vm.name, "mysql -NBe 'SELECT @@read_only'")).stdout.trim();
  }
  return out;
}
