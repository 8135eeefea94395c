/**
 * The human reporter: one line per event, with elapsed time, host and duration; the failure
 * summary at the end. Plain text that reads the same in a terminal and in a CI log.
 */
import type { Failure, RunEvent, RunEventType } from '../events/index.js';
import { formatDuration } from '../util/duration.js';
import { NO_COLOURS, type Style } from './style.js';

export interface HumanOptions {
  readonly write: (line: string) => void;
  readonly style?: Style;
  /** Also print step output and every check attempt. */
  readonly verbose?: boolean;
}

type Formatter<T extends RunEventType> = (e: Extract<RunEvent, { type: T }>) => string | undefined;
type Formatters = { readonly [T in RunEventType]: Formatter<T> };

/** Steps that may take long get a line when they start, so a waiting run never looks stuck. */
const ANNOUNCED = new Set(['power-on', 'wait-boot', 'check', 'shutdown', 'wait-off', 'force-off', 'run']);
/** Steps whose command is worth showing as they start (checks and polls repeat theirs). */
const SHOW_COMMAND = new Set(['power-on', 'shutdown', 'force-off', 'run']);

export class HumanReporter {
  readonly #o: HumanOptions;
  readonly #s: Style;
  #hostWidth = 8;
  #dryRun = false;
  #action = 'up';
  readonly #formatters: Formatters;

  constructor(options: HumanOptions) {
    this.#o = options;
    this.#s = options.style ?? NO_COLOURS;
    const s = this.#s;
    this.#formatters = {
      'run-started': (e) => {
        this.#dryRun = e.dryRun;
        this.#action = e.action;
        const hosts = e.waves.flat();
        this.#hostWidth = Math.max(8, ...hosts.map((h) => h.length));
        const dry = e.dryRun ? ` ${s.yellow('(dry run: nothing is run)')}` : '';
        return `${s.bold(`${e.action} ${e.topology}`)} (${e.file}): ${hosts.length} host${hosts.length === 1 ? '' : 's'} in ${e.waves.length} wave${e.waves.length === 1 ? '' : 's'}${dry}`;
      },
      'wave-started': (e) => s.cyan(`wave ${e.wave}: ${e.hosts.join(', ')}`),
      'wave-finished': (e) => (e.status === 'done' ? undefined : s.dim(`wave ${e.wave} ${e.status}`)),
      'host-started': () => undefined,
      'host-powered': () => undefined,
      'host-finished': (e) => this.#hostFinished(e),
      'step-started': (e) => {
        const where = e.target === e.host ? '' : s.dim(` (on ${e.target})`);
        if (this.#dryRun) return this.#line(e.host, s.dim('plan'), `${label(e)}${e.command === undefined ? '' : `: ${e.command}`}${where}`);
        if (!ANNOUNCED.has(e.kind)) return undefined;
        const showCommand = e.command !== undefined && SHOW_COMMAND.has(e.kind);
        return this.#line(e.host, s.dim('...'), `${label(e)}${showCommand ? `: ${e.command ?? ''}` : ''}${where}`);
      },
      'step-output': (e) => (this.#o.verbose ? this.#line(e.host, s.dim(e.stream === 'stderr' ? 'err' : 'out'), e.text.replace(/\n$/, '')) : undefined),
      'step-finished': (e) => this.#stepFinished(e),
      'check-attempt': (e) => (this.#o.verbose ? this.#line(e.host, s.dim(`${e.attempt}/${e.attempts}`), s.dim(`${e.step.split('/').slice(1).join('/')}: ${e.observed}`)) : undefined),
      warning: (e) => this.#line(e.host ?? '', s.yellow('WARN'), e.message),
      'run-finished': (e) => this.#summary(e),
    };
  }

  onEvent(e: RunEvent): void {
    const text = (this.#formatters[e.type] as Formatter<typeof e.type>)(e as never);
    if (text !== undefined) this.#o.write(e.type === 'run-started' || e.type === 'run-finished' ? text : `${this.#s.dim(`[${elapsed(e.elapsedMs)}]`)} ${text}`);
  }

  #line(host: string, tag: string, text: string): string {
    return `${host.padEnd(this.#hostWidth)} ${tag.padEnd(4)} ${text}`;
  }

  #stepFinished(e: Extract<RunEvent, { type: 'step-finished' }>): string | undefined {
    const s = this.#s;
    const took = s.dim(` (${formatDuration(e.durationMs)})`);
    switch (e.status) {
      case 'planned':
        return undefined; // a dry run printed the command when the step started
      case 'skipped':
        return e.message === 'not needed' ? undefined : this.#line(e.host, s.dim('skip'), `${label(e)}: ${e.message ?? 'not needed'}`);
      case 'passed':
        return this.#line(e.host, s.green('ok'), `${label(e)}${e.message ? `: ${e.message}` : ''}${took}`);
      case 'cancelled':
        return this.#line(e.host, s.yellow('stop'), `${label(e)}: cancelled${took}`);
      case 'failed':
      case 'timed-out':
        return this.#line(e.host, s.red('FAIL'), `${label(e)}: ${e.message ?? e.status}${took}`);
    }
  }

  #hostFinished(e: Extract<RunEvent, { type: 'host-finished' }>): string {
    const s = this.#s;
    const took = e.durationMs > 0 ? s.dim(` in ${formatDuration(e.durationMs)}`) : '';
    const reason = e.reason === undefined ? '' : `: ${e.reason}`;
    switch (e.status) {
      case 'up':
      case 'down':
        return this.#line(e.host, s.green(s.bold(e.status.toUpperCase())), `${e.status}${took}`);
      case 'already-up':
      case 'already-down':
        return this.#line(e.host, s.green('ok'), `${e.status.replace('-', ' ')}, nothing to do${took}`);
      case 'planned':
        return this.#line(e.host, s.dim('plan'), `would be ${this.#action}`);
      case 'failed':
        return this.#line(e.host, s.red(s.bold('FAIL')), `failed${reason}${took}`);
      default:
        return this.#line(e.host, s.yellow('stop'), `${e.status.replace('-', ' ')}${reason}`);
    }
  }

  #summary(e: Extract<RunEvent, { type: 'run-finished' }>): string {
    const s = this.#s;
    const counts = new Map<string, number>();
    for (const status of Object.values(e.hosts)) counts.set(status, (counts.get(status) ?? 0) + 1);
    const tally = [...counts].map(([k, n]) => `${n} ${k.replace('-', ' ')}`).join(', ');
    const head = e.status === 'succeeded' ? s.green(s.bold(this.#dryRun ? 'dry run complete' : 'succeeded')) : e.status === 'failed' ? s.red(s.bold('FAILED')) : s.yellow(s.bold('CANCELLED'));
    const lines = [`${this.#action}: ${head} in ${formatDuration(e.durationMs)}: ${tally}`];
    for (const f of e.failures) lines.push(...failureLines(f, s));
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
