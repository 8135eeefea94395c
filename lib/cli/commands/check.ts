/**
 * `orchestrate check TOPOLOGY [--host H] [--role R] [--json]`: every check of every host in
 * scope, in parallel, as a table (or one JSON document). Exit 0 only when everything passes.
 */
import { checkPlatform, type HealthResult } from '../../execution/index.js';
import { checkHints } from '../check-hints.js';
import { readSideDown } from '../state.js';
import { planDocumentText, type Plan } from '../../plan/index.js';
import { checkDocument, formatCheckTable, HumanReporter } from '../../reporters/index.js';
import type { CliIO } from '../io.js';
import { loadOrFail } from '../load.js';
import { makePlan } from '../make-plan.js';
import { EXIT } from '../exit.js';
import { sshTransport } from '../run-session.js';
import { runSecrets } from '../secrets.js';
import { checkReportTargets, ReportRecorder, type ReportTargets } from '../report-files.js';
import type { RunEvent } from '../../events/index.js';
import type { ReportOutcome } from '../../reporters/index.js';

export interface CheckCommandOptions {
  readonly file: string;
  readonly hosts: readonly string[];
  readonly roles: readonly string[];
  /** --limit PATTERN, repeatable: narrows --host and --role. */
  readonly limit?: readonly string[] | undefined;
  readonly json: boolean;
  readonly verbose: boolean;
  readonly retry: boolean;
  readonly fleet?: string | undefined;
  /** `-F FILE`: the ssh_config file to read instead of ~/.ssh/config and /etc/ssh/ssh_config (`none`: none). */
  readonly sshConfig?: string | undefined;
  readonly signal: AbortSignal;
  /** Commands at once. @default the topology's */
  readonly concurrency?: number | undefined;
  /** Where a failover is recorded: `check` names a side that is down, or half-moved. */
  readonly stateDir?: string | undefined;
  /** `--junit FILE`: a test case per health check. */
  readonly reports?: ReportTargets | undefined;
}

export async function checkCommand(options: CheckCommandOptions, io: CliIO): Promise<number> {
  const loaded = loadOrFail(options.file, io, { fleet: options.fleet, ssh: { file: options.sshConfig } });
  const plan = makePlan(loaded, { action: 'check', hosts: options.hosts, roles: options.roles, limit: options.limit, stateDir: '', file: options.file });
  let seen: readonly HealthResult[] = [];
  const code = await runCheckPlan(plan, options, io, (r) => (seen = r));
  if (!options.json && options.stateDir !== undefined) {
    for (const hint of checkHints(plan, seen, readSideDown(options.stateDir, plan.topology))) io.err(`hint: ${hint}`);
  }
  return code;
}

/** Runs a check plan and prints its table (or JSON document): `check`, and `apply` of a saved check plan. */
export async function runCheckPlan(plan: Plan, options: Pick<CheckCommandOptions, 'json' | 'verbose' | 'retry' | 'signal' | 'concurrency' | 'reports'>, io: CliIO, onResults?: (results: readonly HealthResult[]) => void): Promise<number> {
  // A check plan is small: its document is made to find the secrets its commands use.
  const secrets = plan.secrets ? runSecrets(plan, [...planDocumentText(plan)].join('\n'), io, { dryRun: false }) : undefined;
  checkReportTargets(options.reports, io);
  const reports = new ReportRecorder(options.reports, io);
  const transport = sshTransport(io);
  let outcome: ReportOutcome = 'interrupted';
  const live = options.verbose && !options.json ? new HumanReporter({ write: io.out, style: io.style, verbose: true }) : undefined;
  try {
    const report = await checkPlatform(plan, {
      transport, signal: options.signal, retry: options.retry,
      ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
      ...(secrets ? { secrets } : {}),
      listeners: [...(live ? [(e: RunEvent) => live.onEvent(e)] : []), ...(reports.active ? [reports.listener] : [])],
    });
    outcome = report.cancelled ? 'cancelled' : report.ok ? 'succeeded' : 'failed';
    // What the checks saw is masked already (the transport); the table is masked once more as a whole.
    const results = secrets ? secrets.maskDeep(report.results) : report.results;
    onResults?.(results);
    if (options.json) io.out(JSON.stringify(checkDocument(plan.topology, report.ok, report.durationMs, results)));
    else for (const line of formatCheckTable(results, io.style, io.columns)) io.out(line);
    return report.cancelled ? EXIT.cancelled : report.ok ? EXIT.ok : EXIT.failed;
  } finally {
    reports.write({ run: { action: 'check', topology: plan.topology, file: plan.file }, outcome });
    await transport.close();
  }
}
