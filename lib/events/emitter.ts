/**
 * Stamps events with `seq`, `time` and `elapsedMs` and hands them to the listeners. With
 * `secrets`, every string of every event is masked first (values and `{{secret:NAME}}`
 * placeholders read `***`): the one place all output passes (reporters, --json, the journal),
 * so no call site can forget it.
 */
import type { Secrets } from '../util/secrets.js';
import type { RunEvent, RunEventBody } from './types.js';

export interface Clock {
  /** Monotonic milliseconds. */
  now(): number;
  /** Wall-clock time for the `time` field. */
  wallTime(): Date;
}

export const systemClock: Clock = { now: () => performance.now(), wallTime: () => new Date() };

export type Listener = (event: RunEvent) => void;

export class Emitter {
  readonly #listeners: Listener[];
  readonly #clock: Clock;
  readonly #start: number;
  readonly #secrets: Secrets | undefined;
  #seq = 0;

  constructor(listeners: readonly Listener[], clock: Clock = systemClock, secrets?: Secrets) {
    this.#listeners = [...listeners];
    this.#clock = clock;
    this.#start = clock.now();
    this.#secrets = secrets;
  }

  get elapsedMs(): number {
    return Math.round(this.#clock.now() - this.#start);
  }

  emit(body: RunEventBody): void {
    const safe = this.#secrets ? this.#secrets.maskDeep(body) : body;
    const event = { seq: ++this.#seq, time: this.#clock.wallTime().toISOString(), elapsedMs: this.elapsedMs, ...safe } as RunEvent;
    for (const l of this.#listeners) l(event);
  }
}
