/**
 * A host front: the SSH face of one simulated machine (VM or hypervisor) in a process of its own,
 * e.g. one container per machine, so each machine has its own network address. It answers SSH as
 * every simulated host does (host key, public-key login, process groups, `kill -TERM -- -PGID`),
 * but simulates nothing: each command is forwarded to the fleet controller (`POST /exec`, see
 * remote-api.ts) and its output streamed back as it comes; killing the command aborts the HTTP
 * request, and the controller then kills it there. The front listens exactly while the machine's
 * sshd does, following `GET /watch`. When the controller goes away the front stops.
 */
import '../transport/index.js'; // first: it extends ssh2 before ssh2 loads (transport/ssh2-certs.ts)
import http from 'node:http';
import ssh2 from 'ssh2';
import type { ExecMessage, WatchMessage } from './remote-api.js';
import { SimulatedSshHost, type ExecReply, type SimulatedExec } from './ssh-host.js';

const { utils } = ssh2;

/** The keys of an authorized_keys (or .pub) file, as SimulatedSshHost wants them, or what is wrong with a line. */
export function parseAuthorizedKeys(text: string): Buffer[] | string {
  const keys: Buffer[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    const key = utils.parseKey(line.trim());
    if (key instanceof Error) return `line ${i + 1}: ${key.message}`;
    keys.push(key.getPublicSSH());
  }
  return keys.length > 0 ? keys : 'no key in it';
}

export interface FrontOptions {
  /** The machine's name in the fleet (a VM or a hypervisor). */
  readonly name: string;
  /** The controller's base URL, e.g. `http://controller:7000`. */
  readonly controller: string;
  /** The controller's token, sent with every request (`fleet up --token-file`). */
  readonly token: string;
  /** The host key, OpenSSH private format. */
  readonly hostKey: string;
  /** Public key blobs allowed to log in (from `utils.parseKey(pub).getPublicSSH()`). */
  readonly authorizedKeys: readonly Buffer[];
  /** @default '0.0.0.0' */
  readonly address?: string;
  /** 0 takes a free port at start and keeps it. @default 22 */
  readonly port?: number;
  /** Sessions per connection, as the topology's `max_sessions`. @default 10 */
  readonly maxSessions?: number;
  /** Stops the front. */
  readonly signal: AbortSignal;
}

export interface RunningFront {
  /** Its SSH server (listening while the machine's sshd runs). */
  readonly host: SimulatedSshHost;
  /** Resolves when the front stops because `signal` aborted; rejects when it stops for any other reason (the controller went away). */
  readonly done: Promise<void>;
}

/** Starts a front and resolves once it follows the controller (the machine's current state applied). */
export async function startFront(options: FrontOptions): Promise<RunningFront> {
  const host = new SimulatedSshHost({
    name: options.name, address: options.address ?? '0.0.0.0', port: options.port ?? 22,
    authorizedKeys: options.authorizedKeys, hostKey: options.hostKey,
    ...(options.maxSessions === undefined ? {} : { maxSessions: options.maxSessions }),
    handler: (exec) => forwardExec(options, exec),
  });
  if (options.port === 0) {
    await host.start(); // takes a port, kept for when the machine's sshd starts
    await host.stop();
  }
  // A state the front cannot take (its port taken, say) stops it, as the controller going away does.
  const stopping = new AbortController();
  let failure: Error | undefined;
  let first: () => void = () => undefined;
  const followed = new Promise<void>((resolve) => (first = resolve));
  let applied = Promise.resolve();
  const watchUrl = `${options.controller}/watch?host=${encodeURIComponent(options.name)}`;
  const watching = followWatch(watchUrl, options.token, AbortSignal.any([options.signal, stopping.signal]), (state) => {
    applied = applied.then(() => apply(host, state)).then(() => first(), (e: unknown) => {
      failure ??= e as Error;
      stopping.abort(e);
    });
  });
  const done = watching.then(() => applied).finally(() => host.stop()).then(() => {
    if (failure) throw failure;
    if (!options.signal.aborted) throw new Error(`GET ${watchUrl} ended`);
  });
  done.catch(() => undefined); // observed by whoever awaits `done`; never an unhandled rejection
  await Promise.race([followed, done]);
  return { host, done };
}

