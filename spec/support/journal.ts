/** Builders for journal specs: a header and events stamped with seq, time and elapsedMs. */
import type { RunEvent, RunEventBody } from '../../lib/events/index.js';
import type { JournalHeader, Machine } from '../../lib/journal/index.js';

export function header(overrides: Partial<JournalHeader> = {}): JournalHeader {
  return {
    type: 'journal', version: 1, runId: '20261207-081502-3f9a', topology: 'acd-large', action: 'up', file: '/srv/large.yaml',
    user: 'root', host: 'ctl', pid: 4242, argv: ['up', 'large.yaml'], cwd: '/srv', startedAt: '2026-12-07T08:15:02.000Z', ...overrides,
  };
}

/** `bodies` as events 1, 2, 3 … each 10 ms after the last. */
export function stamp(bodies: readonly RunEventBody[]): RunEvent[] {
  return bodies.map((b, i) => ({ seq: i + 1, time: new Date(Date.UTC(2026, 11, 7, 8, 15, 2) + i * 10).toISOString(), elapsedMs: i * 10, ...b }) as RunEvent);
}

/** A machine called `ctl` on which only `alive` pids run. */
export function machine(alive: readonly number[] = [], hostname = 'ctl'): Machine {
  return { hostname, isAlive: (pid) => alive.includes(pid) };
}

export const started = (host: string, step: string, extra: { kind?: string; role?: string; command?: string; target?: string } = {}): RunEventBody =>
  ({ type: 'step-started', host, step, name: step.split('/').at(-1) ?? step, kind: extra.kind ?? 'run', target: extra.target ?? host, ...(extra.role ? { role: extra.role } : {}), ...(extra.command ? { command: extra.command } : {}) }) as RunEventBody;

export const finished = (host: string, step: string, status: 'passed' | 'failed' | 'cancelled' | 'skipped' = 'passed', kind = 'run'): RunEventBody =>
  ({ type: 'step-finished', host, step, name: step.split('/').at(-1) ?? step, kind, status, durationMs: 5 }) as RunEventBody;
