/**
 * The live view on a terminal: the frame of live-frame.ts redrawn in place (log-update) at most
 * ten times a second, and once a second for the clocks. What the plain output would say about
 * failures, warnings, phases and probes is printed in full above the frame (HumanReporter's
 * lines), and the final summary below the last frame is HumanReporter's, word for word.
 * This is the thin shell: the model is live-state.ts, the drawing live-frame.ts.
 */
import { createLogUpdate } from 'log-update';
import type { RunEvent } from '../events/index.js';
import { HumanReporter } from './human.js';
import { renderFrame } from './live-frame.js';
import { applyEvent, createLiveState, REACHED_STATUSES, type LivePlan, type LiveState } from './live-state.js';
import { REAL_TIMERS, type Timers } from './long-steps.js';
import { NO_COLOURS, type Style } from './style.js';

/** What the view writes to: a terminal stream (its size is read on every frame). */
export interface LiveStream {
  write(text: string): unknown;
  readonly columns?: number;
  readonly rows?: number;
  readonly isTTY?: boolean;
}

export interface LiveOptions {
  readonly stream: LiveStream;
  readonly style?: Style;
  /** Hosts' waits, for "waiting for …". Without it a host not started yet shows as queued. */
  readonly plan?: LivePlan;
  /** Also print every step's output and check attempt above the frame. */
  readonly verbose?: boolean;
  /** @default real time */
  readonly timers?: Timers;
  /** Least time between two frames. @default 100 (10 frames a second) */
  readonly frameMs?: number;
}

/** Events whose plain line always goes above the frame; others only when they say something went wrong. */
const KEPT = new Set<RunEvent['type']>(['run-started', 'phase', 'health', 'probe', 'continuity', 'warning', 'wave-finished']);
const kept = (e: RunEvent): boolean => KEPT.has(e.type)
  || (e.type === 'step-finished' && (e.status === 'failed' || e.status === 'timed-out' || e.status === 'cancelled'))
  || (e.type === 'host-finished' && !REACHED_STATUSES.has(e.status));

/** The frame's size when a terminal does not say (`script` without a terminal of its own reports 0). */
const DEFAULT_SIZE = { columns: 80, rows: 24 } as const;

export class LiveReporter {
  readonly #o: LiveOptions;
  readonly #t: Timers;
  readonly #state: LiveState;
  readonly #human: HumanReporter;
  readonly #draw: ReturnType<typeof createLogUpdate>;
  /** Lines HumanReporter wrote for the current event. */
  #lines: string[] = [];
  /** Our clock's reading at run time 0. */
  #origin: number | undefined;
  #timer: unknown;
  #due = Infinity;
  #drawnAt = -Infinity;
  #done = false;
  /** How many frames were drawn (for specs and the benchmark). */
  frames = 0;

  constructor(options: LiveOptions) {
    this.#o = options;
    this.#t = options.timers ?? REAL_TIMERS;
    this.#state = createLiveState(options.plan);
    this.#human = new HumanReporter({ write: (l) => this.#lines.push(l), style: options.style ?? NO_COLOURS, verbose: options.verbose === true, longSteps: false });
    const s = options.stream;
    // The size is read through getters: a resized terminal gets a frame of its new size.
    const sized = {
      write: (text: string) => s.write(text),
      get columns() { return s.columns || DEFAULT_SIZE.columns; },
      get rows() { return s.rows || DEFAULT_SIZE.rows; },
      isTTY: s.isTTY === true,
    };
    this.#draw = createLogUpdate(sized as unknown as NodeJS.WriteStream);
  }

  onEvent(e: RunEvent): void {
    if (this.#done) return;
    this.#origin ??= this.#t.now() - e.elapsedMs;
    applyEvent(this.#state, e);
    this.#lines = [];
    this.#human.onEvent(e);
    if (e.type === 'run-finished') return this.#finish();
    if (this.#lines.length > 0 && (this.#o.verbose === true || kept(e))) this.#draw.persist(this.#lines.join('\n'));
    this.#schedule(Math.max(this.#t.now(), this.#drawnAt + (this.#o.frameMs ?? 100)));
  }

  /** A line from elsewhere (the transport's notes), printed above the frame. */
  note(line: string): void {
    if (this.#done) this.#o.stream.write(`${line}\n`);
    else {
      this.#draw.persist(line);
      this.#schedule(this.#t.now());
    }
  }

  /** Stops redrawing; the frame stays as it is (a run that ended without run-finished). */
  dispose(): void {
    this.#cancel();
    if (!this.#done) this.#draw.done();
    this.#done = true;
    this.#human.dispose();
  }

  /** The last frame, the summary under it; the view ends. */
  #finish(): void {
    this.#cancel();
    this.#frame();
    this.#draw.done();
    this.#done = true;
    this.#o.stream.write(`${this.#lines.join('\n')}\n`);
  }

  #schedule(at: number): void {
    if (this.#timer !== undefined && this.#due <= at) return;
    this.#cancel();
    this.#due = at;
    this.#timer = this.#t.setTimeout(() => {
      this.#timer = undefined;
      this.#due = Infinity;
      this.#frame();
      // The clocks move once a second even when nothing happens.
      this.#schedule(this.#t.now() + 1000);
    }, Math.max(0, at - this.#t.now()));
  }

  #cancel(): void {
    if (this.#timer !== undefined) this.#t.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#due = Infinity;
  }

  #frame(): void {
    const now = this.#t.now();
    const s = this.#o.stream;
    const lines = renderFrame(this.#state, {
      nowMs: this.#state.finished === undefined ? now - (this.#origin ?? now) : this.#state.lastMs, width: s.columns || DEFAULT_SIZE.columns, height: s.rows || DEFAULT_SIZE.rows, ...(this.#o.style ? { style: this.#o.style } : {}),
    });
    this.#draw(lines.join('\n'));
    this.#drawnAt = now;
    this.frames++;
  }
}
