/**
 * The runs in one fleet event log, for `orchestrate fleet verify`. orchestrate marks where each
 * run begins (a `run` event, logged through the fleet's control endpoint); runs of the same
 * action one after the other (a down that failed, then the down again) are one attempt at it.
 * The run verified is the last attempt at the action; what the machines were before it (powered,
 * or off) is read from the events before it. A log without marks (an older orchestrate) is one run.
 */
import type { FleetEvent, PowerState } from './log.js';

export interface RunSlice {
  /** The events of the attempt, in order. */
  readonly events: readonly FleetEvent[];
  /** The seq of its first event (0: the whole log). */
  readonly fromSeq: number;
  /** Each machine's power when the attempt began (absent: no power event before it). */
  readonly before: ReadonlyMap<string, PowerState>;
  /** How many runs the log marks, of any action. */
  readonly runs: number;
}

/** The last attempt at `action` in the log; `missing` (the actions the log has) when it marks runs but none of `action`. */
export function lastAttempt(events: readonly FleetEvent[], action: string): RunSlice | { readonly missing: readonly string[] } {
  const marks: { index: number; action: string }[] = [];
  events.forEach((e, i) => {
    if (e.type === 'run') marks.push({ index: i, action: e.action });
  });
  if (marks.length === 0) return { events, fromSeq: 0, before: new Map(), runs: 0 };
  let last = -1;
  for (let m = marks.length - 1; m >= 0; m--) {
    if (marks[m]?.action === action) {
      last = m;
      break;
    }
  }
  if (last < 0) return { missing: [...new Set(marks.map((m) => m.action))] };
  let first = last;
  while (first > 0 && marks[first - 1]?.action === action) first--;
  const from = marks[first]?.index ?? 0;
  const to = marks[last + 1]?.index ?? events.length;
  const before = new Map<string, PowerState>();
  for (const e of events.slice(0, from)) if (e.type === 'power') before.set(e.host, e.state);
  return { events: events.slice(from, to), fromSeq: events[from]?.seq ?? 0, before, runs: marks.length };
}
