import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../lib/cli/main.js';
import { commandDelay, parseLatency, startFleet, type FleetFile, type RunningFleet } from '../../lib/fleet/index.js';
import { NO_COLOURS } from '../../lib/reporters/index.js';
import { SshTransport, type CommandResult } from '../../lib/transport/index.js';
import { loadValid, ROOT } from '../support/topologies.js';

describe('fleet: command latency', () => {
  describe('parseLatency and commandDelay', () => {
    it('reads a latency with a jitter (± or +-), without one, or 0', () => {
      expect(parseLatency('200ms±100ms')).to.deep.equal({ ms: 200, jitterMs: 100 });
      expect(parseLatency('200ms+-100ms')).to.deep.equal({ ms: 200, jitterMs: 100 });
      expect(parseLatency('1s ± 250ms')).to.deep.equal({ ms: 1000, jitterMs: 250 });
      expect(parseLatency('1.5s')).to.deep.equal({ ms: 1500, jitterMs: 0 });
      expect(parseLatency('0')).to.deep.equal({ ms: 0, jitterMs: 0 });
    });

    it('refuses what is not one, and a jitter larger than the latency', () => {
      expect(parseLatency('fast')).to.equal("latency 'fast': expected a duration with an optional jitter, e.g. 200ms±100ms or 200ms+-100ms");
      expect(parseLatency('200ms±')).to.be.a('string');
      expect(parseLatency('100ms±200ms')).to.equal("latency '100ms±200ms': the jitter (200 ms) is larger than the latency (100 ms), which would make delays negative");
    });

    it('spreads delays uniformly over [latency − jitter, latency + jitter] from the random source', () => {
      const latency = { ms: 200, jitterMs: 100 };
      expect(commandDelay(latency, () => 0)).to.equal(100);
      expect(commandDelay(latency, () => 0.25)).to.equal(150);
      expect(commandDelay(latency, () => 0.5)).to.equal(200);
      expect(commandDelay(latency, () => 0.999)).to.be.closeTo(299.8, 1e-9);
      expect(commandDelay({ ms: 50, jitterMs: 0 }, () => 0.9)).to.equal(50);
    });
  });

  describe('on the simulated hosts, over SSH', function () {
    this.timeout(30_000);
    let dir: string;
    let fleet: RunningFleet | undefined;
    const transport = new SshTransport();

    /** A warm small.yaml fleet at time scale 1; `random` answers in turn from `draws`. */
    async function start(options: { file?: FleetFile; latency?: string; draws?: number[] }): Promise<RunningFleet> {
      const { topology } = loadValid(path.join(ROOT, 'topologies/small.yaml'));
      const draws = [...(options.draws ?? [0.5])];
      const latency = options.latency === undefined ? undefined : parseLatency(options.latency);
      if (typeof latency === 'string') throw new Error(latency);
      fleet = await startFleet({
        topology, dir, timeScale: 1, warm: true, random: () => (draws.length > 1 ? draws.shift() ?? 0.5 : draws[0] ?? 0.5),
        ...(options.file ? { file: options.file } : {}), ...(latency ? { latency } : {}),
      });
      return fleet;
    }

    function run(f: RunningFleet, host: string, command: string, signal = new AbortController().signal): Promise<CommandResult> {
      const at = f.overlay.hosts[host] ?? f.overlay.hypervisors[host];
      const base = f.world.topology.hosts.find((h) => h.name === host)?.ssh ?? f.world.topology.hypervisors.get(host);
      if (!at || !base) throw new Error(`no machine ${host}`);
      const endpoint = { ...base, address: at.address, port: at.port, identity: f.overlay.identity, knownHosts: [f.overlay.knownHosts], globalKnownHosts: [], agent: false };
      return transport.exec(endpoint, command, { signal, timeoutMs: 5000 });
    }

    /** How long after it was sent each `echo MARK` started on the host (its `command` event). */
    async function startDelay(f: RunningFleet, host: string, mark: string): Promise<number> {
      const sent = f.world.time.now();
      const result = await run(f, host, `echo ${mark}`);
      expect(result.exitCode).to.equal(0);
      const event = f.world.log.events.find((e) => e.type === 'command' && e.command === `echo ${mark}`);
      if (!event) throw new Error(`${mark} never started`);
      return event.t - sent;
    }

    beforeEach(() => {
      dir = mkdtempSync(path.join(os.tmpdir(), 'orchestrate-fleet-latency-'));
    });

    afterEach(async () => {
      await fleet?.stop();
      fleet = undefined;
      transport.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('delays each command before it starts, by the latency give or take the jitter drawn for it', async () => {
      const f = await start({ latency: '200ms±100ms', draws: [0.5, 0.5, 0, 0.999] });
      await run(f, 'acd-dbm', 'true'); // connected: the next ones measure the delay only
      const middle = await startDelay(f, 'acd-dbm', 'm');
      const low = await startDelay(f, 'acd-dbm', 'low');
      const high = await startDelay(f, 'acd-dbm', 'high');
      expect(middle).to.be.within(200, 400);
      expect(low).to.be.within(100, 250);
      expect(high).to.be.at.least(299);
      expect(high - low).to.be.greaterThan(100);
    });

    it('a fleet file gives every machine a latency, and one host its own', async () => {
      const f = await start({ file: { latency: '300ms', hosts: { 'acd-dbs': { latency: '0' } } } });
      await Promise.all([run(f, 'acd-dbm', 'true'), run(f, 'acd-dbs', 'true'), run(f, 'kvm1', 'true')]);
      expect(await startDelay(f, 'acd-dbm', 'a')).to.be.at.least(300);
      expect(await startDelay(f, 'kvm1', 'b')).to.be.at.least(300);
      expect(await startDelay(f, 'acd-dbs', 'c')).to.be.below(250);
    });

    it('--latency replaces the fleet file\'s latency', async () => {
      const f = await start({ file: { latency: '2s' }, latency: '100ms' });
      await run(f, 'acd-dbm', 'true');
      expect(await startDelay(f, 'acd-dbm', 'x')).to.be.within(100, 1000);
    });

    it('a command whose session is cut while it waits never starts', async () => {
      const f = await start({ latency: '1s' });
      await run(f, 'acd-dbm', 'true');
      const pending = run(f, 'acd-dbm', 'echo never');
      await new Promise((r) => setTimeout(r, 300));
      f.world.vms.get('acd-dbm')?.destroy('virsh destroy');
      expect((await pending).outcome).to.equal('connection-lost');
      await new Promise((r) => setTimeout(r, 1200));
      expect(f.world.log.events.filter((e) => e.type === 'command' && e.command === 'echo never')).to.deep.equal([]);
    });
  });

  describe('fleet up --latency and the fleet file\'s latency', () => {
    async function cli(args: string[]): Promise<{ code: number; err: string }> {
      const err: string[] = [];
      const io = { out: () => undefined, err: (l: string) => err.push(l), style: NO_COLOURS, errStyle: NO_COLOURS, env: {}, cwd: ROOT };
      const code = await main(args, io, new AbortController().signal);
      return { code, err: err.join('\n') };
    }

    it('refuses a latency it cannot read, before starting anything', async () => {
      const tmp = mkdtempSync(path.join(os.tmpdir(), 'orchestrate-fleet-latency-cli-'));
      try {
        const bad = await cli(['fleet', 'up', 'topologies/small.yaml', '--latency', '200ms±300ms', '--state', path.join(tmp, 'f')]);
        expect(bad.code).to.equal(2);
        expect(bad.err).to.match(/^Error: --latency 200ms±300ms: the jitter \(300 ms\) is larger than the latency \(200 ms\)/m);
        const file = path.join(tmp, 'fleet.yaml');
        writeFileSync(file, 'latency: slow\n');
        const badFile = await cli(['fleet', 'up', 'topologies/small.yaml', '--fleet-file', file, '--state', path.join(tmp, 'f')]);
        expect(badFile.code).to.equal(2);
        expect(badFile.err).to.match(/fleet\.yaml:1:10: .*latency such as 200ms±100ms/);
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
    });
  });
});
