/**
 * The human reporter: one line per event, with elapsed time, host and duration; the failure
 * summary at the end. Plain text that reads the same in a terminal and in a CI log.
 */
import type { Failure, RunEvent, RunEventType } from '../events/index.js';
import { formatDuration } from '../util/duration.js';
import { LongSteps, REAL_TIMERS, type LongGroup, type Timers } from './long-steps.js';
import { NO_COLOURS, type Style } from './style.js';

export interface HumanOptions {
  readonly write: (line: string) => void;
  readonly style?: Style;
  /** Also print step output and every check attempt. */
  readonly verbose?: boolean;
  /** Say when steps run long (grouped: one line for all hosts crossing the threshold together). The live view turns it off. @default true */
  readonly longSteps?: boolean;
  /** @default real time */
  readonly timers?: Timers;
}

type Formatter<T extends RunEventType> = (e: Extract<RunEvent, { type: T }>) => string | undefined;
type Formatters = { readonly [T in RunEventType]: Formatter<T> };

/** Waits that usually take a while get a line when they start. */
const ANNOUNCED = new Set(['wait-boot', 'wait-off', 'force-off']);
/** Steps whose command is shown when they finish (checks and polls show what they observed). */
const SHOW_COMMAND = new Set(['power-on', 'shutdown', 'force-off', 'run']);
/** In a dry run, what decides whether a step really runs. */
const DRY_RUN_NOTES: Partial<Record<string, string>> = {
  'power-state': 'a host already in the target state is skipped',
  'power-on': 'unless already running',
  'wait-boot': 'polled until running or degraded',
  'wait-off': 'polled until off',
  'force-off': 'only if it is not off in time',
};

export class HumanReporter {
  readonly #o: HumanOptions;
  readonly #s: Style;
  #hostWidth = 8;
  #dryRun = false;
  #action = 'up';
  /** Health checks passed since the last line about them (failures get their own lines). */
  #healthPassed = 0;
  readonly #formatters: Formatters;
  readonly #long = new LongSteps();
  readonly #t: Timers;
  #timer: unknown;
  /** When the timer is due (Infinity when none is set). */
  #due = Infinity;
  /** Lines of the steps a cancel stopped, for the summary. */
  readonly #stopped: string[] = [];

