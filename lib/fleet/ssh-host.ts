/**
 * A simulated machine reachable over real SSH: an ssh2 Server on a loopback address with its own
 * host key, public-key authentication, and every exec handed to a handler that plays the
 * machine. Switching it off closes the port and cuts every session, as a powered-off VM would.
 * Used by the simulated fleet and by tests; the engine never imports it.
 */
import '../transport/index.js'; // first: it extends ssh2 before ssh2 loads (transport/ssh2-certs.ts)
import net from 'node:net';
import ssh2, { type Connection, type ServerChannel } from 'ssh2';
import { PGID_MARKER, unwrapCommand } from '../transport/index.js';
import { fastHostKey, generateEd25519, keyVerifier, type KeyVerifier } from './keys.js';

const { Server } = ssh2;

declare module 'ssh2' {
  interface Connection {
    setNoDelay(noDelay?: boolean): this;
  }
}

/** One command arriving at the simulated host. */
export interface SimulatedExec {
  readonly host: string;
  /** The command as the user wrote it (orchestrate's process-group wrapper removed). */
  readonly command: string;
  /** The simulated process group id. */
  readonly pid: number;
  /** Aborts when the process group is killed or the session goes away. */
  readonly signal: AbortSignal;
  write(stream: 'stdout' | 'stderr', text: string): void;
}

/** How a command ends: an exit code, death by a signal, or the connection dropping mid-command. */
export type ExecReply = { readonly code: number } | { readonly signal: string } | { readonly drop: true };

export type ExecHandler = (exec: SimulatedExec) => Promise<ExecReply>;

export interface SshHostOptions {
  readonly name: string;
  readonly address?: string;
  /** 0 picks a free port on first start; the port is kept across restarts. */
  readonly port?: number;
  /** Public key blobs allowed to log in (from `utils.parseKey(pub).getPublicSSH()`). */
  readonly authorizedKeys: readonly Buffer[];
  readonly handler: ExecHandler;
  /** Sessions allowed per connection, like OpenSSH's MaxSessions. @default 10 */
  readonly maxSessions?: number;
  /** Host key in OpenSSH private format; generated when omitted. */
  readonly hostKey?: string;
  /**
   * Real milliseconds each command waits before it starts (a slow host or link): the process
   * group marker and the handler come only then. Asked once per command. @default none
   */
  readonly delay?: () => number;
}

let nextPid = 1000;

export class SimulatedSshHost {
  readonly name: string;
  readonly address: string;
  readonly hostKey: string;
  /** 'ssh-ed25519 AAAA…', for known_hosts. */
  readonly hostPublicKey: string;
  /** Refuse every login (fault injection). */
  refuseAuth = false;
  /** Connections accepted so far (to observe pooling). */
  connectionsAccepted = 0;
  #port: number;
  #server: InstanceType<typeof Server> | undefined;
  /** The host key parsed once, for every start (a VM's sshd starts at each boot). */
  readonly #hostKey: ssh2.ParsedKey;
  readonly #verifiers: readonly { readonly blob: Buffer; readonly verify: KeyVerifier }[];
  readonly #connections = new Set<Connection>();
  readonly #running = new Map<number, AbortController>();
  readonly #options: SshHostOptions;
  readonly #watchers = new Set<(listening: boolean) => void>();

