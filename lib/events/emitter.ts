/** Stamps events with `seq`, `time` and `elapsedMs` and hands them to the listeners. */
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
  #seq = 0;

  constructor(listeners: readonly Listener[], clock: Clock = systemClock) {
    this.#listeners = [...listeners];
    this.#clock = clock;
    this.#start = clock.now();
  }

  get elapsedMs(): number {
    return Math.round(this.#clock.now() - this.#start);
  }

  emit(body: RunEventBody): void {
    const event = { seq: ++this.#seq, time: this.#clock.wallTime().toISOString(), elapsedMs: this.elapsedMs, ...body } as RunEvent;
    for (const l of this.#listeners) l(event);
  }
}
