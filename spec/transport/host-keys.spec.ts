import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ssh2 from 'ssh2';
import type { SimulatedSshHost } from '../../lib/fleet/ssh-host.js';
import { SshTransport } from '../../lib/transport/index.js';
import { opensshUnavailable, startOpenssh, type OpensshServer } from '../support/openssh.js';
import { SshFixture } from '../support/ssh-fixture.js';

const { utils } = ssh2;
const never = new AbortController().signal;
const opts = { signal: never, timeoutMs: 5000 };

/** A known_hosts line for the host with a fresh key of another type than its own (ed25519). */
function ecdsaLine(host: { address: string; port: number }): string {
  const parsed = utils.parseKey(utils.generateKeyPairSync('ecdsa', { bits: 256 }).public);
  if (parsed instanceof Error) throw parsed;
  return `[${host.address}]:${host.port} ${parsed.type} ${parsed.getPublicSSH().toString('base64')}`;
}

interface Note {
  readonly message: string;
  readonly level: 'note' | 'warning';
}

describe('host keys: accept-new and off, as an operator who knows OpenSSH expects', () => {
  let fx: SshFixture;
  let host: SimulatedSshHost;
  const ran: string[] = [];
  let notes: Note[];
  let transport: SshTransport;

  beforeEach(async () => {
    ran.length = 0;
    notes = [];
    fx = new SshFixture();
    host = await fx.host('h1', async (x) => {
      ran.push(x.command);
      return { code: 0 };
    }, { trust: false });
    transport = new SshTransport({ home: fx.dir, onNote: (_e, message, level) => notes.push({ message, level }) });
  });
  afterEach(async () => {
    await transport.close();
    await fx.close();
  });

  it('accept-new refuses a key of another type for a host already known by a key (a changed key, not a new host)', async () => {
    const known = `${ecdsaLine(host)}\n`;
    writeFileSync(fx.knownHosts, known);
    const r = await transport.exec(fx.endpoint(host, { hostKeyPolicy: 'accept-new' }), 'true', opts);
    expect(r.outcome).to.equal('connect-failed');
    expect(r.connectError?.kind).to.equal('host-key');
    expect(r.connectError?.message).to.match(/^HOST KEY CHANGED for \[127\.0\.0\.1\]:\d+: it offered ssh-ed25519 SHA256:\S+, but .*known_hosts:1 knows it by a ecdsa-sha2-nistp256 key \(and by no ssh-ed25519 key\)\. host_key_policy accept-new adds keys only for hosts with no known key, as OpenSSH's accept-new does/);
    expect(readFileSync(fx.knownHosts, 'utf8'), 'nothing was added').to.equal(known);
    expect(ran).to.deep.equal([]);
    expect(notes).to.deep.equal([]);
  });

  it('strict refuses it the same way', async () => {
    writeFileSync(fx.knownHosts, `${ecdsaLine(host)}\n`);
    const r = await transport.exec(fx.endpoint(host), 'true', opts);
    expect(r.connectError?.message).to.match(/^HOST KEY CHANGED for .* knows it by a ecdsa-sha2-nistp256 key \(and by no ssh-ed25519 key\)\. This may be an attack, or a reinstalled host/);
  });

  it('accept-new still adds a host with no known key, once', async () => {
    const r = await transport.exec(fx.endpoint(host, { hostKeyPolicy: 'accept-new' }), 'true', opts);
    expect(r.outcome).to.equal('exited');
    transport.forget(fx.endpoint(host));
    expect((await transport.exec(fx.endpoint(host, { hostKeyPolicy: 'accept-new' }), 'true', opts)).outcome).to.equal('exited');
    expect(notes.map((n) => n.level)).to.deep.equal(['note']);
    expect(notes[0]?.message).to.match(/^added \[127\.0\.0\.1\]:\d+ \(ssh-ed25519 SHA256:/);
    expect(readFileSync(fx.knownHosts, 'utf8').trim().split('\n')).to.have.length(1);
  });

  it('off says once per host that the key was not verified', async () => {
    const ep = fx.endpoint(host, { hostKeyPolicy: 'off' });
    for (let i = 0; i < 3; i++) {
      expect((await transport.exec(ep, 'true', opts)).outcome).to.equal('exited');
      transport.forget(ep); // a new connection, a new key exchange
    }
    expect(host.connectionsAccepted).to.equal(3);
    expect(notes).to.have.length(1);
    expect(notes[0]?.level).to.equal('note');
    expect(notes[0]?.message).to.match(/^host key not verified \(host_key_policy: off\): \[127\.0\.0\.1\]:\d+ offered ssh-ed25519 SHA256:\S+$/);
    expect(readFileSync(fx.knownHosts, 'utf8'), 'off writes nothing').to.equal('');
  });

  it('off warns loudly, once, when the key contradicts known_hosts, and connects', async () => {
    writeFileSync(fx.knownHosts, `${ecdsaLine(host)}\n`);
    const ep = fx.endpoint(host, { hostKeyPolicy: 'off' });
    for (let i = 0; i < 2; i++) {
      expect((await transport.exec(ep, 'true', opts)).outcome).to.equal('exited');
      transport.forget(ep);
    }
    expect(notes.map((n) => n.level)).to.deep.equal(['warning']);
    expect(notes[0]?.message).to.match(/^HOST KEY NOT VERIFIED AND IT CONTRADICTS WHAT IS KNOWN: \[127\.0\.0\.1\]:\d+ offered ssh-ed25519 SHA256:\S+, but .*known_hosts:1 knows it by a ecdsa-sha2-nistp256 key\. host_key_policy is off, so orchestrate connects anyway: this may be a man-in-the-middle attack/);
  });

  it('off warns loudly when a known host offers another key of the same type', async () => {
    const other = await fx.host('h2', async () => ({ code: 0 }), { trust: false });
    writeFileSync(fx.knownHosts, `[${host.address}]:${host.port} ${other.hostPublicKey}\n`);
    expect((await transport.exec(fx.endpoint(host, { hostKeyPolicy: 'off' }), 'true', opts)).outcome).to.equal('exited');
    expect(notes.map((n) => n.level)).to.deep.equal(['warning']);
    expect(notes[0]?.message).to.match(/but .*known_hosts:1 has a different ssh-ed25519 key/);
  });
});

const unavailable = opensshUnavailable() ?? (existsSync('/usr/bin/ssh') ? undefined : 'no ssh client');

describe(`host keys: OpenSSH itself refuses another key type under accept-new${unavailable === undefined ? '' : ` (unavailable: ${unavailable})`}`, function () {
  let server: OpensshServer;

  before(async function () {
    if (unavailable !== undefined) this.skip();
    server = await startOpenssh();
  });
  after(async () => {
    await server?.stop();
  });

  /** `ssh … true` with StrictHostKeyChecking=accept-new and only `knownHosts`. */
  function ssh(knownHosts: string): { status: number | null; stderr: string } {
    const r = spawnSync('ssh', [
      '-F', '/dev/null', '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=accept-new', '-o', `UserKnownHostsFile=${knownHosts}`,
      '-o', 'GlobalKnownHostsFile=/dev/null', '-o', 'IdentitiesOnly=yes', '-i', server.clientKeyPath, '-p', String(server.port),
      `${server.user}@${server.address}`, 'true',
    ], { encoding: 'utf8', timeout: 10_000 });
    return { status: r.status, stderr: r.stderr };
  }

  it('ssh -o StrictHostKeyChecking=accept-new refuses, and so does SshTransport; with no known key both add it', async () => {
    const known = path.join(server.dir, 'kh-other-type');
    const line = `${ecdsaLine(server)}\n`;
    writeFileSync(known, line);
    const refused = ssh(known);
    expect(refused.status, refused.stderr).to.equal(255);
    expect(refused.stderr).to.match(/REMOTE HOST IDENTIFICATION HAS CHANGED/);
    expect(readFileSync(known, 'utf8')).to.equal(line);
    const transport = new SshTransport();
    try {
      const endpoint = {
        name: 'real', address: server.address, port: server.port, user: server.user, identity: server.clientKeyPath, agent: false,
        knownHosts: [known], globalKnownHosts: [], hashKnownHosts: false, hostKeyPolicy: 'accept-new' as const, maxSessions: 10, connectTimeoutMs: 5000,
      };
      const ours = await transport.exec(endpoint, 'true', { signal: never, timeoutMs: 10_000 });
      expect(ours.connectError?.kind).to.equal('host-key');
      expect(readFileSync(known, 'utf8')).to.equal(line);
      const fresh = path.join(server.dir, 'kh-empty');
      writeFileSync(fresh, '');
      expect(ssh(fresh).status).to.equal(0);
      // A new transport: a pool is per user@address:port, and keeps the endpoint it was made with.
      const fresh2 = path.join(server.dir, 'kh-empty-2');
      const again = new SshTransport();
      const added = await again.exec({ ...endpoint, knownHosts: [fresh2] }, 'true', { signal: never, timeoutMs: 10_000 });
      await again.close();
      expect(added.outcome, added.connectError?.message).to.equal('exited');
      expect(readFileSync(fresh2, 'utf8')).to.include(server.hostKeyLine);
    } finally {
      await transport.close();
    }
  });
});
