/**
 * Host keys against real OpenSSH servers on loopback, side by side with the `ssh` client given
 * the same files: known_hosts2, a global file (through the topology's global_known_hosts),
 * @revoked, host certificates with @cert-authority (made with ssh-keygen here), and hashed names
 * written under accept-new that OpenSSH reads back. Never port 22, never /etc/ssh, never ~/.ssh.
 */
import { expect } from 'chai';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SshEndpoint } from '../../lib/topology/index.js';
import { SshTransport } from '../../lib/transport/index.js';
import { opensshUnavailable, startOpenssh, type OpensshServer } from '../support/openssh.js';
import { loadValid } from '../support/topologies.js';

const unavailable = opensshUnavailable() ?? (existsSync('/usr/bin/ssh') ? undefined : 'no ssh client (install openssh-client)');
const never = new AbortController().signal;
const opts = { signal: never, timeoutMs: 10_000 };

/** `ssh … true` as an operator would run it, with only the given files (none of ~/.ssh, none of /etc/ssh). */
function ssh(server: OpensshServer, o: { user: readonly string[]; global?: readonly string[]; strict?: 'yes' | 'accept-new' }): { status: number | null; stderr: string } {
  const r = spawnSync('ssh', [
    '-F', '/dev/null', '-o', 'BatchMode=yes', '-o', `StrictHostKeyChecking=${o.strict ?? 'yes'}`,
    '-o', `UserKnownHostsFile=${o.user.join(' ')}`, '-o', `GlobalKnownHostsFile=${(o.global ?? ['/dev/null']).join(' ')}`,
    '-o', 'IdentitiesOnly=yes', '-i', server.clientKeyPath, '-p', String(server.port), `${server.user}@${server.address}`, 'true',
  ], { encoding: 'utf8', timeout: 10_000 });
  return { status: r.status, stderr: r.stderr };
}

/** Runs `true` with a fresh transport (a new run: files read afresh). */
async function run(endpoint: SshEndpoint): Promise<{ outcome: string; message?: string; notes: string[] }> {
  const notes: string[] = [];
  const transport = new SshTransport({ onNote: (_e, message) => notes.push(message) });
  try {
    const r = await transport.exec(endpoint, 'true', opts);
    return { outcome: r.outcome, ...(r.connectError ? { message: r.connectError.message } : {}), notes };
  } finally {
    await transport.close();
  }
}

function requireOpenssh(ctx: Mocha.Context): void {
  if (unavailable === undefined) return;
  if (process.env.ORCHESTRATE_REQUIRE_OPENSSH === '1') throw new Error(`OpenSSH tests required but unavailable: ${unavailable}`);
  ctx.skip();
}

