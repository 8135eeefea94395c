/**
 * SysV init scripts of the declared services (`/etc/init.d/NAME VERB`, or `service NAME VERB`),
 * SRS-like, in the words of RHEL's /etc/init.d/functions and with LSB exit codes:
 *
 *   start    starts the daemon (pidfile) and waits until it is up: `Starting NAME: [  OK  ]`,
 *            `[FAILED]` (exit 1) when it dies first; already running: OK
 *   stop     TERM, waits for it to exit: `[  OK  ]`, or `[FAILED]` (exit 1) after STOP_WAIT_MS
 *            when it ignores TERM; not running: OK (LSB: stopping a stopped service succeeds)
 *   restart  stop, then start        reload  HUP        rotate  USR1 (reopen logs)
 *   grace    QUIT: SRS's graceful quit, which takes grace_start_wait + grace_final_wait; the
 *            script returns at once
 *   status   `NAME (pid N) is running...` (0), `NAME dead but pid file exists` (1), `NAME is
 *            stopped` (3)
 *
 * reload and rotate of a stopped service fail with exit 7 (LSB: program is not running); any
 * other verb prints the usage on stderr, exit 3 (LSB: unimplemented feature).
 */
import type { ServicesModel, SimService } from '../models/services.js';
import type { CommandContext, CommandHandler } from './command.js';

/** How long `stop` waits for the daemon to exit (simulated). */
export const STOP_WAIT_MS = 10_000;
const POLL_MS = 100;
const VERBS = 'start|stop|status|restart|reload|rotate|grace';

const ok = (text: string): string => `${text} [  OK  ]\n`;
const failed = (text: string): string => `${text} [FAILED]\n`;

/** Waits (simulated time, polling) until `done` holds or `ms` passed; false when aborted. */
async function waitFor(model: ServicesModel, ctx: CommandContext, ms: number, done: () => boolean): Promise<boolean> {
  const time = model.world.time;
  const until = time.now() + time.real(ms);
  while (!done() && time.now() < until) {
    const waited = await time.wait(POLL_MS, ctx.signal).then(() => true, () => false);
    if (!waited) return false;
  }
  return done();
}

async function start(model: ServicesModel, svc: SimService, ctx: CommandContext): Promise<number> {
  const label = `Starting ${svc.decl.name}:`;
  const daemon = model.alive(svc) ?? model.start(svc);
  await waitFor(model, ctx, Number.POSITIVE_INFINITY, () => daemon.state !== 'starting');
  if (ctx.signal.aborted) return 1;
  const up = daemon.alive;
  ctx.out(up ? ok(label) : failed(label));
  return up ? 0 : 1;
}

async function stop(model: ServicesModel, svc: SimService, ctx: CommandContext): Promise<number> {
  const label = `Stopping ${svc.decl.name}:`;
  const daemon = model.alive(svc);
  if (!daemon) {
    ctx.out(ok(label));
    return 0;
  }
  daemon.signal('TERM');
  const gone = await waitFor(model, ctx, STOP_WAIT_MS, () => !daemon.alive);
  if (ctx.signal.aborted) return 1;
  ctx.out(gone ? ok(label) : failed(label));
  return gone ? 0 : 1;
}

function signal(model: ServicesModel, svc: SimService, ctx: CommandContext, sig: string, label: string, stopped: number): number {
  const daemon = model.alive(svc);
  if (!daemon) {
    ctx.out(stopped === 0 ? ok(label) : failed(label));
    return stopped;
  }
  daemon.signal(sig);
  ctx.out(ok(label));
  return 0;
}

function status(model: ServicesModel, svc: SimService, ctx: CommandContext): number {
  const daemon = model.alive(svc);
  if (daemon) {
    ctx.out(`${svc.decl.name} (pid ${daemon.pid}) is running...\n`);
    return 0;
  }
  if (svc.decl.pidfile !== undefined && model.pidfile(svc.vm, svc.decl.pidfile) !== undefined) {
    ctx.out(`${svc.decl.name} dead but pid file exists\n`);
    return 1;
  }
  ctx.out(`${svc.decl.name} is stopped\n`);
  return 3;
}

async function run(model: ServicesModel, svc: SimService, ctx: CommandContext, verb: string | undefined, script: string): Promise<number> {
  const name = svc.decl.name;
  switch (verb) {
    case 'start':
      return start(model, svc, ctx);
    case 'stop':
      return stop(model, svc, ctx);
    case 'restart':
      await stop(model, svc, ctx);
      return start(model, svc, ctx);
    case 'status':
      return status(model, svc, ctx);
    case 'reload':
      return signal(model, svc, ctx, 'HUP', `Reloading ${name}:`, 7);
    case 'rotate':
      return signal(model, svc, ctx, 'USR1', `Reopening ${name} log files:`, 7);
    case 'grace':
      return signal(model, svc, ctx, 'QUIT', `Gracefully stopping ${name}:`, 0);
    default:
      ctx.err(`Usage: ${script} {${VERBS}}\n`);
      return 3;
  }
}

/** The script of one declared init.d service. */
export function initdCommand(model: ServicesModel, svc: SimService): CommandHandler {
  return (ctx, args) => run(model, svc, ctx, args[0], svc.decl.target);
}

/** `service NAME VERB`: the init script /etc/init.d/NAME. */
export function serviceCommand(model: ServicesModel): CommandHandler {
  return (ctx, args) => {
    const [name = '', verb] = args;
    const svc = ctx.vm ? model.services(ctx.vm).find((s) => s.decl.manager === 'initd' && s.decl.target === `/etc/init.d/${name}`) : undefined;
    if (!svc) {
      ctx.err(`${name}: unrecognized service\n`);
      return 1;
    }
    return run(model, svc, ctx, verb, svc.decl.target);
  };
}
