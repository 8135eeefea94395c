/**
 * http, tcp and hazelcast checks made by the controller itself (`local: true`): a real HTTP(S)
 * request with Node's http/https (certificate verified unless tls_verify is false) or a TCP
 * connection, with the attempt's timeout.
 */
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { judgeHazelcast, judgeHttp, type HttpAnswer, type JudgeEnv, type Verdict } from '../checks/index.js';
import type { CheckProbe } from '../topology/index.js';

interface NativeOptions {
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
  /** The host's address, for a tcp check without `host`. */
  readonly defaultHost: string;
  readonly env: JudgeEnv;
}

const BODY_LIMIT = 64 * 1024;

function request(url: string, o: { method: string; headers: Readonly<Record<string, string>>; tlsVerify: boolean; timeoutMs: number; signal: AbortSignal }): Promise<HttpAnswer | string> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (v: HttpAnswer | string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(v);
    };
    const lib = url.startsWith('https:') ? https : http;
    const req = lib.request(url, { method: o.method, headers: o.headers, rejectUnauthorized: o.tlsVerify, signal: o.signal }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (body.length < BODY_LIMIT) body += chunk;
      });
      res.on('end', () => done({ status: res.statusCode ?? 0, body }));
      res.on('error', (e) => done(e.message));
    });
    const timer = setTimeout(() => {
      done(`no answer within ${o.timeoutMs} ms`);
      req.destroy();
    }, o.timeoutMs);
    req.on('error', (e: NodeJS.ErrnoException) => done(o.signal.aborted ? 'cancelled' : `${e.code ?? 'error'}: ${e.message}`));
    req.end();
  });
}

function connect(host: string, port: number, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const finish = (error?: string): void => {
      socket.destroy();
      resolve(error);
    };
    socket.setTimeout(timeoutMs, () => finish(`no connection within ${timeoutMs} ms`));
    socket.once('connect', () => finish());
    socket.once('error', (e: NodeJS.ErrnoException) => finish(`${e.code ?? 'error'}: ${e.message}`));
  });
}

export async function nativeProbe(probe: CheckProbe, o: NativeOptions): Promise<Verdict> {
  switch (probe.kind) {
    case 'http': {
      const a = await request(probe.url, { method: probe.method, headers: probe.headers, tlsVerify: probe.tlsVerify, timeoutMs: o.timeoutMs, signal: o.signal });
      return typeof a === 'string' ? { ok: false, observed: `${probe.method} ${probe.url}: ${a}` } : judgeHttp(probe, a);
    }
    case 'hazelcast': {
      const a = await request(probe.url, { method: 'GET', headers: {}, tlsVerify: true, timeoutMs: o.timeoutMs, signal: o.signal });
      return typeof a === 'string' ? { ok: false, observed: `GET ${probe.url}: ${a}` } : judgeHazelcast(probe, a, o.env);
    }
    case 'tcp': {
      const host = probe.host ?? o.defaultHost;
      const port = Number(probe.port);
      if (!Number.isInteger(port) || port < 1 || port > 65535) return { ok: false, observed: `not a TCP port: ${probe.port}` };
      const error = await connect(host, port, o.timeoutMs);
      return error === undefined ? { ok: true, observed: `${host}:${port} open` } : { ok: false, observed: `${host}:${port} closed: ${error}` };
    }
    default:
      return { ok: false, observed: `a ${probe.kind} check runs a command, not a request` };
  }
}
