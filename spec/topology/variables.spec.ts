import { expect } from 'chai';
import { hostVars, type Host, type Topology } from '../../lib/topology/index.js';

const host = (name: string, roles: string[], side?: string): Host => ({
  name, roles, requires: [], after: [], vars: {}, bootCheck: 'ssh', power: { driver: 'none' },
  ssh: { name, address: name, port: 22, user: 'root', agent: false, knownHosts: '', hostKeyPolicy: 'off', maxSessions: 10, connectTimeoutMs: 1000 },
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
