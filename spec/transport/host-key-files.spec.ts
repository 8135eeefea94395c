/**
 * Host keys from every known_hosts file, as `ssh` reads them: user files then global files, a
 * match in any of them, @revoked in any of them, @cert-authority recognised, accept-new writing
 * hashed names to the first user file. Against simulated hosts (ssh2); the same cases against
 * real OpenSSH are in host-keys-openssh.spec.ts.
 */
import { expect } from 'chai';
import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ssh2 from 'ssh2';
import { generateEd25519 } from '../../lib/fleet/keys.js';
import type { SimulatedSshHost } from '../../lib/fleet/ssh-host.js';
import { fingerprint } from '../../lib/transport/known-hosts.js';
import { SshTransport } from '../../lib/transport/index.js';
import { SshFixture } from '../support/ssh-fixture.js';

const never = new AbortController().signal;
const opts = { signal: never, timeoutMs: 5000 };

describe('host keys from several known_hosts files', () => {
  let fx: SshFixture;
  let host: SimulatedSshHost;
  let notes: { message: string; level: string }[];
  let transport: SshTransport;
  const file = (name: string, text: string): string => {
    const f = path.join(fx.dir, name);
    writeFileSync(f, text);
    return f;
  };
  /** `[127.0.0.1]:port` as known_hosts names the host. */
  const name = (): string => `[${host.address}]:${host.port}`;

  beforeEach(async () => {
    notes = [];
    fx = new SshFixture();
    host = await fx.host('h1', () => Promise.resolve({ code: 0 }), { trust: false });
    transport = new SshTransport({ home: fx.dir, onNote: (_e, message, level) => notes.push({ message, level }) });
  });
  afterEach(async () => {
    await transport.close();
    await fx.close();
  });

  it('accepts a key that is only in the second user file (known_hosts2)', async () => {
    const second = file('known_hosts2', `${name()} ${host.hostPublicKey}\n`);
    const r = await transport.exec(fx.endpoint(host, { knownHosts: [fx.knownHosts, second] }), 'true', opts);
    expect(r.outcome, r.connectError?.message).to.equal('exited');
  });

  it('accepts a key that is only in a global file, and a match in any file wins over another key in an earlier one', async () => {
    const global = file('ssh_known_hosts', `# global\n${name()} ${host.hostPublicKey}\n`);
    writeFileSync(fx.knownHosts, `${name()} ${generateEd25519().public}\n`);
    const r = await transport.exec(fx.endpoint(host, { globalKnownHosts: [path.join(fx.dir, 'missing'), global] }), 'true', opts);
    expect(r.outcome, r.connectError?.message).to.equal('exited');
  });

  it('refuses a key marked @revoked in a global file, naming that file and line', async () => {
    writeFileSync(fx.knownHosts, `${name()} ${host.hostPublicKey}\n`);
    const global = file('ssh_known_hosts', `\n@revoked * ${host.hostPublicKey}\n`);
    const r = await transport.exec(fx.endpoint(host, { globalKnownHosts: [global] }), 'true', opts);
    expect(r.connectError?.kind).to.equal('host-key');
    expect(r.connectError?.message).to.equal(`host key of ${name()} (ssh-ed25519 ${fingerprintOf(host)}) is marked @revoked in ${global}:2`);
  });

  it('names the file and line of a changed key, and the file to remove it from', async () => {
    const global = file('ssh_known_hosts', `${name()} ${generateEd25519().public}\n`);
    const r = await transport.exec(fx.endpoint(host, { globalKnownHosts: [global] }), 'true', opts);
    expect(r.connectError?.message).to.match(new RegExp(`^HOST KEY CHANGED for .*, but ${escape(global)}:1 has a different ssh-ed25519 key\\. .*ssh-keygen -R '${escape(name())}' -f ${escape(global)}\\)$`));
  });

  it('says every file it read when the host is unknown', async () => {
    const second = path.join(fx.dir, 'known_hosts2');
    const r = await transport.exec(fx.endpoint(host, { knownHosts: [fx.knownHosts, second], globalKnownHosts: ['/nonexistent/g'] }), 'true', opts);
    expect(r.connectError?.message).to.equal(
      `host key of ${name()} (ssh-ed25519 ${fingerprintOf(host)}) is not in ${fx.knownHosts}, ${second}, /nonexistent/g; add it (ssh-keyscan -p ${host.port} ${host.address} >> ${fx.knownHosts}) or set host_key_policy: accept-new`,
    );
  });

  it('recognises a @cert-authority line: a host only a CA vouches for that offers a plain key is refused, saying why and what to do', async () => {
    const ca = generateEd25519().public;
    const global = file('ssh_known_hosts', `@cert-authority [127.0.0.1]:* ${ca}\n`);
    const r = await transport.exec(fx.endpoint(host, { globalKnownHosts: [global] }), 'true', opts);
    expect(r.connectError?.kind).to.equal('host-key');
    expect(r.connectError?.message).to.include(`${global}:1 trusts a certificate authority (@cert-authority) for ${name()}, but it offered a plain key, not a certificate, and a @cert-authority line vouches for certificates only`);
    expect(r.connectError?.message).to.match(/: add it \(ssh-keyscan -p \d+ 127\.0\.0\.1 >> \S+\), or set host_key_policy: accept-new$/);
  });

  it('accept-new writes a hashed name to the first user file when hashKnownHosts is set; the next run matches it', async () => {
    const second = file('known_hosts2', '');
    const ep = fx.endpoint(host, { knownHosts: [fx.knownHosts, second], hostKeyPolicy: 'accept-new', hashKnownHosts: true });
    expect((await transport.exec(ep, 'true', opts)).outcome).to.equal('exited');
    const written = readFileSync(fx.knownHosts, 'utf8');
    expect(written).to.match(/^\|1\|[A-Za-z0-9+/]{27}=\|[A-Za-z0-9+/]{27}= ssh-ed25519 \S+\n$/);
    expect(written).to.include(host.hostPublicKey.split(' ')[1]);
    expect(written).not.to.include('127.0.0.1');
    expect(readFileSync(second, 'utf8')).to.equal('');
    expect(notes[0]?.message).to.match(new RegExp(`^added .* to ${escape(fx.knownHosts)} \\(host name hashed\\)$`));
    transport.forget(ep);
    expect((await transport.exec(ep, 'true', opts)).outcome, 'the same run').to.equal('exited');
    const next = new SshTransport({ home: fx.dir });
    try {
      const r = await next.exec({ ...ep, hostKeyPolicy: 'strict' }, 'true', opts);
      expect(r.outcome, r.connectError?.message).to.equal('exited');
    } finally {
      await next.close();
    }
    expect(readFileSync(fx.knownHosts, 'utf8')).to.equal(written);
  });

  it('accept-new never writes through a symlink at the first user file (it connects and says so)', async () => {
    const victim = file('victim', 'untouched\n');
    const link = path.join(fx.dir, 'linked_known_hosts');
    symlinkSync(victim, link);
    const r = await transport.exec(fx.endpoint(host, { knownHosts: [link], hostKeyPolicy: 'accept-new' }), 'true', opts);
    expect(r.outcome).to.equal('exited');
    expect(notes[0]).to.deep.include({ level: 'warning' });
    expect(notes[0]?.message).to.include(`could not add it to ${link}: it is a symbolic link, which orchestrate never writes through`);
    expect(readFileSync(victim, 'utf8')).to.equal('untouched\n');
  });

  it('accept-new with no user file at all connects and says it could not add the key', async () => {
    const r = await transport.exec(fx.endpoint(host, { knownHosts: [], hostKeyPolicy: 'accept-new' }), 'true', opts);
    expect(r.outcome).to.equal('exited');
    expect(notes[0]?.message).to.match(/could not add it: there is no user known_hosts file to add it to$/);
  });

  it('reads a plan document made when known_hosts was one file (a string, no global files)', async () => {
    writeFileSync(fx.knownHosts, `${name()} ${host.hostPublicKey}\n`);
    const { globalKnownHosts: _g, hashKnownHosts: _h, ...old } = fx.endpoint(host);
    const r = await transport.exec({ ...old, knownHosts: fx.knownHosts } as never, 'true', opts);
    expect(r.outcome, r.connectError?.message).to.equal('exited');
  });
});

describe('ssh2 and host certificates', () => {
  it('ssh2 1.17, extended by ssh2-certs.ts, takes certificate host-key algorithms (alone it refuses them: "Unsupported algorithm")', () => {
    const client = new ssh2.Client();
    // No username: connect throws at the check after the algorithms, so they were taken.
    expect(() => client.connect({ host: '127.0.0.1', port: 1, algorithms: { serverHostKey: ['ssh-ed25519-cert-v01@openssh.com' as never, 'rsa-sha2-512-cert-v01@openssh.com' as never] } }))
      .to.throw('Invalid username');
    client.end();
  });
});

function fingerprintOf(h: SimulatedSshHost): string {
  return fingerprint(Buffer.from(h.hostPublicKey.split(' ')[1] ?? '', 'base64'));
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
