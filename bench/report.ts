/** Rendering the results: a plain-text table for the terminal and the markdown of docs/benchmarks.md. */
import os from 'node:os';
import { formatMs, formatNumber, type GroupResult, type Row } from './stats.js';

export const START_MARKER = '<!-- bench:results:start (written by npm run bench; everything up to the end marker is replaced) -->';
export const END_MARKER = '<!-- bench:results:end -->';

const HEADINGS = ['benchmark', 'n', 'median ms', 'p90 ms', 'rate', 'note'] as const;

function cells(r: Row): string[] {
  return [r.name, String(r.samples), formatMs(r.median), formatMs(r.p90), r.rate ?? '', r.note ?? ''];
}

/** Fixed-width columns, one block per group, for the terminal. */
export function textTable(groups: readonly GroupResult[]): string {
  const all = groups.flatMap((g) => g.rows.map(cells));
  const widths = HEADINGS.map((h, i) => Math.max(h.length, ...all.map((c) => (c[i] ?? '').length)));
  const line = (c: readonly string[]): string =>
    c.map((v, i) => (i >= 1 && i <= 3 ? v.padStart(widths[i] ?? 0) : v.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  const out = [line(HEADINGS), widths.map((w) => '-'.repeat(w)).join('  ')];
  for (const g of groups) {
    out.push('', `${g.title}:`);
    out.push(...g.rows.map((r) => line(cells(r))));
    out.push(...g.notes.map((n) => `  note: ${n}`));
  }
  return out.join('\n');
}

export interface Machine {
  readonly node: string;
  readonly cpus: number;
  readonly model: string;
  readonly platform: string;
  readonly date: string;
  readonly load: string;
}

export function machine(): Machine {
  const cpus = os.cpus();
  return {
    node: process.version,
    cpus: cpus.length,
    model: cpus[0]?.model.trim() ?? 'unknown',
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    load: os.loadavg().map((l) => l.toFixed(2)).join(' '),
  };
}

const escape = (s: string): string => s.replace(/\|/g, '\\|');

/** The generated section: machine, date, then one table per group. */
export function markdownResults(groups: readonly GroupResult[], m: Machine, totalMs: number): string {
  const out = [
    START_MARKER,
    '## Results',
    '',
    `Run on ${m.date}: Node ${m.node}, ${m.cpus} × ${m.model} (\`os.cpus()\`), ${m.platform}; load average before the run ${m.load}.`,
    `The whole suite took ${formatNumber(totalMs / 1000)} s.`,
  ];
  for (const g of groups) {
    out.push('', `### ${g.title}`, '');
    if (g.rows.length > 0) {
      out.push(`| ${HEADINGS.join(' | ')} |`, `|${HEADINGS.map((_, i) => (i >= 1 && i <= 3 ? '---:' : '---')).join('|')}|`);
      out.push(...g.rows.map((r) => `| ${cells(r).map(escape).join(' | ')} |`));
    }
    if (g.notes.length > 0) out.push(...(g.rows.length > 0 ? [''] : []), ...g.notes.map((n) => `- ${n}`));
  }
  out.push(END_MARKER, '');
  return out.join('\n');
}

/** `existing` with its results section replaced, or `header` + results when it has none. */
export function replaceResults(existing: string | undefined, header: string, results: string): string {
  if (existing !== undefined) {
    const start = existing.indexOf(START_MARKER.slice(0, 30));
    const end = existing.indexOf(END_MARKER);
    if (start >= 0 && end > start) return existing.slice(0, start) + results + existing.slice(end + END_MARKER.length).replace(/^\n/, '');
  }
  return `${header.trimEnd()}\n\n${results}`;
}

/**
 * `existing` with only the given groups' sections replaced (`npm run bench -- --only …`): each
 * `### Title` section whose title starts as a new group's does is swapped for the new one, and a
 * line under the results heading says which groups were rerun and when.
 */
export function replaceGroups(existing: string, groups: readonly GroupResult[], m: Machine): string {
  const fresh = markdownResults(groups, m, 0);
  let out = existing;
  for (const g of groups) {
    const at = fresh.indexOf(`### ${g.title}`);
    const next = fresh.indexOf('\n### ', at + 4);
    const section = fresh.slice(at, next < 0 ? fresh.indexOf(END_MARKER) : next + 1).trimEnd() + '\n';
    const key = `### ${g.title.split(/[,:(]/)[0]}`;
    const start = out.indexOf(key);
    if (start < 0) continue;
    const after = out.indexOf('\n### ', start + 4);
    const end = after < 0 ? out.indexOf(END_MARKER) : after + 1;
    out = out.slice(0, start) + section + (after < 0 ? '' : '\n') + out.slice(end);
  }
  const note = `Rerun on ${m.date} (\`npm run bench -- --only\`), load average before ${m.load}: ${groups.map((g) => g.title).join('; ')}.`;
  return out.replace('## Results\n\n', `## Results\n\n${note} The other groups are from the run below.\n\n`);
}

