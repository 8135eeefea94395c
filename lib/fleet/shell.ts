/**
 * Runs a command line on a simulated host: faults first (hang, drop, unhealthy), then the
 * parsed list of pipelines through the command handlers. Every command is logged with how it
 * ended.
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
    status = await runCommand(host, cmd.argv, { world: host.world, ...(host.vm ? { vm: host.vm } : {}), ...(host.hypervisor ? { hypervisor: host.hypervisor } : {}), signal, stdin, out, err });
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
  const handler = host.commands.get(name);
  if (!handler) {
    ctx.err(`bash: ${name}: command not found\n`);
    return 127;
  }
  return handler(ctx, args.slice(1));
}
