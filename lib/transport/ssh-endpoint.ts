/**
 * Every connection to one SSH endpoint. Commands take a channel on a connected connection with
 * room (at most `max_sessions − 2` channels each: one session slot stays free for the kill of a
 * timed-out command); when every channel is busy and commands wait, another connection is
 * opened, up to MAX_CONNECTIONS. So a hypervisor running dozens of blocking commands (a `qm
 * shutdown` holds its channel until the VM is off) is never the bottleneck, and a guest needs
 * only its one connection.
 *
 * Waiting for a connection or a channel is bounded by the endpoint's connect timeout and
 * reported as `connect-failed` (`timeout`, or `busy` when every session stayed taken); the
 * command's own timeout starts when its channel is open. Waiters are served first come, first
 * served.
 */
import type { SshEndpoint } from '../topology/index.js';
import { Deadline, whenAborted } from '../util/abort.js';
import type { ConnectDeps } from './ssh-connect.js';
import { now, SshConnection, type Forwarder } from './ssh-connection.js';
import type { CommandResult, ConnectError, ExecOptions } from './types.js';

/** Connections to one endpoint at most (by default). */
export const MAX_CONNECTIONS = 16;
/** Handshakes to one endpoint in progress at once: well below OpenSSH's MaxStartups (10). */
export const HANDSHAKES_PER_ENDPOINT = 2;
/** After an extra connection failed, no other extra one is tried for this long. */
const GROW_BACKOFF_MS = 1000;
/**
 * An extra connection is opened only once a command has waited this long for a channel: a burst
 * of short commands is served by the connection there is (a handshake costs more than the wait),
 * commands that hold their channels (a blocking `qm shutdown`) get more connections.
 */
export const GROW_AFTER_MS = 50;

interface Lease {
  readonly conn: SshConnection;
  release(): void;
}

interface Waiter {
  /** Waited longer than the connect timeout. */
  expired: boolean;
  readonly give: (lease: Lease | ConnectError) => void;
}

const NEVER = new AbortController().signal;

export class EndpointPool {
  readonly endpoint: SshEndpoint;
  readonly #deps: ConnectDeps;
  readonly #forward: Forwarder | undefined;
  readonly #capacity: number;
  readonly #maxConnections: number;
  readonly #growAfterMs: number;
  readonly #conns = new Set<SshConnection>();
  #connecting = 0;
  readonly #waiters: Waiter[] = [];
  #noGrowUntil = 0;
  #growTimer: NodeJS.Timeout | undefined;
  /** Since when commands have been waiting with every channel of a connected connection busy. */
  #busySince: number | undefined;
  #closed = false;
  readonly #whenEmpty: (() => void)[] = [];
  /** Waiters that waited longer than the connect timeout. */
  #expired = 0;

  constructor(endpoint: SshEndpoint, deps: ConnectDeps, options: { forward?: Forwarder; maxConnections?: number; growAfterMs?: number } = {}) {
    this.endpoint = endpoint;
    this.#deps = deps;
    this.#forward = options.forward;
    this.#maxConnections = options.maxConnections ?? MAX_CONNECTIONS;
    this.#growAfterMs = options.growAfterMs ?? GROW_AFTER_MS;
    this.#capacity = Math.max(1, endpoint.maxSessions - 2);
  }

  /** Connections open now (for tests and diagnostics). */
  get connections(): number {
    return this.#conns.size;
  }

  async exec(command: string, options: ExecOptions): Promise<CommandResult> {
    const startedAt = now();
    for (let attempt = 0; ; attempt++) {
      const lease = await this.#acquire(options.signal);
      if (!('conn' in lease)) {
        if (options.signal.aborted) return result('cancelled', startedAt, { killed: true });
        return result('connect-failed', startedAt, { connectError: lease });
      }
      // Opening the channel (with its retries of a refused channel) is bounded by the connect timeout too.
      const wait = new Deadline(options.signal, this.endpoint.connectTimeoutMs);
      try {
        let outcome: CommandResult | Error;
        try {
          outcome = await lease.conn.run(command, options, wait.signal, startedAt);
        } finally {
          lease.release();
        }
        if (!(outcome instanceof Error)) return outcome;
        // The channel never opened, so nothing ran. A dead connection is dropped and the command
        // retried once; other refusals (sessions exhausted after retries) are reported as they are.
        const dead = /Not connected|No response|closed|ECONNRESET|EPIPE/i.test(outcome.message);
        if (!dead || attempt >= 1 || options.signal.aborted) return result('connection-lost', startedAt, { stderr: outcome.message });
        lease.conn.close();
      } finally {
        wait.dispose();
      }
    }
  }

