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

/** True when `error` is the reason a signal aborted with (cancel or timeout), not a failure of its own. */
export function isAbortReason(error: unknown, signal: AbortSignal): boolean {
  return signal.aborted && error === signal.reason;
}
