/**
 * The report of a run as data, from its RunEvent stream (live, or read back from a journal):
 * each host's wait and steps with their times, what each host waited on, failures, warnings,
 * health checks and continuity probes, how the run ended. The JUnit and HTML reports are both
 * rendered from it (junit.ts, html-report.ts). Pure: it neither reads nor writes anything, and
 * it works on a cut-short stream (an interrupted run): what was reached is what it reports.
 */
import type { Failure, HostStatus, ProbeSummary, RunEvent, RunEventType, RunStatus, StepStatus } from '../events/index.js';
import type { HostLink } from '../graph/index.js';
import { criticalPath } from './critical-path.js';

/** One step of a host, from step-started to step-finished. */
export interface ReportStep {
  readonly id: string;
  readonly name: string;
  readonly kind: string;
  readonly target: string;
  readonly role?: string;
  readonly command?: string;
  /** ms since the run started. */
  readonly startMs: number;
  /** Undefined while the step had not finished (the run was interrupted in it). */
  endMs?: number;
  status?: StepStatus;
  exitCode?: number;
  signal?: string;
  /** Why it failed or was skipped, or what it observed. */
  message?: string;
  outputTail?: string;
  /** Check attempts and polls that did not pass yet. */
  attempts: number;
  /** The last of them: what was observed. */
  lastObserved?: string;
  /** The step's output as streamed (`--json`, `--verbose`), at most OUTPUT_LIMIT characters: the end is kept. */
  output: string;
}

/** What a host waited for before it started: its links, and which was satisfied last. */
export interface ReportWait {
  readonly links: readonly HostLink[];
  /** The link satisfied last: what the host really waited on (undefined: nothing held it back). */
  readonly on?: HostLink;
}

export interface ReportHost {
  readonly name: string;
  readonly wave: number;
  startMs?: number;
  poweredMs?: number;
  endMs?: number;
  status?: HostStatus;
  reason?: string;
  readonly steps: ReportStep[];
  wait?: ReportWait;
}

export interface ReportHealth {
  readonly check: string;
  readonly host?: string;
  readonly ok: boolean;
  readonly skipped: boolean;
  readonly observed: string;
  readonly durationMs?: number;
  readonly atMs: number;
}

/** How the run ended: its RunStatus, or `interrupted` when the stream has no run-finished. */
export type ReportOutcome = RunStatus | 'interrupted';

export interface RunReport {
  readonly action: string;
  readonly side?: string;
  readonly topology: string;
  readonly file: string;
  readonly dryRun: boolean;
  /** Wall-clock time of the first event, ISO 8601. */
  readonly startedAt: string;
  readonly outcome: ReportOutcome;
  readonly durationMs: number;
  readonly waves: readonly (readonly string[])[];
  /** In wave order, then name order (as run-started lists them), then any other host seen. */
  readonly hosts: readonly ReportHost[];
  readonly failures: readonly Failure[];
  readonly warnings: readonly { readonly host?: string; readonly message: string; readonly atMs: number }[];
  readonly phases: readonly { readonly phase: string; readonly description: string; readonly atMs: number }[];
  readonly health: readonly ReportHealth[];
  readonly probes: readonly ProbeSummary[];
  /** The chain of waits that ended last, first host to last (critical-path.ts). */
  readonly criticalPath: readonly string[];
}

/** What a host waits for in this run (the plan's `waitsFor`); without it no waits are known. */
export type LinksOf = (host: string) => readonly HostLink[];

/** How much streamed output a step keeps for the report. */
export const OUTPUT_LIMIT = 8192;

type Event<T extends RunEventType> = Extract<RunEvent, { type: T }>;
type Handlers = { readonly [T in RunEventType]: (e: Event<T>) => void };

class Builder {
  header?: Event<'run-started'>;
  finished?: Event<'run-finished'>;
  lastMs = 0;
  readonly hosts = new Map<string, ReportHost>();
  readonly steps = new Map<string, ReportStep>();
  readonly warnings: RunReport['warnings'][number][] = [];
  readonly phases: RunReport['phases'][number][] = [];
  readonly health: ReportHealth[] = [];
  probes: readonly ProbeSummary[] = [];

  host(name: string, wave = 0): ReportHost {
    let h = this.hosts.get(name);
    if (!h) {
      h = { name, wave, steps: [] };
      this.hosts.set(name, h);
    }
    return h;
  }

