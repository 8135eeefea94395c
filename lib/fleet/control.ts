/**
 * The fleet's control endpoint on 127.0.0.1: `GET /status` gives every simulated machine's
 * power, SSH, units and mounts as JSON (what `orchestrate fleet status` prints). With `api`,
 * it also serves the remote API for host fronts (remote-api.ts); `listen` can bind it elsewhere.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApiHandler } from './remote-api.js';
import type { World } from './world.js';

export interface ControlOptions {
  /** Where to listen. @default 127.0.0.1 on a free port */
  readonly listen?: { readonly host: string; readonly port: number };
  /** Answers what `/status` does not (the remote API). */
  readonly api?: ApiHandler;
}

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

export async function startControl(world: World, options: ControlOptions = {}): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    if (req.url === '/status') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(fleetStatus(world)));
    } else if (options.api?.(req, res) !== true) {
      res.writeHead(404);
      res.end();
    }
  });
  const { host, port } = options.listen ?? { host: '127.0.0.1', port: 0 };
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  // A wildcard address is reached locally through loopback.
  const local = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '[::1]' : host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${local}:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
