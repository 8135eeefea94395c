/**
 * Runs a command line on a simulated host: faults first (hang, drop, unhealthy), then the
 * parsed list of pipelines through the command handlers, or the programs the models know by
 * path (init scripts, daemons' start commands). `bash -c SCRIPT` runs SCRIPT the same way; an
 * input redirection from /dev/tcp/HOST/PORT connects as bash does. Every command is logged with
 * how it ended.
 */
import { untilAborted, type ExecReply, type SimulatedExec } from './ssh-host.js';
import type { CommandContext, CommandHandler, CommandOutcome } from './commands/command.js';
import { parseShell, type ListItem, type SimpleCommand } from './shell-parse.js';
import type { SimVm } from './vm.js';
import type { SimHypervisor, World } from './world.js';

export interface ShellHost {
  readonly world: World;
  readonly vm?: SimVm;
  readonly hypervisor?: SimHypervisor;
  readonly commands: ReadonlyMap<string, CommandHandler>;
  /** A TCP connection from this host (bash's /dev/tcp); without it, every port refuses. */
  connect?(from: SimVm | undefined, name: string, port: number): 'open' | 'refused' | 'unreachable' | 'unknown';
}

let nextId = 1;

export async function runShell(host: ShellHost, exec: SimulatedExec): Promise<ExecReply> {
  const id = nextId++;
  const name = host.vm?.name ?? host.hypervisor?.name ?? exec.host;
  host.world.log.write({ type: 'command', host: name, id, command: exec.command });
  const reply = await replyTo(host, exec).catch((): ExecReply => ({ signal: 'TERM' }));
  const done = 'code' in reply ? { exit: reply.code } : 'signal' in reply ? { exit: null, signal: reply.signal } : { exit: null, dropped: true };
  host.world.log.write({ type: 'command-done', host: name, id, ...done });
  return reply;
}

async function replyTo(host: ShellHost, exec: SimulatedExec): Promise<ExecReply> {
  const faulted = await applyFaults(host, exec);
  if (faulted) return faulted;
  const items = parseShell(exec.command);
  if (typeof items === 'string') {
    exec.write('stderr', `sh: 1: ${items}\n`);
    return { code: 2 };
  }
  const ctx = { out: (t: string) => exec.write('stdout', t), err: (t: string) => exec.write('stderr', t) };
  const outcome = await runList(host, items, exec.signal, ctx);
  return typeof outcome === 'number' ? { code: outcome } : outcome;
}

async function applyFaults(host: ShellHost, exec: SimulatedExec): Promise<ExecReply | undefined> {
  const faults = host.vm?.behaviour.faults ?? [];
  const log = (fault: string, detail: string): void => host.world.log.write({ type: 'fault', host: exec.host, fault, detail });
  for (const f of faults) {
    if (f.kind === 'drop' && exec.command.includes(f.match)) {
      log('drop', exec.command);
      return { drop: true };
    }
    if (f.kind === 'hang' && exec.command.includes(f.match)) {
      log('hang', exec.command);
      await untilAborted(exec.signal).catch(() => undefined);
      return { signal: 'TERM' };
    }
    if (f.kind === 'unhealthy' && exec.command.includes(f.match)) {
      log('unhealthy', exec.command);
      exec.write('stderr', `simulated fault: '${f.match}' keeps failing on ${exec.host}\n`);
      return { code: 1 };
    }
  }
  return undefined;
}

interface Sink {
  out(t: string): void;
  err(t: string): void;
}

/** `exit N` ends the whole command line. */
type Step = CommandOutcome | { readonly exit: number };

async function runList(host: ShellHost, items: readonly ListItem[], signal: AbortSignal, sink: Sink): Promise<CommandOutcome> {
  let status: CommandOutcome = 0;
  for (const item of items) {
    if (item.op === '&&' && status !== 0) continue;
    if (item.op === '||' && status === 0) continue;
    const step = await runPipeline(host, item.pipeline, signal, sink);
    if (typeof step === 'object' && 'exit' in step) return step.exit;
    status = step;
    if (typeof status !== 'number' || signal.aborted) return status;
  }
  return status;
}

