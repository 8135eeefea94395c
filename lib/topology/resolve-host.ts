/**
 * Turns a host entry into a Host: SSH settings and timeouts merged over the defaults, power
 * settings checked against their driver, dependencies resolved to host names. Pure.
 */
import path from 'node:path';
import { parseDuration } from '../util/duration.js';
import { own } from '../util/own.js';
import { didYouMean } from '../util/suggest.js';
import { stringVars, type ResolveContext } from './context.js';
import type { Dependency, Host, Power, SshEndpoint, Timeouts } from './model.js';
import { DRIVER_KEYS, POWER_DRIVERS, type RawEndpoint, type RawHost, type RawPower } from './schema.js';
import type { DataPath } from './source.js';

export const TIMEOUT_DEFAULTS: Timeouts = { bootMs: 600_000, shutdownMs: 300_000, stepMs: 300_000, connectMs: 10_000, pollMs: 2000, checkMs: 10_000 };

type SshFields = Omit<RawEndpoint, 'address'>;

/** Expands relative key and known_hosts paths against the topology's folder; `~` stays for the transport. */
function filePath(ctx: ResolveContext, p: string): string {
  return p.startsWith('~') || path.isAbsolute(p) ? p : path.join(path.dirname(ctx.source.file), p);
}

/** OpenSSH's UserKnownHostsFile and GlobalKnownHostsFile defaults. */
const USER_KNOWN_HOSTS: readonly string[] = Object.freeze(['~/.ssh/known_hosts', '~/.ssh/known_hosts2']);
const GLOBAL_KNOWN_HOSTS: readonly string[] = Object.freeze(['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2']);
const NO_FILES: readonly string[] = Object.freeze([]);

/** Written paths expanded; the defaults (`~` and absolute already) are shared by every endpoint that keeps them. */
function filePaths(ctx: ResolveContext, p: string | readonly string[] | undefined, defaults: readonly string[]): readonly string[] {
  if (p === undefined) return defaults;
  return (typeof p === 'string' ? [p] : p).map((f) => filePath(ctx, f));
}

export function resolveTimeouts(ctx: ResolveContext, own: RawHost['timeouts']): Timeouts {
  const merged = { ...ctx.raw.defaults?.timeouts, ...own };
  const ms = (v: string | undefined, d: number): number => (v === undefined ? d : parseDuration(v) ?? d);
  return {
    bootMs: ms(merged.boot, TIMEOUT_DEFAULTS.bootMs),
    shutdownMs: ms(merged.shutdown, TIMEOUT_DEFAULTS.shutdownMs),
    stepMs: ms(merged.step, TIMEOUT_DEFAULTS.stepMs),
    connectMs: ms(merged.connect, TIMEOUT_DEFAULTS.connectMs),
    pollMs: ms(merged.poll, TIMEOUT_DEFAULTS.pollMs),
    checkMs: ms(merged.check, TIMEOUT_DEFAULTS.checkMs),
  };
}

/** An SSH endpoint from its own fields over `defaults`; `jumpPath` locates a bad bastion name. */
export function resolveEndpoint(ctx: ResolveContext, opts: { name: string; address: string; own: SshFields; path: DataPath; connectMs: number; connectAt?: DataPath | undefined; allowJump: boolean }): SshEndpoint {
  ctx.checkValue([...opts.path, 'address'], 'host', opts.address);
  const d = ctx.raw.defaults ?? {};
  const f: SshFields = { ...pickSsh(d), ...pickSsh(opts.own) };
  const identity = f.identity === undefined ? undefined : filePath(ctx, f.identity);
  let jump: SshEndpoint | undefined;
  if (f.jump !== undefined && opts.allowJump) {
    const bastion = own(ctx.raw.bastions, f.jump);
    const jumpPath = opts.own.jump !== undefined ? [...opts.path, 'jump'] : ['defaults', 'jump'];
    if (bastion) {
      jump = resolveEndpoint(ctx, { name: f.jump, address: bastion.address, own: bastion, path: ['bastions', f.jump], connectMs: opts.connectMs, connectAt: opts.connectAt, allowJump: false });
    } else if (!ctx.written.bastions.has(f.jump)) {
      ctx.error(ctx.at(jumpPath), `unknown bastion '${f.jump}' in jump${didYouMean(f.jump, ctx.written.bastions)}`);
    }
  } else if (opts.own.jump !== undefined && !opts.allowJump) {
    ctx.error(ctx.at([...opts.path, 'jump']), `a bastion cannot itself jump through another bastion`);
  }
  return {
    name: opts.name,
    address: opts.address,
    port: f.port ?? 22,
    user: f.user ?? 'root',
    ...(identity === undefined ? {} : { identity }),
    agent: f.agent ?? true,
    knownHosts: filePaths(ctx, f.known_hosts, USER_KNOWN_HOSTS),
    globalKnownHosts: f.global_known_hosts === 'none' ? NO_FILES : filePaths(ctx, f.global_known_hosts, GLOBAL_KNOWN_HOSTS),
    hashKnownHosts: f.hash_known_hosts ?? false,
    hostKeyPolicy: f.host_key_policy ?? 'strict',
    ...(jump ? { jump } : {}),
    maxSessions: f.max_sessions ?? 10,
    connectTimeoutMs: opts.connectMs,
    ...(f.ssh_config === undefined ? {} : { sshConfig: f.ssh_config === 'none' ? 'none' : filePath(ctx, f.ssh_config) }),
    sources: writtenSources(ctx, opts),
  };
}

