/**
 * Connections made before they are needed, so that handshakes stay off the critical path: the
 * hypervisors the plan talks to, and, going down, the hosts (they run, or they would be skipped)
 * in the order they will be worked on. A host is connected only once its SSH port answers a
 * probe, so a host that is off costs a refused connection, not a handshake slot held until the
 * connect timeout. Best effort, in the background, a few at a time; the run never waits for it.
 */
import type { Plan } from '../plan/index.js';
import type { SshEndpoint } from '../topology/index.js';
import { endpointOf, hostNamed, type ExecContext } from './context.js';

/** Connections warmed at once. */
const AT_ONCE = 4;
const PROBE_MS = 2000;

export function warmConnections(ctx: ExecContext, plan: Plan): void {
  if (ctx.dryRun) return;
  const seen = new Set<string>();
  const queue: { endpoint: SshEndpoint; probe: boolean }[] = [];
  const add = (endpoint: SshEndpoint, probe: boolean): void => {
    const key = `${endpoint.user}@${endpoint.address}:${endpoint.port}`;
    if (seen.has(key)) return;
    seen.add(key);
    queue.push({ endpoint, probe });
  };
  for (const h of plan.hosts) {
    for (const s of h.steps) {
      if (s.target.kind !== 'hypervisor') continue;
      const e = endpointOf(ctx.plan, s.target);
      if (e !== 'local') add(e, false);
    }
  }
  if (plan.action === 'down') {
    for (const h of plan.hosts) {
      const host = hostNamed(ctx.plan, h.name);
      if (host) add(host.ssh, true);
    }
  }
  const next = async (): Promise<void> => {
    for (let item = queue.shift(); item && !ctx.signal.aborted; item = queue.shift()) {
      if (item.probe) {
        const p = await ctx.transport.probe(item.endpoint, { signal: ctx.signal, timeoutMs: Math.min(PROBE_MS, item.endpoint.connectTimeoutMs), background: true });
        if (!p.answers) continue;
      }
      await ctx.transport.prepare(item.endpoint);
    }
  };
  for (let i = 0; i < AT_ONCE; i++) void next();
}