  readonly on: Handlers = {
    'run-started': (e) => {
      this.header = e;
      e.waves.forEach((hosts, i) => hosts.forEach((h) => this.host(h, i + 1)));
    },
    phase: (e) => this.phases.push({ phase: e.phase, description: e.description, atMs: e.elapsedMs }),
    health: (e) => this.health.push({
      check: e.check, ok: e.ok, skipped: e.skipped === true, observed: e.observed, atMs: e.elapsedMs,
      ...(e.host === undefined ? {} : { host: e.host }), ...(e.durationMs === undefined ? {} : { durationMs: e.durationMs }),
    }),
    probe: () => undefined,
    continuity: (e) => (this.probes = e.probes),
    'wave-started': () => undefined,
    'wave-finished': () => undefined,
    'host-started': (e) => (this.host(e.host, e.wave).startMs ??= e.elapsedMs),
    'host-powered': (e) => (this.host(e.host).poweredMs ??= e.elapsedMs),
    'host-finished': (e) => {
      const h = this.host(e.host, e.wave);
      h.endMs = e.elapsedMs;
      h.status = e.status;
      if (e.reason !== undefined) h.reason = e.reason;
    },
    'step-started': (e) => {
      const step: ReportStep = {
        id: e.step, name: e.name, kind: e.kind, target: e.target, startMs: e.elapsedMs, attempts: 0, output: '',
        ...(e.role === undefined ? {} : { role: e.role }), ...(e.command === undefined ? {} : { command: e.command }),
      };
      this.steps.set(e.step, step);
      this.host(e.host).steps.push(step);
    },
    'step-output': (e) => {
      const step = this.steps.get(e.step);
      if (step) step.output = (step.output + e.text).slice(-OUTPUT_LIMIT);
    },
    'step-finished': (e) => {
      const step = this.steps.get(e.step) ?? this.#unstarted(e);
      step.endMs = e.elapsedMs;
      step.status = e.status;
      if (e.exitCode !== undefined) step.exitCode = e.exitCode;
      if (e.signal !== undefined) step.signal = e.signal;
      if (e.message !== undefined) step.message = e.message;
      if (e.outputTail !== undefined) step.outputTail = e.outputTail;
      this.steps.delete(e.step);
    },
    'check-attempt': (e) => {
      const step = this.steps.get(e.step);
      if (!step) return;
      step.attempts++;
      step.lastObserved = e.observed;
    },
    warning: (e) => this.warnings.push({ message: e.message, atMs: e.elapsedMs, ...(e.host === undefined ? {} : { host: e.host }) }),
    'run-finished': (e) => (this.finished = e),
  };

  /** A step-finished without its step-started (a journal cut at its start): placed at its start from its duration. */
  #unstarted(e: Event<'step-finished'>): ReportStep {
    const step: ReportStep = { id: e.step, name: e.name, kind: e.kind, target: e.host, startMs: Math.max(0, e.elapsedMs - e.durationMs), attempts: 0, output: '' };
    this.host(e.host).steps.push(step);
    return step;
  }
}

/** The failures of a run without run-finished: every step that failed or timed out. */
function failedSteps(hosts: readonly ReportHost[]): Failure[] {
  return hosts.flatMap((h) => h.steps.filter((s) => s.status === 'failed' || s.status === 'timed-out').map((s): Failure => ({
    host: h.name, step: s.id, name: s.name, target: s.target, reason: s.message ?? s.status ?? 'failed',
    ...(s.command === undefined ? {} : { command: s.command }), ...(s.exitCode === undefined ? {} : { exitCode: s.exitCode }),
    ...(s.signal === undefined ? {} : { signal: s.signal }), ...(s.outputTail === undefined ? {} : { outputTail: s.outputTail }),
  })));
}

export interface RunReportOptions {
  /** Each host's waits, from the plan (planLinks); without them no waits and no critical path beyond one host. */
  readonly links?: LinksOf | undefined;
  /** What the run was, when its events do not say (`check` emits no run-started). */
  readonly run?: { readonly action: string; readonly topology: string; readonly file: string } | undefined;
  /** How it ended, when its events do not say (`check` emits no run-finished). */
  readonly outcome?: ReportOutcome | undefined;
}

/** The report of the events `events` (in seq order). */
export function runReport(events: readonly RunEvent[], options: RunReportOptions = {}): RunReport {
  const links = options.links;
  const b = new Builder();
  for (const e of events) {
    b.lastMs = Math.max(b.lastMs, e.elapsedMs);
    (b.on[e.type] as (e: RunEvent) => void)(e);
  }
  const hosts = [...b.hosts.values()];
  const ended = (h: ReportHost): number | undefined => h.endMs;
  for (const h of hosts) {
    if (links === undefined || h.startMs === undefined) continue;
    const own = links(h.name);
    const satisfied = (l: HostLink): number => {
      const other = b.hosts.get(l.host);
      return (l.kind === 'after' ? other?.poweredMs ?? other?.endMs : other && ended(other)) ?? -1;
    };
    const on = own.filter((l) => satisfied(l) >= 0).reduce<HostLink | undefined>((best, l) => (best === undefined || satisfied(l) > satisfied(best) ? l : best), undefined);
    h.wait = { links: own, ...(on ? { on } : {}) };
  }
  const first = events[0];
  const head = b.header;
  const fin = b.finished;
  return {
    action: head?.action ?? options.run?.action ?? 'run', topology: head?.topology ?? options.run?.topology ?? '?', file: head?.file ?? options.run?.file ?? '?', dryRun: head?.dryRun === true,
    ...(head?.side === undefined ? {} : { side: head.side }),
    startedAt: first?.time ?? new Date(0).toISOString(),
    outcome: fin?.status ?? options.outcome ?? 'interrupted',
    durationMs: fin?.durationMs ?? b.lastMs,
    waves: head?.waves ?? [],
    hosts,
    failures: fin?.failures ?? failedSteps(hosts),
    warnings: b.warnings, phases: b.phases, health: b.health, probes: b.probes,
    criticalPath: criticalPath(hosts),
  };
}

/** The links of each host of a plan (its `waitsFor`), for runReport. */
export function planLinks(plan: { readonly hosts: readonly { readonly name: string; readonly waitsFor: readonly HostLink[] }[] }): LinksOf {
  const map = new Map(plan.hosts.map((h) => [h.name, h.waitsFor]));
  return (host) => map.get(host) ?? [];
}