/** Endpoint fields and the topology keys that set them. */
const SOURCE_KEYS = [
  ['port', 'port'], ['user', 'user'], ['identity', 'identity'], ['agent', 'agent'], ['knownHosts', 'known_hosts'],
  ['globalKnownHosts', 'global_known_hosts'], ['hashKnownHosts', 'hash_known_hosts'], ['hostKeyPolicy', 'host_key_policy'], ['jump', 'jump'],
] as const;

function where(ctx: ResolveContext, p: DataPath): string {
  const at = ctx.at(p);
  return `${at.file}:${at.line}:${at.col}`;
}

/** Where `defaults` wrote each connection setting, and the default connect timeout: located once per topology, not per host. */
const defaultSources = new WeakMap<ResolveContext, { fields: Map<string, string>; connect?: string }>();

function defaultsWritten(ctx: ResolveContext): { fields: Map<string, string>; connect?: string } {
  let found = defaultSources.get(ctx);
  if (!found) {
    const d = ctx.raw.defaults ?? {};
    const fields = new Map<string, string>();
    for (const [field, key] of SOURCE_KEYS) if (d[key] !== undefined) fields.set(field, where(ctx, ['defaults', key]));
    found = { fields, ...(d.timeouts?.connect === undefined ? {} : { connect: where(ctx, ['defaults', 'timeouts', 'connect']) }) };
    defaultSources.set(ctx, found);
  }
  return found;
}

/** Where the topology wrote each connection setting (its own entry, else `defaults`); what it did not write is left out. */
function writtenSources(ctx: ResolveContext, opts: { own: SshFields; path: DataPath; connectAt?: DataPath | undefined }): Record<string, string> {
  const defaults = defaultsWritten(ctx);
  const out: Record<string, string> = { address: where(ctx, [...opts.path, 'address']) };
  for (const [field, key] of SOURCE_KEYS) {
    if (opts.own[key] !== undefined) out[field] = where(ctx, [...opts.path, key]);
    else {
      const at = defaults.fields.get(field);
      if (at !== undefined) out[field] = at;
    }
  }
  if (opts.connectAt) out['connectTimeout'] = opts.connectAt[0] === 'defaults' && defaults.connect !== undefined ? defaults.connect : where(ctx, opts.connectAt);
  return out;
}

function pickSsh(o: Partial<SshFields>): Partial<SshFields> {
  const out: Partial<Record<keyof SshFields, unknown>> = {};
  for (const k of ['port', 'user', 'identity', 'agent', 'known_hosts', 'global_known_hosts', 'hash_known_hosts', 'host_key_policy', 'jump', 'max_sessions', 'ssh_config'] as const) {
    if (o[k] !== undefined) out[k] = o[k];
  }
  return out as Partial<SshFields>;
}

export function resolveHost(name: string, raw: RawHost, ctx: ResolveContext): Host {
  const base: DataPath = ['hosts', name];
  const timeouts = resolveTimeouts(ctx, raw.timeouts);
  const roles = (raw.roles ?? []).filter((role, i) => {
    if (ctx.written.roles.has(role)) return Object.hasOwn(ctx.raw.roles, role);
    ctx.error(ctx.at([...base, 'roles', i]), `unknown role '${role}' in roles of host '${name}'${didYouMean(role, ctx.written.roles)}`);
    return false;
  });
  const side = raw.side;
  return {
    name,
    ssh: resolveEndpoint(ctx, { name, address: raw.address, own: raw, path: base, connectMs: timeouts.connectMs, connectAt: connectAt(ctx, raw, base), allowJump: true }),
    roles: [...new Set(roles)],
    power: resolvePower(ctx, name, raw.power),
    requires: hostRefs(ctx, name, raw.requires, [...base, 'requires']),
    after: hostRefs(ctx, name, raw.after, [...base, 'after']),
    vars: stringVars(raw.vars),
    timeouts,
    bootCheck: raw.boot_check ?? ctx.raw.defaults?.boot_check ?? 'systemd',
    ...(side === undefined ? {} : { side }),
    at: ctx.at(base, { key: true }),
  };
}

/** Where the connect timeout of a host was written, if it was. */
export function connectAt(ctx: ResolveContext, raw: { timeouts?: { connect?: string | undefined } | undefined }, base: DataPath): DataPath | undefined {
  if (raw.timeouts?.connect !== undefined) return [...base, 'timeouts', 'connect'];
  return ctx.raw.defaults?.timeouts?.connect !== undefined ? ['defaults', 'timeouts', 'connect'] : undefined;
}

