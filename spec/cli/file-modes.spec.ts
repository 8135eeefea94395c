import { expect } from 'chai';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../lib/cli/main.js';
import { recordLastUp } from '../../lib/cli/state.js';
import { acquireLock, JournalWriter, topologyLockFile } from '../../lib/journal/index.js';
import { NO_COLOURS } from '../../lib/reporters/index.js';
import { SshTransport } from '../../lib/transport/index.js';
import { ROOT } from '../support/topologies.js';
import { SshFixture } from '../support/ssh-fixture.js';

const mode = (file: string): number => statSync(file).mode & 0o777;

describe('files orchestrate writes: safe modes, never through a planted symlink', () => {
  let dir: string;
  let victim: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'orchestrate-modes-'));
    victim = path.join(dir, 'victim');
    writeFileSync(victim, 'precious\n');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('plan -o FILE: a symlink planted at FILE.tmp is not written through; the plan is 0644', async () => {
    const out = path.join(dir, 'plan.json');
    symlinkSync(victim, `${out}.tmp`);
    const io = { out: () => undefined, err: () => undefined, style: NO_COLOURS, errStyle: NO_COLOURS, env: {}, cwd: ROOT };
    expect(await main(['plan', 'topologies/small.yaml', '-o', out], io, new AbortController().signal)).to.equal(0);
    expect(readFileSync(victim, 'utf8')).to.equal('precious\n');
    expect(JSON.parse(readFileSync(out, 'utf8'))).to.include({ topology: 'acd-small' });
    expect(mode(out)).to.equal(0o644);
  });

  it('the state directory: 0700, its files 0600, written beside and renamed over a planted symlink', () => {
    const state = path.join(dir, 'state');
    mkdirSync(state, { mode: 0o700 });
    symlinkSync(victim, path.join(state, 'last-up.json'));
    symlinkSync(victim, path.join(state, 'last-up.json.tmp'));
    recordLastUp(state, { file: '/t.yaml', topology: 't', startedAt: 'now' });
    expect(readFileSync(victim, 'utf8')).to.equal('precious\n');
    expect(lstatSync(path.join(state, 'last-up.json')).isSymbolicLink()).to.equal(false);
    expect(mode(path.join(state, 'last-up.json'))).to.equal(0o600);
  });

  it('journals and locks are created 0600 in 0700 directories; a planted symlink is never opened', () => {
    const state = path.join(dir, 'state');
    const w = JournalWriter.create(state, new Date('2026-12-07T08:15:02Z'));
    w.close();
    expect(mode(w.file)).to.equal(0o600);
    expect(mode(path.dirname(w.file))).to.equal(0o700);
    const lock = topologyLockFile(state, 't');
    const holder = { runId: w.runId, pid: process.pid, host: os.hostname(), command: 'orchestrate up', since: 'now' };
    const taken = acquireLock(lock, holder);
    expect(taken.ok).to.equal(true);
    expect(mode(lock)).to.equal(0o600);
    expect(mode(path.dirname(lock))).to.equal(0o700);
    if (taken.ok) taken.lock.release();
    // The lock's file is a planted link to the victim: taking the lock reads it, and never writes there.
    symlinkSync(victim, lock);
    expect(acquireLock(lock, holder).ok).to.equal(false);
    expect(readFileSync(victim, 'utf8')).to.equal('precious\n');
    expect(readdirSync(path.dirname(lock)).filter((f) => f.endsWith('.new'))).to.deep.equal([]);
  });

  it('an identity file others may read is refused, as OpenSSH refuses it', async () => {
    const fx = new SshFixture();
    const transport = new SshTransport({ home: fx.dir });
    try {
      const host = await fx.host('h1', async () => ({ code: 0 }));
      chmodSync(fx.identity, 0o644);
      const r = await transport.exec(fx.endpoint(host), 'true', { signal: new AbortController().signal, timeoutMs: 5000 });
      expect(r.connectError?.kind).to.equal('config');
      expect(r.connectError?.message).to.equal(`cannot use identity ${fx.identity}: its permissions 0644 are too open (others may read the private key; OpenSSH refuses it too): chmod 600 ${fx.identity}`);
    } finally {
      await transport.close();
      await fx.close();
    }
  });
});
