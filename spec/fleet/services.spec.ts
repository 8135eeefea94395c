/**
 * `up` and `down` of topologies/services.yaml (the example playbooks in playbooks/examples)
 * against the simulated fleet, whose VMs run the declared services under their managers:
 * health-gated starts, reloads, graceful stops, a stop forced on a stuck daemon, and the
 * restart policy on a crashing unit. What the run says is checked against what the fleet saw.
 */
import { expect } from 'chai';
import type { Fault } from '../../lib/fleet/config.js';
import type { FleetEvent } from '../../lib/fleet/log.js';
import { testFleet, type TestFleet } from '../support/fleet.js';

type ServiceEvent = Extract<FleetEvent, { type: 'service' }>;

/** What the fleet saw happen to one service: `state` or `state by SIGNAL` (`ignored SIGNAL`). */
function seen(f: TestFleet, host: string, service: string): string[] {
  return f.fleet.world.log.events
    .filter((e): e is ServiceEvent => e.type === 'service' && e.host === host && e.service === service)
    .map((e) => (e.ignored === true ? `ignored ${e.signal ?? ''}` : e.signal === undefined ? e.state : `${e.state} by ${e.signal}`));
}

/** The report's line of one step, without its time and duration. */
function line(out: string, host: string, label: string): string {
  const found = out.split('\n').find((l) => l.includes(` ${host} `) && l.includes(` ${label}: `)) ?? '';
  return found.replace(/^\[[^\]]*\]\s+/, '').replace(/ \([\d.]+m?s\)$/, '').replace(/\s+/g, ' ');
}

async function withFleet(faults: Record<string, Fault[]>, work: (f: TestFleet) => Promise<void>): Promise<void> {
  const f = await testFleet('services', { faults });
  try {
    await work(f);
  } finally {
    await f.close();
  }
}

