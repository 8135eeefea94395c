/**
 * The result of `orchestrate check`: a table (host, check, state, observed, time) and a last
 * line; or, with --json, one JSON document. Pure.
 */
import { formatDuration } from '../util/duration.js';
import type { Style } from './style.js';

export interface CheckRow {
  readonly host?: string;
  readonly check: string;
  readonly ok: boolean;
  readonly skipped?: boolean;
  readonly observed: string;
  readonly durationMs?: number;
}

const state = (r: CheckRow): 'pass' | 'FAIL' | 'skip' => (r.ok ? 'pass' : r.skipped === true ? 'skip' : 'FAIL');

/** `width`: the terminal's, when written to one (OBSERVED is cut to fit); undefined: nothing is cut (a file or pipe). */
export function formatCheckTable(rows: readonly CheckRow[], s: Style, width?: number): string[] {
  const cells = rows.map((r) => [r.host ?? '(pair)', r.check, state(r), r.durationMs === undefined ? '' : formatDuration(r.durationMs), r.observed]);
  const head = ['HOST', 'CHECK', 'STATE', 'TIME', 'OBSERVED'];
  const widths = head.slice(0, 4).map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const pad = (c: readonly string[]): string => c.slice(0, 4).map((x, i) => x.padEnd(widths[i] ?? 0)).join('  ');
  const room = width === undefined ? Infinity : Math.max(30, width - widths.reduce((a, b) => a + b + 2, 0));
  const colour = (text: string, r: CheckRow): string => (r.ok ? s.green(text) : r.skipped === true ? s.dim(text) : s.red(text));
  const lines = [s.bold(`${pad(head)}  ${head[4] ?? ''}`)];
  cells.forEach((c, i) => {
    const r = rows[i];
    if (!r) return;
    const observed = (c[4] ?? '').length > room ? `${(c[4] ?? '').slice(0, room - 1)}…` : c[4] ?? '';
    lines.push(colour(`${pad(c)}  ${observed}`, r));
  });
  const failed = rows.filter((r) => !r.ok && r.skipped !== true).length;
  const skipped = rows.filter((r) => r.skipped === true).length;
  const passed = rows.length - failed - skipped;
  lines.push('');
  lines.push(failed + skipped === 0 ? s.green(`All ${passed} checks passed.`) : s.red(`${failed} failed, ${skipped} not run, ${passed} passed.`));
  return lines;
}

export interface CheckDocument {
  readonly version: 1;
  readonly topology: string;
  readonly ok: boolean;
  readonly durationMs: number;
  readonly results: readonly { readonly host: string | null; readonly check: string; readonly state: 'pass' | 'fail' | 'skip'; readonly observed: string; readonly durationMs: number | null }[];
}

export function checkDocument(topology: string, ok: boolean, durationMs: number, rows: readonly CheckRow[]): CheckDocument {
  return {
    version: 1, topology, ok, durationMs: Math.round(durationMs),
    results: rows.map((r) => ({ host: r.host ?? null, check: r.check, state: state(r).toLowerCase() as 'pass' | 'fail' | 'skip', observed: r.observed, durationMs: r.durationMs ?? null })),
  };
}
