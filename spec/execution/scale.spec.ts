/**
 * No setting can deadlock a run: every shipped topology, and generated jtel ones up to 1,000
 * hosts, come up and go down with concurrency 1, 2, 16 and unlimited, against a healthy fake
 * platform on a virtual clock (deterministic, and no real time spent waiting). Before the
 * concurrency limit bounded commands instead of hosts, 16 Hazelcast members holding every slot
 * while waiting for members that could not start failed 100 hosts in 2 s.
 */
import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { HostStatus, RunEvent } from '../../lib/events/index.js';
import { runPlan } from '../../lib/execution/index.js';
import { buildPlan, type Action } from '../../lib/plan/index.js';
import { FakePlatform } from '../support/fake-platform.js';
import { jtelTopology } from '../support/jtel-topology.js';
import { loadValid, ROOT } from '../support/topologies.js';
import { VirtualTime } from '../support/virtual-time.js';

const REACHED: readonly HostStatus[] = ['up', 'already-up', 'down', 'already-down'];

async function cycle(file: string, concurrency: number): Promise<{ platform: FakePlatform; times: Record<Action, number> }> {
  const { topology, graph } = loadValid(file);
  const platform = new FakePlatform(topology);
  const times = { up: 0, down: 0 };
  for (const action of ['up', 'down'] as const) {
    const time = new VirtualTime();
    platform.useClock(() => time.now());
    const failures: string[] = [];
    const listeners = [(e: RunEvent): void => {
      if (e.type === 'step-finished' && (e.status === 'failed' || e.status === 'timed-out')) failures.push(`${e.step}: ${e.message ?? e.status}`);
    }];
    const summary = await runPlan(buildPlan(topology, graph, action), {
      transport: platform, listeners, signal: new AbortController().signal, clock: time.clock, sleep: time.sleep, concurrency,
    });
    expect(failures, `${path.basename(file)} ${action} -c ${concurrency}`).to.deep.equal([]);
    expect(summary.status).to.equal('succeeded');
    expect(Object.values(summary.hosts).every((s) => REACHED.includes(s))).to.equal(true);
    times[action] = time.now();
  }
  return { platform, times };
}

function generated(hosts: number): string {
  const file = path.join(os.tmpdir(), `orchestrate-scale-${process.pid}-${hosts}.yaml`);
  writeFileSync(file, jtelTopology({ hosts }));
  return file;
}

describe('no setting deadlocks a run (fake platform, virtual clock)', function () {
  this.timeout(120_000);
  const shipped = ['small', 'medium', 'large', 'storage-pair', 'services'].map((n) => path.join(ROOT, 'topologies', `${n}.yaml`));
  for (const concurrency of [1, 2, 16, Infinity]) {
    const label = concurrency === Infinity ? 'unlimited' : String(concurrency);
    it(`every shipped topology, up and down, concurrency ${label}`, async () => {
      for (const file of shipped) await cycle(file, concurrency);
    });
    for (const hosts of [100, 300, 1000]) {
      it(`a generated jtel topology of ${hosts} hosts, up and down, concurrency ${label}`, async () => {
        const { platform } = await cycle(generated(hosts), concurrency);
        expect(platform.members()).to.equal(0);
      });
    }
  }

  it('the hosts waiting for one hypervisor share its VM list: far fewer reads than polls', async () => {
    const { platform } = await cycle(generated(300), Infinity);
    const lists = platform.calls.filter((c) => c.command === 'virsh list --all').length;
    expect(lists).to.be.above(0);
    expect(lists).to.be.below(300);
  });
});
