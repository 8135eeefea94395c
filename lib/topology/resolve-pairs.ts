/** Redundant pairs and continuity probes: checked against the hosts and roles that exist. Pure. */
import { parseDuration } from '../util/duration.js';
import { didYouMean } from '../util/suggest.js';
import type { ResolveContext } from './context.js';
import type { Continuity, Pair } from './model.js';
import type { RawContinuity, RawPair } from './schema.js';

const ms = (v: string | undefined, fallback: number): number => (v === undefined ? fallback : parseDuration(v) ?? fallback);

export function resolvePairs(ctx: ResolveContext, raw: Readonly<Record<string, RawPair>> | undefined): Pair[] {
  const owner = new Map<string, string>();
  const pairs: Pair[] = [];
  for (const [name, p] of Object.entries(raw ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    const at = ctx.at(['pairs', name], { key: true });
    const hosts = p.hosts.filter((h, i) => {
      if (ctx.written.hosts.has(h)) return Object.hasOwn(ctx.raw.hosts, h);
      ctx.error(ctx.at(['pairs', name, 'hosts', i]), `unknown host '${h}' in pair '${name}'${didYouMean(h, ctx.written.hosts)}`);
      return false;
    });
    if (p.hosts.length !== 2 || new Set(p.hosts).size !== 2) ctx.error(ctx.at(['pairs', name, 'hosts']), `pair '${name}' needs exactly two different hosts (got ${p.hosts.length === 0 ? 'none' : p.hosts.join(', ')})`);
    if (p.drbd === undefined && p.pacemaker === undefined) ctx.error(at, `pair '${name}' has neither drbd nor pacemaker: nothing to do for it`);
    for (const h of hosts) {
      const other = owner.get(h);
      if (other !== undefined) ctx.error(ctx.at(['pairs', name, 'hosts', p.hosts.indexOf(h)]), `host '${h}' is already in pair '${other}'`);
      owner.set(h, name);
    }
    if (p.drbd) ctx.checkValue(['pairs', name, 'drbd', 'resource'], 'drbd-resource', p.drbd.resource);
    p.pacemaker?.resources?.forEach((r, i) => ctx.checkValue(['pairs', name, 'pacemaker', 'resources', i], 'pcs-id', r));
    if (hosts.length !== 2) continue;
    const vip = p.pacemaker?.vip;
    const replaces = (p.replaces ?? []).filter((r, i) => {
      if (ctx.written.roles.has(r)) return true;
      ctx.error(ctx.at(['pairs', name, 'replaces', i]), `unknown role '${r}' in replaces of pair '${name}'${didYouMean(r, ctx.written.roles)}`);
      return false;
    });
    pairs.push({
      name, hosts: [hosts[0] ?? '', hosts[1] ?? ''], replaces, at,
      ...(p.drbd ? { drbd: { resource: p.drbd.resource, minor: p.drbd.minor ?? 0, mode: p.drbd.mode ?? 'dual-primary', version: p.drbd.version ?? '8.4', timeoutMs: ms(p.drbd.timeout, 1_800_000) } } : {}),
      ...(p.pacemaker ? { pacemaker: { version: p.pacemaker.version ?? '1.1', resources: p.pacemaker.resources ?? [], ...(vip === undefined ? {} : { vip }), timeoutMs: ms(p.pacemaker.timeout, 300_000) } } : {}),
    });
  }
  return pairs;
}

export function resolveContinuity(ctx: ResolveContext, raw: RawContinuity | undefined): Continuity {
  const probes = (raw?.probes ?? []).flatMap((p, i) => {
    const where = [p.role, p.host, p.local === true ? 'local' : undefined].filter((x) => x !== undefined);
    if (where.length !== 1) {
      ctx.error(ctx.at(['continuity', 'probes', i], { key: false }), `probe '${p.name}' needs exactly one of role, host or local: true`);
      return [];
    }
    if (p.role !== undefined && !ctx.written.roles.has(p.role)) ctx.error(ctx.at(['continuity', 'probes', i, 'role']), `unknown role '${p.role}' in probe '${p.name}'${didYouMean(p.role, ctx.written.roles)}`);
    if (p.host !== undefined && !ctx.written.hosts.has(p.host)) ctx.error(ctx.at(['continuity', 'probes', i, 'host']), `unknown host '${p.host}' in probe '${p.name}'${didYouMean(p.host, ctx.written.hosts)}`);
    return [{
      name: p.name, run: p.run, local: p.local === true, timeoutMs: ms(p.timeout, 5000),
      ...(p.role === undefined ? {} : { role: p.role }), ...(p.host === undefined ? {} : { host: p.host }),
    }];
  });
  return { intervalMs: ms(raw?.interval, 1000), probes };
}