  constructor(options: SshHostOptions) {
    this.#options = options;
    this.name = options.name;
    this.address = options.address ?? '127.0.0.1';
    this.#port = options.port ?? 0;
    this.hostKey = options.hostKey ?? generateEd25519().private;
    this.#hostKey = fastHostKey(this.hostKey);
    this.hostPublicKey = `${this.#hostKey.type} ${this.#hostKey.getPublicSSH().toString('base64')}`;
    this.#verifiers = options.authorizedKeys.flatMap((blob) => {
      const verify = keyVerifier(blob);
      return verify ? [{ blob, verify }] : [];
    });
  }

  get port(): number {
    return this.#port;
  }

  get listening(): boolean {
    return this.#server !== undefined;
  }

  /** Calls `fn` each time the host starts or stops listening. Returns the function that stops the calls. */
  watch(fn: (listening: boolean) => void): () => void {
    this.#watchers.add(fn);
    return () => this.#watchers.delete(fn);
  }

  /**
   * Starts answering SSH (a machine that finished booting its sshd). When the port cannot be
   * bound (EADDRINUSE: another process took it while this host was off), the host stays
   * switched off and the error is thrown; the caller decides whether to try again.
   */
  async start(): Promise<void> {
    if (this.#server) return;
    const server = new Server({ hostKeys: [{ key: this.#hostKey }] }, (conn) => this.#accept(conn));
    this.#server = server;
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(this.#port, this.address, () => {
          server.off('error', reject);
          this.#port = (server.address() as net.AddressInfo).port;
          resolve();
        });
      });
    } catch (e) {
      if (this.#server === server) this.#server = undefined;
      throw e;
    }
    if (this.#server !== server) {
      server.close(); // stopped while it was binding
      return;
    }
    for (const fn of this.#watchers) fn(true);
  }

  /** Stops answering and cuts every session (power off). Running commands see their signal abort. */
  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = undefined;
    for (const fn of this.#watchers) fn(false);
    for (const c of this.#running.values()) c.abort(new Error('host went down'));
    for (const conn of this.#connections) conn.end();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Kills a simulated process group, as `kill -- -PGID` would. Returns whether it existed. */
  kill(pid: number): boolean {
    const c = this.#running.get(pid);
    c?.abort(new Error(`killed (process group ${pid})`));
    return c !== undefined;
  }

  #accept(conn: Connection): void {
    conn.setNoDelay(true);
    this.connectionsAccepted++;
    this.#connections.add(conn);
    let sessions = 0;
    conn.on('authentication', (ctx) => {
      if (this.refuseAuth || ctx.method !== 'publickey') return ctx.reject(['publickey']);
      const allowed = this.#verifiers.find((k) => k.blob.equals(ctx.key.data));
      if (!allowed) return ctx.reject(['publickey']);
      if (ctx.signature === undefined) return ctx.accept(); // the client asks whether the key would do
      if (!ctx.blob || !allowed.verify(ctx.blob, ctx.signature, ctx.hashAlgo)) return ctx.reject(['publickey']);
      return ctx.accept();
    });
    conn.on('session', (accept, reject) => {
      if (sessions >= (this.#options.maxSessions ?? 10)) return reject();
      sessions++;
      const session = accept();
      session.once('exec', (acceptExec, _reject, info) => {
        const channel = acceptExec();
        // Nothing reads stdin, so drain it: ssh2 emits 'close' only after the input has ended.
        channel.resume();
        channel.once('close', () => sessions--);
        void this.#exec(conn, channel, info.command);
      });
    });
    conn.on('error', () => undefined);
    conn.on('close', () => this.#connections.delete(conn));
  }

  async #exec(conn: Connection, channel: ServerChannel, sent: string): Promise<void> {
    const kill = /(?:^|; )kill -TERM -- -(\d+)/.exec(sent);
    if (kill) {
      this.kill(Number(kill[1]));
      return finish(channel, { code: 0 });
    }
    const wrapped = unwrapCommand(sent);
    const pid = nextPid++;
    const controller = new AbortController();
    this.#running.set(pid, controller);
    // Only a command still running learns that its session went away (no Error for every command that ended).
    channel.once('close', () => {
      if (this.#running.get(pid) === controller) controller.abort(new Error('session closed'));
    });
    const delay = this.#options.delay?.() ?? 0;
    if (delay > 0 && !(await waitUnlessAborted(delay, controller.signal))) {
      this.#running.delete(pid);
      return finish(channel, { signal: 'TERM' });
    }
    if (wrapped !== undefined) channel.write(`${PGID_MARKER}${pid}\n`);
    const exec: SimulatedExec = {
      host: this.name,
      command: wrapped ?? sent,
      pid,
      signal: controller.signal,
      write: (stream, text) => {
        if (stream === 'stdout') channel.write(text);
        else channel.stderr.write(text);
      },
    };
    let reply: ExecReply;
    try {
      reply = await this.#options.handler(exec);
    } catch {
      reply = controller.signal.aborted ? { signal: 'TERM' } : { code: 255 };
    }
    this.#running.delete(pid);
    if ('drop' in reply) {
      conn.end();
      return;
    }
    finish(channel, reply);
  }
}

function finish(channel: ServerChannel, reply: { code: number } | { signal: string }): void {
  try {
    if ('code' in reply) channel.exit(reply.code);
    else channel.exit(reply.signal, false, '');
    channel.end();
  } catch {
    // the client already went away
  }
}

/** Waits `ms`; false when `signal` aborted first. */
function waitUnlessAborted(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Waits until `signal` aborts: a command that hangs until it is killed. */
export function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => {
    if (signal.aborted) reject(signal.reason as Error);
    else signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
  });
}
