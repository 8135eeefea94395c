/**
 * `curl` on a simulated host, with curl's exit codes: 7 (refused, or no route to a virtual IP
 * nobody holds), 22 (-f and HTTP ≥ 400), 6 (unknown host).
 */
import type { CommandContext, CommandHandler } from '../commands/command.js';
import type { SimVm } from '../vm.js';
import type { Destination, HttpAnswer } from './web.js';

type Request = (vm: SimVm | undefined, port: number, path: string) => HttpAnswer | 'refused';
type Resolve = (name: string, from: SimVm | undefined) => Destination;

interface CurlArgs {
  url?: string;
  fail: boolean;
  silent: boolean;
  showError: boolean;
  output?: string;
  writeOut?: string;
}

function parseArgs(args: readonly string[]): CurlArgs {
  const a: CurlArgs = { fail: false, silent: false, showError: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '-o' || arg === '--output') a.output = args[++i] ?? '';
    else if (arg === '-w' || arg === '--write-out') a.writeOut = args[++i] ?? '';
    else if (arg === '-m' || arg === '--max-time' || arg === '-H' || arg === '--header') i++;
    else if (arg === '--fail') a.fail = true;
    else if (arg === '--silent') a.silent = true;
    else if (/^-[a-zA-Z]+$/.test(arg)) {
      if (arg.includes('f')) a.fail = true;
      if (arg.includes('s')) a.silent = true;
      if (arg.includes('S')) a.showError = true;
    } else if (!arg.startsWith('-')) a.url = arg;
  }
  return a;
}

export function curlCommand(request: Request, resolve: Resolve): CommandHandler {
  return (ctx: CommandContext, args: readonly string[]): number => {
    const a = parseArgs(args);
    const say = (code: number, msg: string): number => {
      if (!a.silent || a.showError) ctx.err(`curl: (${code}) ${msg}\n`);
      if (a.writeOut !== undefined) ctx.out(a.writeOut.replace('%{http_code}', '000'));
      return code;
    };
    const url = /^(https?):\/\/([^/:]+)(?::(\d+))?(\/.*)?$/.exec(a.url ?? '');
    if (!url) return say(3, 'URL using bad/illegal format or missing URL');
    const [, scheme, name = '', port, path = '/'] = url;
    const p = Number(port ?? (scheme === 'https' ? 443 : 80));
    const target = resolve(name, ctx.vm);
    if (!target) return say(6, `Could not resolve host: ${name}`);
    if (target === 'unreachable') return say(7, `Failed to connect to ${name} port ${p} after 3 ms: No route to host`);
    const answer = request(target, p, path);
    if (answer === 'refused') return say(7, `Failed to connect to ${name} port ${p} after 0 ms: Connection refused`);
    if (a.fail && answer.status >= 400) return say(22, `The requested URL returned error: ${answer.status}`);
    if (a.output === undefined) ctx.out(answer.body);
    if (a.writeOut !== undefined) ctx.out(a.writeOut.replace('%{http_code}', String(answer.status)));
    return 0;
  };
}
