/**
 * `--concurrency` (`-c`): how many commands — on hosts, hypervisors or the controller, checks
 * and probes included — are in flight at once, in every command (up, down, check, failover,
 * failback). A host that only waits (for its boot, between two polls, for peers, for the hosts
 * it depends on) holds nothing, so no setting can deadlock a run: with `-c 1` everything still
 * happens, one command at a time. Commands that move the platform forward go before polls and
 * repeated check attempts (`background`), so waiting hosts never starve hosts that must start.
 */
import { whenAborted } from '../util/abort.js';
import type { CommandResult, Endpoint, ExecOptions, ProbeOptions, ProbeResult, Transport } from '../transport/index.js';
import type { SshEndpoint } from '../topology/index.js';

type Release = () => void;

interface Waiter {
  readonly grant: (release: Release | undefined) => void;
}

export class WorkLimit {
  /** Infinity: no limit. */
  readonly limit: number;
  #running = 0;
  readonly #work: Waiter[] = [];
  readonly #background: Waiter[] = [];

  constructor(limit: number) {
    this.limit = limit;
  }

  /** A slot, or undefined when `signal` aborted first. */
  acquire(background: boolean, signal: AbortSignal): Promise<Release | undefined> {
    if (signal.aborted) return Promise.resolve(undefined);
    if (this.#running < this.limit && this.#work.length === 0 && (background ? this.#background.length === 0 : true)) {
      this.#running++;
      return Promise.resolve(this.#release());
    }
    return new Promise((resolve) => {
      const queue = background ? this.#background : this.#work;
      const forget = whenAborted(signal, () => {
        const i = queue.indexOf(waiter);
        if (i >= 0) queue.splice(i, 1);
        resolve(undefined);
      });
      const waiter: Waiter = {
        grant: (release) => {
          forget();
          resolve(release);
        },
      };
      queue.push(waiter);
    });
  }

  #release(): Release {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.#running--;
      const next = this.#work.shift() ?? this.#background.shift();
      if (next) {
        this.#running++;
        next.grant(this.#release());
      }
    };
  }

  async run<T>(background: boolean, signal: AbortSignal, work: () => Promise<T>, cancelled: () => T): Promise<T> {
    if (this.limit === Infinity) return work();
    const release = await this.acquire(background, signal);
    if (!release) return cancelled();
    try {
      return await work();
    } finally {
      release();
    }
  }
}

const CANCELLED: CommandResult = { outcome: 'cancelled', exitCode: null, signal: null, stdout: '', stderr: '', durationMs: 0, killed: true };

/** The run's transport: every command and probe takes a slot of `limit` first. */
export function limitedTransport(inner: Transport, limit: WorkLimit): Transport {
  if (limit.limit === Infinity) return inner;
  return {
    exec: (endpoint: Endpoint, command: string, options: ExecOptions): Promise<CommandResult> =>
      limit.run(options.background === true, options.signal, () => inner.exec(endpoint, command, options), () => CANCELLED),
    probe: (endpoint: SshEndpoint, options: ProbeOptions): Promise<ProbeResult> =>
      limit.run(true, options.signal, () => inner.probe(endpoint, options), () => ({ answers: false, observed: 'cancelled' })),
    prepare: (endpoint) => inner.prepare(endpoint),
    closed: (endpoint) => inner.closed(endpoint),
    forget: (endpoint) => inner.forget(endpoint),
    close: () => inner.close(),
  };
}