function apply(host: SimulatedSshHost, state: WatchMessage): Promise<void> {
  host.refuseAuth = state.refuseAuth;
  return state.listening ? host.start() : host.stop();
}

/** Follows `GET /watch` until the stream ends (resolves) or fails (rejects); an abort ends it quietly. */
async function followWatch(url: string, token: string, signal: AbortSignal, onState: (state: WatchMessage) => void): Promise<void> {
  try {
    const res = await request(url, { method: 'GET', token, signal });
    await readNdjson(res, (value) => {
      const m = value as Partial<WatchMessage>;
      if (typeof m.listening !== 'boolean') throw new Error(`unexpected watch message ${JSON.stringify(value)}`);
      onState({ listening: m.listening, refuseAuth: m.refuseAuth === true });
    });
  } catch (e) {
    if (!signal.aborted) throw new Error(`GET ${url}: ${(e as Error).message}`, { cause: e });
  }
}

/** Runs `exec` on the controller, streaming its output back; rejects when killed (the host then reports TERM). */
async function forwardExec({ controller, token }: Pick<FrontOptions, 'controller' | 'token'>, exec: SimulatedExec): Promise<ExecReply> {
  let reply: ExecReply | undefined;
  try {
    const res = await request(`${controller}/exec`, { method: 'POST', token, signal: exec.signal, body: JSON.stringify({ host: exec.host, command: exec.command }) });
    await readNdjson(res, (value) => {
      const m = value as ExecMessage;
      if ('stream' in m) exec.write(m.stream === 'stderr' ? 'stderr' : 'stdout', String(m.text));
      else if ('exit' in m) reply = { code: Number(m.exit) };
      else if ('signal' in m) reply = { signal: String(m.signal) };
      else if ('drop' in m) reply = { drop: true };
    });
  } catch (e) {
    if (exec.signal.aborted) throw e;
    exec.write('stderr', `orchestrate fleet front ${exec.host}: POST ${controller}/exec: ${(e as Error).message}\n`);
    return { code: 255 };
  }
  if (reply === undefined) {
    exec.write('stderr', `orchestrate fleet front ${exec.host}: the controller ended the command without a result\n`);
    return { code: 255 };
  }
  return reply;
}

/** One HTTP request, without a keep-alive pool: aborting it closes exactly its own connection. */
function request(url: string, options: { method: string; token: string; signal: AbortSignal; body?: string }): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const headers = { authorization: `Bearer ${options.token}`, ...(options.body === undefined ? {} : { 'content-type': 'application/json' }) };
    const req = http.request(url, { method: options.method, signal: options.signal, agent: false, headers }, (res) => {
      if (res.statusCode === 200) return resolve(res);
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => reject(new Error(`HTTP ${res.statusCode ?? '?'} ${text.trim()}`)));
      res.on('error', reject);
    });
    req.on('error', reject); // stays attached: a late error (an abort) must not go unhandled
    req.end(options.body);
  });
}

/** Calls `onLine` with each JSON line of the body; resolves at its end, rejects if it is cut short or a line is bad. */
function readNdjson(res: http.IncomingMessage, onLine: (value: unknown) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buffered += chunk;
      for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        if (line.trim() === '') continue;
        try {
          onLine(JSON.parse(line));
        } catch (e) {
          res.destroy();
          reject(e as Error);
          return;
        }
      }
    });
    res.once('end', () => resolve());
    res.on('error', reject);
    res.once('close', () => {
      if (!res.complete) reject(new Error('the connection to the controller was cut'));
    });
  });
}
