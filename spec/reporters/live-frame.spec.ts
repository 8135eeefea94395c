import { expect } from 'chai';
import type { RunEvent, RunEventBody } from '../../lib/events/index.js';
import { clock, renderFrame } from '../../lib/reporters/live-frame.js';
import { applyEvent, countHosts, createLiveState, waitsOf, type LivePlan, type LiveState } from '../../lib/reporters/live-state.js';
import { COLOURS, stripAnsi } from '../../lib/reporters/index.js';

/** store; then db1 and db2 (role db, a quorum gate of 1); then app (needs a quorum of db) and web (after store, requires app). */
const PLAN: LivePlan = {
  waitsFor: {
    store: [],
    db1: [{ host: 'store', kind: 'requires', roles: ['storage'], direct: false }],
    db2: [{ host: 'store', kind: 'requires', roles: ['storage'], direct: false }],
    app: [{ host: 'db1', kind: 'requires', roles: ['db'], direct: false }, { host: 'db2', kind: 'requires', roles: ['db'], direct: false }],
    web: [{ host: 'app', kind: 'requires', roles: [], direct: true }, { host: 'store', kind: 'after', roles: [], direct: true }],
  },
  gates: [{ role: 'db', min: 1, hosts: ['db1', 'db2'] }],
};

let seq = 0;
const ev = (ms: number, body: RunEventBody): RunEvent => ({ seq: ++seq, time: new Date(ms).toISOString(), elapsedMs: ms, ...body });

function feed(events: readonly RunEvent[]): LiveState {
  const s = createLiveState(PLAN);
  for (const e of events) applyEvent(s, e);
  return s;
}

const START = ev(0, { type: 'run-started', version: 1, action: 'up', topology: 'demo', file: 'demo.yaml', dryRun: false, waves: [['store'], ['db1', 'db2'], ['app', 'web']] });
const step = (ms: number, host: string, kind: 'wait-boot' | 'check' | 'power-on', name: string): RunEvent =>
  ev(ms, { type: 'step-started', host, step: `${host}/${name}`, name, kind, target: host });

/** A run 40 s in: store up, db1 booting, db2 checking (3rd failed attempt), app and web waiting. */
const MIDWAY = [
  START,
  ev(0, { type: 'host-started', host: 'store', wave: 1 }),
  ev(1000, { type: 'host-powered', host: 'store' }),
  ev(12_000, { type: 'host-finished', host: 'store', wave: 1, status: 'up', durationMs: 12_000 }),
  ev(12_000, { type: 'host-started', host: 'db1', wave: 2 }),
  ev(12_000, { type: 'host-started', host: 'db2', wave: 2 }),
  step(13_000, 'db1', 'wait-boot', 'wait for boot'),
  step(25_000, 'db2', 'check', 'replication'),
  ev(37_000, { type: 'check-attempt', host: 'db2', step: 'db2/replication', attempt: 3, attempts: 30, ok: false, observed: 'Seconds_Behind_Master: 80' }),
];

