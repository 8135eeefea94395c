/** `orchestrate fleet down | status | verify`. */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { CliError } from '../../errors.js';
import type { FleetStatus } from '../../fleet/index.js';
import { parseFleetLog } from '../../fleet/index.js';
import { verifyRun } from '../../fleet/index.js';
import { buildPlan, limitHosts, type Action } from '../../plan/index.js';
import { alive, controlHeaders, readFleetDir } from '../fleet-dir.js';
import type { CliIO } from '../io.js';
import { loadOrFail } from '../load.js';
import { EXIT } from '../exit.js';

/** Stops the background fleet in `dir` and waits until it is gone. */
export async function fleetDownCommand(dir: string, io: CliIO): Promise<number> {
  const { containersDown } = await import('./fleet-containers.js');
  const containers = await containersDown(dir, io);
  if (containers !== undefined) return containers;
  const pidFile = path.join(dir, 'fleet.pid');
  const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) : NaN;
  if (!alive(pid)) {
    rmSync(pidFile, { force: true });
    io.out(`no fleet is running in ${dir}`);
    return 0;
  }
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 200 && alive(pid); i++) await new Promise((r) => setTimeout(r, 50));
  if (alive(pid)) throw new CliError(`the fleet (pid ${pid}) did not stop within 10s`);
  io.out(`fleet in ${dir} stopped`);
  return 0;
}

export async function fleetStatusCommand(dir: string, json: boolean, io: CliIO): Promise<number> {
  const overlay = readFleetDir(dir);
  if (overlay.control === undefined) throw new CliError(`the fleet in ${dir} has no control endpoint`);
  const headers = controlHeaders(overlay, dir);
  let status: FleetStatus;
  try {
    const res = await fetch(`${overlay.control}/status`, { headers });
    if (res.status === 401) throw new CliError(`the fleet in ${dir} refused its token (${overlay.controlToken ?? ''}): is it the fleet that wrote this directory?`);
    status = (await res.json()) as FleetStatus;
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`the fleet in ${dir} does not answer (${(e as Error).message})`, { suggestions: [`orchestrate fleet up TOPOLOGY --detach --state ${dir}`] });
  }
  if (json) {
    io.out(JSON.stringify(status, null, 2));
    return 0;
  }
  io.out(`fleet ${status.topology}, up ${Math.round(status.uptimeMs / 1000)}s`);
  const width = Math.max(10, ...status.hosts.map((h) => h.name.length));
  for (const h of status.hosts) {
    const units = Object.entries(h.units).map(([u, s]) => `${u}=${s}`).join(' ');
    io.out(`  ${h.name.padEnd(width)} ${h.power.padEnd(8)} ${(h.ssh ? 'ssh' : '-').padEnd(4)} ${h.system.padEnd(9)} ${units}${h.mounts.length > 0 ? ` mounts=${h.mounts.join(',')}` : ''}${h.faults.length > 0 ? ` faults=${h.faults.join(',')}` : ''}`);
  }
  return 0;
}

export function fleetVerifyCommand(logFile: string, options: { topology: string; action: Action; limit?: readonly string[] | undefined; json: boolean }, io: CliIO): number {
  const { topology, graph } = loadOrFail(options.topology, io);
  const limit = options.limit === undefined ? undefined : limitHosts(topology, graph, options.action, options.limit);
  if (limit !== undefined && 'error' in limit) throw new CliError(limit.error, { exitCode: EXIT.invalid });
  let text: string;
  try {
    text = readFileSync(path.resolve(io.cwd, logFile), 'utf8');
  } catch {
    throw new CliError(`cannot read the event log ${logFile}`, { exitCode: EXIT.invalid });
  }
  const { events, problems } = parseFleetLog(text);
  for (const p of problems) io.err(`${logFile}: ${p}`);
  const violations = verifyRun(buildPlan(topology, graph, options.action, limit ? { limit } : {}), events);
  if (options.json) {
    io.out(JSON.stringify({ action: options.action, ok: violations.length === 0, violations }, null, 2));
  } else if (violations.length === 0) {
    const pairs = topology.pairs.length > 0 ? ' and the pairs were kept safe' : '';
    io.out(`${options.action}: the runbook order was kept${pairs} (${events.length} events checked)`);
  } else {
    for (const v of violations) {
      io.out(`violation: ${v.message}`);
      for (const e of v.events) io.out(`  ${JSON.stringify(e)}`);
    }
    io.out(`${options.action}: ${violations.length} violation${violations.length === 1 ? '' : 's'} of the runbook order${topology.pairs.length > 0 ? ' or of pair safety' : ''}`);
  }
  return violations.length === 0 ? 0 : 1;
}
