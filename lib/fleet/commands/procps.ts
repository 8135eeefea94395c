/**
 * Signals to the daemons of the declared services, as procps-ng 3.3 does them: `pkill -SIG -F
 * PIDFILE` signals the process whose pid the file holds (exit 0), or finds none running (exit 1);
 * `pgrep -F PIDFILE` prints that pid (exit 0) or nothing (exit 1). A missing or empty pidfile is
 * `pkill: pidfile not valid` (exit 1, procps's EXIT_FAILURE). A pattern instead of -F matches the
 * daemons' names. With them, `touch` and `rm` of the simulated files (daemontools' `down` files,
 * pidfiles).
 */
import type { ServicesModel } from '../models/services.js';
import type { CommandContext, CommandHandler } from './command.js';

const NUMBERS: Readonly<Record<string, string>> = { 1: 'HUP', 2: 'INT', 3: 'QUIT', 9: 'KILL', 10: 'USR1', 12: 'USR2', 14: 'ALRM', 15: 'TERM', 18: 'CONT', 19: 'STOP' };
const NAMES = new Set(Object.values(NUMBERS));

/** `KILL`, `SIGKILL`, `9` → `KILL`; undefined for no signal. */
function signalName(text: string): string | undefined {
  const name = NUMBERS[text] ?? text.toUpperCase().replace(/^SIG/, '');
  return NAMES.has(name) ? name : undefined;
}

interface Invocation {
  signal: string;
  pidfile?: string;
  pattern?: string;
}

function parse(args: readonly string[], pkill: boolean): Invocation {
  const inv: Invocation = { signal: 'TERM' };
  let rest = args;
  const first = pkill && args[0]?.startsWith('-') ? signalName(args[0].slice(1)) : undefined;
  if (first) {
    inv.signal = first;
    rest = args.slice(1);
  }
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i] ?? '';
    const long = /^--(signal|pidfile)(?:=(.*))?$/.exec(a);
    if (long) {
      const value = long[2] ?? rest[++i] ?? '';
      if (long[1] === 'signal') inv.signal = signalName(value) ?? inv.signal;
      else inv.pidfile = value;
    } else if (a.startsWith('-F')) {
      inv.pidfile = a.length > 2 ? a.slice(2) : rest[++i] ?? '';
    } else if (!a.startsWith('-')) {
      inv.pattern = a;
    }
  }
  return inv;
}

function procps(model: ServicesModel, pkill: boolean): CommandHandler {
  const command = pkill ? 'pkill' : 'pgrep';
  return (ctx: CommandContext, args) => {
    const vm = ctx.vm;
    if (!vm) return 1;
    const inv = parse(args, pkill);
    let pids: number[];
    if (inv.pidfile !== undefined) {
      const pid = model.pidfile(vm, inv.pidfile);
      if (pid === undefined) {
        ctx.err(`${command}: pidfile not valid\nTry \`${command} --help' for more information.\n`);
        return 1;
      }
      pids = model.process(vm, pid) ? [pid] : [];
    } else if (inv.pattern !== undefined) {
      const re = new RegExp(inv.pattern);
      pids = model.services(vm).flatMap((s) => {
        const live = model.alive(s);
        return live && (re.test(s.decl.name) || re.test(s.decl.command?.[0] ?? '')) ? [live.pid] : [];
      });
    } else {
      ctx.err(`${command}: no matching criteria specified\nTry \`${command} --help' for more information.\n`);
      return 2;
    }
    for (const pid of pids) {
      if (pkill) model.process(vm, pid)?.signal(inv.signal);
      else ctx.out(`${pid}\n`);
    }
    return pids.length > 0 ? 0 : 1;
  };
}

function touch(model: ServicesModel): CommandHandler {
  return (ctx, args) => {
    for (const file of args.filter((a) => !a.startsWith('-'))) if (ctx.vm && !model.hasFile(ctx.vm, file)) model.touch(ctx.vm, file);
    return 0;
  };
}

function rm(model: ServicesModel): CommandHandler {
  return (ctx, args) => {
    const force = args.some((a) => /^-[a-zA-Z]*f/.test(a));
    let status = 0;
    for (const file of args.filter((a) => !a.startsWith('-'))) {
      if ((ctx.vm && model.remove(ctx.vm, file)) || force) continue;
      ctx.err(`rm: cannot remove '${file}': No such file or directory\n`);
      status = 1;
    }
    return status;
  };
}

export function procpsCommands(model: ServicesModel): Readonly<Record<string, CommandHandler>> {
  return { pkill: procps(model, true), pgrep: procps(model, false), touch: touch(model), rm: rm(model) };
}
