/**
 * The services a host runs, as its roles' service steps declare them (every phase: up, down,
 * failover, failback), rendered with the host's variables and keyed by manager and target, as
 * world.ts's `unitsOf` derives units from `*_unit` variables. Steps of one service complete each
 * other: the stop step may give the kill_pidfile, the start step the command and health check.
 * Pure.
 */
import { initScript } from '../../services/index.js';
import { hostVars, renderService, type Host, type ServiceManager, type ServiceSpec, type Topology } from '../../topology/index.js';
import { tokenize } from '../shell-parse.js';

/** The port (and path) a declared health check probes: the simulated daemon serves it once ready. */
export type HealthPort =
  | { readonly kind: 'http'; readonly port: number; readonly path: string }
  | { readonly kind: 'tcp'; readonly port: number };

export interface ServiceDecl {
  /** `systemd:acd-api`, `initd:/etc/init.d/srs`, `daemontools:/service/acd-tel`, `pidfile:/run/gortc.pid`. */
  readonly key: string;
  readonly manager: ServiceManager;
  /** The unit (without .service), the init script's path, the service directory, the pidfile. */
  readonly target: string;
  /** How its messages name it: the unit, the script's or directory's base name, the pidfile's. */
  readonly name: string;
  /** The first role declaring it. */
  readonly role: string;
  /** Where the daemon writes its pid: initd kill_pidfile or /var/run/NAME.pid; the pidfile service's file. */
  readonly pidfile?: string;
  /** pidfile: the start command's words. */
  readonly command?: readonly string[];
  readonly health?: HealthPort;
}

const PHASES = ['up', 'down', 'failover', 'failback'] as const;

const baseName = (path: string): string => path.replace(/\/+$/, '').replace(/^.*\//, '');

/** The words of a command line, or undefined when it is not a plain command. */
export function commandWords(line: string): string[] | undefined {
  const tokens = tokenize(line);
  if (typeof tokens === 'string' || tokens.some((t) => !('word' in t))) return undefined;
  return tokens.flatMap((t) => ('word' in t ? [t.word] : []));
}

function target(s: ServiceSpec): string {
  if (s.manager === 'systemd') return s.target.replace(/\.service$/, '');
  if (s.manager === 'initd') return initScript(s.target);
  return s.manager === 'daemontools' ? s.target.replace(/\/+$/, '') : s.target;
}

function healthPort(s: ServiceSpec): HealthPort | undefined {
  const probe = s.health?.probe;
  if (probe?.kind === 'tcp' && /^\d+$/.test(probe.port)) return { kind: 'tcp', port: Number(probe.port) };
  if (probe?.kind !== 'http') return undefined;
  const url = /^(https?):\/\/[^/:]+(?::(\d+))?(\/[^?#]*)?/.exec(probe.url);
  if (!url) return undefined;
  return { kind: 'http', port: Number(url[2] ?? (url[1] === 'https' ? 443 : 80)), path: url[3] ?? '/' };
}

/** One step's declaration. */
function declOf(s: ServiceSpec, role: string): ServiceDecl {
  const t = target(s);
  const name = s.manager === 'pidfile' ? baseName(t).replace(/\.pid$/, '') : baseName(t);
  const pidfile = s.manager === 'pidfile' ? t : s.manager === 'initd' ? s.killPidfile : undefined;
  const command = s.command === undefined ? undefined : commandWords(s.command);
  const health = healthPort(s);
  return {
    key: `${s.manager}:${t}`, manager: s.manager, target: t, name, role,
    ...(pidfile === undefined ? {} : { pidfile }), ...(command ? { command } : {}), ...(health ? { health } : {}),
  };
}

/** Fills what `a` lacks from `b` (the same service declared by another step). */
function merge(a: ServiceDecl, b: ServiceDecl): ServiceDecl {
  return { ...b, ...a };
}

/** Every service the host's roles declare, in the order first declared. */
export function servicesOf(topology: Topology, host: Host): ServiceDecl[] {
  const found = new Map<string, ServiceDecl>();
  for (const roleName of host.roles) {
    const role = topology.roles.get(roleName);
    if (!role) continue;
    const vars = hostVars(topology, host, role);
    for (const phase of PHASES) {
      for (const step of role[phase].steps) {
        if (!step.service) continue;
        const decl = declOf(renderService(step.service, vars), roleName);
        const had = found.get(decl.key);
        found.set(decl.key, had ? merge(had, decl) : decl);
      }
    }
  }
  return [...found.values()].map((d) => (d.manager === 'initd' && d.pidfile === undefined ? { ...d, pidfile: `/var/run/${d.name}.pid` } : d));
}

/** Does a fault's NAME name this service (a part of its target)? */
export const names = (decl: ServiceDecl, match: string): boolean => decl.target.includes(match);
