/**
 * Without `identity`, every default key in OpenSSH's order is offered (was: only the first file
 * that existed), and a passphrase-protected identity is left to the agent when there is one.
 */
import { expect } from 'chai';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateEd25519 } from '../../lib/fleet/keys.js';
import { CredentialStore } from '../../lib/transport/credentials.js';
import { SshTransport } from '../../lib/transport/index.js';
import { SshFixture } from '../support/ssh-fixture.js';

/** A home whose ~/.ssh holds the fixture's authorised key under `good` and a key nobody authorised under `bad`. */
function home(fx: SshFixture, good: string, bad: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'orchestrate-home-'));
  mkdirSync(path.join(dir, '.ssh'), { mode: 0o700 });
  copyFileSync(fx.identity, path.join(dir, '.ssh', good));
  writeFileSync(path.join(dir, '.ssh', bad), generateEd25519().private, { mode: 0o600 });
  return dir;
}

describe('default identities, as ssh offers them', function () {
  this.timeout(10_000);
  const fx = new SshFixture();
  after(async () => fx.close());

  for (const [good, bad] of [['id_rsa', 'id_ed25519'], ['id_ed25519', 'id_rsa']] as const) {
    it(`logs in with ~/.ssh/${good} when ~/.ssh/${bad}, not authorised, exists too`, async () => {
      const host = await fx.host(`h-${good}`, () => Promise.resolve({ code: 0, stdout: 'in\n' }));
      const transport = new SshTransport({ home: home(fx, good, bad) });
      try {
        const { identity: _none, ...endpoint } = fx.endpoint(host);
        const r = await transport.exec(endpoint, 'true', { signal: new AbortController().signal, timeoutMs: 5000 });
        expect(r.outcome, r.connectError?.message).to.equal('exited');
      } finally {
        await transport.close();
      }
    });
  }

  it('offers them in OpenSSH order, and a protected identity is left to the agent', () => {
    const dir = home(fx, 'id_ed25519', 'id_rsa');
    const store = new CredentialStore({ home: dir, agentSocket: '/run/agent.sock' });
    const endpoint = { ...fx.endpoint({ name: 'x', address: '127.0.0.1', port: 22 }) };
    const { identity: _i, ...bare } = endpoint;
    const all = store.for(bare);
    expect(all.ok && all.credentials.keys.length).to.equal(2);
    const locked = path.join(dir, 'locked');
    writeFileSync(locked, '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAACmFlczI1Ni1jdHIAAAAGYmNyeXB0\n-----END OPENSSH PRIVATE KEY-----\n', { mode: 0o600 });
    const withAgent = store.for({ ...endpoint, identity: locked, agent: true });
    const withoutAgent = new CredentialStore({ home: dir }).for({ ...endpoint, identity: locked, agent: true });
    expect(withAgent).to.deep.equal({ ok: true, credentials: { keys: [], agent: '/run/agent.sock' } });
    expect(withoutAgent.ok).to.equal(false);
  });
});
