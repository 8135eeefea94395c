/**
 * A simulated daemon process: starting, then running (ready) after its start time, stopping
 * once a terminating signal arrives, then exited. What the signals do (simulated durations):
 *
 *   QUIT       graceful quit: exits after its grace (500 ms; SRS-like: grace_start_wait 2.3 s,
 *              listeners closed, then grace_final_wait 3.2 s)
 *   INT        quits after 500 ms         TERM   quits after 100 ms         KILL   exits at once
 *   HUP        reloads (counted)          USR1   reopens its logs (counted)
 *
 * A stuck daemon (fault service-stuck) ignores QUIT, INT and TERM: only KILL ends it. A
 * crashing one (fault service-crashes) dies on its own shortly after it starts, before it is
 * ready. The manager (services.ts) hears every change through `onChange`.
 */
import type { ServiceState } from '../log.js';
import type { SimTime } from '../timers.js';

/** Simulated milliseconds. */
export const TERM_MS = 100;
export const INT_MS = 500;
export const QUIT_MS = 500;
/** SRS's defaults: grace_start_wait, then grace_final_wait. */
export const SRS_GRACE_START_MS = 2300;
export const SRS_GRACE_FINAL_MS = 3200;

const TERMINATING = new Set(['QUIT', 'INT', 'TERM']);

export interface DaemonChange {
  readonly state: ServiceState;
  readonly signal?: string;
  readonly ignored?: true;
  readonly cause?: string;
}

export interface DaemonOptions {
  readonly pid: number;
  readonly time: SimTime;
  /** Until it is ready; undefined: made ready from outside (`ready()`, systemd's unit). */
  readonly startMs?: number;
  /** How long a graceful quit (QUIT) takes, and how long its listeners stay open meanwhile. */
  readonly quit: { readonly ms: number; readonly listenMs: number };
  readonly stuck: boolean;
  /** Dies on its own this long after it started (fault service-crashes). */
  readonly crashMs?: number;
  onChange(daemon: Daemon, change: DaemonChange): void;
}

export class Daemon {
  readonly pid: number;
  state: ServiceState = 'starting';
  /** HUPs received (configuration reloads). */
  reloads = 0;
  /** USR1s received (log files reopened). */
  reopens = 0;
  /** Resolves when the process is gone, with how it went. */
  readonly exited: Promise<DaemonChange>;
  readonly #o: DaemonOptions;
  #resolve!: (change: DaemonChange) => void;
  #startTimer: (() => void) | undefined;
  #exitTimer: (() => void) | undefined;
  #exitAt = Infinity;
  #listenUntil = Infinity;

  constructor(options: DaemonOptions) {
    this.#o = options;
    this.pid = options.pid;
    this.exited = new Promise((resolve) => {
      this.#resolve = resolve;
    });
    if (options.crashMs !== undefined) this.#startTimer = options.time.after(options.crashMs, () => this.#exit({ state: 'exited', cause: 'crashed' }));
    else if (options.startMs !== undefined) this.#startTimer = options.time.after(options.startMs, () => this.ready());
  }

  get alive(): boolean {
    return this.state !== 'exited';
  }

  /** Accepts connections: ready, or quitting before its listeners close. */
  get listening(): boolean {
    return this.state === 'running' || (this.state === 'stopping' && this.#o.time.now() < this.#listenUntil);
  }

  /** Ready: its port answers. */
  ready(): void {
    if (this.state !== 'starting') return;
    this.#startTimer?.();
    this.#startTimer = undefined;
    this.#set({ state: 'running' });
  }

  /** Delivers a signal (QUIT INT TERM KILL HUP USR1 USR2 …); false when the process is gone. `cause`: why, for the log. */
  signal(signal: string, cause?: string): boolean {
    if (!this.alive) return false;
    if (signal === 'KILL') {
      this.#exit({ state: 'exited', signal, ...(cause === undefined ? {} : { cause }) });
    } else if (TERMINATING.has(signal)) {
      if (this.#o.stuck) {
        this.#o.onChange(this, { state: this.state, signal, ignored: true });
        return true;
      }
      const ms = signal === 'QUIT' ? this.#o.quit.ms : signal === 'INT' ? INT_MS : TERM_MS;
      const listenMs = signal === 'QUIT' ? this.#o.quit.listenMs : 0;
      this.#stopIn(ms, listenMs, signal);
    } else {
      if (signal === 'HUP') this.reloads++;
      if (signal === 'USR1') this.reopens++;
      this.#o.onChange(this, { state: this.state, signal });
    }
    return true;
  }

  /** Gone without a word (the machine went down under it). */
  vanish(cause: string): void {
    if (this.alive) this.#exit({ state: 'exited', cause });
  }

  #stopIn(ms: number, listenMs: number, signal: string): void {
    const time = this.#o.time;
    const at = time.now() + time.real(ms);
    if (at >= this.#exitAt) return; // already quitting sooner
    this.#exitAt = at;
    this.#listenUntil = Math.min(this.#listenUntil, time.now() + time.real(listenMs));
    this.#startTimer?.();
    this.#startTimer = undefined;
    this.#exitTimer?.();
    this.#exitTimer = time.after(ms, () => this.#exit({ state: 'exited', signal }));
    if (this.state !== 'stopping') this.#set({ state: 'stopping', signal });
  }

  #exit(change: DaemonChange): void {
    if (!this.alive) return;
    this.#startTimer?.();
    this.#exitTimer?.();
    this.#set(change);
    this.#resolve(change);
  }

  #set(change: DaemonChange): void {
    this.state = change.state;
    this.#o.onChange(this, change);
  }
}
