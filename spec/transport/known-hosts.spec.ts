import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import ssh2 from 'ssh2';
import { generateEd25519 } from '../../lib/fleet/keys.js';
import {
  checkHostKey,
  fingerprint,
  hostPattern,
  keyTypeOf,
  knownHostsLine,
  knownTypesFor,
  KnownHostsIndex,
  matchesHost,
  parseKnownHosts,
  type KnownHostsEntry,
} from '../../lib/transport/known-hosts.js';

const { utils } = ssh2;

interface TestKey {
  readonly pub: string;
  readonly blob: Buffer;
  readonly text: string;
}

function makeKey(type: 'ed25519' | 'ecdsa'): TestKey {
  // generateEd25519 discards the malformed keys ssh2 sometimes generates.
  const pair = type === 'ecdsa' ? utils.generateKeyPairSync('ecdsa', { bits: 256 }) : generateEd25519();
  const parsed = utils.parseKey(pair.public);
  if (parsed instanceof Error) throw parsed;
  const blob = parsed.getPublicSSH();
  return { pub: pair.public, blob, text: `${keyTypeOf(blob)} ${blob.toString('base64')}` };
}

const edA = makeKey('ed25519');
const edB = makeKey('ed25519');
const ec = makeKey('ecdsa');

function entry(line: string): KnownHostsEntry {
  const [parsed] = parseKnownHosts(line);
  if (!parsed) throw new Error(`did not parse: ${line}`);
  return parsed;
}

