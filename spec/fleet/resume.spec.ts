/**
 * Kill the controller mid-run, then `orchestrate resume`: the platform ends in the target state,
 * the fleet's evidence of the killed run and the resumed one together keeps the runbook order
 * (fleet verify), and no host is powered on twice. SIGKILL at three points of `up` and of `down`
 * of large.yaml (after a power-on, during a wait, during the storage pair's procedure), and
 * SIGINT once each way. One fleet serves every scenario, each leaving it all up or all down.
 */
import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { RunEvent } from '../../lib/events/index.js';
import { testFleet, type TestFleet } from '../support/fleet.js';
import { stoppedRun } from '../support/kill.js';

type Stop = { readonly signal: 'SIGKILL' | 'SIGINT'; readonly at: string; readonly when: (e: RunEvent) => boolean };

const SCENARIOS: readonly (Stop & { readonly action: 'up' | 'down' })[] = [
  { action: 'up', signal: 'SIGKILL', at: 'after a power-on', when: (e) => e.type === 'step-finished' && e.kind === 'power-on' && e.status === 'passed' },
  { action: 'down', signal: 'SIGKILL', at: 'during a wait until off', when: (e) => e.type === 'step-started' && e.kind === 'wait-off' },
  { action: 'up', signal: 'SIGKILL', at: 'during a boot wait', when: (e) => e.type === 'step-started' && e.kind === 'wait-boot' && e.host.startsWith('acd-db') },
  { action: 'down', signal: 'SIGKILL', at: 'during the storage pair procedure', when: (e) => e.type === 'step-started' && /\/storage\/(drbd down|shutdown)/.test(e.step) },
  { action: 'up', signal: 'SIGKILL', at: 'during the storage pair procedure', when: (e) => e.type === 'step-started' && /\/storage\/drbd (connected|primary)/.test(e.step) },
  { action: 'down', signal: 'SIGKILL', at: 'after a shutdown', when: (e) => e.type === 'step-finished' && e.kind === 'shutdown' && e.status === 'passed' },
  { action: 'up', signal: 'SIGINT', at: 'during a check', when: (e) => e.type === 'step-started' && e.kind === 'check' && e.host.startsWith('acd-jb') },
  { action: 'down', signal: 'SIGINT', at: 'during a service stop', when: (e) => e.type === 'step-started' && e.kind === 'run' && e.host.startsWith('acd-db') },
];

function stopped(f: TestFleet, action: string, stop: Stop): Promise<{ code: number | null; seen: boolean }> {
  return stoppedRun(f, [action, f.file], stop.signal, stop.when);
}

describe('fleet: a run killed or interrupted, then resumed', function () {
  this.timeout(120_000);
  let f: TestFleet;
  before(async () => {
    f = await testFleet('large');
  });
  after(async () => {
    await f.close();
  });

  for (const s of SCENARIOS) {
    it(`${s.action}, ${s.signal} ${s.at}: resume finishes it in order, nothing powered on twice`, async () => {
      const log = path.join(f.dir, 'events.jsonl');
      const from = readFileSync(log, 'utf8').length;
      const r = await stopped(f, s.action, s);
      expect(r.seen, 'the stop point was reached').to.equal(true);
      expect(r.code).to.equal(s.signal === 'SIGINT' ? 130 : null);

      const resumed = await f.cli('resume');
      expect(resumed.code, resumed.out + resumed.err).to.equal(0);
      expect(resumed.err).to.match(new RegExp(`resuming run \\S+ \\(${s.action} acd-large, .*\\), which ${s.signal === 'SIGKILL' ? 'was interrupted' : 'cancelled'}`));
      if (s.signal === 'SIGKILL') expect(resumed.err).to.match(/warning: took over the lock .* that process is gone/);

      // The evidence of both runs together: the runbook order, and each host powered on at most once.
      const text = readFileSync(log, 'utf8').slice(from);
      const part = path.join(f.dir, `part-${s.action}.jsonl`);
      writeFileSync(part, text);
      const verify = await f.cli('fleet', 'verify', part, '--topology', f.file, '--action', s.action);
      expect(verify.code, verify.out + verify.err).to.equal(0);
      const boots = new Map<string, number>();
      for (const line of text.split('\n').filter((l) => l.trim() !== '')) {
        const e = JSON.parse(line) as { type: string; host?: string; state?: string };
        if (e.type === 'power' && e.state === 'booting' && e.host !== undefined) boots.set(e.host, (boots.get(e.host) ?? 0) + 1);
      }
      expect([...boots].filter(([, n]) => n > 1)).to.deep.equal([]);
      const target = s.action === 'up' ? 'running' : 'off';
      const states = f.fleet.world.topology.hosts.map((h) => `${h.name}: ${f.fleet.world.vms.get(h.name)?.power ?? '?'}`);
      expect(states.filter((x) => !x.endsWith(`: ${target}`))).to.deep.equal([]);
    });
  }
});
