import { expect } from 'chai';
import { closeSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { appendFileSafe, createFileSafe, makeDirSafe, PRIVATE, PRIVATE_DIR, PUBLIC, writeFileSafe } from '../../lib/util/safe-write.js';

const mode = (file: string): number => statSync(file).mode & 0o777;

describe('safe-write: files are never written through a symlink, and get their mode', () => {
  let dir: string;
  let victim: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'orchestrate-safe-write-'));
    victim = path.join(dir, 'victim');
    writeFileSync(victim, 'precious\n');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writeFileSafe replaces a symlink at the target with a file, leaving what it pointed to alone', () => {
    const file = path.join(dir, 'state.json');
    symlinkSync(victim, file);
    writeFileSafe(file, '{}\n', PRIVATE);
    expect(lstatSync(file).isSymbolicLink()).to.equal(false);
    expect(readFileSync(file, 'utf8')).to.equal('{}\n');
    expect(readFileSync(victim, 'utf8')).to.equal('precious\n');
    expect(mode(file)).to.equal(0o600);
  });

  it('writeFileSafe does not write through a planted FILE.tmp symlink, and leaves no temporary file', () => {
    const file = path.join(dir, 'plan.json');
    symlinkSync(victim, `${file}.tmp`);
    writeFileSafe(file, 'plan\n', PUBLIC);
    expect(readFileSync(victim, 'utf8')).to.equal('precious\n');
    expect(readFileSync(file, 'utf8')).to.equal('plan\n');
    expect(readdirSync(dir).sort()).to.deep.equal(['plan.json', 'plan.json.tmp', 'victim']);
  });

  it('writeFileSafe fixes the mode of a key file left readable by others', () => {
    const key = path.join(dir, 'id_ed25519');
    writeFileSync(key, 'old key\n', { mode: 0o644 });
    expect(mode(key)).to.equal(0o644);
    writeFileSafe(key, 'new key\n', PRIVATE);
    expect(mode(key)).to.equal(0o600);
  });

  it('appendFileSafe refuses a symlink (ELOOP) and creates a missing file with its mode', () => {
    const log = path.join(dir, 'events.jsonl');
    symlinkSync(victim, log);
    expect(() => appendFileSafe(log, 'x\n', PRIVATE)).to.throw().with.property('code', 'ELOOP');
    expect(readFileSync(victim, 'utf8')).to.equal('precious\n');
    const fresh = path.join(dir, 'known_hosts');
    appendFileSafe(fresh, 'a\n', PRIVATE);
    appendFileSafe(fresh, 'b\n', PRIVATE);
    expect(readFileSync(fresh, 'utf8')).to.equal('a\nb\n');
    expect(mode(fresh)).to.equal(0o600);
  });

  it('createFileSafe refuses any existing name, a dangling symlink included', () => {
    const dangling = path.join(dir, 'run.jsonl');
    symlinkSync(path.join(dir, 'nowhere'), dangling);
    expect(() => createFileSafe(dangling, PRIVATE)).to.throw().with.property('code', 'EEXIST');
    expect(() => readFileSync(path.join(dir, 'nowhere'))).to.throw();
    const fd = createFileSafe(path.join(dir, 'new.jsonl'), PRIVATE);
    closeSync(fd);
    expect(mode(path.join(dir, 'new.jsonl'))).to.equal(0o600);
  });

  it('makeDirSafe creates private directories', () => {
    const sub = path.join(dir, 'a', 'b');
    makeDirSafe(sub, PRIVATE_DIR);
    expect(mode(sub)).to.equal(0o700);
    expect(mode(path.join(dir, 'a'))).to.equal(0o700);
  });
});
