/**
 * A kill at each step of each pair procedure, then the same command again: it reaches the target.
 * storage-pair.yaml (DRBD single-primary + Pacemaker) against the simulated fleet: both nodes up
 * (up), both down (down), one node down with the service moved (failover of side b), one node
 * up and rejoined (failback). The controller is SIGKILLed when the k-th step of the pair starts.
 */
import { expect } from 'chai';
import type { RunEvent } from '../../lib/events/index.js';
import { testFleet, type TestFleet } from '../support/fleet.js';
import { stoppedRun } from '../support/kill.js';

/** Pair steps (the procedure's and a failover's or failback's moves) as their events name them. */
const pairStep = (e: RunEvent): boolean => e.type === 'step-started' && /\/storage\//.test(e.step);

function nth(k: number): (e: RunEvent) => boolean {
  let n = 0;
  return (e) => pairStep(e) && ++n === k;
}

describe('fleet: a kill at each step of each pair procedure, then the command again', function () {
  this.timeout(240_000);
  let f: TestFleet;
  before(async () => {
    f = await testFleet('storage-pair');
  });
  after(async () => {
    await f.close();
  });

  const power = (): string[] => f.fleet.world.topology.hosts.map((h) => `${h.name} ${f.fleet.world.vms.get(h.name)?.power ?? '?'}`);
  const again = async (...args: string[]): Promise<void> => {
    const r = await f.cli(...args, '--fleet', f.dir);
    expect(r.code, `${args.join(' ')}:\n${r.out}\n${r.err}`).to.equal(0);
  };
  /** Kills `args` at each of its first `steps` pair steps in turn, each followed by the rerun and `reset`. */
  async function each(args: string[], steps: number, target: string[], reset: () => Promise<void>): Promise<void> {
    for (let k = 1; k <= steps; k++) {
      const r = await stoppedRun(f, args, 'SIGKILL', nth(k));
      expect(r.seen, `${args[0] ?? ''}: pair step ${k} was reached`).to.equal(true);
      await again(...args);
      expect(power(), `${args[0] ?? ''} killed at pair step ${k}, then run again`).to.deep.equal(target);
      if (args[0] === 'up' || args[0] === 'failback') {
        // Running is not enough: DRBD connected and in sync, the cluster whole, every resource started.
        const check = await f.cli('check', f.file, '--fleet', f.dir);
        expect(check.code, `check after ${args[0] ?? ''} killed at pair step ${k}:\n${check.out}`).to.equal(0);
      }
      await reset();
    }
  }

  it('up: both nodes up (8 steps)', async () => {
    await each(['up', f.file], 8, ['acd-store1 running', 'acd-store2 running'], () => again('down', f.file));
  });

  it('down: both nodes down (4 steps before the shutdowns)', async () => {
    await again('up', f.file);
    await each(['down', f.file], 4, ['acd-store1 off', 'acd-store2 off'], () => again('up', f.file));
  });

  it('failover of side b (the move, then one node down) and failback (one node up, the rejoin)', async () => {
    await each(['failover', f.file, '--side', 'b'], 3, ['acd-store1 running', 'acd-store2 off'], () => again('failback', f.file, '--side', 'b'));
    await again('failover', f.file, '--side', 'b');
    await each(['failback', f.file, '--side', 'b'], 5, ['acd-store1 running', 'acd-store2 running'], () => again('failover', f.file, '--side', 'b'));
  });
});
