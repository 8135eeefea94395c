/**
 * A run as one self-contained HTML page (`--report FILE`, `orchestrate report RUN`): a header
 * (action, topology, outcome, duration), a timeline per host with what it waited on and each
 * step, the critical path marked, then the failures, warnings, health checks, continuity probes
 * and every host's steps in a table. Inline CSS and JS, and a Content-Security-Policy that lets
 * the page load nothing and run only its own script (by hash). Everything that comes from a
 * run (names, commands, hosts' output) is escaped. Pure: report model in, text out.
 */
import { createHash } from 'node:crypto';
import { formatDuration } from '../util/duration.js';
import { stripAnsi } from '../util/style.js';
import { hostEndMs } from './critical-path.js';
import { REPORT_CSS, REPORT_JS } from './html-assets.js';
import type { ReportHost, ReportStep, RunReport } from './run-report.js';

// Control characters (ANSI colour codes among them) other than tab and newline are dropped.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F]/g;

/** Text safe in HTML content and in quoted attribute values. */
function htmlEscape(text: string): string {
  return stripAnsi(text).replace(CONTROL, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
const e = htmlEscape;
const at = (ms: number): string => `+${formatDuration(ms)}`;
const pct = (ms: number, total: number): string => `${((Math.max(0, ms) / total) * 100).toFixed(3)}%`;

function stepDetail(h: ReportHost, s: ReportStep): string {
  return [
    `${h.name} · ${s.name} (${s.kind}${s.role === undefined ? '' : `, role ${s.role}`}) on ${s.target}`,
    `${at(s.startMs)} → ${s.endMs === undefined ? 'no end (the run ended first)' : `${at(s.endMs)} (${formatDuration(s.endMs - s.startMs)})`}: ${s.status ?? 'running'}`,
    ...(s.command === undefined ? [] : [`$ ${s.command}`]),
    ...(s.exitCode === undefined ? [] : [`exit code ${s.exitCode}`]), ...(s.signal === undefined ? [] : [`signal ${s.signal}`]),
    ...(s.message === undefined ? [] : [s.message]),
    ...(s.attempts === 0 ? [] : [`${s.attempts} attempt${s.attempts === 1 ? '' : 's'} did not pass yet; last: ${s.lastObserved ?? ''}`]),
    ...(s.outputTail ? ['output (last lines):', s.outputTail] : s.output ? ['output:', s.output.slice(-2000)] : []),
  ].join('\n');
}

/** The wait before a host started, as text: what it waited on. */
function waitText(h: ReportHost): string {
  const on = h.wait?.on;
  if (on) return `waits for ${on.host} (${on.kind === 'after' ? 'powered on' : 'requires: up and checked'})`;
  return h.wait && h.wait.links.length > 0 ? `waits for ${h.wait.links.map((l) => l.host).join(', ')}` : 'waits for a free slot';
}

/** Where the critical path leaves a host: when its successor's link was satisfied. */
function cutoffs(report: RunReport): Map<string, number> {
  const byName = new Map(report.hosts.map((h) => [h.name, h]));
  const cut = new Map<string, number>();
  report.criticalPath.forEach((name, i) => {
    const h = byName.get(name);
    const next = byName.get(report.criticalPath[i + 1] ?? '');
    const end = h ? hostEndMs(h) ?? 0 : 0;
    cut.set(name, next?.wait?.on?.kind === 'after' ? h?.poweredMs ?? end : end);
  });
  return cut;
}

function hostRow(h: ReportHost, report: RunReport, total: number, cut: Map<string, number>): string {
  const critical = cut.get(h.name);
  const onPath = critical !== undefined;
  const segs: string[] = [];
  if (h.startMs !== undefined && h.startMs > 0) {
    const text = `${waitText(h)}: ${formatDuration(h.startMs)}`;
    const crit = onPath && report.criticalPath[0] !== h.name ? ' crit' : '';
    segs.push(`<div class="seg wait${crit}" style="left:0%;width:${pct(h.startMs, total)}" title="${e(text)}" data-detail="${e(`${h.name}: ${text}`)}">${e(waitText(h))}</div>`);
  }
  for (const s of h.steps) {
    const end = s.endMs ?? report.durationMs;
    const crit = onPath && s.startMs < critical ? ' crit' : '';
    const cls = `seg step kind-${e(s.kind)} st-${e(s.status ?? 'running')}${crit}`;
    const detail = stepDetail(h, s);
    segs.push(`<div class="${cls}" style="left:${pct(s.startMs, total)};width:${pct(end - s.startMs, total)}" title="${e(detail.split('\n').slice(0, 3).join('\n'))}" data-detail="${e(detail)}">${e(s.name)}</div>`);
  }
  const status = h.status ?? (h.startMs === undefined ? 'not reached' : 'interrupted');
  const took = h.startMs === undefined ? '' : formatDuration((hostEndMs(h) ?? h.startMs) - h.startMs);
  return `<div class="row${onPath ? ' critical' : ''}" data-host="${e(h.name)}" data-status="${e(status)}"><div class="label"><span class="name">${e(h.name)}</span><span class="pill ${e(status)}">${e(status)}</span><span class="sub">${e(took)}</span></div><div class="track">${segs.join('')}</div></div>`;
}

function timeline(report: RunReport, total: number): string {
  const cut = cutoffs(report);
  const rows: string[] = [];
  const waves = [...new Set(report.hosts.map((h) => h.wave))].sort((a, b) => a - b);
  for (const w of waves) {
    rows.push(`<div class="wave">${w === 0 ? 'other hosts' : `wave ${w}`}</div>`);
    for (const h of report.hosts.filter((x) => x.wave === w)) rows.push(hostRow(h, report, total, cut));
  }
  return `<div id="timeline" data-total-ms="${total}"><div class="axis" id="axis"></div>${rows.join('\n')}</div>`;
}

function criticalSection(report: RunReport): string {
  if (report.criticalPath.length === 0) return '<p>No host started.</p>';
  const byName = new Map(report.hosts.map((h) => [h.name, h]));
  const items = report.criticalPath.map((name, i) => {
    const h = byName.get(name);
    const start = h?.startMs ?? 0;
    const end = h ? hostEndMs(h) ?? start : start;
    const waited = i === 0 ? `started at ${at(start)}` : `waited for ${h?.wait?.on?.host ?? '?'} until ${at(start)}`;
    return `<li><b>${e(name)}</b>: ${e(waited)}, ${e(h?.status ?? 'no result')} at ${e(at(end))} (${e(formatDuration(end - start))})</li>`;
  });
  return `<ol class="path">${items.join('')}</ol>`;
}

function failuresSection(report: RunReport): string {
  if (report.failures.length === 0) return '<p>None.</p>';
  return report.failures.map((f) => `<div class="failure"><h3>${e(f.host)} · ${e(f.name)}</h3><table>
<tr><th>step</th><td class="mono">${e(f.step)}</td></tr><tr><th>on</th><td>${e(f.target)}</td></tr>
${f.command === undefined ? '' : `<tr><th>command</th><td><code>${e(f.command)}</code></td></tr>`}
${f.exitCode === undefined ? '' : `<tr><th>exit code</th><td>${f.exitCode}</td></tr>`}${f.signal === undefined ? '' : `<tr><th>signal</th><td>${e(f.signal)}</td></tr>`}
<tr><th>reason</th><td>${e(f.reason)}</td></tr></table>${f.outputTail ? `<pre class="output">${e(f.outputTail)}</pre>` : ''}</div>`).join('\n');
}

function listSection<T>(items: readonly T[], head: readonly string[], row: (x: T) => readonly string[]): string {
  if (items.length === 0) return '<p>None.</p>';
  return `<table><tr>${head.map((x) => `<th>${e(x)}</th>`).join('')}</tr>${items.map((x) => `<tr>${row(x).map((c) => `<td>${e(c)}</td>`).join('')}</tr>`).join('')}</table>`;
}

function stepsSection(report: RunReport): string {
  return report.hosts.filter((h) => h.steps.length > 0).map((h) => `<details><summary>${e(h.name)}: ${h.steps.length} step${h.steps.length === 1 ? '' : 's'}</summary>${listSection(h.steps, ['at', 'step', 'kind', 'on', 'took', 'status', 'observed'], (s) => [
    at(s.startMs), s.name, s.kind, s.target, s.endMs === undefined ? '—' : formatDuration(s.endMs - s.startMs), s.status ?? 'running', s.message ?? s.lastObserved ?? '',
  ])}</details>`).join('\n');
}

function counts(report: RunReport): string {
  const by = new Map<string, number>();
  for (const h of report.hosts) by.set(h.status ?? (h.startMs === undefined ? 'not reached' : 'interrupted'), (by.get(h.status ?? (h.startMs === undefined ? 'not reached' : 'interrupted')) ?? 0) + 1);
  return [...by].map(([k, n]) => `${n} ${k}`).join(', ') || 'none';
}

/** The HTML document of a run report. */
export function htmlReport(report: RunReport): string {
  const total = Math.max(1, report.durationMs, ...report.hosts.map((h) => hostEndMs(h) ?? 0));
  const title = `${report.action}${report.side === undefined ? '' : ` side ${report.side}`} ${report.topology}`;
  const scriptHash = createHash('sha256').update(REPORT_JS).digest('base64');
  const csp = `default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${scriptHash}'; img-src data:; base-uri 'none'; form-action 'none'`;
  const meta: [string, string][] = [
    ['file', report.file], ['started', report.startedAt], ['duration', formatDuration(report.durationMs)], ['hosts', counts(report)],
    ['critical path', report.criticalPath.join(' → ') || '—'], ...(report.dryRun ? [['dry run', 'nothing was run'] as [string, string]] : []),
  ];
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${e(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(`orchestrate ${title}: ${report.outcome}`)}</title>
<style>${REPORT_CSS}</style></head>
<body data-outcome="${e(report.outcome)}">
<h1>orchestrate ${e(title)} <span class="pill ${e(report.outcome)}" id="outcome">${e(report.outcome)}</span></h1>
<dl class="meta">${meta.map(([k, v]) => `<dt>${e(k)}</dt><dd>${e(v)}</dd>`).join('')}</dl>
<h2>Timeline</h2>
<div class="legend"><span><i style="background:#cfd8dc"></i>waiting for other hosts</span><span><i style="background:#90caf9"></i>step</span><span><i style="background:#a5d6a7"></i>check</span><span><i style="background:#c62828"></i>failed</span><span><i style="outline:2px solid #d50000"></i>critical path</span></div>
<div class="controls"><label><input type="checkbox" id="only-critical"> critical path only</label> · click a bar for its details</div>
${timeline(report, total)}
<pre id="detail" class="mono">Click a bar of the timeline for its details.</pre>
<h2>Critical path</h2>
${criticalSection(report)}
<h2>Failures</h2>
${failuresSection(report)}
<h2>Warnings</h2>
${listSection(report.warnings, ['at', 'host', 'warning'], (w) => [at(w.atMs), w.host ?? '', w.message])}
${report.phases.length === 0 ? '' : `<h2>Phases</h2>${listSection(report.phases, ['at', 'phase', 'what'], (p) => [at(p.atMs), p.phase, p.description])}`}
${report.health.length === 0 ? '' : `<h2>Health checks</h2>${listSection(report.health, ['at', 'host', 'check', 'result', 'observed'], (c) => [at(c.atMs), c.host ?? '', c.check, c.skipped ? 'skipped' : c.ok ? 'ok' : 'FAIL', c.observed])}`}
${report.probes.length === 0 ? '' : `<h2>Continuity</h2>${listSection(report.probes, ['probe', 'attempts', 'passed', 'longest gap', 'last failure'], (p) => [p.name, String(p.attempts), String(p.passed), formatDuration(p.longestGapMs), p.lastFailure ?? ''])}`}
<h2>Steps</h2>
${stepsSection(report)}
<script>${REPORT_JS}</script>
</body></html>
`;
}