describe('live view: state and frame', () => {
  it('folds events into per-host state, with what each waiting host still waits for', () => {
    const s = feed(MIDWAY);
    expect(countHosts(s)).to.deep.equal({ reached: 1, failed: 0, total: 5 });
    expect(s.hosts.get('db2')?.running.map((r) => [r.name, r.attempt?.n])).to.deep.equal([['replication', 3]]);
    // app waits for the db quorum, not for each db host; web for app (store, `after`, is powered).
    expect(waitsOf(s, 'app')).to.deep.equal({ hosts: [], gates: [{ role: 'db', up: 0, min: 1, of: 2 }] });
    expect(waitsOf(s, 'web')).to.deep.equal({ hosts: [{ host: 'app', kind: 'requires' }], gates: [] });
    applyEvent(s, ev(41_000, { type: 'host-finished', host: 'db1', wave: 2, status: 'up', durationMs: 29_000 }));
    expect(waitsOf(s, 'app')).to.deep.equal({ hosts: [], gates: [] });
  });

  it('draws every host by wave, with a counter, the elapsed time and each step\'s own time', () => {
    expect(renderFrame(feed(MIDWAY), { nowMs: 40_500, width: 100, height: 30 })).to.deep.equal([
      'up demo: 1 of 5 up · 40s',
      'wave 1',
      '  store  up in 12s',
      'wave 2',
      '  db1    booting 27s',
      '  db2    checking replication 15s, attempt 3 of 30: Seconds_Behind_Master: 80',
      'wave 3',
      '  app    waiting for a quorum of db (0 of 2 up, 1 needed)',
      '  web    waiting for app',
    ]);
  });

  it('the same state a second later: only the clocks move', () => {
    const lines = renderFrame(feed(MIDWAY), { nowMs: 41_500, width: 100, height: 30 });
    expect([lines[0], lines[4], lines[5]]).to.deep.equal(['up demo: 1 of 5 up · 41s', '  db1    booting 28s', '  db2    checking replication 16s, attempt 3 of 30: Seconds_Behind_Master: 80']);
  });

  it('cuts lines to the width, marking the cut', () => {
    const lines = renderFrame(feed(MIDWAY), { nowMs: 40_500, width: 40, height: 30 });
    expect(lines[5]).to.equal('  db2    checking replication 15s, att…').and.have.length(39);
    expect(lines.every((l) => l.length <= 39)).to.equal(true);
  });

  it('folds finished and waiting waves into one line each when the terminal is short, then counts the rest', () => {
    expect(renderFrame(feed(MIDWAY), { nowMs: 40_500, width: 100, height: 7 })).to.deep.equal([
      'up demo: 1 of 5 up · 40s',
      'wave 1: 1 up',
      'wave 2',
      '  db1    booting 27s',
      '  db2    checking replication 15s, attempt 3 of 30: Seconds_Behind_Master: 80',
      'wave 3: 2 waiting',
    ]);
    expect(renderFrame(feed(MIDWAY), { nowMs: 40_500, width: 100, height: 5 })).to.deep.equal([
      'up demo: 1 of 5 up · 40s', 'wave 1: 1 up', 'wave 2: 2 working', 'wave 3: 2 waiting',
    ]);
    expect(renderFrame(feed(MIDWAY), { nowMs: 40_500, width: 100, height: 4 })).to.deep.equal(['up demo: 1 of 5 up · 40s', 'wave 1: 1 up', '… 2 more waves']);
  });

  it('shows failures, blocked hosts and the failed count; a failover its phase, health checks and probes', () => {
    const s = feed([
      ...MIDWAY,
      ev(50_000, { type: 'host-finished', host: 'db2', wave: 2, status: 'failed', durationMs: 38_000, reason: 'replication: still failing' }),
      ev(50_000, { type: 'host-finished', host: 'web', wave: 3, status: 'blocked', durationMs: 0, reason: 'waits for app' }),
      ev(50_000, { type: 'phase', phase: 'shutdown', description: 'side b goes down in tier order' }),
      ev(50_000, { type: 'health', check: 'db/ok', ok: true, observed: 'fine' }),
      ev(50_000, { type: 'probe', probe: 'web', ok: false, observed: 'HTTP 503' }),
    ]);
    const lines = renderFrame(s, { nowMs: 50_000, width: 100, height: 30 });
    expect(lines.slice(0, 3)).to.deep.equal(['up demo: 1 of 5 up, 1 failed · 50s', 'shutdown: side b goes down in tier order (health checks: 1 passed)', 'probes: web DOWN']);
    expect(lines).to.include('  db2    FAILED: replication: still failing').and.include('  web    blocked: waits for app');
    const coloured = renderFrame(s, { nowMs: 50_000, width: 100, height: 30, style: COLOURS });
    expect(coloured.map(stripAnsi)).to.deep.equal(lines);
    expect(coloured.find((l) => l.includes('FAILED'))).to.include('\u001b[31m');
  });

  it('clock: whole seconds, then minutes, then hours', () => {
    expect([clock(999), clock(59_999), clock(125_000), clock(3_725_000)]).to.deep.equal(['0s', '59s', '2m05s', '1h02m']);
  });
});
