/**
 * "Does SSH answer yet?" without logging in: a TCP connection to the port and the server's
 * identification line (`SSH-2.0-…`, RFC 4253 §4.2), the cheapest layer of boot detection
 * (domain.md §5.6). No key exchange, so hundreds of booting hosts can be polled at little cost.
 */
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { describeLocalError, isLocalResourceError, unknownName } from './local-limits.js';
import type { ProbeResult } from './types.js';

/** Reads the identification line from a connected stream (or one about to connect). */
export function readBanner(stream: Duplex, where: string, options: { signal: AbortSignal; timeoutMs: number }): Promise<ProbeResult> {
  return new Promise((resolve) => {
    let seen = '';
    let done = false;
    const finish = (r: ProbeResult): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      options.signal.removeEventListener('abort', onAbort);
      stream.removeAllListeners('data');
      stream.on('error', () => undefined);
      stream.destroy();
      resolve(r);
    };
    const onAbort = (): void => finish({ answers: false, observed: 'cancelled' });
    const timer = setTimeout(() => finish({ answers: false, observed: seen === '' ? `${where}: no answer within ${options.timeoutMs} ms` : `${where}: no SSH identification within ${options.timeoutMs} ms` }), Math.max(1, options.timeoutMs));
    options.signal.addEventListener('abort', onAbort, { once: true });
    stream.on('data', (chunk: Buffer) => {
      seen += chunk.toString('latin1');
      // Servers may send other lines before the identification line (RFC 4253 §4.2).
      for (const line of seen.split('\n').slice(0, -1)) {
        if (line.startsWith('SSH-')) return finish({ answers: true, observed: line.trim() });
      }
      if (seen.length > 4096) finish({ answers: false, observed: `${where}: not an SSH server` });
    });
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (isLocalResourceError(e.code)) finish({ answers: false, local: true, observed: describeLocalError(e.code) });
      else if (e.code === 'ENOTFOUND') finish({ answers: false, final: true, observed: unknownName(where.replace(/:\d+$/, '')) });
      else finish({ answers: false, observed: `cannot connect to ${where}: ${e.code ?? e.message}` });
    });
    stream.on('close', () => finish({ answers: false, observed: `${where}: closed before the SSH identification` }));
    if (options.signal.aborted) onAbort();
  });
}

/** Connects to address:port directly and reads the identification line. */
export function probeDirect(address: string, port: number, options: { signal: AbortSignal; timeoutMs: number }): Promise<ProbeResult> {
  const where = `${address}:${port}`;
  let socket: net.Socket;
  try {
    socket = net.connect({ host: address, port });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return Promise.resolve(isLocalResourceError(code) ? { answers: false, local: true, observed: describeLocalError(code) } : { answers: false, observed: `${where}: ${code ?? String(e)}` });
  }
  socket.setNoDelay(true);
  return readBanner(socket, where, options);
}
