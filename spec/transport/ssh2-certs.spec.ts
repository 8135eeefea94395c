/**
 * The ssh2 extension for host certificates is applied only to the ssh2 whose key exchange it
 * knows byte for byte, and only before ssh2 loads; otherwise nothing is changed and the reason is
 * kept for the refusal message.
 */
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { certSupport, editKex } from '../../lib/transport/ssh2-certs.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);
const kexFile = require.resolve('ssh2/lib/protocol/kex.js');

describe('ssh2 extended for host certificates (ssh2-certs.ts)', () => {
  it('the pinned ssh2 (exact version in package.json) is extended, and its kex.js in the module cache is the edited one', () => {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(pkg.dependencies.ssh2).to.equal('1.17.0');
    expect(certSupport).to.deep.equal({ ok: true });
    const constants = require('ssh2/lib/protocol/constants.js') as { SUPPORTED_SERVER_HOST_KEY: string[] };
    expect(constants.SUPPORTED_SERVER_HOST_KEY).to.include('ssh-ed25519-cert-v01@openssh.com');
    const cached = require.cache[kexFile];
    expect(cached?.loaded).to.equal(true);
  });

  it('any other kex.js (one byte changed) is left alone, with a reason naming its hash', () => {
    const source = readFileSync(kexFile, 'utf8');
    const edited = editKex(source);
    expect(edited.ok).to.equal(true);
    if (edited.ok) expect(edited.source).to.include('certBaseAlgorithm(negotiated.serverHostKey)');
    const other = editKex(source.replace('Wrong signature type', 'Wrong signature kind'));
    expect(other).to.deep.include({ ok: false });
    expect(other).to.have.property('reason').that.matches(/^this ssh2 version's key exchange \(kex\.js, sha256 [0-9a-f]{12}…\), which orchestrate does not know how to extend$/);
  });

  it('when ssh2 loaded first, nothing is changed and a CA-only host is refused saying why', function () {
    this.timeout(30_000);
    const script = [
      "await import('ssh2');",
      `const { certSupport } = await import(${JSON.stringify(path.join(root, 'lib/transport/ssh2-certs.ts'))});`,
      `const { HostKeyStore } = await import(${JSON.stringify(path.join(root, 'lib/transport/host-keys.ts'))});`,
      "const w = (b) => { const l = Buffer.alloc(4); l.writeUInt32BE(b.length); return Buffer.concat([l, b]); };",
      "const key = (n) => Buffer.concat([w(Buffer.from('ssh-ed25519')), w(Buffer.alloc(32, n))]);",
      "const { writeFileSync } = await import('node:fs');",
      `const kh = ${JSON.stringify(path.join(os.tmpdir(), `ssh2-certs-${process.pid}`))};`,
      "writeFileSync(kh, `@cert-authority h ssh-ed25519 ${key(1).toString('base64')}\\n`);",
      "const ep = { address: 'h', port: 22, hostKeyPolicy: 'strict', knownHosts: [kh], globalKnownHosts: [] };",
      'const store = new HostKeyStore();',
      'console.log(JSON.stringify({ certSupport, types: store.preferredTypes(ep), decision: store.verify(ep, key(2)) }));',
    ].join('\n');
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
    rmSync(path.join(os.tmpdir(), `ssh2-certs-${process.pid}`), { force: true });
    const r = JSON.parse(out) as { certSupport: unknown; types: string[]; decision: { ok: boolean; message: string } };
    expect(r.certSupport).to.deep.equal({ ok: false, reason: 'ssh2 loaded before orchestrate could extend it' });
    expect(r.types).to.deep.equal([]);
    expect(r.decision.ok).to.equal(false);
    expect(r.decision.message).to.match(/:1 trusts a certificate authority \(@cert-authority\) for h, but orchestrate cannot use host certificates with ssh2 loaded before orchestrate could extend it, so the host offers its plain key/);
  });
});
