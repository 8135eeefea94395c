/**
 * Real HTTP listeners for the simulated web endpoints, so checks on the controller (`curl` or
 * an HTTP check) reach them: one per VM and HTTP port (the web roles' and the declared services'
 * health ports), on the VM's fleet address.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HTTP_PORTS, type WebModel } from './models/web.js';
import type { World } from './world.js';

export interface HttpServers {
  /** `acd-lb:80` → `http://127.42.0.5:41234`. */
  readonly urls: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

export async function startHttp(world: World, web: WebModel): Promise<HttpServers> {
  const urls: Record<string, string> = {};
  const servers: http.Server[] = [];
  for (const vm of world.vms.values()) {
    const ports = new Set([...vm.host.roles.flatMap((r) => HTTP_PORTS[r] ?? []), ...world.models.flatMap((m) => m.httpPorts?.(vm) ?? [])]);
    for (const port of ports) {
      const server = http.createServer((req, res) => {
        const answer = web.request(vm, port, req.url ?? '/');
        if (answer === 'refused') {
          req.socket.destroy();
          return;
        }
        res.writeHead(answer.status, { 'content-type': answer.type });
        res.end(answer.body);
      });
      await new Promise<void>((resolve) => server.listen(0, vm.ssh.address, resolve));
      servers.push(server);
      urls[`${vm.name}:${port}`] = `http://${vm.ssh.address}:${(server.address() as AddressInfo).port}`;
    }
  }
  return {
    urls,
    close: () => Promise.all(servers.map((s) => new Promise<void>((resolve) => {
      s.closeAllConnections();
      s.close(() => resolve());
    }))).then(() => undefined),
  };
}