describe('fleet: service steps of topologies/services.yaml (systemd, init.d, daemontools, pidfile)', function () {
  this.timeout(60_000);

  it('up starts each service health-gated and reloads; down stops each gracefully, in order', () => withFleet({}, async (f) => {
    const up = await f.cli('up', f.file, '--fleet', f.dir);
    expect(up.code, up.out).to.equal(0);
    // gortcd runs only once its command runs: started, then healthy once its TURN port listens.
    expect(line(up.out, 'media1', 'gortc/start gortcd')).to.match(/^media1 ok gortc\/start gortcd: started; health passed: 127\.0\.0\.1:3478 open/);
    expect(line(up.out, 'media1', 'gortc/reload gortcd')).to.equal('media1 ok gortc/reload gortcd: reloaded: sent HUP to the pid in /run/gortcd.pid');
    // SRS and the unit start at boot, as installed services do: the start finds them healthy.
    expect(line(up.out, 'media1', 'srs/start srs')).to.equal('media1 ok srs/start srs: already running; health passed: HTTP 200');
    expect(line(up.out, 'media1', 'srs/reload srs configuration')).to.equal('media1 ok srs/reload srs configuration: reloaded (/etc/init.d/srs reload)');
    expect(line(up.out, 'wcs1', 'webcallserver/start webcallserver')).to.equal('wcs1 ok webcallserver/start webcallserver: already running; health passed: HTTP 200');
    expect(seen(f, 'media1', '/run/gortcd.pid')).to.deep.equal(['starting', 'running', 'running by HUP']);
    expect(seen(f, 'media1', '/etc/init.d/srs')).to.deep.equal(['starting', 'running', 'running by HUP']);

    const down = await f.cli('down', '--fleet', f.dir);
    expect(down.code, down.out).to.equal(0);
    expect(line(down.out, 'wcs1', 'acd-tel/stop')).to.match(/^wcs1 ok acd-tel\/stop: stopped gracefully \(svc -d\) in \d+\.\ds$/);
    expect(line(down.out, 'wcs1', 'webcallserver/stop webcallserver')).to.match(/: stopped gracefully \(systemctl stop\) in \d+\.\ds$/);
    expect(line(down.out, 'media1', 'srs/stop srs')).to.match(/: stopped gracefully \(\/etc\/init\.d\/srs grace\) in \d+\.\ds$/);
    expect(line(down.out, 'media1', 'gortc/stop gortcd')).to.match(/: stopped gracefully \(INT\) in \d+\.\ds$/);
    expect(seen(f, 'media1', '/etc/init.d/srs').slice(-2)).to.deep.equal(['stopping by QUIT', 'exited by QUIT']);
    expect(seen(f, 'media1', '/run/gortcd.pid').slice(-2)).to.deep.equal(['stopping by INT', 'exited by INT']);
    expect(seen(f, 'wcs1', '/service/acd-tel').slice(-1)).to.deep.equal(['exited by TERM']);
    // The acd-tel service is stopped before the unit it needs, and its host before the media host.
    const stops = f.fleet.world.log.events.filter((e): e is ServiceEvent => e.type === 'service' && e.state === 'exited').map((e) => e.service);
    expect(stops).to.deep.equal(['/service/acd-tel', 'webcallserver', '/etc/init.d/srs', '/run/gortcd.pid']);

    // The first up created /service/acd-tel/down: after the next boot supervise leaves it down, and
    // the start brings it up with svc -u, done when its health check passes.
    const again = await f.cli('up', f.file, '--fleet', f.dir);
    expect(again.code, again.out).to.equal(0);
    expect(line(again.out, 'wcs1', 'acd-tel/start')).to.match(/^wcs1 ok acd-tel\/start: started; health passed: 127\.0\.0\.1:5060 open/);
  }));

  it('a daemon that ignores INT and TERM is stopped by force, and the run says so', () => withFleet({ media1: [{ kind: 'service-stuck', match: 'gortcd' }] }, async (f) => {
    expect((await f.cli('up', f.file, '--fleet', f.dir)).code).to.equal(0);
    const down = await f.cli('down', '--fleet', f.dir);
    expect(down.code, down.out).to.equal(0);
    expect(line(down.out, 'media1', 'gortc/stop gortcd')).to.match(/: did not stop within \d+m?s after INT; forced: TERM, then KILL$/);
    expect(down.out).to.match(/WARN stop gortcd: did not stop within \d+m?s after INT; forcing: pkill -TERM -F \/run\/gortcd\.pid/);
    expect(down.out).to.match(/WARN stop gortcd: still running \d+m?s after TERM; forcing: pkill -KILL -F \/run\/gortcd\.pid/);
    expect(seen(f, 'media1', '/run/gortcd.pid').slice(-3)).to.deep.equal(['ignored INT', 'ignored TERM', 'exited by KILL']);
    // The others still stop gracefully.
    expect(line(down.out, 'media1', 'srs/stop srs')).to.match(/: stopped gracefully/);
  }));

  it('a unit that crashes on its first starts is started again under the restart policy, capped below StartLimitBurst', () => withFleet({ wcs1: [{ kind: 'service-crashes', match: 'webcallserver', times: 2 }] }, async (f) => {
    const up = await f.cli('up', f.file, '--fleet', f.dir);
    expect(up.code, up.out).to.equal(0);
    expect(up.out).to.include('WARN start webcallserver: webcallserver has StartLimitBurst=5 (systemd refuses more starts within its StartLimitIntervalSec): at most 4 start attempts instead of 5');
    expect(line(up.out, 'wcs1', 'webcallserver/start webcallserver')).to.match(/: started on attempt [23] of 4; health passed: HTTP 200 \(attempt 1: .+\)$/);
    const crashes = seen(f, 'wcs1', 'webcallserver').filter((s) => s === 'exited');
    expect(crashes.length).to.equal(2);
    expect(seen(f, 'wcs1', 'webcallserver').at(-1)).to.equal('running');
  }));
});