describe(`host keys against real OpenSSH, as ssh checks them${unavailable === undefined ? '' : ` (unavailable: ${unavailable})`}`, function () {
  let server: OpensshServer;
  let endpoint: SshEndpoint;
  let known: string;
  const file = (name: string, text: string): string => {
    const f = path.join(server.dir, name);
    writeFileSync(f, text);
    return f;
  };

  before(async function () {
    requireOpenssh(this);
    server = await startOpenssh();
    known = `[${server.address}]:${server.port} ${server.hostKeyLine}\n`;
    endpoint = {
      name: 'real', address: server.address, port: server.port, user: server.user, identity: server.clientKeyPath, agent: false,
      knownHosts: [], globalKnownHosts: [], hashKnownHosts: false, hostKeyPolicy: 'strict', maxSessions: 10, connectTimeoutMs: 5000,
    };
  });
  after(async () => {
    await server?.stop();
  });

  it('a key only in known_hosts2: ssh and orchestrate both connect', async () => {
    const first = file('kh2-first', '');
    const second = file('kh2-second', known);
    expect(ssh(server, { user: [first, second] }).status).to.equal(0);
    const r = await run({ ...endpoint, knownHosts: [first, second] });
    expect(r.outcome, r.message).to.equal('exited');
  });

  it('a key only in a global file, given as global_known_hosts in the topology: both connect', async () => {
    const empty = file('global-user', '');
    const global = file('global-file', `# the site's keys\n${known}`);
    expect(ssh(server, { user: [empty], global: [global] }).status).to.equal(0);
    const yaml = [
      'roles: { r: {} }',
      `hosts: { h: { address: ${server.address}, port: ${server.port}, user: ${server.user}, identity: ${server.clientKeyPath}, agent: false,`,
      `  known_hosts: ${empty}, global_known_hosts: [${global}], roles: [r] } }`,
      '',
    ].join('\n');
    const ssh0 = loadValid('g.yaml', { 'g.yaml': yaml }).topology.hosts[0]?.ssh;
    expect(ssh0?.globalKnownHosts).to.deep.equal([global]);
    const r = await run(ssh0 ?? endpoint);
    expect(r.outcome, r.message).to.equal('exited');
    const none = await run({ ...endpoint, knownHosts: [empty] });
    expect(none.message, 'without the global file').to.match(/is not in .*global-user; add it/);
  });

  it('@revoked in a global file refuses a key the user file knows: both refuse', async () => {
    const user = file('revoked-user', known);
    const global = file('revoked-global', `\n@revoked * ${server.hostKeyLine}\n`);
    const refused = ssh(server, { user: [user], global: [global] });
    expect(refused.status).to.equal(255);
    expect(refused.stderr).to.match(/REVOKED/);
    const r = await run({ ...endpoint, knownHosts: [user], globalKnownHosts: [global] });
    expect(r.outcome).to.equal('connect-failed');
    expect(r.message).to.match(new RegExp(`^host key of \\[127\\.0\\.0\\.1\\]:${server.port} \\(ssh-ed25519 SHA256:\\S+\\) is marked @revoked in ${global.replace(/[.]/g, '\\.')}:2$`));
  });

  it('accept-new with hash_known_hosts writes a hashed line that the next run matches, ssh-keygen -F finds and ssh accepts', async () => {
    const target = path.join(server.dir, 'hashed', 'known_hosts');
    const added = await run({ ...endpoint, knownHosts: [target], hostKeyPolicy: 'accept-new', hashKnownHosts: true });
    expect(added.outcome, added.message).to.equal('exited');
    expect(added.notes[0]).to.match(/^added .* \(host name hashed\)$/);
    const text = readFileSync(target, 'utf8');
    expect(text).to.match(/^\|1\|\S+\|\S+ ssh-ed25519 \S+\n$/);
    expect(text).not.to.include(server.address);
    const again = await run({ ...endpoint, knownHosts: [target] });
    expect(again.outcome, again.message).to.equal('exited');
    const found = execFileSync('ssh-keygen', ['-F', `[${server.address}]:${server.port}`, '-f', target], { encoding: 'utf8' });
    expect(found).to.include('found: line 1');
    expect(ssh(server, { user: [target] }).status, 'ssh -o StrictHostKeyChecking=yes').to.equal(0);
    expect(readFileSync(target, 'utf8')).to.equal(text);
  });
});

