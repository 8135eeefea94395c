/**
 * The live view's frame: state + now → lines, each at most `width` columns, at most `height`
 * lines. Pure. When the hosts do not fit, finished and waiting hosts fold into their wave's
 * line first, then every wave becomes one line, then the frame is cut with a count of the rest.
 * What the lines are made of is live-state.ts; writing them is live.ts.
 */
import type { HostStatus } from '../events/index.js';
import { countHosts, REACHED_STATUSES, waitsOf, type LiveHost, type LiveState, type LiveStep } from './live-state.js';
import { NO_COLOURS, type Style } from './style.js';

export interface FrameOptions {
  /** Run time now (ms since the run started). */
  readonly nowMs: number;
  readonly width: number;
  readonly height: number;
  readonly style?: Style;
}

/** A piece of a line and its colour; lines are cut to width before they are coloured. */
type Piece = readonly [text: string, colour?: (s: string) => string];
type Line = readonly Piece[];

/** What each kind of step is called while it runs (check, service and run steps say their name). */
const DOING: Partial<Record<string, string>> = {
  'power-state': 'checking power state',
  'power-on': 'powering on',
  'wait-boot': 'booting',
  shutdown: 'shutting down',
  'wait-off': 'shutting down, waiting until off',
  'force-off': 'forcing power off',
};