  /** Connects in advance when nothing is connected or connecting (the pool's first connection). */
  async prepare(): Promise<void> {
    if (this.#closed || this.#conns.size > 0 || this.#connecting > 0) return;
    const lease = await this.#acquire(NEVER);
    if ('conn' in lease) lease.release();
  }

  /** Resolves once no connection is open any more; undefined when none is open now. */
  closed(): Promise<void> | undefined {
    if (this.#conns.size === 0) return undefined;
    return new Promise((resolve) => this.#whenEmpty.push(resolve));
  }

  /** A TCP stream to `target` through this endpoint (it is a bastion). */
  async forward(target: SshEndpoint): Promise<Awaited<ReturnType<Forwarder>>> {
    const lease = await this.#acquire(NEVER);
    if (!('conn' in lease)) return { error: { ...lease, message: `bastion ${this.endpoint.name}: ${lease.message}` } };
    // A forwarded TCP channel is not a session (MaxSessions does not count it): give the slot back at once.
    lease.release();
    return lease.conn.forwardTo(target);
  }

  /**
   * A connection with a free channel, now or when one frees up; or why there is none. While a
   * handshake is in progress (or queued behind the controller's other handshakes) the wait lasts
   * as long as it does: the handshake has its own timeout, and the controller's queue is not the
   * host's fault. Otherwise a wait for a busy channel gives up after the connect timeout.
   */
  #acquire(cancel: AbortSignal): Promise<Lease | ConnectError> {
    return new Promise((resolve) => {
      if (this.#closed) return resolve({ kind: 'unreachable', message: 'the transport is closed' });
      if (cancel.aborted) return resolve({ kind: 'timeout', message: 'cancelled' });
      const waiter: Waiter = {
        expired: false,
        give: (lease) => {
          clearTimeout(timer);
          forget();
          resolve(lease);
        },
      };
      const forget = whenAborted(cancel, () => {
        this.#remove(waiter);
        waiter.give({ kind: 'timeout', message: 'cancelled' });
      });
      const timer = setTimeout(() => {
        waiter.expired = true;
        this.#expired++;
        this.#expire();
      }, this.endpoint.connectTimeoutMs);
      timer.unref();
      this.#waiters.push(waiter);
      this.#pump();
    });
  }

  #remove(waiter: Waiter): void {
    const i = this.#waiters.indexOf(waiter);
    if (i >= 0) this.#waiters.splice(i, 1);
    if (waiter.expired) this.#expired--;
  }

  /** Waiters past their patience give up, unless a handshake in progress may still serve them. */
  #expire(): void {
    if (this.#connecting > 0 || this.#expired === 0) return;
    for (const w of this.#waiters.filter((x) => x.expired)) {
      this.#remove(w);
      w.give(this.#waitFailure());
    }
  }

  /** Why a wait ended without a channel. */
  #waitFailure(): ConnectError {
    const name = `${this.endpoint.address}:${this.endpoint.port}`;
    const limit = this.endpoint.connectTimeoutMs;
    if (this.#conns.size > 0) {
      const busy = [...this.#conns].reduce((n, c) => n + c.inFlight, 0);
      return { kind: 'busy', message: `no free session on ${name} within ${limit} ms: ${busy} commands running on ${this.#conns.size} connection(s), ${this.#waiters.length} waiting` };
    }
    return { kind: 'timeout', message: `no SSH connection to ${name} within ${limit} ms${this.#connecting > 0 ? ' (handshake still in progress; the controller may be overloaded)' : ''}` };
  }

  /** Gives free channels to waiters in order; opens another connection when they still wait. */
  #pump(): void {
    while (this.#waiters.length > 0) {
      const conn = this.#free();
      if (!conn) break;
      conn.inFlight++;
      const waiter = this.#waiters.shift() as Waiter;
      if (waiter.expired) this.#expired--;
      let released = false;
      waiter.give({
        conn,
        release: () => {
          if (released) return;
          released = true;
          conn.inFlight--;
          this.#pump();
        },
      });
    }
    if (this.#waiters.length === 0 || this.#conns.size === 0) this.#busySince = undefined;
    else this.#busySince ??= performance.now();
    if (this.#waiters.length > 0) this.#grow();
    if (this.#waiters.length > 0) this.#expire();
  }

  #free(): SshConnection | undefined {
    for (const c of this.#conns) if (c.ready && c.inFlight < this.#capacity) return c;
    return undefined;
  }

  #grow(): void {
    if (this.#closed) return;
    if (this.#waiters.length <= this.#connecting * this.#capacity) return;
    // The first connection goes alone: it tells whether the host answers at all.
    if (this.#conns.size === 0 && this.#connecting > 0) return;
    if (this.#conns.size + this.#connecting >= this.#maxConnections || this.#connecting >= HANDSHAKES_PER_ENDPOINT) return;
    const notBefore = this.#conns.size === 0 ? 0 : Math.max(this.#noGrowUntil, (this.#busySince ?? performance.now()) + this.#growAfterMs);
    if (performance.now() < notBefore) {
      this.#growTimer ??= setTimeout(() => {
        this.#growTimer = undefined;
        this.#pump();
      }, notBefore - performance.now());
      this.#growTimer.unref();
      return;
    }
    this.#connecting++;
    const conn = new SshConnection(this.endpoint, this.#deps, {
      forward: this.#forward,
      onClose: () => {
        this.#conns.delete(conn);
        if (this.#conns.size === 0) for (const f of this.#whenEmpty.splice(0)) f();
        this.#pump();
      },
    });
    void conn.connect().then((outcome) => {
      this.#connecting--;
      if ('client' in outcome) {
        if (this.#closed) conn.close();
        else this.#conns.add(conn);
      } else if (this.#conns.size === 0 && this.#connecting === 0) {
        // Nothing connected and nothing trying: everyone waiting hears why (a host that is down
        // answers its pollers at once).
        this.#expired = 0;
        for (const w of this.#waiters.splice(0)) w.give(outcome.error);
      } else {
        this.#noGrowUntil = performance.now() + GROW_BACKOFF_MS;
      }
      this.#pump();
    });
  }

  /** Drops every connection (the host went down); later commands connect again. */
  forget(): void {
    for (const c of [...this.#conns]) c.close();
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#growTimer);
    this.#expired = 0;
    for (const w of this.#waiters.splice(0)) w.give({ kind: 'unreachable', message: 'the transport is closed' });
    this.forget();
  }
}

function result(outcome: CommandResult['outcome'], startedAt: number, extra: Partial<CommandResult> = {}): CommandResult {
  return { outcome, exitCode: null, signal: null, stdout: '', stderr: '', durationMs: now() - startedAt, ...extra };
}
