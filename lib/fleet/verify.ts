/**
 * `orchestrate fleet verify`: checks from the fleet's event log that a run kept the runbook
 * order. Going up, each host is powered on only after what it `requires` was up and checked
 * (its last up step passed) and after what it comes `after` was powered on. Going down, each
 * host starts to stop only after everything that depends on it is off. Either way, the pairs
 * were kept safe (verify-pairs.ts: no split brain, no VM off under running cluster resources,
 * no promotion of stale data). Each violation comes with the events that prove it. A log with
 * several runs is verified on the last attempt at the action (log-runs.ts).
 */
import type { HostPlan, Plan, PlanStep } from '../plan/index.js';
import type { FleetEvent, PowerState } from './log.js';
import { lastAttempt } from './log-runs.js';
import { verifyPairs } from './verify-pairs.js';

export interface Violation {
  readonly message: string;
  readonly events: readonly FleetEvent[];
}

const secs = (t: number): string => `${(t / 1000).toFixed(3)}s`;

type Cmd = Extract<FleetEvent, { type: 'command' }>;
type Done = Extract<FleetEvent, { type: 'command-done' }>;

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * The log indexed once by host (and host and command): every question below is a map lookup,
 * not a scan of the whole log, which made verifying a 1,000-host run take minutes.
 */
class LogIndex {
  readonly #power = new Map<string, Extract<FleetEvent, { type: 'power' }>[]>();
  readonly #passed = new Map<string, { cmd: Cmd; done: Done }[]>();
  /** Every command of each `host\0command`, in order. */
  readonly #all = new Map<string, Cmd[]>();
  readonly #warm = new Set<string>();
  readonly #before: ReadonlyMap<string, PowerState>;

