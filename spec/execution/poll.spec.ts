import { expect } from 'chai';
import { createRun } from '../../lib/execution/run-plan.js';
import { checkPlanOf } from '../../lib/plan/index.js';
import { poll, pollGap, POLL_FLOOR_MS } from '../../lib/execution/poll.js';
import { FakeTransport } from '../support/fake-transport.js';
import { loadValid } from '../support/topologies.js';
import { VirtualTime } from '../support/virtual-time.js';

describe('polls back off: fast at first, the interval a ceiling', () => {
  it('pauses a twentieth of the time waited so far, at least 50 ms, at most the interval; less often when many wait', () => {
    expect(pollGap(0, 2000)).to.equal(POLL_FLOOR_MS);
    expect(pollGap(900, 2000)).to.equal(POLL_FLOOR_MS);
    expect(pollGap(2000, 2000)).to.equal(100);
    expect(pollGap(30_000, 2000)).to.equal(1500);
    expect(pollGap(60_000, 2000)).to.equal(2000);
    expect(pollGap(60_000, 20)).to.equal(20);
    // 300 waits at once: together about 1,000 polls a second.
    expect(pollGap(0, 2000, 300)).to.equal(300);
  });

  it('sees a 1 s boot within a tenth of a second, and a 20 s one within a second, with few attempts', async () => {
    const { topology } = loadValid('p.yaml', { 'p.yaml': 'roles: { r: {} }\nhosts: { h: { address: 10.0.0.1, roles: [r] } }\n' });
    for (const [readyAt, within, most] of [[1000, 100, 30], [20_000, 1000, 90]] as const) {
      const time = new VirtualTime();
      const { ctx } = createRun(checkPlanOf(topology), { transport: new FakeTransport(), listeners: [], signal: new AbortController().signal, clock: time.clock, sleep: time.sleep });
      const r = await poll(ctx, { deadlineMs: 60_000, intervalMs: 2000, attempt: () => Promise.resolve(time.now() >= readyAt ? { done: true } : { wait: 'booting' }) });
      expect(r.done).to.equal(true);
      expect(time.now() - readyAt).to.be.within(0, within);
      expect(r.attempts).to.be.below(most);
    }
  });
});
