/**
 * daemontools (0.76): supervise runs a service directory's ./run and restarts it a second after
 * it exits while it wants it up; `svc` tells supervise what to do, `svstat` says what it does,
 * in the words of svstat.c. At boot supervise starts ./run unless the directory has a `down`
 * file. Both commands exit 0 whatever happens (svc warns on stderr), as the originals do.
 *
 *   svc -u up, -d down (TERM then CONT, no restart), -o once, -p pause, -c continue, -h HUP,
 *       -a ALRM, -i INT, -t TERM, -k KILL, -x exit
 */
import type { CommandContext, CommandHandler } from '../commands/command.js';
import type { ServicesModel, SimService } from './services.js';

/** supervise pauses a second after starting ./run, so a run that exits is started again a second later. */
const RESTART_MS = 1000;
const SVC_OPTIONS = 'udopchaitkx';
const SIGNALS: Readonly<Record<string, string>> = { h: 'HUP', a: 'ALRM', i: 'INT', t: 'TERM', k: 'KILL', p: 'STOP', c: 'CONT' };

const trim = (dir: string): string => dir.replace(/(.)\/+$/, '$1');
const downFile = (svc: SimService): string => `${svc.decl.target}/down`;

/** supervise starts (the machine booted): ./run starts unless there is a `down` file. */
export function superviseStart(model: ServicesModel, svc: SimService): void {
  const down = model.hasFile(svc.vm, downFile(svc));
  svc.want = down ? 'down' : 'up';
  svc.paused = false;
  svc.since = model.world.time.now();
  if (!down) model.start(svc);
}

/** ./run exited: started again a second later while supervise wants it up. */
export function superviseExit(model: ServicesModel, svc: SimService): void {
  if (svc.want !== 'up' || !svc.vm.running) return;
  svc.restart?.();
  svc.restart = model.world.time.after(RESTART_MS, () => {
    svc.restart = undefined;
    if (svc.want === 'up' && svc.vm.running && !model.alive(svc)) model.start(svc);
  });
}

function find(model: ServicesModel, ctx: CommandContext, dir: string): SimService | undefined {
  return ctx.vm ? model.services(ctx.vm).find((s) => s.decl.manager === 'daemontools' && s.decl.target === trim(dir)) : undefined;
}

function control(model: ServicesModel, svc: SimService, option: string): void {
  const live = model.alive(svc);
  const startNow = (): void => {
    svc.restart?.();
    svc.restart = undefined;
    if (!model.alive(svc)) model.start(svc);
  };
  switch (option) {
    case 'u':
      svc.want = 'up';
      return startNow();
    case 'o':
      svc.want = undefined;
      return startNow();
    case 'd':
      svc.want = 'down';
      svc.restart?.();
      svc.restart = undefined;
      live?.signal('TERM');
      live?.signal('CONT');
      return;
    case 'p':
    case 'c':
      svc.paused = option === 'p';
      live?.signal(SIGNALS[option] ?? 'CONT');
      return;
    default:
      if (SIGNALS[option] !== undefined) live?.signal(SIGNALS[option]);
  }
}

export function svcCommand(model: ServicesModel): CommandHandler {
  return (ctx, args) => {
    let i = 0;
    const options: string[] = [];
    for (; i < args.length && (args[i] ?? '').startsWith('-') && args[i] !== '-'; i++) {
      if (args[i] === '--') {
        i++;
        break;
      }
      for (const c of (args[i] ?? '').slice(1)) {
        if (!SVC_OPTIONS.includes(c)) {
          ctx.err('svc options: u up, d down, o once, x exit, p pause, c continue, h hup, a alarm, i interrupt, t term, k kill\n');
          return 100;
        }
        if (!options.includes(c)) options.push(c);
      }
    }
    for (const dir of args.slice(i)) {
      const svc = find(model, ctx, dir);
      if (!svc) {
        ctx.err(`svc: warning: unable to chdir to ${dir}: file does not exist\n`);
        continue;
      }
      for (const o of options) control(model, svc, o);
    }
    return 0;
  };
}

/** One `svstat` line, without its newline (svstat.c). */
export function svstatLine(model: ServicesModel, svc: SimService | undefined, dir: string): string {
  if (!svc) return `${dir}: unable to chdir: file does not exist`;
  const time = model.world.time;
  const seconds = Math.max(0, Math.floor((time.now() - svc.since) / time.scale / 1000));
  const live = model.alive(svc);
  const normallyUp = !model.hasFile(svc.vm, downFile(svc));
  let line = live ? `${dir}: up (pid ${live.pid}) ${seconds} seconds` : `${dir}: down ${seconds} seconds`;
  if (live && !normallyUp) line += ', normally down';
  if (!live && normallyUp) line += ', normally up';
  if (live && svc.paused) line += ', paused';
  if (!live && svc.want === 'up') line += ', want up';
  if (live && svc.want === 'down') line += ', want down';
  return line;
}

export function svstatCommand(model: ServicesModel): CommandHandler {
  return (ctx, args) => {
    for (const dir of args) ctx.out(`${svstatLine(model, find(model, ctx, dir), dir)}\n`);
    return 0;
  };
}
