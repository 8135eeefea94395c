/**
 * The fleet's control endpoint on 127.0.0.1: `GET /status` gives every simulated machine's
 * power, SSH, units and mounts as JSON (what `orchestrate fleet status` prints). With `api`,
 * it also serves the remote API for host fronts (remote-api.ts); `listen` can bind it elsewhere.
 *
 * Every request must carry the fleet's token (`Authorization: Bearer TOKEN`; the token is in the
 * fleet directory, 0600, beside its keys): one without it, or with another, gets 401 and nothing
 * else. `POST /exec` runs commands as any simulated machine, so whoever can reach the port
 * (another user of the machine, a container on the network) must not be able to use it freely.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApiHandler } from './remote-api.js';
import type { World } from './world.js';

export interface ControlOptions {
  /** The token every request must carry (`Authorization: Bearer TOKEN`). */
  readonly token: string;
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

/** The control token's file in a fleet directory (0600, beside the fleet's keys). */
export const TOKEN_FILE = 'control-token';

/** A new control token: 256 random bits. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Whether the request carries `token` (compared in constant time, by digest, whatever the lengths). */
export function authorized(req: http.IncomingMessage, token: string): boolean {
  const given = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
  if (given === undefined) return false;
  const digest = (t: string): Buffer => createHash('sha256').update(t).digest();
  return timingSafeEqual(digest(given), digest(token));
}

/** The most a `POST /run` body may hold. */
const RUN_BODY_MAX = 4096;

/**
 * `POST /run` {action, run, side?}: orchestrate begins a run against the fleet; logged as a `run`
 * event, so that `fleet verify` can tell the runs in one log apart. 204, or 400 for a bad body.
 */
function recordRun(world: World, req: http.IncomingMessage, res: http.ServerResponse): void {
  const chunks: Buffer[] = [];
  let size = 0;
  const refuse = (message: string): void => {
    res.writeHead(400, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: message }));
  };
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= RUN_BODY_MAX) chunks.push(chunk);
  });
  req.on('end', () => {
    if (size > RUN_BODY_MAX) return refuse(`the body is larger than ${RUN_BODY_MAX} bytes`);
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return refuse('the body is not JSON');
    }
    const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    const word = (v: unknown): v is string => typeof v === 'string' && /^[A-Za-z0-9._:-]{1,100}$/.test(v);
    if (!word(b.action) || !word(b.run) || (b.side !== undefined && !word(b.side))) return refuse('expected {"action": WORD, "run": WORD, "side"?: WORD}');
    world.log.write({ type: 'run', version: 1, action: b.action, run: b.run, ...(b.side === undefined ? {} : { side: b.side }) });
    res.writeHead(204);
    res.end();
  });
}

export async function startControl(world: World, options: ControlOptions): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    if (!authorized(req, options.token)) {
      res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer realm="orchestrate fleet"' });
      res.end(JSON.stringify({ error: 'the fleet\'s token is required (Authorization: Bearer TOKEN; the token is the control-token file of the fleet directory)' }));
    } else if (req.url === '/run' && req.method === 'POST') {
      recordRun(world, req, res);
    } else if (req.url === '/status') {
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
