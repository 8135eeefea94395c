/**
 * The fleet controller's remote API, served next to `GET /status` on the control endpoint, for
 * host fronts (`orchestrate fleet serve-host`, lib/fleet/front.ts) that give each simulated
 * machine a network address of its own, e.g. one container per machine:
 *
 *   POST /exec   {"host": H, "command": C}  runs C on machine H, as if it had arrived over SSH.
 *                Answers NDJSON as the command goes: {"stream":"stdout"|"stderr","text":…}, then
 *                one {"exit":N} | {"signal":"TERM"} | {"drop":true}. When the client disconnects,
 *                the command is killed (that is how a kill reaches it).
 *   GET /watch?host=H   NDJSON {"listening":bool,"refuseAuth":bool}: now, and each time the
 *                machine's SSH starts or stops listening. Never ends on its own.
 *
 * Only requests with the fleet's token reach it (control.ts answers every other one 401); the
 * control endpoint is also bound to 127.0.0.1 unless `fleet up --serve` puts it on a private
 * (container) network. Simulated commands only touch the simulated world, never the real machine.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { unwrapCommand } from '../transport/index.js';
import type { ExecHandler, ExecReply, SimulatedExec, SimulatedSshHost } from './ssh-host.js';

/** A simulated machine as the API reaches it: its SSH server (for the listening state) and what runs its commands. */
export interface RemoteMachine {
  readonly ssh: SimulatedSshHost;
  readonly handler: ExecHandler;
}

/** One line of a `POST /exec` answer. */
export type ExecMessage =
  | { readonly stream: 'stdout' | 'stderr'; readonly text: string }
  | { readonly exit: number }
  | { readonly signal: string }
  | { readonly drop: true };

/** One line of a `GET /watch` answer. */
export interface WatchMessage {
  readonly listening: boolean;
  readonly refuseAuth: boolean;
}

/** A request handler for the control server: true when it answered the request. */
export type ApiHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

const MAX_BODY = 1 << 20;
// Commands run through the API get pids of their own; the SSH client sees the front's.
let nextPid = 500_000;

/** The `/exec` and `/watch` routes over `machines` (VMs and hypervisors, by name). */
export function remoteApi(machines: ReadonlyMap<string, RemoteMachine>): ApiHandler {
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://fleet');
    if (req.method === 'POST' && url.pathname === '/exec') {
      serveExec(req, res, machines).catch((e: unknown) => fail(res, 500, (e as Error).message));
      return true;
    }
    if (req.method === 'GET' && url.pathname === '/watch') {
      const machine = machines.get(url.searchParams.get('host') ?? '');
      if (machine) serveWatch(res, machine.ssh);
      else fail(res, 404, `no machine named '${url.searchParams.get('host') ?? ''}' in this fleet`);
      return true;
    }
    return false;
  };
}

function fail(res: ServerResponse, status: number, message: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: message }));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > MAX_BODY) req.destroy(new Error('request body too large'));
    });
    req.once('end', () => resolve(body));
    req.once('error', reject);
  });
}

function parseExecRequest(text: string): { host: string; command: string } | string {
  try {
    const body = JSON.parse(text) as { host?: unknown; command?: unknown };
    if (typeof body.host === 'string' && typeof body.command === 'string') return { host: body.host, command: body.command };
  } catch {
    // reported below
  }
  return 'expected a JSON body {"host": string, "command": string}';
}

async function serveExec(req: IncomingMessage, res: ServerResponse, machines: ReadonlyMap<string, RemoteMachine>): Promise<void> {
  const request = parseExecRequest(await readBody(req));
  if (typeof request === 'string') return fail(res, 400, request);
  const machine = machines.get(request.host);
  if (!machine) return fail(res, 404, `no machine named '${request.host}' in this fleet`);
  res.writeHead(200, { 'content-type': 'application/x-ndjson', 'cache-control': 'no-store' });
  res.on('error', () => undefined);
  const send = (m: ExecMessage): void => {
    if (!res.destroyed) res.write(`${JSON.stringify(m)}\n`);
  };
  // A machine whose sshd is down takes no command: the connection is as good as gone.
  if (!machine.ssh.listening) return void res.end(`${JSON.stringify({ drop: true })}\n`);
  const reply = await runExec(machine, request, res, send);
  if (!res.destroyed) res.end(`${JSON.stringify(finalMessage(reply))}\n`);
}

/** Runs the command until it ends, the client goes away, or the machine's SSH stops (as a session would be cut). */
async function runExec(machine: RemoteMachine, request: { host: string; command: string }, res: ServerResponse, send: (m: ExecMessage) => void): Promise<ExecReply> {
  const controller = new AbortController();
  const onClose = (): void => {
    if (!res.writableEnded) controller.abort(new Error('the front went away (killed)'));
  };
  res.on('close', onClose);
  const unwatch = machine.ssh.watch((listening) => {
    if (!listening) controller.abort(new Error('host went down'));
  });
  const exec: SimulatedExec = {
    host: request.host,
    command: unwrapCommand(request.command) ?? request.command,
    pid: nextPid++,
    signal: controller.signal,
    write: (stream, text) => send({ stream, text }),
  };
  try {
    return await machine.handler(exec);
  } catch {
    return controller.signal.aborted ? { signal: 'TERM' } : { code: 255 };
  } finally {
    unwatch();
    res.off('close', onClose);
  }
}

function finalMessage(reply: ExecReply): ExecMessage {
  if ('code' in reply) return { exit: reply.code };
  if ('signal' in reply) return { signal: reply.signal };
  return { drop: true };
}

function serveWatch(res: ServerResponse, ssh: SimulatedSshHost): void {
  res.writeHead(200, { 'content-type': 'application/x-ndjson', 'cache-control': 'no-store' });
  res.on('error', () => undefined);
  const send = (listening: boolean): void => {
    const m: WatchMessage = { listening, refuseAuth: ssh.refuseAuth };
    if (!res.destroyed) res.write(`${JSON.stringify(m)}\n`);
  };
  send(ssh.listening);
  const unwatch = ssh.watch(send);
  res.once('close', unwatch);
}
