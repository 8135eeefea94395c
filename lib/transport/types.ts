/**
 * The transport contract: run one command on an SSH endpoint or on the controller, with a
 * timeout and cancellation that really stop the command. Results are values, never thrown.
 */
import type { SshEndpoint } from '../topology/index.js';

export type Stream = 'stdout' | 'stderr';

export interface ExecOptions {
  /** Cancels the command (run-level cancel, e.g. Ctrl-C). */
  readonly signal: AbortSignal;
  /**
   * Stops the command after it has run this long on the host; the result says `timed-out`. The
   * time starts when the command starts: waiting for a connection or a free channel is bounded
   * by the endpoint's connect timeout instead, and reported as `connect-failed`.
   */
  readonly timeoutMs: number;
  /** Receives output as it arrives. */
  readonly onOutput?: (stream: Stream, text: string) => void;
  /**
   * A poll or a repeated check attempt: under a concurrency limit it waits behind commands that
   * move the run forward. The transport itself ignores it.
   */
  readonly background?: boolean;
}

/**
 * - `exited`: the command ran and exited with `exitCode`.
 * - `signalled`: the command was killed by `signal` (not by us).
 * - `timed-out` / `cancelled`: we stopped it; `killed` says whether the stop was confirmed.
 * - `connection-lost`: the connection closed before an exit status arrived (expected when a host shuts down).
 * - `connect-failed`: no connection could be made; see `connectError`.
 */
export type ExecOutcome = 'exited' | 'signalled' | 'timed-out' | 'cancelled' | 'connection-lost' | 'connect-failed';

/**
 * Why a connection could not be made.
 * - `unreachable`: refused, no route, DNS failure, or the server closed before the handshake.
 * - `timeout`: no handshake within the connect timeout.
 * - `auth`: the server answered but refused every key.
 * - `host-key`: the host key is unknown (policy strict), changed, or revoked.
 * - `config`: a local problem, e.g. an unreadable identity file.
 * - `local`: the controller itself ran out of a resource (file descriptors, memory): not the host's fault.
 * - `busy`: every session of every connection to the endpoint stayed busy for the connect timeout.
 */
export type ConnectErrorKind = 'unreachable' | 'timeout' | 'auth' | 'host-key' | 'config' | 'local' | 'busy';

export interface ConnectError {
  readonly kind: ConnectErrorKind;
  readonly message: string;
}

export interface CommandResult {
  readonly outcome: ExecOutcome;
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly durationMs: number;
  readonly connectError?: ConnectError;
  /** For `timed-out` and `cancelled`: true when the remote process group was killed. */
  readonly killed?: boolean;
}

export type Endpoint = SshEndpoint | 'local';

/** Whether an SSH server answers on an endpoint, without logging in. */
export interface ProbeResult {
  /** True when the port accepted and the server sent an SSH identification line. */
  readonly answers: boolean;
  /** What was seen: the banner, or why not (refused, no answer in time, not SSH …). */
  readonly observed: string;
  /** The controller ran out of a resource (file descriptors): says nothing about the host. */
  readonly local?: boolean;
  /** Waiting will not change it: the name does not resolve (ENOTFOUND). */
  readonly final?: boolean;
}

export interface ProbeOptions {
  readonly signal: AbortSignal;
  readonly timeoutMs: number;
  /** A poll (see ExecOptions.background). */
  readonly background?: boolean;
}

export interface Transport {
  exec(endpoint: Endpoint, command: string, options: ExecOptions): Promise<CommandResult>;
  /**
   * Connects to the endpoint's SSH port (through its bastion, if any) and reads the server's
   * identification line, without a handshake: a cheap "does SSH answer yet" for boot and
   * shutdown polls.
   */
  probe(endpoint: SshEndpoint, options: ProbeOptions): Promise<ProbeResult>;
  /**
   * Opens a connection to the endpoint in advance if there is none, so that the first command
   * does not wait for a handshake. Resolves once connected or failed; never rejects.
   */
  prepare(endpoint: SshEndpoint): Promise<void>;
  /**
   * Resolves when every connection to the endpoint that is open now has closed (a host going
   * down cuts them); undefined when none is open, so there is nothing to watch. A hint for waits,
   * never proof that a machine is off.
   */
  closed(endpoint: SshEndpoint): Promise<void> | undefined;
  /** Drops the pooled connection to an endpoint, e.g. after the host went down. */
  forget(endpoint: SshEndpoint): void;
  /** Closes every connection. */
  close(): Promise<void>;
}
