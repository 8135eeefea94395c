import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startFleet, type RunningFleet } from '../../lib/fleet/index.js';
import type { Topology } from '../../lib/topology/index.js';
import { SshTransport } from '../../lib/transport/index.js';
import { TEST_SCALE } from '../support/fleet.js';
import { loadValid } from '../support/topologies.js';

/**
 * Two DRBD pairs (no Pacemaker): files, single-primary on minor 0; logs, dual-primary on minor 1.
 *
 *   s1 ══ files (drbd0) ══ s2        s3 ══ logs (drbd1) ══ s4
 */
const YAML = `
name: two-pairs
roles:
  storage: {}
pairs:
  files: { hosts: [s1, s2], replaces: [storage], drbd: { resource: files, minor: 0, mode: single-primary } }
  logs: { hosts: [s3, s4], drbd: { resource: logs, minor: 1 } }
hosts:
  s1: { address: 10.0.0.1, roles: [storage] }
  s2: { address: 10.0.0.2, roles: [storage] }
  s3: { address: 10.0.0.3 }
  s4: { address: 10.0.0.4 }
`;
const VERSION = 'version: 8.4.11 (api:1/proto:86-101)\nsrcversion: C83CE761848B9DE61379370\n';

describe('fleet: two DRBD pairs from the topology are independent', function () {
  this.timeout(30_000);
  let topology: Topology;
  let fleet: RunningFleet;
  let dir: string;
  const transport = new SshTransport();
  const run = async (host: string, command: string): Promise<{ code: number | null; out: string; err: string }> => {
    const at = fleet.overlay.hosts[host];
    const base = topology.hosts.find((h) => h.name === host)?.ssh;
    if (!at || !base) throw new Error(`no VM ${host}`);
    const endpoint = { ...base, address: at.address, port: at.port, identity: fleet.overlay.identity, knownHosts: [fleet.overlay.knownHosts], globalKnownHosts: [], agent: false };
    const r = await transport.exec(endpoint, command, { signal: new AbortController().signal, timeoutMs: 5000 });
    return { code: r.exitCode, out: r.stdout, err: r.stderr };
  };

  before(async () => {
    topology = loadValid('two-pairs.yaml', { 'two-pairs.yaml': YAML }).topology;
    dir = mkdtempSync(path.join(os.tmpdir(), 'orchestrate-fleet-two-pairs-'));
    fleet = await startFleet({ topology, dir, timeScale: TEST_SCALE });
    for (let i = 0; i < 400 && ![...fleet.world.vms.values()].every((vm) => vm.running); i++) await fleet.world.time.wait(250);
  });
  after(async () => {
    await transport.close();
    await fleet.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a pair without Pacemaker has no cluster stack, and its replaced role still starts at boot', () => {
    const s1 = fleet.world.vms.get('s1');
    expect([...(s1?.units.keys() ?? [])]).to.deep.equal(['smb']);
    expect(s1?.units.get('smb')?.enabled).to.equal(true);
  });

  it('each node knows only its own resource', async () => {
    expect(await run('s3', 'cat /proc/drbd')).to.deep.equal({ code: 0, out: VERSION, err: '' });
    expect(await run('s3', 'drbdadm up files')).to.deep.equal({ code: 10, out: '', err: "'files' not defined in your config (for this host).\n" });
    expect((await run('s1', 'drbdadm up logs')).code).to.equal(10);
  });

  it('/proc/drbd shows each node\'s own minor; the modes are per pair', async () => {
    for (const [vm, res] of [['s1', 'files'], ['s2', 'files'], ['s3', 'logs'], ['s4', 'logs']] as const) expect((await run(vm, `drbdadm up ${res}`)).code).to.equal(0);
    const s1 = (await run('s1', 'cat /proc/drbd')).out;
    expect(s1).to.match(/^version: [^]*\n 0: cs:Connected ro:Secondary\/Secondary ds:UpToDate\/UpToDate C r-----\n {4}ns:/);
    expect(s1).to.not.include(' 1: ');
    // The kernel puts a blank line before a minor that does not follow the previous one.
    expect((await run('s3', 'cat /proc/drbd')).out).to.match(/^version: .*\nsrcversion: .*\n\n 1: cs:Connected ro:Secondary\/Secondary ds:UpToDate\/UpToDate C r-----\n/);
    expect((await run('s1', 'drbdadm primary files')).code).to.equal(0);
    expect((await run('s2', 'drbdadm primary files')).code, 'files is single-primary').to.equal(11);
    for (const vm of ['s3', 's4']) expect((await run(vm, 'drbdadm primary logs')).code, 'logs is dual-primary').to.equal(0);
    expect((await run('s3', 'drbdadm role logs')).out).to.equal('Primary/Primary\n');
  });

  it('taking one pair down leaves the other connected', async () => {
    expect((await run('s4', 'drbdadm down logs')).code).to.equal(0);
    expect((await run('s3', 'drbdadm cstate logs')).out).to.equal('WFConnection\n');
    expect((await run('s1', 'drbdadm cstate files')).out).to.equal('Connected\n');
    expect(await run('s4', 'drbdadm role logs')).to.deep.equal({
      code: 10, out: '', err: "1: Failure: (127) Device minor not allocated\nadditional info from kernel:\nunknown minor\nCommand 'drbdsetup-84 role 1' terminated with exit code 10\n",
    });
    const logged = fleet.world.log.events.flatMap((e) => (e.type === 'drbd' ? [`${e.resource}@${e.host}`] : []));
    expect([...new Set(logged)].sort()).to.deep.equal(['files@s1', 'files@s2', 'logs@s3', 'logs@s4']);
  });
});
