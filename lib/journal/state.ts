/**
 * journalState: what a journal says about its run, per host and per pair: the steps that
 * finished, those in flight, each host's final status and the run's outcome. Pure: whether the
 * writing process is still alive is asked of the Machine passed in. It does not decide what a
 * resume should do; it only reports what happened.
 */
import type { Failure, HostStatus, RunEvent } from '../events/index.js';
import type { HostProgress, Journal, JournalHeader, JournalState, Machine, PairProgress, RunOutcome, StepDone, StepInFlight } from './types.js';

type Event<T extends RunEvent['type']> = Extract<RunEvent, { type: T }>;

interface HostTally {
  status?: HostStatus;
  started: boolean;
  powered: boolean;
  readonly done: StepDone[];
  readonly inFlight: Map<string, StepInFlight>;
}

/** The pair a step belongs to: `host/pair/step` without a role (role steps carry theirs). */
function pairOf(e: Event<'step-started'> | Event<'step-finished'>, roles: ReadonlyMap<string, string | undefined>): string | undefined {
  const parts = e.step.split('/');
  return parts.length > 2 && roles.get(e.step) === undefined ? parts[1] : undefined;
}

/** The outcome: run-finished's status, else whether the writer is still alive on this machine. */
export function runOutcome(header: Pick<JournalHeader, 'host' | 'pid'>, events: readonly RunEvent[], machine: Machine): RunOutcome {
  const finished = events.findLast((e): e is Event<'run-finished'> => e.type === 'run-finished');
  if (finished) return finished.status;
  return header.host === machine.hostname && machine.isAlive(header.pid) ? 'running' : 'interrupted';
}

/**
 * An event type this version does not know (a journal written by a newer orchestrate) is skipped;
 * typed `never` so that a new RunEvent type fails to compile here until it is handled.
 */
function newerEvent(_e: never): void {
  // Nothing to do: it says nothing this version can use.
}

class Tally {
  readonly hosts = new Map<string, HostTally>();
  readonly pairs = new Map<string, { done: StepDone[]; inFlight: Map<string, StepInFlight> }>();
  /** Each started step's role (undefined for steps without one), to tell role steps from pair steps. */
  readonly roles = new Map<string, string | undefined>();

  host(name: string): HostTally {
    let h = this.hosts.get(name);
    if (!h) {
      h = { started: false, powered: false, done: [], inFlight: new Map() };
      this.hosts.set(name, h);
    }
    return h;
  }

  pair(name: string): { done: StepDone[]; inFlight: Map<string, StepInFlight> } {
    let p = this.pairs.get(name);
    if (!p) {
      p = { done: [], inFlight: new Map() };
      this.pairs.set(name, p);
    }
    return p;
  }

  started(e: Event<'step-started'>): void {
    this.roles.set(e.step, e.role);
    const step: StepInFlight = { host: e.host, step: e.step, name: e.name, kind: e.kind, target: e.target, ...(e.command === undefined ? {} : { command: e.command }), seq: e.seq };
    this.host(e.host).inFlight.set(e.step, step);
    const pair = pairOf(e, this.roles);
    if (pair !== undefined) this.pair(pair).inFlight.set(e.step, step);
  }

  finished(e: Event<'step-finished'>): void {
    const done: StepDone = { host: e.host, step: e.step, name: e.name, kind: e.kind, status: e.status, ...(e.command === undefined ? {} : { command: e.command }), ...(e.message === undefined ? {} : { message: e.message }) };
    const host = this.host(e.host);
    host.inFlight.delete(e.step);
    host.done.push(done);
    const pair = pairOf(e, this.roles);
    if (pair !== undefined) {
      this.pair(pair).inFlight.delete(e.step);
      this.pair(pair).done.push(done);
    }
  }

  add(e: RunEvent): void {
    switch (e.type) {
      case 'run-started':
        for (const name of e.waves.flat()) this.host(name);
        return;
      case 'host-started':
        this.host(e.host).started = true;
        return;
      case 'host-powered':
        this.host(e.host).powered = true;
        return;
      case 'host-finished':
        this.host(e.host).status = e.status;
        return;
      case 'step-started':
        this.started(e);
        return;
      case 'step-finished':
        this.finished(e);
        return;
      // Waves, phases, checks, output, probes and warnings say nothing about what is done.
      case 'run-finished':
      case 'wave-started':
      case 'wave-finished':
      case 'phase':
      case 'health':
      case 'probe':
      case 'continuity':
      case 'step-output':
      case 'check-attempt':
      case 'warning':
        return;
      default:
        newerEvent(e);
    }
  }
}

/** Failed and timed-out steps as failures, for a journal that ends before run-finished listed them. */
function stepFailures(hosts: readonly HostProgress[]): Failure[] {
  return hosts.flatMap((h) => h.done.filter((d) => d.status === 'failed' || d.status === 'timed-out').map((d) => ({
    host: h.host, step: d.step, name: d.name, target: '', reason: d.message ?? d.status,
  })));
}

/** What the journal's events say about the run (see JournalState). */
export function journalState(journal: Pick<Journal, 'header' | 'events'>, machine: Machine): JournalState {
  const tally = new Tally();
  for (const e of journal.events) tally.add(e);
  const bySeq = (a: StepInFlight, b: StepInFlight): number => a.seq - b.seq;
  const hosts: HostProgress[] = [...tally.hosts].map(([host, h]) => ({
    host, ...(h.status === undefined ? {} : { status: h.status }), started: h.started, powered: h.powered, done: h.done, inFlight: [...h.inFlight.values()].sort(bySeq),
  }));
  const pairs: PairProgress[] = [...tally.pairs].map(([pair, p]) => ({ pair, done: p.done, inFlight: [...p.inFlight.values()].sort(bySeq) }));
  const finished = journal.events.findLast((e): e is Event<'run-finished'> => e.type === 'run-finished');
  const last = journal.events.at(-1);
  return {
    outcome: runOutcome(journal.header, journal.events, machine),
    hosts,
    pairs,
    inFlight: hosts.flatMap((h) => h.inFlight).sort(bySeq),
    failures: finished ? finished.failures : stepFailures(hosts),
    durationMs: finished ? finished.durationMs : last?.elapsedMs ?? 0,
    lastSeq: last?.seq ?? 0,
  };
}
