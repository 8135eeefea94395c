/**
 * How the simulated fleet behaves: durations (scaled by `time_scale`), warm or cold start, and
 * faults per host, from a fleet file and/or `--fault HOST:FAULT[=ARG]` flags.
 */
import { z } from 'zod';
import { DurationSchema } from '../topology/index.js';
import { parseDuration } from '../util/duration.js';

/**
 * Faults a host can be given.
 * - `never-boots`: powered on, it never answers SSH.
 * - `slow-boot=DURATION`: takes this long to boot.
 * - `auth-refused`: SSH refuses every key.
 * - `hang=TEXT`: commands containing TEXT never finish (until killed).
 * - `shutdown-hangs`: a graceful shutdown never completes; only a forced power-off ends it.
 * - `unhealthy=TEXT`: commands containing TEXT fail (exit 1) every time: a check that stays red.
 * - `drop=TEXT`: the connection drops in the middle of commands containing TEXT.
 * - `drbd-peer-unreachable`: the DRBD link to this node's peer is down (WFConnection).
 * - `replication-broken`: this replica's SQL thread stopped with an error.
 * - `pcs-failed-action[=RESOURCE]`: the resource's start fails once and stays failed until `pcs resource cleanup`.
 * - `degraded`: boots `degraded` (a unit failed).
 * - `service-stuck=NAME`: the declared service whose target (unit, init script, service directory
 *   or pidfile) contains NAME ignores QUIT, INT and TERM; only KILL ends it.
 * - `service-crashes=NAME[:N]`: the first N starts (default 2) of that service die shortly after
 *   starting, before it is ready.
 */
export type Fault =
  | { readonly kind: 'never-boots' }
  | { readonly kind: 'slow-boot'; readonly ms: number }
  | { readonly kind: 'auth-refused' }
  | { readonly kind: 'hang'; readonly match: string }
  | { readonly kind: 'shutdown-hangs' }
  | { readonly kind: 'unhealthy'; readonly match: string }
  | { readonly kind: 'drop'; readonly match: string }
  | { readonly kind: 'drbd-peer-unreachable' }
  | { readonly kind: 'replication-broken' }
  | { readonly kind: 'pcs-failed-action'; readonly resource?: string }
  | { readonly kind: 'degraded' }
  | { readonly kind: 'service-stuck'; readonly match: string }
  | { readonly kind: 'service-crashes'; readonly match: string; readonly times: number };

export type FaultKind = Fault['kind'];

const WITH_TEXT = new Set(['hang', 'unhealthy', 'drop']);
export const FAULT_KINDS: readonly FaultKind[] = ['never-boots', 'slow-boot', 'auth-refused', 'hang', 'shutdown-hangs', 'unhealthy', 'drop', 'drbd-peer-unreachable', 'replication-broken', 'pcs-failed-action', 'degraded',
  'service-stuck', 'service-crashes'];

/** `hang=systemctl start mysqld` → a Fault, or an error message. */
export function parseFault(text: string): Fault | string {
  const eq = text.indexOf('=');
  const kind = (eq < 0 ? text : text.slice(0, eq)).trim();
  const arg = eq < 0 ? undefined : text.slice(eq + 1).trim();
  if (!(FAULT_KINDS as readonly string[]).includes(kind)) return `unknown fault '${kind}' (one of ${FAULT_KINDS.join(', ')})`;
  if (WITH_TEXT.has(kind)) {
    if (!arg) return `fault '${kind}' needs the text of the commands it applies to: ${kind}=TEXT`;
    return { kind: kind as 'hang' | 'unhealthy' | 'drop', match: arg };
  }
  if (kind === 'slow-boot') {
    const ms = arg === undefined ? undefined : parseDuration(arg);
    return ms === undefined ? `fault 'slow-boot' needs a duration: slow-boot=90s` : { kind, ms };
  }
  if (kind === 'pcs-failed-action') return arg ? { kind, resource: arg } : { kind };
  if (kind === 'service-stuck') return arg ? { kind, match: arg } : `fault 'service-stuck' needs the service: service-stuck=NAME`;
  if (kind === 'service-crashes') {
    const m = /^(.+?)(?::(\d+))?$/.exec(arg ?? '');
    return m ? { kind, match: m[1] ?? '', times: m[2] === undefined ? 2 : Number(m[2]) } : `fault 'service-crashes' needs the service: service-crashes=NAME[:N]`;
  }
  if (arg !== undefined) return `fault '${kind}' takes no value`;
  return { kind: kind as 'never-boots' | 'auth-refused' | 'shutdown-hangs' | 'drbd-peer-unreachable' | 'replication-broken' | 'degraded' };
}