/** `12s`, `2m05s`, `1h02m`: whole seconds, so a frame changes once a second, not on every redraw. */
export function clock(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor(s / 60) % 60).padStart(2, '0')}m`;
}

/** The word for a host that reached the target: `up`, `down` or (dry run) `planned`. */
function target(s: LiveState): string {
  if (s.dryRun) return 'planned';
  return s.action === 'down' || s.action === 'failover' ? 'down' : 'up';
}

function stepText(r: LiveStep, nowMs: number): string {
  const doing = DOING[r.kind] ?? (r.kind === 'check' ? `checking ${r.name}` : r.name);
  const attempt = r.attempt === undefined ? '' : `, attempt ${r.attempt.n} of ${r.attempt.of}: ${r.attempt.observed}`;
  return `${doing} ${clock(nowMs - r.startedMs)}${attempt}`;
}

function waitingText(s: LiveState, h: LiveHost): string {
  const w = waitsOf(s, h.name);
  const parts = [
    ...w.hosts.map((l) => (l.kind === 'after' ? `${l.host} to start` : l.host)),
    ...w.gates.map((g) => `a quorum of ${g.role} (${g.up} of ${g.of} ${target(s)}, ${g.min} needed)`),
  ];
  return parts.length === 0 ? 'queued' : `waiting for ${parts.join(', ')}`;
}

const FINISHED: Readonly<Record<HostStatus, string>> = {
  up: 'up', down: 'down', 'already-up': 'already up', 'already-down': 'already down', failed: 'FAILED',
  cancelled: 'cancelled', blocked: 'blocked', 'not-started': 'not started', planned: 'planned',
};

function hostState(s: LiveState, h: LiveHost, o: FrameOptions): Piece {
  const st = o.style ?? NO_COLOURS;
  if (h.phase === 'waiting') return [waitingText(s, h), st.dim];
  if (h.phase === 'working') {
    const r = h.running.at(-1);
    const more = h.running.length > 1 ? ` (+${h.running.length - 1} more)` : '';
    return [r === undefined ? `working ${clock(o.nowMs - (h.startedMs ?? o.nowMs))}` : `${stepText(r, o.nowMs)}${more}`, st.cyan];
  }
  const status = h.status ?? 'failed';
  const took = (status === 'up' || status === 'down') && h.durationMs !== undefined ? ` in ${clock(h.durationMs)}` : '';
  const reason = h.reason === undefined || REACHED_STATUSES.has(status) ? '' : `: ${h.reason}`;
  const colour = REACHED_STATUSES.has(status) ? st.green : status === 'failed' ? st.red : st.yellow;
  return [`${FINISHED[status]}${took}${reason}`, colour];
}

/** A host that needs no line of its own once space is short: reached the target, or not started and not blocked. */
const quiet = (h: LiveHost): boolean => h.phase === 'waiting' || (h.status !== undefined && REACHED_STATUSES.has(h.status));

function tally(s: LiveState, hosts: readonly LiveHost[]): string {
  const counts = new Map<string, number>();
  for (const h of hosts) {
    const k = h.phase === 'waiting' ? 'waiting' : h.phase === 'working' ? 'working' : REACHED_STATUSES.has(h.status ?? 'failed') ? target(s) : FINISHED[h.status ?? 'failed'].toLowerCase();
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return [...counts].map(([k, n]) => `${n} ${k}`).join(', ');
}

/** One wave at a level of detail: 0 every host; 1 a quiet wave in one line; 2 quiet hosts counted, not listed; 3 one line. */
function waveLines(s: LiveState, wave: number, hosts: readonly LiveHost[], level: number, o: FrameOptions, nameWidth: number): Line[] {
  const st = o.style ?? NO_COLOURS;
  const summary: Line = [[`wave ${wave}: `, st.bold], [tally(s, hosts)]];
  if (level >= 3 || (level >= 1 && hosts.every(quiet))) return [summary];
  const shown = level >= 2 ? hosts.filter((h) => !quiet(h)) : hosts;
  const rest = level >= 2 ? hosts.filter(quiet) : [];
  const head: Line = [[`wave ${wave}`, st.bold], [rest.length === 0 ? '' : ` (also ${tally(s, rest)})`, st.dim]];
  return [head, ...shown.map((h): Line => [[`  ${h.name.padEnd(nameWidth)}  `], hostState(s, h, o)])];
}

function headLines(s: LiveState, o: FrameOptions): Line[] {
  const st = o.style ?? NO_COLOURS;
  const c = countHosts(s);
  const side = s.side === undefined ? '' : ` side ${s.side}`;
  const failed = c.failed > 0 ? [`, ${c.failed} failed`, st.red] as const : [''] as const;
  const lines: Line[] = [[[`${s.action} ${s.topology}${side}: `, st.bold], [`${c.reached} of ${c.total} ${target(s)}`], failed, [` · ${clock(o.nowMs)}`, st.dim]]];
  if (s.phase) {
    const h = s.health.passed + s.health.failed > 0 ? ` (health checks: ${s.health.passed} passed${s.health.failed > 0 ? `, ${s.health.failed} failed` : ''})` : '';
    lines.push([[`${s.phase.name}: `, st.cyan], [s.phase.description], [h, st.dim]]);
  }
  if (s.probes.size > 0) lines.push([['probes: '], ...[...s.probes].map(([name, ok], i): Piece => [`${i === 0 ? '' : ', '}${name} ${ok ? 'ok' : 'DOWN'}`, ok ? st.green : st.red])]);
  return lines;
}

/** Cuts a line to `width` columns (an ellipsis marks the cut), then colours it. */
function fit(line: Line, width: number): string {
  let room = Math.max(1, width);
  let out = '';
  for (const [text, colour] of line) {
    if (room <= 0) break;
    const cut = text.length > room ? `${text.slice(0, Math.max(0, room - 1))}…` : text;
    room -= cut.length;
    if (cut !== '') out += colour ? colour(cut) : cut;
  }
  return out.replace(/\s+$/, '');
}

/** The frame for `state` at `nowMs`: lines no wider than `width - 1` (a full last column wraps on some terminals), at most `height - 1`. */
export function renderFrame(s: LiveState, o: FrameOptions): string[] {
  const width = Math.max(20, o.width) - 1;
  const budget = Math.max(3, o.height - 1);
  const head = headLines(s, o);
  const nameWidth = Math.min(24, Math.max(0, ...[...s.hosts.keys()].map((n) => n.length)));
  // The level is chosen by counting lines, so only the frame drawn is built (a host's waits are not worked out for 10,000 lines that do not fit).
  const waves = s.waves.map((names) => names.flatMap((n) => s.hosts.get(n) ?? []));
  const loud = waves.map((hosts) => hosts.filter((h) => !quiet(h)).length);
  const height = (level: number): number => waves.reduce((n, hosts, i) =>
    n + (level >= 3 || (level >= 1 && loud[i] === 0) ? 1 : 1 + (level >= 2 ? loud[i] ?? 0 : hosts.length)), 0);
  let level = 0;
  while (level < 3 && head.length + height(level) > budget) level++;
  let lines = [...head, ...waves.flatMap((hosts, i) => waveLines(s, i + 1, hosts, level, o, nameWidth))];
  if (lines.length > budget) {
    const kept = lines.slice(0, budget - 1);
    lines = [...kept, [[`… ${lines.length - kept.length} more waves`, (o.style ?? NO_COLOURS).dim]]];
  }
  return lines.map((l) => fit(l, width));
}

/** The live view is for a terminal that can move its cursor: stdout a TTY and TERM not `dumb`. */
export function liveViewFits(isTTY: boolean | undefined, env: NodeJS.ProcessEnv): boolean {
  return isTTY === true && env.TERM !== 'dumb';
}
