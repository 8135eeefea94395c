/** Running the real CLI against a simulated fleet, for specs. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Fault, FleetFile } from '../../lib/fleet/config.js';
import { startFleet, type RunningFleet } from '../../lib/fleet/fleet.js';
import { SshTransport, type CommandResult } from '../../lib/transport/index.js';
import { loadValid, ROOT } from './topologies.js';
import { runMain } from './cli.js';

/** Fast enough for tests: a 20 s boot takes 100 ms. */
export const TEST_SCALE = 0.005;

export interface TestFleet {
  readonly fleet: RunningFleet;
  readonly dir: string;
  readonly file: string;
  /** Runs `orchestrate ARGS` (with --state-dir) in the repository. */
  cli(...args: string[]): Promise<{ code: number; out: string; err: string }>;
  close(): Promise<void>;
}

/**
 * A fleet of topologies/NAME.yaml, or (`yaml`) of a topology written in the spec, read as if it
 * were that file (so `playbooks: ../playbooks` finds the repository's playbooks).
 */
export async function testFleet(name: string, options: { faults?: Record<string, Fault[]>; warm?: boolean; timeScale?: number; file?: FleetFile; yaml?: string } = {}): Promise<TestFleet> {
  const file = `topologies/${name}.yaml`;
  const { topology } = options.yaml === undefined ? loadValid(path.join(ROOT, file)) : loadValid(path.join(ROOT, file), { [path.join(ROOT, file)]: options.yaml });
  const dir = mkdtempSync(path.join(os.tmpdir(), `orchestrate-fleet-${name}-`));
  const fleet = await startFleet({
    topology, dir, timeScale: options.timeScale ?? TEST_SCALE, warm: options.warm ?? false,
    faults: new Map(Object.entries(options.faults ?? {})),
    ...(options.file ? { file: options.file } : {}),
  });
  return {
    fleet, dir, file,
    cli: (...args) => runMain(['--state-dir', path.join(dir, 'state'), ...args]),
    async close() {
      await fleet.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `orchestrate fleet verify` on the fleet's event log as it is now (flushed first), for one action. */
export function verifyLog(f: TestFleet, action: 'up' | 'down'): Promise<{ code: number; out: string; err: string }> {
  f.fleet.world.log.flush();
  return f.cli('fleet', 'verify', path.join(f.dir, 'events.jsonl'), '--topology', f.file, '--action', action);
}

/** What a command printed and how it ended, in the short form specs compare. */
export interface Outcome {
  readonly code: number | null;
  readonly out: string;
  readonly err: string;
}

export interface FleetShell {
  run(host: string, command: string): Promise<CommandResult>;
  /** The same, as an Outcome. */
  outcome(host: string, command: string): Promise<Outcome>;
  close(): Promise<void>;
}

/** A shell on the fleet's machines over SSH, as an operator would have one. */
export function fleetShell(f: TestFleet): FleetShell {
  const topology = f.fleet.world.topology;
  const transport = new SshTransport();
  const run = (host: string, command: string): Promise<CommandResult> => {
    const at = f.fleet.overlay.hosts[host] ?? f.fleet.overlay.hypervisors[host];
    const base = topology.hosts.find((h) => h.name === host)?.ssh ?? topology.hypervisors.get(host);
    if (!at || !base) throw new Error(`no machine ${host} in the fleet`);
    const endpoint = { ...base, address: at.address, port: at.port, identity: f.fleet.overlay.identity, knownHosts: [f.fleet.overlay.knownHosts], globalKnownHosts: [], agent: false };
    return transport.exec(endpoint, command, { signal: new AbortController().signal, timeoutMs: 5000 });
  };
  return {
    run,
    outcome: async (host, command) => {
      const r = await run(host, command);
      return { code: r.exitCode, out: r.stdout, err: r.stderr };
    },
    close: () => transport.close(),
  };
}

/** Lets simulated time pass (250 ms steps, at most 100 s) until `cond` holds. */
export async function waitUntil(f: TestFleet, cond: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !cond(); i++) await f.fleet.world.time.wait(250);
}
