/**
 * Simulated SSH hosts for transport and end-to-end tests: keys on disk, a known_hosts file,
 * and endpoints that point at them.
 */
import { mkdtempSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateEd25519 } from '../../lib/fleet/keys.js';
import { SimulatedSshHost, type ExecHandler } from '../../lib/fleet/ssh-host.js';
import type { SshEndpoint } from '../../lib/topology/index.js';

export class SshFixture {
  readonly dir = mkdtempSync(path.join(os.tmpdir(), 'orchestrate-ssh-'));
  readonly identity = path.join(this.dir, 'id_ed25519');
  readonly knownHosts = path.join(this.dir, 'known_hosts');
  readonly clientPublic: Buffer;
  readonly hosts: SimulatedSshHost[] = [];

  constructor() {
    const keys = generateEd25519();
    writeFileSync(this.identity, keys.private, { mode: 0o600 });
    this.clientPublic = keys.parsed.getPublicSSH();
    writeFileSync(this.knownHosts, '');
  }

  /** Starts a simulated host and (unless `trust` is false) adds its key to known_hosts. */
  async host(name: string, handler: ExecHandler, options: { maxSessions?: number; trust?: boolean } = {}): Promise<SimulatedSshHost> {
    const host = new SimulatedSshHost({ name, authorizedKeys: [this.clientPublic], handler, ...(options.maxSessions === undefined ? {} : { maxSessions: options.maxSessions }) });
    await host.start();
    if (options.trust !== false) appendFileSync(this.knownHosts, `[${host.address}]:${host.port} ${host.hostPublicKey}\n`);
    this.hosts.push(host);
    return host;
  }

  endpoint(host: { name: string; address: string; port: number }, extra: Partial<SshEndpoint> = {}): SshEndpoint {
    return {
      name: host.name, address: host.address, port: host.port, user: 'tester', identity: this.identity, agent: false,
      knownHosts: [this.knownHosts], globalKnownHosts: [], hashKnownHosts: false, hostKeyPolicy: 'strict', maxSessions: 10, connectTimeoutMs: 2000, ...extra,
    };
  }

  async close(): Promise<void> {
    await Promise.all(this.hosts.map((h) => h.stop()));
    rmSync(this.dir, { recursive: true, force: true });
  }
}
