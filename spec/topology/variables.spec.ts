import { expect } from 'chai';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { hostVars, type Host, type Topology } from '../../lib/topology/index.js';
import { loadValid, ROOT } from '../support/topologies.js';

const host = (name: string, roles: string[], side?: string): Host => ({
  name, roles, requires: [], after: [], vars: {}, bootCheck: 'ssh', power: { driver: 'none' },
  ssh: { name, address: name, port: 22, user: 'root', agent: false, knownHosts: [], globalKnownHosts: [], hashKnownHosts: false, hostKeyPolicy: 'off', maxSessions: 10, connectTimeoutMs: 1000 },
  timeouts: { bootMs: 1, shutdownMs: 1, stepMs: 1, connectMs: 1, pollMs: 1 },
  at: { file: 't.yaml', line: 1, col: 1 },
  ...(side === undefined ? {} : { side }),
} as unknown as Host);

describe('topology: the partner variable', () => {
  it('is the first host, in topology order, of the same role on another side', () => {
    const hosts = [
      host('a1', ['db'], 'a'), host('x1', ['db']), host('a2', ['db', 'web'], 'a'), host('c1', ['web'], 'c'),
      host('b1', ['db'], 'b'), host('c2', ['db'], 'c'), host('b2', ['web'], 'b'),
    ];
    const topology = { vars: {}, hosts } as unknown as Topology;
    const role = (name: string) => ({ name, defaults: {}, vars: {} }) as unknown as Parameters<typeof hostVars>[2];
    // The rule as written before it was indexed.
    const naive = (h: Host, r: string): string | undefined =>
      h.side === undefined ? undefined : hosts.find((o) => o.name !== h.name && o.side !== undefined && o.side !== h.side && o.roles.includes(r))?.name;
    for (const h of hosts) {
      for (const r of ['db', 'web', 'none']) expect(hostVars(topology, h, role(r)).partner, `${h.name} ${r}`).to.equal(naive(h, r));
    }
  });
});

describe('topology: host variables', () => {
  it('are the same values in the same order as the spreads they were built with, on every shipped topology', () => {
    const spread = (topology: Topology, host: Host, role?: Parameters<typeof hostVars>[2]): Record<string, string> => {
      const partner = role && host.side !== undefined ? topology.hosts.find((o) => o.name !== host.name && o.side !== undefined && o.side !== host.side && o.roles.includes(role.name)) : undefined;
      return {
        ...role?.defaults, ...topology.vars, ...role?.vars, ...host.vars,
        host: host.name, address: host.ssh.address, vm: host.power.driver === 'none' ? host.name : host.power.vm,
        ...(role ? { role: role.name } : {}), ...(partner ? { partner: partner.name } : {}),
      };
    };
    for (const file of readdirSync(path.join(ROOT, 'topologies'))) {
      const { topology } = loadValid(path.join(ROOT, 'topologies', file));
      for (const host of topology.hosts) {
        for (const role of [undefined, ...host.roles.map((r) => topology.roles.get(r))]) {
          const vars = hostVars(topology, host, role);
          const expected = spread(topology, host, role);
          expect(Object.entries(vars), `${file} ${host.name} ${role?.name ?? ''}`).to.deep.equal(Object.entries(expected));
        }
      }
    }
  });
});
