import { expect } from 'chai';
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../lib/cli/main.js';
import { startFleet, type RunningFleet } from '../../lib/fleet/index.js';
import { NO_COLOURS } from '../../lib/reporters/index.js';
import { TEST_SCALE } from '../support/fleet.js';
import { loadValid, ROOT } from '../support/topologies.js';

const mode = (file: string): number => statSync(file).mode & 0o777;

describe("the fleet's control endpoint needs the fleet's token", function () {
  this.timeout(30_000);
  let tmp: string;
  let dir: string;
  let victim: string;
  let fleet: RunningFleet;

  before(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'orchestrate-control-'));
    dir = path.join(tmp, 'fleet');
    victim = path.join(tmp, 'victim');
    writeFileSync(victim, 'precious\n');
    // Left behind, or planted: a key readable by others, and a log that is a symlink.
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'id_ed25519'), 'old key\n', { mode: 0o644 });
    symlinkSync(victim, path.join(dir, 'events.jsonl'));
    const { topology } = loadValid(path.join(ROOT, 'topologies/small.yaml'));
    fleet = await startFleet({ topology, dir, timeScale: TEST_SCALE, warm: true });
  });
  after(async () => {
    await fleet.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  const exec = (headers: Record<string, string>): Promise<Response> =>
    fetch(`${fleet.control}/exec`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ host: 'acd-dbm', command: 'hostname' }) });
  const commands = (): number => fleet.world.log.events.filter((e) => e.type === 'command' && e.command === 'hostname').length;

  it('answers 401 without the token or with another one, and runs nothing', async () => {
    for (const headers of [{}, { authorization: 'Bearer nope' }, { authorization: fleet.token }]) {
      const res = await exec(headers);
      expect(res.status, JSON.stringify(headers)).to.equal(401);
      expect(res.headers.get('www-authenticate')).to.equal('Bearer realm="orchestrate fleet"');
      expect(((await res.json()) as { error: string }).error).to.match(/^the fleet's token is required/);
    }
    expect((await fetch(`${fleet.control}/status`)).status).to.equal(401);
    expect((await fetch(`${fleet.control}/watch?host=acd-dbm`)).status).to.equal(401);
    expect(commands()).to.equal(0);
  });

  it('runs a command with the right token', async () => {
    const res = await exec({ authorization: `Bearer ${fleet.token}` });
    expect(res.status).to.equal(200);
    expect((await res.text()).trim().split('\n').map((l) => JSON.parse(l) as unknown)).to.deep.equal([{ stream: 'stdout', text: 'acd-dbm\n' }, { exit: 0 }]);
    expect(commands()).to.equal(1);
    const status = await fetch(`${fleet.control}/status`, { headers: { authorization: `Bearer ${fleet.token}` } });
    expect(((await status.json()) as { topology: string }).topology).to.equal('acd-small');
  });

  it('keeps the token 0600 beside the keys, named in fleet.json; fleet status sends it', async () => {
    const tokenFile = path.join(dir, 'control-token');
    expect(readFileSync(tokenFile, 'utf8')).to.equal(`${fleet.token}\n`);
    expect(mode(tokenFile)).to.equal(0o600);
    expect(JSON.parse(readFileSync(path.join(dir, 'fleet.json'), 'utf8'))).to.include({ control: fleet.control, controlToken: tokenFile });
    const out: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(l), style: NO_COLOURS, errStyle: NO_COLOURS, env: {}, cwd: ROOT };
    expect(await main(['fleet', 'status', '--state', dir], io, new AbortController().signal)).to.equal(0);
    expect(out[0]).to.match(/^fleet acd-small, up \d+s$/);
  });

  it('writes its files safely: the key replaced by a 0600 one, the planted log symlink replaced, not followed', () => {
    expect(mode(path.join(dir, 'id_ed25519'))).to.equal(0o600);
    expect(readFileSync(path.join(dir, 'id_ed25519'), 'utf8')).to.match(/^-----BEGIN OPENSSH PRIVATE KEY-----/);
    expect(mode(path.join(dir, 'id_ed25519.pub'))).to.equal(0o644);
    expect(lstatSync(path.join(dir, 'events.jsonl')).isSymbolicLink()).to.equal(false);
    expect(mode(path.join(dir, 'events.jsonl'))).to.equal(0o600);
    expect(readFileSync(victim, 'utf8')).to.equal('precious\n');
    expect(mode(path.join(dir, 'known_hosts'))).to.equal(0o644);
  });
});
