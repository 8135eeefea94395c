/** Cancellable waiting. Every timer is cleared and every listener removed when the wait ends. */

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Resolves with the promise's value, or with `aborted` as soon as the signal aborts (the promise keeps running). */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | typeof ABORTED> {
  if (signal.aborted) return Promise.resolve(ABORTED);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => resolve(ABORTED);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e as Error);
      },
    );
  });
}

export const ABORTED: unique symbol = Symbol('aborted');

const fanouts = new WeakMap<AbortSignal, Set<() => void>>();

/**
 * Calls `fn` once when `signal` aborts; returns the function that forgets it. One listener per
 * signal however many callers (a run's signal has one caller per command in flight, and Node
 * warns past 10 listeners).
 */
export function whenAborted(signal: AbortSignal, fn: () => void): () => void {
  let set = fanouts.get(signal);
  if (!set) {
    const callbacks = new Set<() => void>();
    set = callbacks;
    fanouts.set(signal, callbacks);
    signal.addEventListener('abort', () => {
      for (const f of [...callbacks]) f();
      callbacks.clear();
    }, { once: true });
  }
  set.add(fn);
  const registered = set;
  return () => {
    registered.delete(fn);
  };
}

/** Why a {@link Deadline} aborted: its own time ran out (not the parent's cancel). */
export class DeadlineError extends Error {
  override readonly name = 'DeadlineError';
  constructor(ms: number) {
    super(`timed out after ${ms} ms`);
  }
}

/**
 * A signal that aborts when `parent` does or after `ms`, whichever comes first.
 *
 * Not `AbortSignal.any([parent, AbortSignal.timeout(ms)])`: on Node 20 the composite holds the
 * timeout signal only weakly, so after a full garbage collection the timeout never fires and a
 * hung command runs forever. Here the timer's closure holds the controller, and the event loop
 * holds the timer. Call `dispose()` when the work ends (it clears the timer and the listener).
 */
export class Deadline {
  readonly #controller = new AbortController();
  readonly #timer: NodeJS.Timeout | undefined;
  #unlisten: () => void = () => undefined;
  #expired = false;

  constructor(parent: AbortSignal, ms: number) {
    if (parent.aborted) {
      this.#controller.abort(parent.reason);
      return;
    }
    const limit = Math.max(1, Math.ceil(ms));
    this.#timer = setTimeout(() => {
      this.#expired = true;
      this.#controller.abort(new DeadlineError(limit));
    }, limit);
    this.#unlisten = whenAborted(parent, () => this.#controller.abort(parent.reason));
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** True when the time ran out (as opposed to the parent aborting). */
  get expired(): boolean {
    return this.#expired;
  }

  dispose(): void {
    clearTimeout(this.#timer);
    this.#unlisten();
  }
}

/**
 * A signal that aborts when any of `parents` does, held by explicit listeners (see Deadline for
 * why not `AbortSignal.any`). Returns the signal and the function that unlinks it.
 */
export function linkSignals(...parents: AbortSignal[]): { signal: AbortSignal; unlink: () => void } {
  const controller = new AbortController();
  const already = parents.find((p) => p.aborted);
  if (already) {
    controller.abort(already.reason);
    return { signal: controller.signal, unlink: () => undefined };
  }
  const forgets = parents.map((p) => whenAborted(p, () => controller.abort(p.reason)));
  return { signal: controller.signal, unlink: () => forgets.forEach((f) => f()) };
}
