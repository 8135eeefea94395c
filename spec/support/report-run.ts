/**
 * A recorded `up` for the report specs, as its events: lb, then db (requires lb), then web1
 * (requires db; a check fails with hostile output) and web2 (requires db, after lb). The
 * critical path is lb → db → web1. `cut` keeps only the events up to a seq (an interrupted run).
 */
import type { HostLink } from '../../lib/graph/index.js';
import type { RunEvent, RunEventBody } from '../../lib/events/index.js';
import type { LinksOf } from '../../lib/reporters/index.js';

/** What web1's failing check printed: markup and script that must stay text in every report. */
export const HOSTILE = `<script>document.title='pwned'</script><img src=x onerror="document.body.setAttribute('data-pwned','1')"> & ]]> \u001b[31mred\u001b[0m`;

const link = (host: string, kind: 'requires' | 'after' = 'requires'): HostLink => ({ host, kind, reasons: [], roles: [], direct: false });
const LINKS: Record<string, readonly HostLink[]> = { db: [link('lb')], web1: [link('db')], web2: [link('db'), link('lb', 'after')] };
export const reportLinks: LinksOf = (host) => LINKS[host] ?? [];

type Timed = [number, RunEventBody];

function hostSteps(host: string, wave: number, t0: number, steps: readonly [string, string, number][]): Timed[] {
  const out: Timed[] = [[t0, { type: 'host-started', host, wave }]];
  let t = t0;
  for (const [name, kind, ms] of steps) {
    const step = `${host}/${name}`;
    const command = kind === 'check' ? `curl -sf http://${host}/` : `do ${name}`;
    out.push([t, { type: 'step-started', host, step, name, kind: kind as 'run', target: host, command }]);
    t += ms;
    out.push([t, { type: 'step-finished', host, step, name, kind: kind as 'run', status: 'passed', durationMs: ms, command }]);
    if (kind === 'power-on') out.push([t, { type: 'host-powered', host }]);
  }
  return out;
}

const BOOT: [string, string, number][] = [['power on', 'power-on', 100], ['wait for boot', 'wait-boot', 1900]];

function timeline(): Timed[] {
  const web1Check = 'web1/check http';
  return [
    [0, { type: 'run-started', version: 1, action: 'up', topology: 'demo', file: 'demo.yaml', dryRun: false, waves: [['lb'], ['db'], ['web1', 'web2']] }],
    ...hostSteps('lb', 1, 0, [...BOOT, ['start haproxy', 'run', 200], ['check lb', 'check', 200]]),
    [2400, { type: 'host-finished', host: 'lb', wave: 1, status: 'up', durationMs: 2400 }],
    ...hostSteps('db', 2, 2401, [...BOOT, ['start mysql', 'run', 1500]]),
    [5901, { type: 'host-finished', host: 'db', wave: 2, status: 'up', durationMs: 3500 }],
    ...hostSteps('web1', 3, 5902, BOOT),
    ...hostSteps('web2', 3, 5902, [...BOOT, ['start jboss', 'run', 1000]]),
    [7902, { type: 'step-started', host: 'web1', step: web1Check, name: 'check http', kind: 'check', target: 'web1', command: 'curl -sf http://web1/' }],
    [8400, { type: 'check-attempt', host: 'web1', step: web1Check, attempt: 1, attempts: 3, ok: false, observed: 'connection refused' }],
    [8902, { type: 'host-finished', host: 'web2', wave: 3, status: 'up', durationMs: 3000 }],
    [8903, { type: 'warning', host: 'web2', message: 'slow disk <b>&</b>' }],
    [9400, { type: 'check-attempt', host: 'web1', step: web1Check, attempt: 2, attempts: 3, ok: false, observed: 'HTTP 500' }],
    [9900, { type: 'step-finished', host: 'web1', step: web1Check, name: 'check http', kind: 'check', status: 'failed', durationMs: 1998, command: 'curl -sf http://web1/', exitCode: 22, message: 'HTTP 500 after 3 attempts', outputTail: HOSTILE }],
    [9901, { type: 'host-finished', host: 'web1', wave: 3, status: 'failed', durationMs: 3999, reason: 'check http failed' }],
    [9902, {
      type: 'run-finished', status: 'failed', durationMs: 9902, hosts: { lb: 'up', db: 'up', web1: 'failed', web2: 'up' },
      failures: [{ host: 'web1', step: web1Check, name: 'check http', target: 'web1', command: 'curl -sf http://web1/', exitCode: 22, reason: 'HTTP 500 after 3 attempts', outputTail: HOSTILE }],
    }],
  ];
}

/** The run's events in time order, seq from 1; with `cut`, only those with seq ≤ cut. */
export function reportEvents(cut = Infinity): RunEvent[] {
  const start = Date.parse('2026-12-07T08:00:00.000Z');
  return timeline()
    .map(([ms, body], i) => ({ ms, body, i }))
    .sort((a, b) => a.ms - b.ms || a.i - b.i)
    .map(({ ms, body }, i): RunEvent => ({ seq: i + 1, time: new Date(start + ms).toISOString(), elapsedMs: ms, ...body }))
    .filter((e) => e.seq <= cut);
}
