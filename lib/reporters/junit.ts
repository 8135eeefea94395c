/**
 * A run as JUnit XML, in the dialect Jenkins, GitLab and GitHub's test reporters read:
 * <testsuites> of <testsuite name tests failures errors skipped time timestamp>, each of
 * <testcase classname name time> with <failure message type>, <error>, <skipped> and
 * <system-out>. One suite per kind of result, each only when the run has some:
 *
 *   hosts       a test case per host: passed when it reached the target state (or was in it);
 *               failure when it failed; error when cancelled or cut off by an interruption;
 *               skipped when blocked, not started, not reached or a dry run. Its steps, with
 *               times, statuses and output tails, are its system-out.
 *   checks      a test case per check step of a host.
 *   health      a test case per health check (check, a failover's preflight, a failback's end).
 *   continuity  a test case per continuity probe: a failure when any attempt failed.
 *
 * A failure's text carries the host, the step, where it ran, the command, the exit code or
 * signal and the output tail. Pure: report model in, text out (docs/reports.md).
 */
import type { Failure } from '../events/index.js';
import { formatDuration } from '../util/duration.js';
import { stripAnsi } from '../util/style.js';
import { unreachable } from '../util/unreachable.js';
import type { ReportHost, ReportStep, RunReport } from './run-report.js';

/** The result of one test case. */
type Outcome =
  | { readonly kind: 'passed' }
  | { readonly kind: 'failure' | 'error'; readonly message: string; readonly type: string; readonly text: string }
  | { readonly kind: 'skipped'; readonly message: string };

interface Case {
  readonly classname: string;
  readonly name: string;
  readonly ms: number;
  readonly outcome: Outcome;
  readonly out?: string;
}

