/**
 * `orchestrate fleet up TOPOLOGY`: starts the simulated fleet, in the foreground (Ctrl-C stops
 * it) or `--detach`ed (a background process; `fleet down` stops it).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { CliError } from '../../errors.js';
import { startFleet, type RunningFleet } from '../../fleet/index.js';
import type { Style } from '../../reporters/index.js';
import { own } from '../../util/own.js';
import { alive, readToken } from '../fleet-dir.js';
import { faultFlags, latencyFlag, readFleetFile, type FleetFlags } from '../fleet-options.js';
import { fleetSecrets } from '../secrets.js';
import { fleetDir } from '../state.js';
import type { CliIO } from '../io.js';
import { displayPath, loadOrFail } from '../load.js';
import { EXIT } from '../exit.js';
import { createFileSafe, makeDirSafe, PRIVATE_DIR, PUBLIC, writeFileSafe } from '../../util/safe-write.js';

export async function fleetUpCommand(file: string, flags: FleetFlags, ctx: { io: CliIO; stateDir: string; signal: AbortSignal; serve?: { host: string; port: number } }): Promise<number> {
  const { io } = ctx;
  const { topology } = loadOrFail(file, io);
  const dir = fleetDir(ctx.stateDir, topology.name, flags.state, io.cwd);
  const pidFile = path.join(dir, 'fleet.pid');
  if (existsSync(pidFile) && alive(Number(readFileSync(pidFile, 'utf8')))) {
    throw new CliError(`a fleet is already running in ${dir}`, { exitCode: EXIT.invalid, suggestions: [`orchestrate fleet down --state ${dir}`] });
  }
  const fleetFile = flags.fleetFile === undefined ? undefined : readFleetFile(flags.fleetFile, io);
  const faults = faultFlags(flags.fault ?? [], topology);
  const latency = flags.latency === undefined ? undefined : latencyFlag(flags.latency);
  const token = flags.tokenFile === undefined ? undefined : readToken(flags.tokenFile, io);
  if (flags.detach === true) return detach(dir, io);
  const secrets = fleetSecrets(topology, io);
  const fleet = await startFleet({
    topology, dir, faults, ...(secrets ? { secrets } : {}),
    ...(fleetFile ? { file: fleetFile } : {}),
    ...(flags.timeScale === undefined ? {} : { timeScale: flags.timeScale }),
    ...(flags.warm === undefined ? {} : { warm: flags.warm }),
    ...(latency ? { latency } : {}),
    ...(ctx.serve ? { serve: ctx.serve } : {}),
    ...(token === undefined ? {} : { token }),
  });
  writeFileSafe(pidFile, String(process.pid), PUBLIC);
  for (const line of fleetSummary(fleet, file, io)) io.out(line);
  io.out('Ctrl-C (or `orchestrate fleet down`) stops the fleet.');
  await new Promise<void>((resolve) => {
    if (ctx.signal.aborted) resolve();
    ctx.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await fleet.stop();
  rmSync(pidFile, { force: true });
  io.out('fleet stopped');
  return 0;
}

/** Starts the same command in the background and waits until its fleet is ready. */
async function detach(dir: string, io: CliIO): Promise<number> {
  const started = Date.now();
  const args = process.argv.slice(2).filter((a) => a !== '--detach' && a !== '-d');
  const logFile = path.join(dir, 'fleet.log');
  makeDirSafe(dir, PRIVATE_DIR);
  // A new file: a symlink planted at fleet.log is removed, never written through.
  rmSync(logFile, { force: true });
  const out = createFileSafe(logFile, PUBLIC);
  const child = spawn(process.execPath, [...process.execArgv, process.argv[1] ?? '', ...args, ...(args.includes('--state') ? [] : ['--state', dir])], {
    detached: true, stdio: ['ignore', out, out], cwd: io.cwd,
  });
  child.unref();
  const ready = path.join(dir, 'fleet.pid');
  for (let i = 0; i < 300; i++) {
    if (existsSync(ready) && statSync(ready).mtimeMs >= started - 1000 && alive(Number(readFileSync(ready, 'utf8')))) {
      const text = readFileSync(logFile, 'utf8');
      for (const line of text.split('\n').filter((l) => l !== '' && !l.startsWith('Ctrl-C'))) io.out(line);
      io.out(`running in the background (pid ${child.pid ?? '?'}); stop it with: orchestrate fleet down --state ${displayPath(dir, io.cwd)}`);
      return 0;
    }
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  io.err(readFileSync(logFile, 'utf8'));
  throw new CliError(`the fleet did not start (its output is above, and in ${logFile})`);
}

/** What the fleet simulates and how to use it. */
export function fleetSummary(fleet: RunningFleet, file: string, io: CliIO, options: { style?: Style; usage?: boolean } = {}): string[] {
  const w = fleet.world;
  const bold = options.style?.bold ?? ((s: string) => s);
  const dir = displayPath(fleet.dir, io.cwd);
  const width = Math.max(10, ...[...w.vms.keys(), ...w.hypervisors.keys()].map((n) => n.length));
  const lines = [bold(`fleet ${w.topology.name}: ${w.vms.size} VMs and ${w.hypervisors.size} hypervisor${w.hypervisors.size === 1 ? '' : 's'} simulated, time scale ${w.time.scale}`)];
  for (const hv of w.hypervisors.values()) {
    const at = own(fleet.overlay.hypervisors, hv.name);
    lines.push(`  ${hv.name.padEnd(width)} ${`${at?.address ?? ''}:${at?.port ?? ''}`.padEnd(22)} hypervisor (${hv.driver}): ${[...hv.vms.values()].map((v) => v.name).join(' ')}`);
  }
  for (const vm of w.vms.values()) {
    const at = own(fleet.overlay.hosts, vm.name);
    const faults = vm.behaviour.faults.map((f) => f.kind);
    lines.push(`  ${vm.name.padEnd(width)} ${`${at?.address ?? ''}:${at?.port ?? ''}`.padEnd(22)} ${vm.power}${faults.length > 0 ? `  faults: ${faults.join(', ')}` : ''}`);
  }
  if (options.usage === false) return lines;
  lines.push(
    `state:     ${dir}`,
    `run:       orchestrate up ${file} --fleet ${dir}`,
    `evidence:  orchestrate fleet verify ${path.join(dir, 'events.jsonl')} --topology ${file} --action up`,
  );
  return lines;
}
