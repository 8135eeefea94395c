/**
 * Running a container fleet's services outside Docker, for specs: the CLI in-process with an
 * abort signal (as `docker stop` would send SIGTERM), a TCP proxy that publishes a port as
 * docker-proxy does, free ports, and waiting for a line of the fleet's event log.
 */
import { watch } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { FleetEvent } from '../../lib/fleet/index.js';
import { main } from '../../lib/cli/main.js';
import { NO_COLOURS } from '../../lib/reporters/index.js';
import { ROOT } from './topologies.js';

/** The CLI running in-process until stopped. */
export interface RunningCli {
  /** Resolves with the first output line matching `re` (already printed or yet to come). */
  line(re: RegExp): Promise<string>;
  readonly out: string[];
  /** Aborts its signal and resolves with its exit code. */
  stop(): Promise<number>;
  readonly exit: Promise<number>;
}

/** Starts `orchestrate ARGS` in-process (in the repository), as a container would run its command. */
export function startCli(args: readonly string[]): RunningCli {
  const out: string[] = [];
  const waiting: { re: RegExp; resolve: (l: string) => void }[] = [];
  const push = (l: string): void => {
    out.push(l);
    for (const w of waiting.filter((x) => x.re.test(l))) {
      waiting.splice(waiting.indexOf(w), 1);
      w.resolve(l);
    }
  };
  const controller = new AbortController();
  const io = { out: push, err: push, style: NO_COLOURS, errStyle: NO_COLOURS, env: {}, cwd: ROOT };
  const exit = main(args, io, controller.signal);
  return {
    out, exit,
    line: (re) => {
      const seen = out.find((l) => re.test(l));
      if (seen !== undefined) return Promise.resolve(seen);
      return Promise.race([
        new Promise<string>((resolve) => waiting.push({ re, resolve })),
        exit.then((code): string => {
          throw new Error(`exited ${code} before printing ${String(re)}:\n${out.join('\n')}`);
        }),
      ]);
    },
    stop: () => {
      controller.abort(new Error('stopped by the spec'));
      return exit;
    },
  };
}

/** Runs the CLI to completion. */
export async function runCli(...args: string[]): Promise<{ code: number; out: string }> {
  const cli = startCli(args);
  const code = await cli.exit;
  return { code, out: cli.out.join('\n') };
}

function listenOn(port: number): Promise<net.Server | undefined> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

/** The first of `count` consecutive ports that are free on 127.0.0.1 (from a random start). */
export async function freePorts(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 30_000);
    const servers = await Promise.all(Array.from({ length: count }, (_, i) => listenOn(base + i)));
    await Promise.all(servers.map((s) => s && new Promise((r) => s.close(r))));
    if (servers.every((s) => s !== undefined)) return base;
  }
  throw new Error(`no ${count} consecutive free ports`);
}

/**
 * A published port as docker-proxy makes one: it always accepts, and connects through to the
 * container; when nothing listens there, it closes the accepted connection at once.
 */
export async function publishPort(port: number, target: number): Promise<{ readonly connections: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  let connections = 0;
  const server = net.createServer((client) => {
    connections++;
    const upstream = net.connect(target, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => {
        sockets.delete(s);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    get connections() {
      return connections;
    },
    close: () => new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

/** Resolves with the first event of `events` passing `test`, looking again each time `file` (the log) changes. */
export function untilLogged(events: readonly FleetEvent[], file: string, test: (e: FleetEvent) => boolean, ms = 5000): Promise<FleetEvent> {
  return new Promise((resolve, reject) => {
    const watcher = watch(file);
    const timer = setTimeout(() => {
      watcher.close();
      reject(new Error(`not logged within ${ms} ms in ${path.basename(file)}`));
    }, ms);
    const check = (): void => {
      const hit = events.find(test);
      if (hit === undefined) return;
      watcher.close();
      clearTimeout(timer);
      resolve(hit);
    };
    watcher.on('change', check);
    check();
  });
}