  /** `before`: each machine's power when the events begin (a run after others). */
  constructor(events: readonly FleetEvent[], before: ReadonlyMap<string, PowerState> = new Map()) {
    this.#before = before;
    const commands = new Map<number, Cmd>();
    for (const e of events) {
      if (e.type === 'command') {
        commands.set(e.id, e);
        const key = `${e.host}\u0000${e.command}`;
        push(this.#all, key, e);
      } else if (e.type === 'power') {
        if (e.cause === 'warm start') this.#warm.add(e.host);
        else push(this.#power, e.host, e);
      } else if (e.type === 'command-done' && e.exit === 0) {
        const cmd = commands.get(e.id);
        if (!cmd) continue;
        const key = `${e.host}\u0000${cmd.command}`;
        push(this.#passed, key, { cmd, done: e });
      }
    }
  }

  power(host: string, state: string, which: 'first' | 'last', before = Infinity): FleetEvent | undefined {
    const hits = (this.#power.get(host) ?? []).filter((e) => e.state === state && e.seq < before);
    return which === 'first' ? hits[0] : hits.at(-1);
  }

  /** Passed runs of `command` on `host`: the command and its done event. */
  passed(host: string, command: string): readonly { cmd: Cmd; done: Done }[] {
    return this.#passed.get(`${host}\u0000${command}`) ?? [];
  }

  /** The earliest of the commands given as `where\0command`, after event `after` (a seq). */
  firstOf(keys: ReadonlySet<string>, after = 0): Cmd | undefined {
    let first: Cmd | undefined;
    for (const key of keys) {
      const c = this.#all.get(key)?.find((x) => x.seq > after);
      if (c && (!first || c.seq < first.seq)) first = c;
    }
    return first;
  }

  /** Whether the host was on before the run: started warm, or powered when the run began. */
  wasWarm(host: string): boolean {
    const before = this.#before.get(host);
    return this.#warm.has(host) || before === 'running' || before === 'booting';
  }

  /** Whether the host was off when the run began and was not started since. */
  stayedOff(host: string): boolean {
    return this.#before.get(host) === 'off' && this.power(host, 'booting', 'first') === undefined;
  }
}

/** The last up step that runs on the host itself: when it passes, the host is up. */
function readyCommand(h: HostPlan): string | undefined {
  const onHost = h.steps.filter((s): s is PlanStep & { command: string } => s.target.kind === 'host' && 'command' in s && typeof s.command === 'string');
  return onHost.at(-1)?.command;
}

export function verifyRun(plan: Plan, events: readonly FleetEvent[]): Violation[] {
  const run = lastAttempt(events, plan.action);
  if ('missing' in run) return [{ message: `the log holds no ${plan.action} run (it holds runs of: ${run.missing.join(', ')})`, events: [] }];
  const log = new LogIndex(run.events, run.before);
  const last = run.events.at(-1)?.seq ?? Infinity;
  // Pair safety needs the cluster state from the start of the log; only what the run did counts.
  const pairs = verifyPairs(run.runs === 0 ? events : events.filter((e) => e.seq <= last))
    .filter((v) => v.events.length === 0 || Math.max(...v.events.map((e) => e.seq)) >= run.fromSeq);
  return [...(plan.action === 'up' ? verifyUp(plan, log) : verifyDown(plan, log)), ...pairs];
}

function verifyUp(plan: Plan, log: LogIndex): Violation[] {
  const out: Violation[] = [];
  const byName = new Map(plan.hosts.map((h) => [h.name, h]));
  for (const h of plan.hosts) {
    // With several runs in one log, the boot that counts is the host's last one.
    const on = log.power(h.name, 'booting', 'last');
    if (!on) {
      if (!log.wasWarm(h.name)) out.push({ message: `${h.name} was never powered on`, events: [] });
      continue;
    }
    for (const link of h.waitsFor) {
      const dep = byName.get(link.host);
      if (!dep) continue;
      const depBoot = log.power(dep.name, 'booting', 'last', on.seq);
      if (link.kind === 'after') {
        const depOn = depBoot ?? log.power(dep.name, 'booting', 'first');
        if (depOn && depOn.t > on.t) out.push({ message: `${h.name} was powered on at ${secs(on.t)}, before ${dep.name} (which it comes after) at ${secs(depOn.t)}`, events: [on, depOn] });
        continue;
      }
      const command = readyCommand(dep);
      // Ready in the boot that preceded ours (a check passed before an earlier shutdown does not count).
      const ready = command === undefined ? [] : log.passed(dep.name, command).filter((r) => r.done.t < on.t && (depBoot === undefined || r.done.seq > depBoot.seq));
      if (ready.length === 0 && !log.wasWarm(dep.name)) {
        const later = command === undefined ? undefined : log.passed(dep.name, command)[0];
        out.push({
          message: `${h.name} was powered on at ${secs(on.t)}, before ${dep.name} was up and checked (its last check "${command ?? '?'}" ${later ? `passed only at ${secs(later.done.t)}` : 'never passed'})`,
          events: [on, ...(later ? [later.cmd, later.done] : [])],
        });
      }
    }
  }
  return out;
}

/** `where\0command` of every step that stops something of the host (not the power-state query). */
function stopping(h: HostPlan): Set<string> {
  const kinds = new Set(['run', 'check', 'shutdown', 'force-off']);
  return new Set(h.steps.flatMap((s) => {
    if (!kinds.has(s.kind) || !('command' in s) || s.command === undefined) return [];
    const where = s.target.kind === 'host' ? s.target.host : s.target.kind === 'hypervisor' ? s.target.name : 'local';
    return [`${where}\u0000${s.command}`];
  }));
}

function verifyDown(plan: Plan, log: LogIndex): Violation[] {
  const out: Violation[] = [];
  const byName = new Map(plan.hosts.map((h) => [h.name, h]));
  for (const h of plan.hosts) {
    const stops = stopping(h);
    // With several runs in one log, stopping counts from the host's last boot (an earlier run's
    // checks or stops of a host that was started again since are another story).
    const started = log.firstOf(stops, log.power(h.name, 'booting', 'last')?.seq ?? 0);
    const off = log.power(h.name, 'off', 'last');
    if (!off && !log.stayedOff(h.name)) out.push({ message: `${h.name} never went off`, events: started ? [started] : [] });
    if (!started) continue;
    for (const link of h.waitsFor) {
      const dependant = byName.get(link.host);
      if (!dependant) continue;
      const depOff = log.power(dependant.name, 'off', 'last');
      if (!depOff && log.stayedOff(dependant.name)) continue;
      if (!depOff || depOff.t > started.t) {
        out.push({
          message: `${h.name} began to stop at ${secs(started.t)} ("${started.command}"), while ${dependant.name}, which depends on it, was ${depOff ? `still on (off only at ${secs(depOff.t)})` : 'never off'}`,
          events: [started, ...(depOff ? [depOff] : [])],
        });
      }
    }
  }
  return out;
}
