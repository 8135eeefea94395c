/**
 * The few errors that are thrown. Problems a user can fix in a topology are Diagnostics (see
 * topology/), and step failures are events with a result; neither is thrown.
 */

/** An invariant broke: a bug in orchestrate, never a user error. */
export class InternalError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(`Internal error: ${message}`, options);
    this.name = 'InternalError';
  }
}

/** A problem at the command-line edge, with the exit code and what to try next. */
export class CliError extends Error {
  readonly exitCode: number;
  readonly suggestions: readonly string[];
  constructor(message: string, options: { exitCode?: number; suggestions?: readonly string[]; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CliError';
    this.exitCode = options.exitCode ?? 1;
    this.suggestions = options.suggestions ?? [];
  }
}
