/**
 * fleet verify on a log with several runs, failover and failback among them. orchestrate marks
 * where each run begins (a `run` event); each action is verified on its last attempt, knowing
 * what the machines were when it began. Before, a down after a failover of side b reported the
 * failover's stops (side b going down while side a ran on) as violations of the down.
 */
import { expect } from 'chai';
import type { FleetEvent } from '../../lib/fleet/log.js';
import { lastAttempt } from '../../lib/fleet/log-runs.js';
import { testFleet, verifyLog, type TestFleet } from '../support/fleet.js';

describe('fleet verify: a log with up, failover, failback and down', function () {
  this.timeout(90_000);
  let f: TestFleet;
  beforeEach(async () => {
    f = await testFleet('large');
  });
  afterEach(async () => {
    await f.close();
  });
  const verify = (action: 'up' | 'down'): Promise<{ code: number; out: string }> => verifyLog(f, action);
  const run = async (...args: string[]): Promise<void> => {
    const r = await f.cli(...args, '--fleet', f.dir);
    expect(r.code, r.err).to.equal(0);
  };
  const marks = (): string[] => f.fleet.world.log.events.flatMap((e) => (e.type === 'run' ? [`${e.action}${e.side === undefined ? '' : ` ${e.side}`}`] : []));

  it('up, failover of side b, down: the down is verified without the failover\'s stops', async () => {
    await run('up', f.file);
    await run('failover', f.file, '--side', 'b');
    await run('down', f.file);
    expect(marks()).to.deep.equal(['up', 'failover b', 'down']);
    const down = await verify('down');
    expect(down.code, down.out).to.equal(0);
    const up = await verify('up');
    expect(up.code, up.out).to.equal(0);
  });

  it('up, failover and failback of each side, down: both actions verify', async () => {
    await run('up', f.file);
    for (const side of ['b', 'a']) {
      await run('failover', f.file, '--side', side);
      await run('failback', f.file, '--side', side);
    }
    const up = await verify('up');
    expect(up.code, up.out).to.equal(0);
    await run('down', f.file);
    const down = await verify('down');
    expect(down.code, down.out).to.equal(0);
  });

  it('a log that marks runs but none of the action verified says so', async () => {
    await run('up', f.file);
    const down = await verify('down');
    expect(down.code).to.equal(1);
    expect(down.out).to.include('the log holds no down run (it holds runs of: up)');
  });
});

describe('lastAttempt', () => {
  let seq = 0;
  const ev = (body: Record<string, unknown>): FleetEvent => ({ seq: ++seq, t: seq, ...body }) as unknown as FleetEvent;
  it('takes the last run of the action with the runs of it just before, and the power before them', () => {
    const log = [
      ev({ type: 'power', host: 'a', state: 'running', cause: 'warm start' }),
      ev({ type: 'run', version: 1, action: 'down', run: 'r1' }),
      ev({ type: 'power', host: 'a', state: 'off', cause: 'x' }),
      ev({ type: 'run', version: 1, action: 'up', run: 'r2' }),
      ev({ type: 'power', host: 'a', state: 'booting', cause: 'x' }),
      ev({ type: 'run', version: 1, action: 'down', run: 'r3' }),
      ev({ type: 'command', host: 'a', id: 1, command: 'x' }),
      ev({ type: 'run', version: 1, action: 'down', run: 'r4' }),
      ev({ type: 'power', host: 'a', state: 'off', cause: 'x' }),
      ev({ type: 'run', version: 1, action: 'failover', run: 'r5' }),
    ];
    const down = lastAttempt(log, 'down');
    if ('missing' in down) throw new Error('no down');
    expect(down.events.map((e) => e.seq)).to.deep.equal([6, 7, 8, 9]);
    expect(down.fromSeq).to.equal(6);
    expect([...down.before]).to.deep.equal([['a', 'booting']]);
    expect(lastAttempt(log, 'failback')).to.deep.equal({ missing: ['down', 'up', 'failover'] });
    const unmarked = lastAttempt(log.filter((e) => e.type !== 'run'), 'up');
    expect('missing' in unmarked ? -1 : unmarked.events.length).to.equal(5);
  });
});