/** Host-level dependencies name hosts or roles; a role stands for every host that carries it. */
function hostRefs(ctx: ResolveContext, owner: string, refs: readonly string[] | undefined, p: DataPath): Dependency[] {
  const out = new Map<string, Dependency>();
  const add = (name: string, at: Dependency['at']): void => {
    if (!out.has(name)) out.set(name, { name, at });
  };
  (refs ?? []).forEach((ref, i) => {
    const at = ctx.at([...p, i]);
    const isHost = ctx.written.hosts.has(ref);
    const isRole = ctx.written.roles.has(ref);
    if (ref === owner) {
      ctx.error(at, `host '${owner}' cannot depend on itself`);
    } else if (isHost && isRole) {
      ctx.error(at, `'${ref}' is both a host and a role; rename one of them`);
    } else if (isHost) {
      if (Object.hasOwn(ctx.raw.hosts, ref)) add(ref, at);
    } else if (isRole) {
      for (const h of ctx.carriersOf(ref)) if (h !== owner) add(h, at);
    } else {
      ctx.error(at, `unknown host or role '${ref}' in ${String(p[p.length - 1])} of host '${owner}'${didYouMean(ref, ctx.hostsAndRoles)}`);
    }
  });
  return [...out.values()];
}


/** Host power settings over `defaults.power`, checked against what the driver needs and accepts. */
function resolvePower(ctx: ResolveContext, host: string, own: RawPower | undefined): Power {
  const defaults = ctx.raw.defaults?.power ?? {};
  const p: RawPower = { ...defaults, ...own };
  const ownPath: DataPath = ['hosts', host, 'power'];
  const where = (key: keyof RawPower): DataPath => (own?.[key] !== undefined ? [...ownPath, key] : ['defaults', 'power', key]);
  const driver = p.driver ?? 'none';
  if (!(POWER_DRIVERS as readonly string[]).includes(driver)) {
    ctx.error(ctx.at(where('driver')), `unknown power driver '${driver}' (expected one of ${POWER_DRIVERS.join(', ')})${didYouMean(driver, POWER_DRIVERS)}`);
    return { driver: 'none' };
  }
  const d = driver as Power['driver'];
  for (const key of Object.keys(own ?? {})) {
    if (!DRIVER_KEYS[d].includes(key)) ctx.error(ctx.at([...ownPath, key], { key: true }), `power.${key} does not apply to power driver '${d}'`);
  }
  const common = { shutdown: p.shutdown ?? 'guest', forceOff: p.force_off ?? true } as const;
  const vm = p.vm === undefined ? host : String(p.vm);
  // The VM name goes into virsh's commands, and into a command driver's as {{vm}} (a qm VMID is checked below).
  if (p.vm !== undefined && d !== 'qm') ctx.checkValue(where('vm'), 'vm-name', vm);
  if (p.uri !== undefined && d === 'virsh') ctx.checkValue(where('uri'), 'uri', p.uri);
  switch (d) {
    case 'none':
      return { driver: 'none' };
    case 'virsh':
    case 'qm': {
      const hypervisor = knownHypervisor(ctx, host, p.hypervisor, where('hypervisor'), d);
      if (d === 'qm' && !/^\d+$/.test(vm)) {
        ctx.error(ctx.at(p.vm === undefined ? ['hosts', host] : where('vm'), { key: p.vm === undefined }), `host '${host}' uses power driver 'qm', which needs power.vm: the numeric VMID (got '${vm}')`);
      }
      if (d === 'qm') return { driver: 'qm', hypervisor, vm, ...common };
      return { driver: 'virsh', hypervisor, vm, ...(p.uri === undefined ? {} : { uri: p.uri }), ...common };
    }
    case 'command': {
      if (p.on === undefined) ctx.error(ctx.at(own ? ownPath : ['hosts', host], { key: true }), `host '${host}' uses power driver 'command', which needs power.on`);
      if (common.shutdown === 'hypervisor' && p.off === undefined) {
        ctx.error(ctx.at(where('shutdown')), `host '${host}' has power.shutdown 'hypervisor' but no power.off command to run`);
      }
      const via = p.via ?? 'local';
      if (via !== 'local') knownHypervisor(ctx, host, via, where('via'), 'command');
      return {
        driver: 'command', via, vm, on: p.on ?? '',
        ...(p.off === undefined ? {} : { off: p.off }),
        ...(p.kill === undefined ? {} : { kill: p.kill }),
        ...(p.status === undefined ? {} : { status: p.status }),
        ...common,
      };
    }
  }
}

function knownHypervisor(ctx: ResolveContext, host: string, name: string | undefined, p: DataPath, driver: string): string {
  if (name === undefined) {
    ctx.error(ctx.at(['hosts', host], { key: true }), `host '${host}' uses power driver '${driver}', which needs power.hypervisor (one of: ${[...ctx.written.hypervisors].join(', ') || 'none defined under hypervisors'})`);
    return '';
  }
  if (!ctx.written.hypervisors.has(name)) {
    ctx.error(ctx.at(p), `unknown hypervisor '${name}'${didYouMean(name, ctx.written.hypervisors)}`);
  }
  return name;
}
