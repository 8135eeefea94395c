/** Shell basics on every simulated host: true, false, echo, sleep, cat (of simulated files), grep, hostname. */
import type { CommandContext, CommandHandler } from './command.js';

function sleep(ctx: CommandContext, args: readonly string[]): Promise<number> {
  const seconds = Number(args[0] ?? '0');
  if (!Number.isFinite(seconds) || seconds < 0) {
    ctx.err(`sleep: invalid time interval '${args[0] ?? ''}'\n`);
    return Promise.resolve(1);
  }
  return ctx.world.time.wait(seconds * 1000, ctx.signal).then(() => 0);
}

function cat(ctx: CommandContext, args: readonly string[]): number {
  let status = 0;
  for (const file of args) {
    const text = ctx.world.models.map((m) => (ctx.vm ? m.readFile?.(ctx.vm, file) : undefined)).find((t) => t !== undefined);
    if (text === undefined) {
      ctx.err(`cat: ${file}: No such file or directory\n`);
      status = 1;
    } else {
      ctx.out(text);
    }
  }
  if (args.length === 0) ctx.out(ctx.stdin);
  return status;
}

function grep(ctx: CommandContext, args: readonly string[]): number {
  const quiet = args.includes('-q');
  const pattern = args.find((a) => !a.startsWith('-'));
  if (pattern === undefined) {
    ctx.err('Usage: grep [OPTION]... PATTERNS [FILE]...\n');
    return 2;
  }
  const re = new RegExp(pattern);
  const hits = ctx.stdin.split('\n').filter((l) => re.test(l));
  if (!quiet) for (const l of hits) ctx.out(`${l}\n`);
  return hits.length > 0 ? 0 : 1;
}

export const BASIC_COMMANDS: Readonly<Record<string, CommandHandler>> = {
  true: () => 0,
  false: () => 1,
  ':': () => 0,
  echo: (ctx, args) => {
    const noNewline = args[0] === '-n';
    ctx.out(`${(noNewline ? args.slice(1) : args).join(' ')}${noNewline ? '' : '\n'}`);
    return 0;
  },
  sleep,
  cat,
  grep,
  hostname: (ctx) => {
    ctx.out(`${ctx.vm?.name ?? ctx.hypervisor?.name ?? 'localhost'}\n`);
    return 0;
  },
};