  constructor(options: HumanOptions) {
    this.#o = options;
    this.#s = options.style ?? NO_COLOURS;
    this.#t = options.timers ?? REAL_TIMERS;
    const s = this.#s;
    this.#formatters = {
      'run-started': (e) => {
        this.#dryRun = e.dryRun;
        this.#action = e.action;
        const hosts = e.waves.flat();
        this.#hostWidth = Math.max(8, ...hosts.map((h) => h.length));
        const dry = e.dryRun ? ` ${s.yellow('(dry run: nothing is run)')}` : '';
        const side = e.side === undefined ? '' : `side ${e.side}, `;
        return `${s.bold(`${e.action} ${e.topology}`)} (${e.file}): ${side}${hosts.length} host${hosts.length === 1 ? '' : 's'} in ${e.waves.length} wave${e.waves.length === 1 ? '' : 's'}${dry}`;
      },
      phase: (e) => this.#withHealth(s.cyan(`${e.phase}: ${e.description}`)),
      health: (e) => {
        if (e.ok) this.#healthPassed++;
        if (e.ok) return this.#o.verbose ? this.#line(e.host ?? '', 'ok', `${e.check}: ${e.observed}`, s.green) : undefined;
        return this.#line(e.host ?? '', 'FAIL', `${e.check}: ${e.observed}`, s.red);
      },
      probe: (e) => this.#line(e.host ?? '', e.ok ? 'ok' : 'DOWN', `probe "${e.probe}" ${e.ok ? 'passes' : `fails: ${e.observed}`}`, e.ok ? s.green : s.red),
      continuity: (e) => this.#withHealth(e.probes.map((p) => {
        const line = `continuity "${p.name}": ${(p.availability * 100).toFixed(1)}% of ${p.attempts} probes passed, longest gap ${formatDuration(p.longestGapMs)}`;
        return p.passed === p.attempts ? s.green(line) : s.red(`${line}; last failure: ${p.lastFailure ?? '?'}`);
      }).join('\n')),
      'wave-started': (e) => s.cyan(`wave ${e.wave}: ${e.hosts.join(', ')}`),
      'wave-finished': (e) => (e.status === 'done' ? undefined : s.dim(`wave ${e.wave} ${e.status}`)),
      'host-started': () => undefined,
      'host-powered': () => undefined,
      'host-finished': (e) => this.#hostFinished(e),
      'step-started': (e) => {
        const where = e.target === e.host ? '' : s.dim(` (on ${e.target})`);
        if (this.#dryRun) {
          const notes = [e.target === e.host ? undefined : `on ${e.target}`, DRY_RUN_NOTES[e.kind]].filter((n) => n !== undefined);
          return this.#line(e.host, 'plan', `${label(e)}${e.command === undefined ? '' : `: ${e.command}`}${notes.length > 0 ? s.dim(` (${notes.join('; ')})`) : ''}`, s.dim);
        }
        this.#watch(e);
        if (!ANNOUNCED.has(e.kind)) return undefined;
        return this.#line(e.host, '...', `${label(e)}${where}`, s.dim);
      },
      'step-output': (e) => (this.#o.verbose ? this.#line(e.host, e.stream === 'stderr' ? 'err' : 'out', e.text.replace(/\n$/, ''), s.dim) : undefined),
      'step-finished': (e) => this.#stepFinished(e),
      'check-attempt': (e) => (this.#o.verbose ? this.#line(e.host, `${e.attempt}/${e.attempts}`, s.dim(`${e.step.split('/').slice(1).join('/')}: ${e.observed}`), s.dim) : undefined),
      warning: (e) => this.#line(e.host ?? '', 'WARN', e.message, s.yellow),
      'run-finished': (e) => this.#summary(e),
    };
  }

  onEvent(e: RunEvent): void {
    const text = (this.#formatters[e.type] as Formatter<typeof e.type>)(e as never);
    if (text === undefined) return;
    const bare = e.type === 'run-started' || e.type === 'run-finished' || e.type === 'continuity';
    const stamp = this.#s.dim(`[${elapsed(e.elapsedMs)}]`);
    this.#o.write(bare ? text : text.split('\n').map((l) => `${stamp} ${l}`).join('\n'));
  }

  /** Stops the timers of steps that never finished (a replayed journal that ends mid-run). */
  dispose(): void {
    this.#unwatch();
  }

  /** Says how many health checks passed before `text`, once they are done. */
  #withHealth(text: string): string {
    const n = this.#healthPassed;
    this.#healthPassed = 0;
    return n === 0 ? text : `${this.#s.green(`${n} health check${n === 1 ? '' : 's'} passed`)}\n${text}`;
  }

  /** `host tag text`, the tag padded before it is coloured so columns line up either way. */
  #line(host: string, tag: string, text: string, colour: (s: string) => string = (x) => x): string {
    return `${host.padEnd(this.#hostWidth)} ${colour(tag.padEnd(4))} ${text}`;
  }

  /** Tracks a step, so a slow one never looks like a hang (one line per group of hosts, long-steps.ts). */
  #watch(e: Extract<RunEvent, { type: 'step-started' }>): void {
    if (this.#o.longSteps === false) return;
    const at = this.#long.start(e.step, { host: e.host, label: label(e), command: SHOW_COMMAND.has(e.kind) ? e.command : undefined, at: this.#t.now() });
    if (this.#timer === undefined || at < this.#due) this.#arm(at);
  }

  /** A finished step leaves the timer as it is (it may wake early, then sleeps on): no O(steps) work per event. */
  #unwatch(step?: string): void {
    if (step !== undefined) this.#long.finish(step);
    else this.#long.clear();
    if (this.#long.size === 0) this.#arm(undefined);
  }

  /** One timer for all steps, due at or before the next threshold (plus the grouping window); cleared when nothing runs. */
  #arm(at: number | undefined): void {
    if (this.#timer !== undefined) this.#t.clearTimeout(this.#timer);
    this.#due = at ?? Infinity;
    this.#timer = at === undefined ? undefined : this.#t.setTimeout(() => {
      this.#timer = undefined;
      const wake = this.#long.wakeAt();
      if (wake !== undefined && wake > this.#t.now()) return this.#arm(wake);
      for (const g of this.#long.due(this.#t.now())) this.#o.write(`${this.#s.dim(`[${' '.repeat(7)}]`)} ${this.#longLine(g)}`);
      this.#arm(this.#long.wakeAt());
    }, Math.max(0, at - this.#t.now()));
  }

  #longLine(g: LongGroup): string {
    const what = g.command === undefined ? '' : `: ${g.command}`;
    const after = `still running after ${formatDuration(g.afterMs)}`;
    const [only] = g.hosts;
    if (g.hosts.length === 1 && only !== undefined) return this.#line(only, '...', `${g.label}${what} ${after}`, this.#s.dim);
    return this.#line(`${g.hosts.length} hosts`, '...', `${g.label}${what} ${after}: ${g.hosts.join(', ')}`, this.#s.dim);
  }

  #stepFinished(e: Extract<RunEvent, { type: 'step-finished' }>): string | undefined {
    this.#unwatch(e.step);
    const s = this.#s;
    const took = s.dim(` (${formatDuration(e.durationMs)})`);
    switch (e.status) {
      case 'planned':
        return undefined; // a dry run printed the command when the step started
      case 'skipped':
        return e.message === 'not needed' ? undefined : this.#line(e.host, 'skip', `${label(e)}: ${e.message ?? 'not needed'}`, s.dim);
      case 'passed': {
        const detail = e.message ?? (e.command !== undefined && SHOW_COMMAND.has(e.kind) ? e.command : undefined);
        return this.#line(e.host, 'ok', `${label(e)}${detail === undefined ? '' : `: ${detail}`}${took}`, s.green);
      }
      case 'cancelled':
        this.#stopped.push(`  ${s.yellow(e.host)}: ${e.name} stopped: ${e.message ?? 'cancelled'}${e.command === undefined ? '' : ` (${e.command})`}`);
        return this.#line(e.host, 'stop', `${label(e)}: ${e.message ?? 'cancelled'}${took}`, s.yellow);
      case 'failed':
      case 'timed-out':
        return this.#line(e.host, 'FAIL', `${label(e)}: ${e.message ?? e.status}${took}`, s.red);
    }
  }

  #hostFinished(e: Extract<RunEvent, { type: 'host-finished' }>): string {
    const s = this.#s;
    const took = s.dim(` in ${formatDuration(e.durationMs)}`);
    const reason = e.reason === undefined ? '' : `: ${e.reason}`;
    switch (e.status) {
      case 'up':
      case 'down':
        return this.#line(e.host, e.status.toUpperCase(), s.dim(`in ${formatDuration(e.durationMs)}`), (x) => s.green(s.bold(x)));
      case 'already-up':
      case 'already-down':
        return this.#line(e.host, 'ok', `${e.status.replace('-', ' ')}, nothing to do${took}`, s.green);
      case 'planned':
        return this.#line(e.host, 'plan', `would be ${this.#action === 'failover' ? 'down' : this.#action === 'failback' ? 'up' : this.#action}`, s.dim);
      case 'failed':
        return this.#line(e.host, 'FAIL', `failed${reason}${took}`, (x) => s.red(s.bold(x)));
      default:
        return this.#line(e.host, 'stop', `${e.status.replace('-', ' ')}${reason}`, s.yellow);
    }
  }

  #summary(e: Extract<RunEvent, { type: 'run-finished' }>): string {
    this.#unwatch();
    const health = this.#withHealth('');
    const s = this.#s;
    const counts = new Map<string, number>();
    for (const status of Object.values(e.hosts)) counts.set(status, (counts.get(status) ?? 0) + 1);
    const tally = [...counts].map(([k, n]) => `${n} ${k.replace('-', ' ')}`).join(', ');
    if (e.status === 'refused') {
      const lines = [`${this.#action}: ${s.red(s.bold('REFUSED'))}: nothing was changed. Failed checks:`];
      for (const f of e.failures) lines.push(`  ${s.red(f.name)}${f.host === '' ? '' : ` (${f.host})`}: ${f.reason}`);
      return lines.join('\n');
    }
    const head = e.status === 'succeeded' ? s.green(s.bold(this.#dryRun ? 'dry run complete' : 'succeeded')) : e.status === 'failed' ? s.red(s.bold('FAILED'))
      : e.status === 'degraded' ? s.yellow(s.bold('DEGRADED (every required host is up; a quorum gate lost members)'))
      : s.yellow(s.bold('CANCELLED'));
    const lines = [`${this.#action}: ${head} in ${formatDuration(e.durationMs)}: ${tally || 'no hosts'}`];
    if (health !== '') lines.unshift(health.trimEnd());
    for (const f of e.failures) lines.push(...failureLines(f, s));
    // What was running when the run was stopped: host, step and what it had seen by then.
    if (e.status === 'cancelled') lines.push(...this.#stopped);
    return lines.join('\n');
  }
}

/** What the summary says about one failure: host, step, where, command, exit and output. */
export function failureLines(f: Failure, s: Style = NO_COLOURS): string[] {
  const lines = [`  ${s.red(f.host)}: ${f.name} failed on ${f.target}: ${f.reason}`];
  if (f.command !== undefined) lines.push(`    command: ${f.command}`);
  if (f.exitCode !== undefined) lines.push(`    exit code: ${f.exitCode}`);
  if (f.signal !== undefined) lines.push(`    signal: ${f.signal}`);
  if (f.outputTail !== undefined) lines.push(...f.outputTail.split('\n').map((l) => `    | ${l}`));
  return lines;
}

function label(e: { step: string; name: string; kind: string }): string {
  const parts = e.step.split('/');
  return parts.length > 2 ? `${parts[1] ?? ''}/${e.name}` : e.name;
}

function elapsed(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`.padStart(7);
}