describe(`host certificates against real OpenSSH${unavailable === undefined ? '' : ` (unavailable: ${unavailable})`}`, function () {
  let valid: OpensshServer;
  let expired: OpensshServer;
  let caLine: string;
  let caDir = '';

  before(async function () {
    requireOpenssh(this);
    caDir = mkdtempSync(path.join(os.tmpdir(), 'host-ca-'));
    const ca = path.join(caDir, 'ca');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'test-ca', '-f', ca]);
    caLine = readFileSync(`${ca}.pub`, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
    [valid, expired] = await Promise.all([
      startOpenssh({ hostCertificate: { ca, principals: '127.0.0.1', validity: '-5m:+1h' } }),
      startOpenssh({ hostCertificate: { ca, principals: '127.0.0.1', validity: '20200101:20200102' } }),
    ]);
  });
  after(async () => {
    await Promise.all([valid?.stop(), expired?.stop()]);
    if (caDir !== '') rmSync(caDir, { recursive: true, force: true });
  });

  const endpointOf = (s: OpensshServer, knownHosts: string): SshEndpoint => ({
    name: 'cert', address: s.address, port: s.port, user: s.user, identity: s.clientKeyPath, agent: false,
    knownHosts: [knownHosts], globalKnownHosts: [], hashKnownHosts: false, hostKeyPolicy: 'strict', maxSessions: 10, connectTimeoutMs: 5000,
  });

  it('ssh accepts the certificate through @cert-authority (principal 127.0.0.1 on a port other than 22), and so does orchestrate, adding nothing', async () => {
    const kh = path.join(valid.dir, 'ca_known_hosts');
    const text = `@cert-authority [127.0.0.1]:* ${caLine}\n`;
    writeFileSync(kh, text);
    const accepted = ssh(valid, { user: [kh] });
    expect(accepted.status, accepted.stderr).to.equal(0);
    const r = await run(endpointOf(valid, kh));
    expect(r.outcome, r.message).to.equal('exited');
    expect(r.notes).to.deep.equal([]);
    const again = await run({ ...endpointOf(valid, kh), hostKeyPolicy: 'accept-new' });
    expect(again.outcome, again.message).to.equal('exited');
    expect(readFileSync(kh, 'utf8')).to.equal(text);
  });

  it('a CA line that covers another host name only: ssh and orchestrate both refuse the certificate', async () => {
    const kh = path.join(valid.dir, 'ca_other_host');
    writeFileSync(kh, `@cert-authority [db1.example]:* ${caLine}\n`);
    expect(ssh(valid, { user: [kh] }).status).to.equal(255);
    const r = await run(endpointOf(valid, kh));
    expect(r.outcome).to.equal('connect-failed');
    expect(r.message).to.match(/^host key of \[127\.0\.0\.1\]:\d+ \(ssh-ed25519 SHA256:\S+\) is not in /);
  });

  it('an expired certificate: ssh refuses it, and so does orchestrate, naming the CA line and the reason', async () => {
    const kh = path.join(expired.dir, 'ca_known_hosts');
    writeFileSync(kh, `@cert-authority [127.0.0.1]:* ${caLine}\n`);
    const refused = ssh(expired, { user: [kh] });
    expect(refused.status).to.equal(255);
    expect(refused.stderr).to.match(/Certificate invalid: expired/);
    const r = await run(endpointOf(expired, kh));
    expect(r.outcome).to.equal('connect-failed');
    expect(r.message).to.include(`not trusted through ${kh}:1: it expired at 2020-01-0`);
  });

  it('an expired certificate under accept-new: as ssh, its plain key is added instead, with a warning', async () => {
    const kh = path.join(expired.dir, 'ca_accept_new');
    writeFileSync(kh, `@cert-authority [127.0.0.1]:* ${caLine}\n`);
    const r = await run({ ...endpointOf(expired, kh), hostKeyPolicy: 'accept-new' });
    expect(r.outcome, r.message).to.equal('exited');
    expect(r.notes[0]).to.match(/it expired at .*; its plain key was accepted instead \(added \[127\.0\.0\.1\]:\d+ /);
    expect(readFileSync(kh, 'utf8').split('\n')[1]).to.equal(`[127.0.0.1]:${expired.port} ${expired.hostKeyLine}`);
    const kh2 = path.join(expired.dir, 'ca_accept_new_ssh');
    writeFileSync(kh2, `@cert-authority [127.0.0.1]:* ${caLine}\n`);
    expect(ssh(expired, { user: [kh2], strict: 'accept-new' }).status).to.equal(0);
    expect(readFileSync(kh2, 'utf8').split('\n')[1]).to.equal(`[127.0.0.1]:${expired.port} ${expired.hostKeyLine}`);
  });
});