/** Simulated durations, in milliseconds before scaling. */
export interface Timings {
  /** Power on until SSH answers. */
  readonly bootMs: number;
  /** SSH answers until `is-system-running` says running. */
  readonly settleMs: number;
  /** Graceful shutdown until off. */
  readonly shutdownMs: number;
  /** `systemctl start` of a unit. */
  readonly unitStartMs: number;
  /** JBoss deploys its applications after it started (HTTP answers then). */
  readonly deployMs: number;
  /** MySQL replica reconnect interval (Connect_Retry). */
  readonly connectRetryMs: number;
  /** DRBD resync of what one node missed. */
  readonly resyncMs: number;
  /** pcs resources from Stopped to Started. */
  readonly resourceStartMs: number;
}

export const DEFAULT_TIMINGS: Timings = {
  bootMs: 20_000, settleMs: 3000, shutdownMs: 8000, unitStartMs: 1500, deployMs: 10_000,
  connectRetryMs: 60_000, resyncMs: 30_000, resourceStartMs: 2000,
};

/**
 * A delay before every command a simulated host runs: `ms`, give or take up to `jitterMs`
 * (uniformly). Simulated time, like every fleet duration: multiplied by the time scale.
 */
export interface Latency {
  readonly ms: number;
  readonly jitterMs: number;
}

/** `200ms±100ms`, `200ms+-100ms`, `1s` (no jitter), `0`: a Latency, or what is wrong with it. */
export function parseLatency(text: string): Latency | string {
  const [base = '', jitter, ...more] = text.trim().split(/\s*(?:±|\+-|\+\/-)\s*/);
  const ms = base === '0' ? 0 : parseDuration(base);
  const jitterMs = jitter === undefined ? 0 : jitter === '0' ? 0 : parseDuration(jitter);
  if (ms === undefined || jitterMs === undefined || more.length > 0) return `latency '${text}': expected a duration with an optional jitter, e.g. 200ms±100ms or 200ms+-100ms`;
  if (jitterMs > ms) return `latency '${text}': the jitter (${jitterMs} ms) is larger than the latency (${ms} ms), which would make delays negative`;
  return { ms, jitterMs };
}

/** One command's delay in simulated ms: uniform in [ms − jitter, ms + jitter]; `random` gives [0, 1), like Math.random. */
export function commandDelay(latency: Latency, random: () => number): number {
  return latency.ms + (2 * random() - 1) * latency.jitterMs;
}

const LatencySchema = z.string().refine((s) => typeof parseLatency(s) !== 'string', { message: 'expected a latency such as 200ms±100ms (or 200ms+-100ms, or 200ms)' });

const duration = DurationSchema;
const timings = z.strictObject({
  boot: duration.optional(), settle: duration.optional(), shutdown: duration.optional(), unit_start: duration.optional(),
  deploy: duration.optional(), connect_retry: duration.optional(), resync: duration.optional(), resource_start: duration.optional(),
});

export const FleetFileSchema = z.strictObject({
  time_scale: z.number().positive().optional().describe('Multiplies every simulated duration. @default 1'),
  warm: z.boolean().optional().describe('Start with every VM running. @default false'),
  latency: LatencySchema.optional().describe('A delay before every command of every simulated host, e.g. 200ms±100ms (simulated time). @default 0'),
  defaults: timings.optional(),
  hosts: z.record(z.string(), timings.extend({
    faults: z.array(z.string()).optional(),
    latency: LatencySchema.optional().describe('This host\'s command latency, instead of the fleet\'s.'),
  })).optional(),
});

export type FleetFile = z.infer<typeof FleetFileSchema>;

export interface HostBehaviour {
  readonly timings: Timings;
  readonly faults: readonly Fault[];
  /** The delay before each of its commands. @default none */
  readonly latency?: Latency;
}

/** Timings of `defaults` and of a host entry, over the built-in defaults. */
export function resolveTimings(...layers: (z.infer<typeof timings> | undefined)[]): Timings {
  const ms = (key: keyof z.infer<typeof timings>, fallback: number): number => {
    for (const l of [...layers].reverse()) {
      const v = l?.[key];
      if (v !== undefined) return parseDuration(v) ?? fallback;
    }
    return fallback;
  };
  const d = DEFAULT_TIMINGS;
  return {
    bootMs: ms('boot', d.bootMs), settleMs: ms('settle', d.settleMs), shutdownMs: ms('shutdown', d.shutdownMs),
    unitStartMs: ms('unit_start', d.unitStartMs), deployMs: ms('deploy', d.deployMs), connectRetryMs: ms('connect_retry', d.connectRetryMs),
    resyncMs: ms('resync', d.resyncMs), resourceStartMs: ms('resource_start', d.resourceStartMs),
  };
}
