/**
 * Host certificates made with ssh-keygen (-s, -h) in a temp dir: parsed, their CA signature
 * checked, and trusted or refused by HostKeyStore as `ssh` would, with an injected clock.
 */
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SshEndpoint } from '../../lib/topology/index.js';
import { certificateProblem, parseCertificate, signatureProblem } from '../../lib/transport/host-certs.js';
import { HostKeyStore } from '../../lib/transport/host-keys.js';
import { fingerprint as fp } from '../../lib/transport/known-hosts.js';
import { CERT_ALGORITHMS, certSupport } from '../../lib/transport/ssh2-certs.js';

/** 2025-01-15T00:00:00Z: inside every certificate's window below but the expired and future ones. */
const NOW = Date.UTC(2025, 0, 15);

describe('host certificates (ssh-keygen made), checked as ssh checks them', function () {
  this.timeout(60_000);
  let dir = '';
  const blobOf = (file: string): Buffer => Buffer.from(readFileSync(file, 'utf8').trim().split(/\s+/)[1] ?? '', 'base64');
  const lineOf = (file: string): string => readFileSync(file, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
  const keygen = (...args: string[]): void => {
    execFileSync('ssh-keygen', ['-q', ...args], { stdio: 'ignore' });
  };
  /** A new host key of `type` signed by `ca`; returns the certificate blob. */
  let n = 0;
  const certify = (o: { ca?: string; type?: string; principals?: string; validity?: string; user?: boolean }): Buffer => {
    const key = path.join(dir, `host${n++}`);
    keygen('-t', o.type ?? 'ed25519', ...(o.type === 'rsa' ? ['-b', '2048'] : []), '-N', '', '-f', key);
    keygen('-s', o.ca ?? ca, '-I', `id-${n}`, ...(o.user === true ? [] : ['-h']), ...(o.principals === '' ? [] : ['-n', o.principals ?? 'db1.example']), '-V', o.validity ?? '20250101:20250201', `${key}.pub`);
    return blobOf(`${key}-cert.pub`);
  };
  let ca = '';
  let other = '';
  let knownHosts = '';
  const endpoint = (address = 'db1.example', port = 22): SshEndpoint => ({
    name: 'db1', address, port, user: 'root', identity: undefined, agent: false,
    knownHosts: [knownHosts], globalKnownHosts: [], hashKnownHosts: false, hostKeyPolicy: 'strict', maxSessions: 10, connectTimeoutMs: 5000,
  }) as unknown as SshEndpoint;
  const store = (): HostKeyStore => new HostKeyStore({ now: () => NOW });

  before(function () {
    try {
      execFileSync('ssh-keygen', ['-?'], { stdio: 'ignore' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') this.skip();
    }
    dir = mkdtempSync(path.join(os.tmpdir(), 'host-certs-'));
    ca = path.join(dir, 'ca');
    other = path.join(dir, 'other-ca');
    keygen('-t', 'ed25519', '-N', '', '-f', ca);
    keygen('-t', 'ed25519', '-N', '', '-f', other);
    knownHosts = path.join(dir, 'known_hosts');
    writeFileSync(knownHosts, `# CA for the example hosts\n@cert-authority *.example,[*.example]:* ${lineOf(`${ca}.pub`)}\n`);
  });
  after(() => {
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  it('parses every field ssh-keygen wrote, and the inner key is the host key', () => {
    const cert = parseCertificate(certify({ principals: 'db1.example,db1' }));
    expect(cert.type).to.equal('ssh-ed25519-cert-v01@openssh.com');
    expect(cert.certType).to.equal(2);
    expect(cert.keyId).to.match(/^id-\d+$/);
    expect(cert.principals).to.deep.equal(['db1.example', 'db1']);
    expect(cert.key.equals(blobOf(path.join(dir, `host${n - 1}.pub`)))).to.equal(true);
    expect(cert.signatureKey.equals(blobOf(`${ca}.pub`))).to.equal(true);
    expect(cert.extensions).to.deep.equal([]);
    expect(cert.criticalOptions).to.deep.equal([]);
    expect(signatureProblem(cert)).to.equal(undefined);
  });

  for (const caType of ['ecdsa', 'rsa'] as const) {
    it(`verifies a ${caType} CA's signature over an ecdsa and an rsa host key, and notices one flipped byte`, () => {
      const key = path.join(dir, `ca-${caType}`);
      keygen('-t', caType, ...(caType === 'rsa' ? ['-b', '2048'] : []), '-N', '', '-f', key);
      for (const type of ['ecdsa', 'rsa']) {
        const blob = certify({ ca: key, type });
        expect(signatureProblem(parseCertificate(blob))).to.equal(undefined);
        const tampered = Buffer.from(blob);
        tampered[60] = (tampered[60] ?? 0) ^ 1;
        expect(signatureProblem(parseCertificate(tampered))).to.equal('its CA signature does not verify');
      }
    });
  }

  it('refuses a malformed certificate with a reason, not an exception from deep inside', () => {
    const blob = certify({});
    expect(() => parseCertificate(blob.subarray(0, blob.length - 10))).to.throw(RangeError, /^malformed certificate: truncated/);
    expect(store().verify(endpoint(), blob.subarray(0, 100))).to.deep.include({ ok: false });
  });

  it('trusts a good certificate through the @cert-authority line, on port 22 and on another port', () => {
    const blob = certify({});
    expect(store().verify(endpoint(), blob)).to.deep.equal({ ok: true });
    expect(store().verify(endpoint('db1.example', 2222), blob)).to.deep.equal({ ok: true });
  });

  it('refuses an expired one and one not yet valid, at the exact boundaries of the window', () => {
    const blob = certify({});
    const cert = parseCertificate(blob);
    const end = Number(cert.validBefore);
    expect(certificateProblem(cert, 'db1.example', end - 1)).to.equal(undefined);
    expect(certificateProblem(cert, 'db1.example', end)).to.match(/^it expired at 2025-0[12]/);
    expect(certificateProblem(cert, 'db1.example', Number(cert.validAfter))).to.equal(undefined);
    expect(certificateProblem(cert, 'db1.example', Number(cert.validAfter) - 1)).to.match(/^it is not valid before /);
    const d = store().verify(endpoint(), certify({ validity: '20240101:20240201' }));
    expect(d.ok).to.equal(false);
    expect(d).to.have.property('message').that.matches(new RegExp(`^host certificate of db1\\.example \\(ssh-ed25519-cert-v01@openssh\\.com SHA256:\\S+, CA SHA256:\\S+, id "id-\\d+"\\) not trusted through ${knownHosts}:2: it expired at 2024-0`));
    expect(d).to.have.property('message').that.includes('; and its plain key: host key of db1.example');
    expect(store().verify(endpoint(), certify({ validity: '20260101:20260201' }))).to.have.property('message').that.includes(': it is not valid before 202');
  });

  it('refuses a certificate for another host name, and one with no principals at all', () => {
    expect(store().verify(endpoint('db2.example'), certify({}))).to.have.property('message').that.includes('it is not valid for db2.example (principals: db1.example)');
    expect(store().verify(endpoint(), certify({ principals: '' }))).to.have.property('message').that.includes('it names no principals');
  });

  it('refuses a user certificate offered as a host certificate', () => {
    expect(store().verify(endpoint(), certify({ user: true }))).to.have.property('message').that.includes('it is a user certificate, not a host certificate');
  });

  it('refuses a certificate signed by a CA that no line trusts, and a trusted CA for a host its line does not cover', () => {
    expect(store().verify(endpoint(), certify({ ca: other }))).to.have.property('message').that.includes('it is signed by a certificate authority (SHA256:');
    expect(store().verify(endpoint('db1.other', 22), certify({ principals: 'db1.other' }))).to.have.property('message').that.includes('that no @cert-authority line for db1.other trusts');
  });

  it('refuses when the CA or the certified key is @revoked for the host, naming the line, even if the plain key is known', () => {
    const blob = certify({});
    const cert = parseCertificate(blob);
    const plain = `db1.example ssh-ed25519 ${cert.key.toString('base64')}`;
    writeFileSync(knownHosts, `${readFileSync(knownHosts, 'utf8')}${plain}\n@revoked db1.example ${lineOf(`${ca}.pub`)}\n`);
    try {
      expect(store().verify(endpoint(), blob)).to.deep.equal({ ok: false, message: `host certificate of db1.example (ssh-ed25519-cert-v01@openssh.com ${fp(cert.key)}, CA ${fp(cert.signatureKey)}) refused: the certificate authority that signed it is marked @revoked in ${knownHosts}:4` });
      expect(store().verify(endpoint('db3.example'), certify({ principals: 'db3.example' }))).to.deep.equal({ ok: true });
      const other = certify({ principals: 'db4.example' });
      const inner = parseCertificate(other).key;
      writeFileSync(knownHosts, `${readFileSync(knownHosts, 'utf8')}@revoked db4.example ssh-ed25519 ${inner.toString('base64')}\n`);
      expect(store().verify(endpoint('db4.example'), other)).to.have.property('message').that.matches(/refused: its key is marked @revoked in .*known_hosts:5$/);
    } finally {
      writeFileSync(knownHosts, readFileSync(knownHosts, 'utf8').split('\n').slice(0, 2).join('\n') + '\n');
    }
  });

  it('falls back to the plain key, as ssh does, when the certificate is not trusted: accepted with a warning if known_hosts has it', () => {
    const blob = certify({ validity: '20240101:20240201' });
    const inner = parseCertificate(blob).key;
    const withKey = path.join(dir, 'known_hosts_plain');
    writeFileSync(withKey, `${readFileSync(knownHosts, 'utf8')}db1.example ssh-ed25519 ${inner.toString('base64')}\n`);
    const d = new HostKeyStore({ now: () => NOW }).verify({ ...endpoint(), knownHosts: [withKey] }, blob);
    expect(d).to.deep.include({ ok: true, warning: true });
    expect(d).to.have.property('note').that.matches(/not trusted through .*known_hosts_plain:2: it expired at .*; its plain key was accepted instead$/);
  });

  it('offers certificate algorithms first only for a host a @cert-authority line covers', () => {
    expect(certSupport).to.deep.equal({ ok: true });
    expect(store().preferredTypes(endpoint())).to.deep.equal([...CERT_ALGORITHMS]);
    expect(store().preferredTypes(endpoint('db1.other'))).to.deep.equal([]);
    expect(store().preferredTypes({ ...endpoint(), hostKeyPolicy: 'off' })).to.deep.equal([]);
  });
});
