/**
 * `curl` on a simulated host, with curl's exit codes: 7 (refused, or no route to a virtual IP
 * nobody holds), 22 (-f and HTTP ≥ 400), 6 (unknown host). Options as orchestrate's checks use
 * them: -s -S -f -k -o -w (with curl's `\n`, `\t`, `\r` escapes), -X, -H, --max-time; HEAD
 * (`-I`, `-X HEAD`) prints no body.
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
  head: boolean;
  output?: string;
  writeOut?: string;
}

/** Short options that take a value: the rest of the word, or the next word. */
const SHORT_VALUE = new Set(['o', 'w', 'X', 'H', 'm', 'u', 'd', 'A', 'e', 'b', 'c', 'T', 'x', 'E']);
const LONG_VALUE = new Set(['output', 'write-out', 'request', 'header', 'max-time', 'connect-timeout', 'user', 'data', 'user-agent', 'cacert', 'cert', 'key', 'retry', 'proxy', 'resolve']);

function parseArgs(args: readonly string[]): CurlArgs {
  const a: CurlArgs = { fail: false, silent: false, showError: false, head: false };
  const set = (opt: string, value: string): void => {
    if (opt === 'o' || opt === 'output') a.output = value;
    else if (opt === 'w' || opt === 'write-out') a.writeOut = value;
    else if ((opt === 'X' || opt === 'request') && value.toUpperCase() === 'HEAD') a.head = true;
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg.startsWith('--')) {
      const [name = '', inline] = arg.slice(2).split(/=(.*)/s);
      if (LONG_VALUE.has(name)) set(name, inline ?? args[++i] ?? '');
      else if (name === 'fail') a.fail = true;
      else if (name === 'silent') a.silent = true;
      else if (name === 'show-error') a.showError = true;
      else if (name === 'head') a.head = true;
    } else if (arg.startsWith('-') && arg.length > 1) {
      for (let j = 1; j < arg.length; j++) {
        const c = arg[j] ?? '';
        if (SHORT_VALUE.has(c)) {
          set(c, j < arg.length - 1 ? arg.slice(j + 1) : args[++i] ?? '');
          break;
        }
        if (c === 'f') a.fail = true;
        if (c === 's') a.silent = true;
        if (c === 'S') a.showError = true;
        if (c === 'I') a.head = true;
      }
    } else {
      a.url = arg;
    }
  }
  return a;
}

/** -w's text: curl turns `\n`, `\r`, `\t` and `\\` into their characters, and fills %{http_code}. */
function writeOut(format: string, code: string): string {
  const escapes: Readonly<Record<string, string>> = { n: '\n', r: '\r', t: '\t', '\\': '\\' };
  return format.replace(/\\([nrt\\])/g, (_, c: string) => escapes[c] ?? c).replaceAll('%{http_code}', code).replaceAll('%{response_code}', code);
}

export function curlCommand(request: Request, resolve: Resolve): CommandHandler {
  return (ctx: CommandContext, args: readonly string[]): number => {
    const a = parseArgs(args);
    const say = (code: number, msg: string): number => {
      if (!a.silent || a.showError) ctx.err(`curl: (${code}) ${msg}\n`);
      if (a.writeOut !== undefined) ctx.out(writeOut(a.writeOut, '000'));
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
    if (a.output === undefined && !a.head) ctx.out(answer.body);
    if (a.writeOut !== undefined) ctx.out(writeOut(a.writeOut, String(answer.status)));
    return 0;
  };
}