// XML 1.0 forbids most control characters (ANSI colour codes among them) and lone surrogates.
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text safe in XML content and attribute values (terminal colour codes removed). */
function xmlEscape(text: string): string {
  return stripAnsi(text).replace(NOT_XML, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;')
    .replace(/\r/g, '&#13;');
}

const seconds = (ms: number): string => (Math.max(0, ms) / 1000).toFixed(3);

/** Jenkins' schema wants a timestamp without a zone: UTC, to the second. */
const timestamp = (iso: string): string => iso.slice(0, 19);

/** A failure as text: what ran where, how it ended, the output tail. */
function failureText(f: Pick<Failure, 'host' | 'step' | 'target' | 'command' | 'exitCode' | 'signal' | 'reason' | 'outputTail'>): string {
  return [
    `host: ${f.host}`, `step: ${f.step}`, `on: ${f.target}`,
    ...(f.command === undefined ? [] : [`command: ${f.command}`]),
    ...(f.exitCode === undefined ? [] : [`exit code: ${f.exitCode}`]),
    ...(f.signal === undefined ? [] : [`signal: ${f.signal}`]),
    `reason: ${f.reason}`,
    ...(f.outputTail === undefined || f.outputTail === '' ? [] : ['output (last lines):', f.outputTail]),
  ].join('\n');
}

/** One line: the step, how it ended (unless the reason says it already), why. */
function shortMessage(f: Pick<Failure, 'name' | 'exitCode' | 'signal' | 'reason'>): string {
  const how = [f.exitCode === undefined || f.reason.includes(`exit code ${f.exitCode}`) ? '' : `exit code ${f.exitCode}: `, f.signal === undefined || f.reason.includes(f.signal) ? '' : `${f.signal}: `].join('');
  return `${f.name}: ${how}${f.reason}`.split('\n')[0] ?? '';
}

function stepLine(s: ReportStep): string {
  const time = s.endMs === undefined ? 'in flight' : formatDuration(s.endMs - s.startMs);
  const what = [s.command === undefined ? '' : ` $ ${s.command}`, s.target === '' ? '' : ` (on ${s.target})`].join('');
  const how = [s.exitCode === undefined ? '' : ` exit ${s.exitCode}`, s.message === undefined ? '' : `: ${s.message}`].join('');
  const tail = s.status !== 'passed' && s.outputTail ? `\n    ${s.outputTail.split('\n').join('\n    ')}` : '';
  return `+${formatDuration(s.startMs)} ${s.status ?? 'running'} ${s.name}${what} [${time}]${how}${tail}`;
}

function hostOutcome(h: ReportHost, report: RunReport): Outcome {
  const failure = report.failures.find((f) => f.host === h.name);
  switch (h.status) {
    case 'up': case 'down': case 'already-up': case 'already-down':
      return { kind: 'passed' };
    case 'failed': {
      const f = failure ?? { host: h.name, step: '?', name: 'host', target: h.name, reason: h.reason ?? 'failed' };
      return { kind: 'failure', type: 'failed', message: shortMessage(f), text: failureText(f) };
    }
    case 'cancelled':
      return { kind: 'error', type: 'cancelled', message: h.reason ?? 'cancelled', text: h.reason ?? 'cancelled by Ctrl-C or SIGTERM' };
    case 'blocked': case 'not-started':
      return { kind: 'skipped', message: `${h.status}${h.reason === undefined ? '' : `: ${h.reason}`}` };
    case 'planned':
      return { kind: 'skipped', message: 'dry run: nothing was run' };
    case undefined: {
      if (h.startMs === undefined) return { kind: 'skipped', message: 'not reached: the run ended before this host started' };
      const open = h.steps.filter((s) => s.endMs === undefined).map((s) => s.name);
      const message = `no result: the run ended while this host was in progress${open.length === 0 ? '' : ` (in flight: ${open.join(', ')})`}`;
      return { kind: 'error', type: 'interrupted', message, text: message };
    }
    default:
      return unreachable(h.status);
  }
}

function checkOutcome(h: ReportHost, s: ReportStep): Outcome {
  const f = { host: h.name, step: s.id, name: s.name, target: s.target, reason: s.message ?? s.lastObserved ?? s.status ?? 'no result',
    ...(s.command === undefined ? {} : { command: s.command }), ...(s.exitCode === undefined ? {} : { exitCode: s.exitCode }),
    ...(s.signal === undefined ? {} : { signal: s.signal }), ...(s.outputTail === undefined ? {} : { outputTail: s.outputTail }) };
  switch (s.status) {
    case 'passed': return { kind: 'passed' };
    case 'failed': case 'timed-out': return { kind: 'failure', type: s.status, message: shortMessage(f), text: `${failureText(f)}\nattempts that did not pass: ${s.attempts}` };
    case 'cancelled': return { kind: 'error', type: 'cancelled', message: 'cancelled', text: failureText(f) };
    case 'skipped': return { kind: 'skipped', message: s.message ?? 'skipped' };
    case 'planned': return { kind: 'skipped', message: 'dry run: nothing was run' };
    case undefined: return { kind: 'error', type: 'interrupted', message: 'no result: the run ended during this check', text: failureText(f) };
    default: return unreachable(s.status);
  }
}

function suites(report: RunReport): { name: string; cases: Case[] }[] {
  const prefix = `${report.topology}.${report.action}`;
  const hostCases = report.hosts.map((h): Case => ({
    classname: prefix, name: h.name, ms: h.startMs === undefined ? 0 : (h.endMs ?? report.durationMs) - h.startMs,
    outcome: hostOutcome(h, report), out: h.steps.map(stepLine).join('\n'),
  }));
  const checkCases = report.hosts.flatMap((h) => h.steps.filter((s) => s.kind === 'check').map((s): Case => ({
    classname: `${prefix}.${h.name}`, name: s.name, ms: (s.endMs ?? report.durationMs) - s.startMs, outcome: checkOutcome(h, s),
    ...(s.lastObserved === undefined && s.message === undefined ? {} : { out: s.message ?? s.lastObserved ?? '' }),
  })));
  const healthCases = report.health.map((c): Case => ({
    classname: `${prefix}.health${c.host === undefined ? '' : `.${c.host}`}`, name: c.check, ms: c.durationMs ?? 0, out: c.observed,
    outcome: c.skipped ? { kind: 'skipped', message: c.observed } : c.ok ? { kind: 'passed' } : { kind: 'failure', type: 'health', message: c.observed.split('\n')[0] ?? '', text: c.observed },
  }));
  const probeCases = report.probes.map((p): Case => {
    const line = `${p.passed} of ${p.attempts} attempts passed (${(p.availability * 100).toFixed(1)}%), longest gap ${formatDuration(p.longestGapMs)}`;
    return {
      classname: `${prefix}.continuity`, name: p.name, ms: 0, out: line,
      outcome: p.passed === p.attempts ? { kind: 'passed' } : { kind: 'failure', type: 'continuity', message: line, text: `${line}\nlast failure: ${p.lastFailure ?? '?'}` },
    };
  });
  return [{ name: 'hosts', cases: hostCases }, { name: 'checks', cases: checkCases }, { name: 'health', cases: healthCases }, { name: 'continuity', cases: probeCases }]
    .filter((s) => s.cases.length > 0);
}

function caseXml(c: Case): string[] {
  const o = c.outcome;
  const body = o.kind === 'passed' ? []
    : o.kind === 'skipped' ? [`      <skipped message="${xmlEscape(o.message)}"/>`]
    : [`      <${o.kind} message="${xmlEscape(o.message)}" type="${xmlEscape(o.type)}">${xmlEscape(o.text)}</${o.kind}>`];
  const out = c.out === undefined || c.out === '' ? [] : [`      <system-out>${xmlEscape(c.out)}</system-out>`];
  const open = `    <testcase classname="${xmlEscape(c.classname)}" name="${xmlEscape(c.name)}" time="${seconds(c.ms)}"`;
  return body.length + out.length === 0 ? [`${open}/>`] : [`${open}>`, ...body, ...out, '    </testcase>'];
}

const count = (cases: readonly Case[], kind: Outcome['kind']): number => cases.filter((c) => c.outcome.kind === kind).length;

function counts(cases: readonly Case[]): string {
  return `tests="${cases.length}" failures="${count(cases, 'failure')}" errors="${count(cases, 'error')}" skipped="${count(cases, 'skipped')}"`;
}

/** The run's general lines: how it ended, its phases and warnings. */
function runLines(report: RunReport): string {
  return [
    `${report.action}${report.side === undefined ? '' : ` side ${report.side}`} ${report.topology} (${report.file}): ${report.outcome} in ${formatDuration(report.durationMs)}${report.dryRun ? ' (dry run)' : ''}`,
    ...(report.criticalPath.length === 0 ? [] : [`critical path: ${report.criticalPath.join(' -> ')}`]),
    ...report.phases.map((p) => `+${formatDuration(p.atMs)} ${p.phase}: ${p.description}`),
    ...report.warnings.map((w) => `+${formatDuration(w.atMs)} warning: ${w.host === undefined ? '' : `${w.host}: `}${w.message}`),
  ].join('\n');
}

/** The JUnit XML document of a run report. */
export function junitXml(report: RunReport): string {
  const all = suites(report);
  const name = `orchestrate ${report.action}${report.side === undefined ? '' : ` ${report.side}`} ${report.topology}`;
  const time = seconds(report.durationMs);
  const stamp = timestamp(report.startedAt);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xmlEscape(name)}" ${counts(all.flatMap((s) => s.cases))} time="${time}" timestamp="${stamp}">`,
  ];
  all.forEach((s, id) => {
    lines.push(`  <testsuite name="${xmlEscape(`${name}: ${s.name}`)}" id="${id}" ${counts(s.cases)} time="${time}" timestamp="${stamp}">`);
    lines.push(`    <properties>`, ...[['action', report.action], ['topology', report.topology], ['file', report.file], ['outcome', report.outcome], ...(report.side === undefined ? [] : [['side', report.side]])]
      .map(([k, v]) => `      <property name="${k}" value="${xmlEscape(v ?? '')}"/>`), '    </properties>');
    for (const c of s.cases) lines.push(...caseXml(c));
    lines.push(`    <system-out>${xmlEscape(runLines(report))}</system-out>`, '  </testsuite>');
  });
  lines.push('</testsuites>', '');
  return lines.join('\n');
}