function sshKeygen(...args: string[]): string {
  return execFileSync('ssh-keygen', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('known-hosts', () => {
  describe('parseKnownHosts', () => {
    it('skips blank lines, comments and malformed lines, keeping 1-based line numbers', () => {
      const text = [
        '# a comment',
        '',
        '   ',
        `host1 ${edA.text}`,
        'host2 ssh-ed25519',
        `host3 ssh-ed25519 !!!notbase64`,
        `host4 ssh-rsa ${edA.blob.toString('base64')}`,
        `@bogus host5 ${edA.text}`,
        `|1|c2FsdA==|aGFzaA== ${edA.text}`,
        `|2|x|y ${edA.text}`,
        `@revoked ${edA.text}`,
        `  host6 ${ec.text}`,
      ].join('\n');
      const entries = parseKnownHosts(text);
      expect(entries.map((e) => [e.line, e.patterns[0]])).to.deep.equal([
        [4, 'host1'],
        [12, 'host6'],
      ]);
    });

    it('tolerates tabs, repeated spaces, CRLF and a trailing comment', () => {
      const [a, b] = parseKnownHosts(`h1\t\t${edA.text}   my comment here\r\n@revoked\th2,h3  ${edB.text}\r\n`);
      expect(a).to.deep.include({ line: 1, patterns: ['h1'], keyType: 'ssh-ed25519', keyBase64: edA.blob.toString('base64') });
      expect(a?.marker).to.equal(undefined);
      expect(b).to.deep.include({ line: 2, marker: 'revoked', keyBase64: edB.blob.toString('base64') });
    });

    it('splits comma lists and recognises markers and hashed names', () => {
      expect(entry(`a,b,[c]:2222 ${edA.text}`).patterns).to.deep.equal(['a', 'b', '[c]:2222']);
      expect(entry(`@cert-authority *.example.com ${edA.text}`).marker).to.equal('cert-authority');
      const hashed = entry(knownHostsLine('h', 22, edA.blob, { hash: true }));
      expect(hashed.hashed?.salt.length).to.equal(20);
      expect(hashed.hashed?.hash.length).to.equal(20);
      expect(hashed.patterns[0]).to.match(/^\|1\|/);
    });
  });

  describe('hostPattern', () => {
    it('is the plain host on port 22 and [host]:port otherwise, lowercased', () => {
      expect(hostPattern('Server.Example', 22)).to.equal('server.example');
      expect(hostPattern('127.0.0.1', 2222)).to.equal('[127.0.0.1]:2222');
      expect(hostPattern('::1', 2200)).to.equal('[::1]:2200');
    });
  });

  describe('matchesHost', () => {
    it('matches a plain host case-insensitively on port 22 only', () => {
      const e = entry(`Web1.Example ${edA.text}`);
      expect(matchesHost(e, 'web1.example', 22)).to.equal(true);
      expect(matchesHost(e, 'WEB1.EXAMPLE', 22)).to.equal(true);
      expect(matchesHost(e, 'web1.example', 2222)).to.equal(false);
      expect(matchesHost(e, 'web2.example', 22)).to.equal(false);
    });

    it('matches a [host]:port pattern only on that port', () => {
      const e = entry(`[127.0.0.1]:2222 ${edA.text}`);
      expect(matchesHost(e, '127.0.0.1', 2222)).to.equal(true);
      expect(matchesHost(e, '127.0.0.1', 2223)).to.equal(false);
      expect(matchesHost(e, '127.0.0.1', 22)).to.equal(false);
    });

    it('supports * and ? wildcards', () => {
      const e = entry(`*.lab.example,db?,[10.0.0.*]:2222 ${edA.text}`);
      expect(matchesHost(e, 'a.b.lab.example', 22)).to.equal(true);
      expect(matchesHost(e, 'lab.example', 22)).to.equal(false);
      expect(matchesHost(e, 'db1', 22)).to.equal(true);
      expect(matchesHost(e, 'db12', 22)).to.equal(false);
      expect(matchesHost(e, '10.0.0.7', 2222)).to.equal(true);
      expect(matchesHost(e, '10.0.0.7', 22)).to.equal(false);
      expect(matchesHost(entry(`* ${edA.text}`), 'anything', 2222)).to.equal(true);
    });

    it('lets a matching negated pattern veto the whole entry', () => {
      const e = entry(`*.example,!secret.example ${edA.text}`);
      expect(matchesHost(e, 'web.example', 22)).to.equal(true);
      expect(matchesHost(e, 'SECRET.example', 22)).to.equal(false);
      expect(matchesHost(entry(`!foo ${edA.text}`), 'bar', 22)).to.equal(false);
    });

    it('matches hashed names for the exact host and port only', () => {
      const salt = Buffer.alloc(20, 7);
      const e = entry(knownHostsLine('Node-1', 2222, edA.blob, { hash: true, salt }));
      expect(e.patterns[0]?.startsWith(`|1|${salt.toString('base64')}|`)).to.equal(true);
      expect(matchesHost(e, 'node-1', 2222)).to.equal(true);
      expect(matchesHost(e, 'node-1', 22)).to.equal(false);
      expect(matchesHost(e, 'node-2', 2222)).to.equal(false);
    });
  });

  describe('checkHostKey', () => {
    const entries = parseKnownHosts(
      [
        `web,db ${edA.text}`,
        `[web]:2222 ${edB.text}`,
        `other ${ec.text}`,
        `@cert-authority ca-host ${edA.text}`,
        `@revoked bad ${edB.text}`,
        `bad ${edB.text}`,
        `@revoked web ${ec.text}`,
      ].join('\n'),
    );

    it('reports a match on the line holding the identical key', () => {
      expect(checkHostKey(entries, 'db', 22, edA.blob)).to.deep.equal({ status: 'match', line: 1 });
      expect(checkHostKey(entries, 'web', 2222, edB.blob)).to.deep.equal({ status: 'match', line: 2 });
    });

    it('reports a mismatch for the same key type with another key', () => {
      expect(checkHostKey(entries, 'web', 22, edB.blob)).to.deep.equal({
        status: 'mismatch',
        line: 1,
        expectedType: 'ssh-ed25519',
      });
    });

    it('reports other-type when the host is known only by keys of other types (OpenSSH: HOST_CHANGED)', () => {
      expect(checkHostKey(entries, 'other', 22, edA.blob)).to.deep.equal({ status: 'other-type', line: 3, knownType: keyTypeOf(ec.blob) });
      expect(checkHostKey(entries, 'db', 22, ec.blob)).to.deep.equal({ status: 'other-type', line: 1, knownType: 'ssh-ed25519' });
    });

    it('is unknown when the host has no entry at all', () => {
      expect(checkHostKey(entries, 'nowhere', 22, edA.blob)).to.deep.equal({ status: 'unknown' });
      expect(checkHostKey(entries, 'db', 2222, edA.blob)).to.deep.equal({ status: 'unknown' });
    });

    it('reports revoked for a revoked key of a matching host, even when a plain line also matches', () => {
      expect(checkHostKey(entries, 'bad', 22, edB.blob)).to.deep.equal({ status: 'revoked', line: 5 });
      expect(checkHostKey(entries, 'web', 22, ec.blob)).to.deep.equal({ status: 'revoked', line: 7 });
    });

    it('checks a plain key against plain lines only, naming a @cert-authority line for the host (as OpenSSH: a CA vouches for certificates)', () => {
      expect(checkHostKey(entries, 'ca-host', 22, edA.blob)).to.deep.equal({ status: 'unknown', authority: { line: 4 } });
      expect(checkHostKey(entries, 'ca-host', 22, edB.blob)).to.deep.equal({ status: 'unknown', authority: { line: 4 } });
      expect(checkHostKey(entries, 'nowhere', 22, edA.blob)).to.deep.equal({ status: 'unknown' });
    });

    describe('over several files (user files, then global ones), as OpenSSH loads them', () => {
      const files = [
        ...parseKnownHosts(`web ${edA.text}\n`, '/u/known_hosts'),
        ...parseKnownHosts(`# none here\n`, '/u/known_hosts2'),
        ...parseKnownHosts(`\nweb ${edB.text}\n@revoked * ${ec.text}\n@cert-authority *.example ${edA.text}\n`, '/etc/ssh/ssh_known_hosts'),
      ];

      it('matches a key in any file, and says which file and line', () => {
        expect(checkHostKey(files, 'web', 22, edA.blob)).to.deep.equal({ status: 'match', file: '/u/known_hosts', line: 1 });
        expect(checkHostKey(files, 'web', 22, edB.blob), 'a match in a later file wins over a different key in an earlier one').to.deep.equal({ status: 'match', file: '/etc/ssh/ssh_known_hosts', line: 2 });
      });

      it('refuses a key revoked in any file, and names the CA line of a host only a CA vouches for', () => {
        expect(checkHostKey(files, 'web', 22, ec.blob)).to.deep.equal({ status: 'revoked', file: '/etc/ssh/ssh_known_hosts', line: 3 });
        expect(checkHostKey(files, 'a.example', 22, edA.blob)).to.deep.equal({ status: 'unknown', authority: { file: '/etc/ssh/ssh_known_hosts', line: 4 } });
      });

      it('is a changed key when no file matches and one has another key of that type', () => {
        const other = makeKey('ed25519');
        expect(checkHostKey(files, 'web', 22, other.blob)).to.deep.equal({ status: 'mismatch', file: '/u/known_hosts', line: 1, expectedType: 'ssh-ed25519' });
      });
    });

    it('treats a malformed blob as unknown instead of throwing', () => {
      expect(checkHostKey(entries, 'web', 22, Buffer.from([0, 0, 0, 99, 1]))).to.deep.equal({ status: 'unknown' });
    });
  });

  describe('keyTypeOf', () => {
    it('reads the type name from the wire format', () => {
      expect(keyTypeOf(edA.blob)).to.equal('ssh-ed25519');
      expect(keyTypeOf(ec.blob)).to.equal('ecdsa-sha2-nistp256');
    });

    it('throws on a blob that is not an SSH key', () => {
      expect(() => keyTypeOf(Buffer.from([0, 0]))).to.throw(RangeError);
      expect(() => keyTypeOf(Buffer.from([0, 0, 0, 50, 65]))).to.throw(RangeError);
    });
  });

  describe('knownTypesFor', () => {
    it('lists plain-entry key types for the host in file order, deduplicated', () => {
      const entries = parseKnownHosts(
        [
          `h ${ec.text}`,
          `@revoked h ${edB.text}`,
          `@cert-authority h ${edA.text}`,
          `h,x ${edA.text}`,
          `* ${ec.text}`,
          `[h]:2222 ${edB.text}`,
        ].join('\n'),
      );
      expect(knownTypesFor(entries, 'h', 22)).to.deep.equal(['ecdsa-sha2-nistp256', 'ssh-ed25519']);
      expect(knownTypesFor(entries, 'h', 2222)).to.deep.equal(['ecdsa-sha2-nistp256', 'ssh-ed25519']);
      expect(knownTypesFor(entries, 'x', 22)).to.deep.equal(['ssh-ed25519', 'ecdsa-sha2-nistp256']);
      expect(knownTypesFor([], 'h', 22)).to.deep.equal([]);
    });
  });

  describe('against OpenSSH ssh-keygen', () => {
    let dir = '';

    before(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'known-hosts-spec-'));
    });

    after(() => {
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('matches the entries ssh-keygen -H hashed, for port 22 and [127.0.0.1]:2222', () => {
      const file = path.join(dir, 'known_hosts');
      fs.writeFileSync(file, `Web1.Example,10.1.1.1 ${edA.text}\n[127.0.0.1]:2222 ${edB.text}\n`);
      sshKeygen('-H', '-f', file);
      const entries = parseKnownHosts(fs.readFileSync(file, 'utf8'));
      expect(entries).to.have.length(3);
      expect(entries.every((e) => e.hashed !== undefined)).to.equal(true);
      expect(checkHostKey(entries, 'web1.example', 22, edA.blob)).to.deep.equal({ status: 'match', line: 1 });
      expect(checkHostKey(entries, '10.1.1.1', 22, edA.blob)).to.deep.equal({ status: 'match', line: 2 });
      expect(checkHostKey(entries, '127.0.0.1', 2222, edB.blob)).to.deep.equal({ status: 'match', line: 3 });
      expect(checkHostKey(entries, '127.0.0.1', 2222, edA.blob)).to.deep.include({ status: 'mismatch', line: 3 });
      expect(checkHostKey(entries, '127.0.0.1', 22, edB.blob)).to.deep.equal({ status: 'unknown' });
    });

    it('computes the same SHA256 fingerprint as ssh-keygen -lf', () => {
      const pubFile = path.join(dir, 'key.pub');
      fs.writeFileSync(pubFile, `${edA.pub}\n`);
      const field = sshKeygen('-lf', pubFile).split(/\s+/)[1];
      expect(field).to.match(/^SHA256:/);
      expect(fingerprint(edA.blob)).to.equal(field);
    });

    it('writes hashed lines that ssh-keygen -F finds', () => {
      const file = path.join(dir, 'written');
      const line = knownHostsLine('127.0.0.1', 2222, edA.blob, { hash: true });
      fs.writeFileSync(file, `${knownHostsLine('other', 22, edB.blob, { hash: true })}\n${line}\n`);
      const found = sshKeygen('-F', '[127.0.0.1]:2222', '-f', file);
      expect(found).to.include('found: line 2');
      expect(found).to.include(line);
      expect(sshKeygen('-F', 'other', '-f', file)).to.include('found: line 1');
    });
  });
});

describe('KnownHostsIndex', () => {
  const key = (seed: number): string => {
    const blob = Buffer.alloc(51);
    blob.writeUInt32BE(11, 0);
    blob.write('ssh-ed25519', 4, 'latin1');
    blob.writeUInt32BE(32, 15);
    blob.fill(seed, 19);
    return blob.toString('base64');
  };

  it('finds the same entries as a scan, in file order, for exact, wildcard, negated and hashed lines', () => {
    const hashed = knownHostsLine('10.0.0.7', 22, Buffer.from(key(3), 'base64'), { hash: true });
    const text = [
      `10.0.0.5 ssh-ed25519 ${key(1)}`,
      `*.example,!bad.example ssh-ed25519 ${key(2)}`,
      hashed,
      `[10.0.0.5]:2222,10.0.0.6 ssh-ed25519 ${key(4)}`,
      `10.0.0.* ssh-ed25519 ${key(5)}`,
    ].join('\n');
    const entries = parseKnownHosts(text);
    const index = new KnownHostsIndex(entries);
    for (const [host, port] of [['10.0.0.5', 22], ['10.0.0.5', 2222], ['10.0.0.6', 22], ['10.0.0.7', 22], ['a.example', 22], ['bad.example', 22], ['10.0.0.9', 22], ['other', 22]] as const) {
      const scan = entries.filter((e) => matchesHost(e, host, port)).map((e) => e.line);
      expect(index.forHost(host, port).map((e) => e.line), `${host}:${port}`).to.deep.equal(scan);
    }
  });

  it('files a hashed entry under the name it was written for, and still finds it by scanning without one', () => {
    const line = knownHostsLine('10.0.0.8', 2222, Buffer.from(key(7), 'base64'), { hash: true });
    const named = new KnownHostsIndex([]);
    named.add(parseKnownHosts(line), hostPattern('10.0.0.8', 2222));
    expect(named.forHost('10.0.0.8', 2222).map((e) => e.line)).to.deep.equal([1]);
    expect(named.forHost('10.0.0.8', 22)).to.deep.equal([]);
    const scanned = new KnownHostsIndex(parseKnownHosts(line));
    expect(scanned.forHost('10.0.0.8', 2222).map((e) => e.line)).to.deep.equal([1]);
  });

  it('files a hashed entry under its host once found: asked again, or for another host, the answers stay those of a scan', () => {
    const lines = [knownHostsLine('h1', 22, Buffer.from(key(1), 'base64'), { hash: true }), knownHostsLine('h2', 22, Buffer.from(key(2), 'base64'), { hash: true }), `h* ssh-ed25519 ${key(3)}`];
    const entries = parseKnownHosts(lines.join('\n'));
    const index = new KnownHostsIndex(entries);
    for (const host of ['h1', 'h2', 'h1', 'h3', 'h2']) {
      expect(index.forHost(host, 22).map((e) => e.line), host).to.deep.equal(entries.filter((e) => matchesHost(e, host, 22)).map((e) => e.line));
    }
    index.add(parseKnownHosts(`h1 ssh-ed25519 ${key(4)}`).map((e) => ({ ...e, line: 4 })));
    expect(index.forHost('h1', 22).map((e) => e.line)).to.deep.equal([1, 3, 4]);
  });

  it('sees entries added later', () => {
    const index = new KnownHostsIndex([]);
    expect(index.forHost('h1', 22)).to.deep.equal([]);
    index.add(parseKnownHosts(`h1 ssh-ed25519 ${key(9)}`));
    expect(index.forHost('h1', 22).map((e) => e.line)).to.deep.equal([1]);
  });
});