async function runPipeline(host: ShellHost, pipeline: readonly SimpleCommand[], signal: AbortSignal, sink: Sink): Promise<Step> {
  let stdin = '';
  let status: Step = 0;
  for (const [i, cmd] of pipeline.entries()) {
    const last = i === pipeline.length - 1;
    let captured = '';
    const out = (t: string): void => {
      if (cmd.discard.stdout) return;
      if (cmd.swap.stdoutToStderr) sink.err(t);
      else if (last) sink.out(t);
      else captured += t;
    };
    const err = (t: string): void => {
      if (cmd.discard.stderr) return;
      if (cmd.swap.stderrToStdout) out(t);
      else sink.err(t);
    };
    const input = cmd.input === undefined ? stdin : openInput(host, cmd.input, err);
    if (typeof input === 'number' || cmd.argv.length === 0) {
      status = typeof input === 'number' ? input : 0;
      stdin = '';
      continue;
    }
    status = await runCommand(host, cmd.argv, { world: host.world, ...(host.vm ? { vm: host.vm } : {}), ...(host.hypervisor ? { hypervisor: host.hypervisor } : {}), signal, stdin: input, out, err });
    if (typeof status !== 'number') return status;
    stdin = captured;
  }
  return status;
}

async function runCommand(host: ShellHost, argv: readonly string[], ctx: CommandContext): Promise<Step> {
  let args = [...argv];
  // `sudo -n cmd …` runs `cmd …` (the simulated user may do anything).
  while (args[0] === 'sudo') {
    args = args.slice(1);
    while (args[0]?.startsWith('-')) args = args.slice(1);
  }
  const name = (args[0] ?? '').replace(/^.*\//, '');
  if (name === 'exit') return { exit: Number(args[1] ?? 0) || 0 };
  if (name === 'bash' || name === 'sh') return shellCommand(host, name, args.slice(1), ctx);
  const program = host.vm ? host.world.program(host.vm, args) : undefined;
  if (program) return program(ctx, args.slice(1));
  const handler = host.commands.get(name);
  if (!handler) {
    ctx.err(args[0]?.includes('/') ? `bash: ${args[0]}: No such file or directory\n` : `bash: ${name}: command not found\n`);
    return 127;
  }
  return handler(ctx, args.slice(1));
}

/** `bash -c SCRIPT`, `bash FILE ARGS` (FILE run as a program), or the script on standard input; its own `exit` ends only it. */
async function shellCommand(host: ShellHost, name: string, args: readonly string[], ctx: CommandContext): Promise<CommandOutcome> {
  if (args[0] !== undefined && !args[0].startsWith('-')) {
    const step = await runCommand(host, args, ctx);
    return typeof step === 'object' && 'exit' in step ? step.exit : step;
  }
  const c = args.indexOf('-c');
  if (c >= 0 && args[c + 1] === undefined) {
    ctx.err(`${name}: -c: option requires an argument\n`);
    return 2;
  }
  const items = parseShell(c >= 0 ? args[c + 1] ?? '' : ctx.stdin);
  if (typeof items === 'string') {
    ctx.err(`${name}: -c: line 1: ${items}\n`);
    return 2;
  }
  return runList(host, items, ctx.signal, { out: ctx.out, err: ctx.err });
}

/** The standard input a `<FILE` redirection gives, or bash's exit code when it cannot open it. */
function openInput(host: ShellHost, file: string, err: (t: string) => void): string | number {
  const tcp = /^\/dev\/tcp\/([^/]+)\/(\d+)$/.exec(file);
  if (tcp) {
    const [, name = '', port = '0'] = tcp;
    const result = host.connect?.(host.vm, name, Number(port)) ?? 'refused';
    if (result === 'open') return '';
    // [RECONSTRUCTED] bash 4.2's words (bash 5.1 adds `line 1:` to the second line).
    if (result === 'unknown') err(`bash: ${name}: Name or service not known\nbash: ${file}: Invalid argument\n`);
    else {
      const why = result === 'unreachable' ? 'No route to host' : 'Connection refused';
      err(`bash: connect: ${why}\nbash: ${file}: ${why}\n`);
    }
    return 1;
  }
  const text = host.vm ? host.world.models.map((m) => (host.vm ? m.readFile?.(host.vm, file) : undefined)).find((t) => t !== undefined) : undefined;
  if (text !== undefined) return text;
  err(`bash: ${file}: No such file or directory\n`);
  return 1;
}
