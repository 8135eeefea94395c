/**
 * A host name the resolver does not know is final at once (was: "SSH does not answer" until the
 * boot timeout, ENOTFOUND only at the end): the probe says so, a login fails as a configuration
 * problem, and `up` stops the host in well under a second.
 */
import { expect } from 'chai';
import { lookup } from 'node:dns/promises';
import { runPlan } from '../../lib/execution/index.js';
import { buildPlan } from '../../lib/plan/index.js';
import { SshTransport } from '../../lib/transport/index.js';
import { SshFixture } from '../support/ssh-fixture.js';
import { loadValid } from '../support/topologies.js';

const NAME = 'acd-dbm.invalid';

describe('a host name that does not resolve', function () {
  this.timeout(10_000);
  let fx: SshFixture;
  before(async function () {
    // .invalid never resolves (RFC 2606); a resolver that cannot be asked at all says something else.
    const code = await lookup(NAME).then(() => 'resolved', (e: NodeJS.ErrnoException) => e.code ?? '');
    if (code !== 'ENOTFOUND') this.skip();
    fx = new SshFixture();
  });
  after(async () => fx?.close());

  it('the probe and a login say so at once, as final', async () => {
    const transport = new SshTransport({ home: fx.dir });
    try {
      const host = await fx.host('h1', () => Promise.resolve({ code: 0 }));
      const endpoint = { ...fx.endpoint(host), address: NAME };
      const t0 = performance.now();
      const p = await transport.probe(endpoint, { signal: new AbortController().signal, timeoutMs: 5000 });
      expect(p).to.deep.include({ answers: false, final: true });
      expect(p.observed).to.match(/^acd-dbm\.invalid: no such host name \(the resolver says ENOTFOUND\); ssh_config was not read for it/);
      const r = await transport.exec(endpoint, 'true', { signal: new AbortController().signal, timeoutMs: 5000 });
      expect(r.outcome).to.equal('connect-failed');
      expect(r.connectError?.kind).to.equal('config');
      expect(performance.now() - t0).to.be.below(1000);
    } finally {
      await transport.close();
    }
  });

  it('up fails the host at its boot wait in under a second, naming the name', async () => {
    const yaml = `roles: { r: {} }\nhosts: { h: { address: ${NAME}, roles: [r], identity: ${fx.identity}, known_hosts: ${fx.knownHosts} } }\n`;
    const { topology, graph } = loadValid('n.yaml', { 'n.yaml': yaml });
    const transport = new SshTransport({ home: fx.dir });
    try {
      const t0 = performance.now();
      const summary = await runPlan(buildPlan(topology, graph, 'up'), { transport, listeners: [], signal: new AbortController().signal });
      expect(summary.status).to.equal('failed');
      expect(summary.failures[0]?.reason).to.include('no such host name');
      expect(performance.now() - t0).to.be.below(1000);
    } finally {
      await transport.close();
    }
  });
});
