/**
 * The fleet's control endpoint on 127.0.0.1: `GET /status` gives every simulated machine's
 * power, SSH, units and mounts as JSON (what `orchestrate fleet status` prints).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { World } from './world.js';

export interface FleetStatus {
  readonly topology: string;
  readonly uptimeMs: number;
  readonly hypervisors: readonly { readonly name: string; readonly driver: string; readonly vms: readonly string[] }[];
  readonly hosts: readonly {
    readonly name: string;
    readonly address: string;
    readonly port: number;
    readonly power: string;
    readonly ssh: boolean;
    readonly system: string;
    readonly units: Readonly<Record<string, string>>;
    readonly mounts: readonly string[];
    readonly faults: readonly string[];
  }[];
}

export function fleetStatus(world: World): FleetStatus {
  return {
    topology: world.topology.name,
    uptimeMs: Math.round(world.time.now()),
    hypervisors: [...world.hypervisors.values()].map((h) => ({ name: h.name, driver: h.driver, vms: [...h.vms.values()].map((v) => v.name) })),
    hosts: [...world.vms.values()].map((vm) => ({
      name: vm.name, address: vm.ssh.address, port: vm.ssh.port, power: vm.power, ssh: vm.ssh.listening,
      system: vm.running ? vm.systemState() : vm.power,
      units: Object.fromEntries([...vm.units].map(([n, u]) => [n, u.state])),
      mounts: [...vm.mounts],
      faults: vm.behaviour.faults.map((f) => f.kind),
    })),
  };
}

export async function startControl(world: World): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    if (req.url === '/status') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(fleetStatus(world)));
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
