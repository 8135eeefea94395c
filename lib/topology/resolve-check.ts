/**
 * Checks and service steps as written (one kind per check, one manager per service) turned into
 * CheckSpec and ServiceSpec, with every misuse reported where it was written. Pure.
 */
import { parseDuration } from '../util/duration.js';
import { checkLiterals, probeValues, serviceValues } from './command-values.js';
import type { CheckProbe, CheckSpec, ServiceManager, ServiceSpec, SourceLocation } from './model.js';
import { CHECK_KINDS, SERVICE_MANAGERS, type RawCheck, type RawHealth, type RawService } from './schema.js';
import type { DataPath } from './source.js';

/**
 * Check defaults: 10 attempts 1 s apart (the Flashphoner WCS convention). The timeout of each
 * attempt is the host's `timeouts.check` (10 s) unless the check sets one: a 1 s timeout failed
 * healthy hosts on a loaded controller.
 */
export const CHECK_DEFAULTS = { attempts: 10, intervalMs: 1000, successes: 1 } as const;
export const SERVICE_DEFAULTS = { graceMs: 30_000, windowMs: 120_000, signal: 'QUIT', graceful: 'stop' } as const;

/** Where to report: a path below the check or service being resolved. */
export type Reporter = (path: DataPath, message: string) => void;
type Where = (path: DataPath) => SourceLocation;

const ms = (text: string | undefined): number | undefined => (text === undefined ? undefined : parseDuration(text));

export function validRegex(text: string): boolean {
  try {
    new RegExp(text);
    return true;
  } catch {
    return false;
  }
}

/** The one kind a check names, or undefined (reported) when it names none or several. */
function probeOf(raw: RawCheck | RawHealth, report: Reporter): CheckProbe | undefined {
  const kinds = CHECK_KINDS.filter((k) => raw[k] !== undefined);
  if (kinds.length !== 1) {
    report([], kinds.length === 0
      ? `a check needs one of: ${CHECK_KINDS.join(', ')}`
      : `a check has one kind, this one has ${kinds.join(' and ')}`);
    return undefined;
  }
  if (kinds[0] !== 'run') {
    if (raw.expect !== undefined) report(['expect'], 'expect applies to `run` checks only (http has `body`)');
    if (raw.exit !== undefined) report(['exit'], 'exit applies to `run` checks only');
  }
  const regex = (path: DataPath, value: string | undefined): void => {
    if (value !== undefined && !validRegex(value)) report(path, `${String(path.at(-1))} is not a valid regular expression: ${JSON.stringify(value)}`);
  };
  if (raw.run !== undefined) {
    regex(['expect'], raw.expect);
    return { kind: 'command', run: raw.run, exit: raw.exit ?? 0, ...(raw.expect === undefined ? {} : { expect: raw.expect }) };
  }
  if (raw.http) {
    const h = raw.http;
    regex(['http', 'body'], h.body);
    return {
      kind: 'http', url: h.url, method: h.method ?? 'GET', status: h.status ?? 200, ...(h.body === undefined ? {} : { body: h.body }),
      headers: h.headers ?? {}, tlsVerify: h.tls_verify ?? true,
    };
  }
  if (raw.tcp) return { kind: 'tcp', ...(raw.tcp.host === undefined ? {} : { host: raw.tcp.host }), port: String(raw.tcp.port) };
  if (raw.systemd !== undefined) return { kind: 'systemd', unit: raw.systemd };
  if (raw['mysql-replication']) return { kind: 'mysql-replication', maxLag: raw['mysql-replication'].max_lag ?? 30, client: raw['mysql-replication'].client ?? 'mysql' };
  if (raw['mysql-writable']) return { kind: 'mysql-writable', client: raw['mysql-writable'].client ?? 'mysql' };
  if (raw.mount) return { kind: 'mount', path: raw.mount.path, ...(raw.mount.remedy === undefined ? {} : { remedy: raw.mount.remedy }) };
  if (raw.drbd) {
    const d = raw.drbd;
    return {
      kind: 'drbd', resource: d.resource, minor: d.minor ?? 0, version: d.version ?? '8.4',
      connection: d.connection ?? 'Connected', ...(d.role === undefined ? {} : { role: d.role }), disk: d.disk ?? 'UpToDate/UpToDate',
    };
  }
  if (raw.pcs) return { kind: 'pcs', resources: raw.pcs.resources ?? [] };
  const hz = raw.hazelcast ?? {};
  return { kind: 'hazelcast', url: hz.url ?? 'http://127.0.0.1:5701/hazelcast/health', members: hz.members ?? 'auto', memberRoles: hz.member_roles ?? ['telephony', 'web'] };
}

