/**
 * `orchestrate check TOPOLOGY [--host H] [--role R] [--json]`: every check of every host in
 * scope, in parallel, as a table (or one JSON document). Exit 0 only when everything passes.
 */
import { CliError } from '../../errors.js';
import { checkPlatform } from '../../execution/index.js';
import { checkDocument, formatCheckTable, HumanReporter } from '../../reporters/index.js';
import { didYouMean } from '../../util/suggest.js';
import type { CliIO } from '../io.js';
import { loadOrFail } from '../load.js';
import { EXIT } from '../exit.js';
import { sshTransport } from '../run-session.js';

export interface CheckCommandOptions {
  readonly file: string;
  readonly hosts: readonly string[];
  readonly roles: readonly string[];
  readonly json: boolean;
  readonly verbose: boolean;
  readonly retry: boolean;
  readonly fleet?: string | undefined;
  readonly signal: AbortSignal;
  /** Commands at once. @default the topology's */
  readonly concurrency?: number | undefined;
}

export async function checkCommand(options: CheckCommandOptions, io: CliIO): Promise<number> {
  const { topology } = loadOrFail(options.file, io, { fleet: options.fleet });
  const names = new Set(topology.hosts.map((h) => h.name));
  for (const h of options.hosts) {
    if (!names.has(h)) throw new CliError(`no host '${h}' in ${options.file}${didYouMean(h, names)}`, { exitCode: EXIT.invalid });
  }
  for (const r of options.roles) {
    if (!topology.roles.has(r)) throw new CliError(`no role '${r}' in ${options.file}${didYouMean(r, topology.roles.keys())}`, { exitCode: EXIT.invalid });
  }
  const filtered = options.hosts.length + options.roles.length > 0;
  const hosts = topology.hosts.filter((h) => !filtered || options.hosts.includes(h.name) || h.roles.some((r) => options.roles.includes(r))).map((h) => h.name);
  const transport = sshTransport(io);
  const live = options.verbose && !options.json ? new HumanReporter({ write: io.out, style: io.style, verbose: true }) : undefined;
  try {
    const report = await checkPlatform(topology, {
      transport, signal: options.signal, hosts, retry: options.retry,
      ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
      listeners: live ? [(e) => live.onEvent(e)] : [],
    });
    if (options.json) io.out(JSON.stringify(checkDocument(topology.name, report.ok, report.durationMs, report.results)));
    else for (const line of formatCheckTable(report.results, io.style, io.env.COLUMNS === undefined ? 160 : Number(io.env.COLUMNS) || 160)) io.out(line);
    return report.cancelled ? EXIT.cancelled : report.ok ? EXIT.ok : EXIT.failed;
  } finally {
    await transport.close();
  }
}
