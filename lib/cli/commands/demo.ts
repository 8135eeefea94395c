/**
 * `orchestrate demo [TOPOLOGY]`: the main job on the built-in default. Starts the simulated
 * fleet of the topology cold, in this process, runs `up` and then `down` against it over SSH
 * with the live output, and checks the runbook order from the fleet's evidence.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startFleet } from '../../fleet/index.js';
import { verifyRun } from '../../fleet/index.js';
import { buildPlan } from '../../plan/index.js';
import { applyOverlay } from '../../topology/index.js';
import type { CliIO } from '../io.js';
import { displayPath, loadOrFail } from '../load.js';
import { packageRoot } from '../package-root.js';
import { fleetSecrets } from '../secrets.js';
import { fleetSummary } from './fleet-up.js';
import { runCommand } from './run.js';

/** The topology `demo` runs without one: the small.yaml shipped with orchestrate, wherever it is run from. */
export const demoTopology = (): string => path.join(packageRoot(), 'topologies', 'small.yaml');

export async function demoCommand(given: string | undefined, options: { timeScale: number; signal: AbortSignal; stateDir: string }, io: CliIO): Promise<number> {
  const file = given ?? displayPath(demoTopology(), io.cwd);
  const { topology, graph } = loadOrFail(file, io);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'orchestrate-demo-'));
  const secrets = fleetSecrets(topology, io);
  const fleet = await startFleet({ topology, dir, timeScale: options.timeScale, ...(secrets ? { secrets } : {}) });
  try {
    for (const line of fleetSummary(fleet, file, io, { style: io.style, usage: false })) io.out(line);
    io.out('');
    const pointed = applyOverlay(topology, fleet.overlay);
    if ('missing' in pointed) return 1;
    for (const action of ['up', 'down'] as const) {
      const from = fleet.world.log.events.length;
      const code = await runCommand({ action, file, dryRun: false, json: false, verbose: false, concurrency: undefined, onFailure: 'stop', stateDir: path.join(dir, 'state'), signal: options.signal, fleet: dir }, io);
      if (code !== 0) return code;
      const violations = verifyRun(buildPlan(pointed.topology, graph, action), fleet.world.log.events.slice(from));
      io.out(violations.length === 0 ? io.style.green(`verified from the fleet's event log: ${action} kept the runbook order`) : io.style.red(`${violations.length} violation${violations.length === 1 ? '' : 's'} of the runbook order${topology.pairs.length > 0 ? ' or of pair safety' : ''}`));
      for (const v of violations) io.out(`  ${v.message}`);
      if (violations.length > 0) return 1;
      io.out('');
    }
    return 0;
  } finally {
    await fleet.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