/** A check; undefined when it cannot be used (reported). */
export function resolveCheck(raw: RawCheck | RawHealth, name: string, where: Where, path: DataPath, report: Reporter): CheckSpec | undefined {
  const probe = probeOf(raw, (p, m) => report([...path, ...p], m));
  if (!probe) return undefined;
  checkLiterals(probeValues(probe), path, report);
  const deadlineMs = ms(raw.deadline);
  const timeoutMs = ms(raw.timeout);
  const kindKey = probe.kind === 'command' ? 'run' : probe.kind;
  return {
    name,
    probe,
    local: raw.local ?? false,
    attempts: raw.attempts ?? CHECK_DEFAULTS.attempts,
    intervalMs: ms(raw.interval) ?? CHECK_DEFAULTS.intervalMs,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    ...(deadlineMs === undefined ? {} : { deadlineMs }),
    successes: raw.successes ?? CHECK_DEFAULTS.successes,
    at: where([...path, kindKey]),
  };
}

/** The actions each service manager knows (initd: any verb of its script). */
export const SERVICE_ACTIONS: Readonly<Record<ServiceManager, readonly string[] | undefined>> = {
  systemd: ['start', 'stop', 'restart', 'reload', 'status'],
  initd: undefined,
  daemontools: ['start', 'stop', 'restart', 'reload', 'status', 'once', 'kill', 'enable', 'disable'],
  pidfile: ['start', 'stop', 'restart', 'reload', 'status', 'reopen'],
};

/** Whether the keys that belong to one manager are used with that manager only (reported where not). */
function ownKeysOnly(raw: RawService, manager: ServiceManager, path: DataPath, report: Reporter): boolean {
  let ok = true;
  for (const [key, owner] of [['signal', 'pidfile'], ['command', 'pidfile'], ['graceful', 'initd'], ['kill_pidfile', 'initd']] as const) {
    if (raw[key] !== undefined && manager !== owner) {
      report([...path, key], `${key} applies to ${owner} services only`);
      ok = false;
    }
  }
  return ok;
}

/** A service step; undefined when it cannot be used (reported). */
export function resolveService(raw: RawService, where: Where, path: DataPath, report: Reporter): ServiceSpec | undefined {
  const managers = SERVICE_MANAGERS.filter((m) => raw[m] !== undefined);
  if (managers.length !== 1) {
    report(path, managers.length === 0 ? `a service names its manager: one of ${SERVICE_MANAGERS.join(', ')}` : `a service has one manager, this one has ${managers.join(' and ')}`);
    return undefined;
  }
  const manager = managers[0] as ServiceManager;
  const allowed = SERVICE_ACTIONS[manager];
  let ok = true;
  if (allowed && !allowed.includes(raw.action)) {
    report([...path, 'action'], `${manager} services know the actions ${allowed.join(', ')}, not '${raw.action}'`);
    ok = false;
  }
  if (manager === 'initd' && !/^[a-z][a-z0-9_-]*$/i.test(raw.action)) {
    report([...path, 'action'], `an init script verb is one word, not '${raw.action}'`);
    ok = false;
  }
  if (!ownKeysOnly(raw, manager, path, report)) ok = false;
  if (manager === 'pidfile' && (raw.action === 'start' || raw.action === 'restart') && raw.command === undefined) {
    report([...path, 'action'], `a pidfile service needs \`command\` (how the daemon is started) to ${raw.action}`);
    ok = false;
  }
  const health = raw.health ? resolveCheck(raw.health, raw.health.name ?? 'health', where, [...path, 'health'], report) : undefined;
  if (raw.health && !health) ok = false;
  if (!ok) return undefined;
  const service: ServiceSpec = {
    manager,
    target: raw[manager] ?? '',
    action: raw.action,
    ...(health ? { health } : {}),
    restart: { attempts: raw.restart?.attempts ?? 1, windowMs: ms(raw.restart?.window) ?? SERVICE_DEFAULTS.windowMs },
    graceMs: ms(raw.grace) ?? SERVICE_DEFAULTS.graceMs,
    graceful: raw.graceful ?? SERVICE_DEFAULTS.graceful,
    signal: raw.signal ?? SERVICE_DEFAULTS.signal,
    ...(raw.command === undefined ? {} : { command: raw.command }),
    ...(raw.kill_pidfile === undefined ? {} : { killPidfile: raw.kill_pidfile }),
  };
  // The health check's values were checked with it.
  checkLiterals(serviceValues(service).filter((v) => v.path[0] !== 'health'), path, report);
  return service;
}
