/**
 * The composition root: parses arguments, owns the root AbortController (Ctrl-C, SIGTERM),
 * picks reporters, and maps results to exit codes. The only module that exits the process.
 * Each action imports its command module when it runs: `--help`, `validate` and `plan` never
 * load the executor, SSH or the simulated fleet (docs/benchmarks.md, start-up).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { CliError, InternalError } from '../errors.js';
import type { PlanAction } from '../plan/index.js';
import { addFleetCommands } from './fleet-commands.js';
import { addReportOptions, reportTargets } from './report-options.js';
import { LIMIT_OPTION, PLAIN, runArgs, YES, type RunFlags } from './run-flags.js';
import { concurrencyArg, positiveInt, positiveNumber } from './parse-args.js';
import { EXIT } from './exit.js';
import { packageRoot } from './package-root.js';
import { processIO, type CliIO } from './io.js';
import { defaultStateDir } from './state.js';

function version(): string {
  try {
    return (JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** Builds the command tree; each action stores its exit code in `result`. */
export function buildProgram(io: CliIO, signal: AbortSignal, result: { code: number }): Command {
  const program = new Command('orchestrate')
    .description('Start and stop a multi-VM platform in dependency order, over SSH.')
    .version(version(), '-V, --version')
    .option('--state-dir <dir>', 'where orchestrate remembers the last up (env ORCHESTRATE_STATE_DIR)', defaultStateDir(io.env))
    .option('--no-color', 'plain output even on a terminal (NO_COLOR is honoured too)')
    .option('--force-unlock', 'up, down, failover, failback, apply, resume: take the run lock even if another run holds it (docs/runs.md)')
    .showHelpAfterError('(run orchestrate --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.replace(/\n$/, '')), writeErr: (s) => io.err(s.replace(/\n$/, '')) });
  const stateDir = (): string => (program.opts() as { stateDir: string }).stateDir;
  // The journal and the lock record the command line; commander keeps it (untyped) as rawArgs.
  const journaled = (): { forceUnlock: boolean; argv: readonly string[] } => ({
    forceUnlock: (program.opts() as { forceUnlock?: boolean }).forceUnlock === true,
    argv: (program as unknown as { rawArgs?: string[] }).rawArgs ?? [],
  });

  program.command('validate').description('check a topology and report every problem as file:line:col: message')
    .argument('<topology>', 'topology YAML file')
    .action(async (file: string) => {
      const { validateCommand } = await import('./commands/validate.js');
      result.code = validateCommand(file, io);
    });

  program.command('plan').description('show everything a command would run, in order: up, down, failover, failback or check; -o saves it for apply')
    .argument('<topology>', 'topology YAML file')
    .addOption(new Option('-a, --action <action>', 'which plan').choices(['up', 'down', 'failover', 'failback', 'check']).default('up'))
    .option('-s, --side <side>', 'failover, failback: the side that leaves or returns')
    .option('--host <host>', 'check: only this host (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--role <role>', 'check: only the hosts of this role (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .option(...LIMIT_OPTION)
    .option('--json', 'print the plan as a JSON document (docs/plan-json.md)')
    .option('-o, --output <file>', 'save the plan document to FILE, to run it with orchestrate apply FILE')
    .option('--fleet <dir>', 'as run against the simulated fleet in DIR (its addresses and scaled times)')
    .option('-F, --ssh-config <file>', 'read this ssh_config file instead of ~/.ssh/config and /etc/ssh/ssh_config; none: read none')
    .option('--primary <node>', "up: the primary of that node's redundant pair; repeatable", (v: string, prev: string[] = []) => [...prev, v])
    .action(async (file: string, flags: { action: PlanAction; side?: string; host?: string[]; role?: string[]; limit?: string[]; json?: boolean; output?: string; fleet?: string; primary?: string[]; sshConfig?: string }) => {
      const { planCommand } = await import('./commands/plan.js');
      result.code = planCommand(file, {
        action: flags.action, side: flags.side, hosts: flags.host ?? [], roles: flags.role ?? [], limit: flags.limit, json: flags.json === true, output: flags.output,
        fleet: flags.fleet, sshConfig: flags.sshConfig, stateDir: stateDir(), primary: flags.primary,
      }, io);
    });

  program.command('graph').description('print the dependency graph of the up (or down) plan: hosts by wave, requires/after edges, redundant pairs')
    .argument('<topology>', 'topology YAML file')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['mermaid', 'dot']).default('mermaid'))
    .addOption(new Option('-a, --action <action>', 'the order of which action').choices(['up', 'down']).default('up'))
    .action(async (file: string, flags: { format: 'mermaid' | 'dot'; action: 'up' | 'down' }) => {
      const { graphCommand } = await import('./commands/graph.js');
      result.code = graphCommand(file, { format: flags.format, action: flags.action, stateDir: stateDir() }, io);
    });

  const runOptions = (cmd: Command): Command =>
    addReportOptions(cmd, { html: true })
      .option('--fleet <dir>', 'run against the simulated fleet in DIR (see orchestrate fleet up)')
      .option('-F, --ssh-config <file>', 'read this ssh_config file instead of ~/.ssh/config and /etc/ssh/ssh_config; none: read none')
      .option('--primary <node>', "up: start that node's redundant pair with it as the primary (default: the node recorded as shut down last); down always takes the node found running the resources; repeatable", (v: string, prev: string[] = []) => [...prev, v])
      .option(...LIMIT_OPTION)
      .option('-n, --dry-run', 'show exactly what would run, in order; run nothing')
      .option('--json', 'print events as NDJSON (docs/events.md) instead of text')
      .option('-v, --verbose', 'also print command output and every check attempt')
      .option('--plain', PLAIN)
      .option('-c, --concurrency <n>', 'commands run at once, checks and probes included; waiting hosts hold none: N, or unlimited (default: the topology\'s concurrency, else unlimited)', concurrencyArg)
      .addOption(new Option('--on-failure <policy>', 'stop: start nothing new; continue: go on with what does not depend on the failure; abort: also cancel running steps').choices(['stop', 'continue', 'abort']).default('stop'));

  runOptions(program.command('up').description('power on and start every host in dependency order').argument('<topology>', 'topology YAML file'))
    .action(async (file: string, flags: RunFlags) => {
      const { runCommand } = await import('./commands/run.js');
      result.code = await runCommand({ ...runArgs('up', file, flags, stateDir(), signal), ...journaled() }, io);
    });

  runOptions(program.command('down').description('stop every host in reverse dependency order and power it off').argument('[topology]', 'topology YAML file (default: the one of the last up)'))
    .option('-y, --yes', YES)
    .action(async (file: string | undefined, flags: RunFlags) => {
      const { runCommand } = await import('./commands/run.js');
      result.code = await runCommand({ ...runArgs('down', file, flags, stateDir(), signal), ...journaled() }, io);
    });

  for (const operation of ['failover', 'failback'] as const) {
    const what = operation === 'failover'
      ? 'take one side out of service while the others keep it running: refuses unless the platform is healthy'
      : 'bring a side back after a failover: boot it in tier order, resync, rejoin the clusters, check everything';
    addReportOptions(program.command(operation), { html: true }).description(what).argument('<topology>', 'topology YAML file')
      .requiredOption('-s, --side <side>', operation === 'failover' ? 'the side to take down (hosts with this side:)' : 'the side to bring back')
      .option('--fleet <dir>', 'run against the simulated fleet in DIR (see orchestrate fleet up)')
      .option('-F, --ssh-config <file>', 'read this ssh_config file instead of ~/.ssh/config and /etc/ssh/ssh_config; none: read none')
      .option('-n, --dry-run', 'show what would run, in order; run nothing (no preflight either)')
      .option('--json', 'print events as NDJSON (docs/events.md) instead of text')
      .option('-v, --verbose', 'also print command output, every check attempt and every health check')
      .option('--plain', PLAIN)
      .option('-y, --yes', YES)
      .option('-c, --concurrency <n>', 'commands run at once, checks and probes included; waiting hosts hold none: N, or unlimited (default: the topology\'s concurrency, else unlimited)', concurrencyArg)
      .addOption(new Option('--on-failure <policy>', 'stop: start nothing new; continue: go on with what does not depend on the failure; abort: also cancel running steps').choices(['stop', 'continue', 'abort']).default('stop'))
      .action(async (file: string, flags: RunFlags & { side: string }) => {
        const { sideCommand } = await import('./commands/side.js');
        result.code = await sideCommand({
          operation, file, side: flags.side, stateDir: stateDir(), signal, fleet: flags.fleet, sshConfig: flags.sshConfig,
          dryRun: flags.dryRun === true, json: flags.json === true, verbose: flags.verbose === true, plain: flags.plain === true, confirm: flags.yes !== true,
          concurrency: flags.concurrency, onFailure: flags.onFailure, reports: reportTargets(flags), ...journaled(),
        }, io);
      });
  }

  addReportOptions(program.command('apply'), { html: true }).description('run a plan saved with orchestrate plan … -o FILE, exactly; refused (exit 3) when a file it was made from changed')
    .argument('<plan>', 'plan document (JSON)')
    .option('-n, --dry-run', 'walk the plan through the executor; run nothing')
    .option('--json', 'print events as NDJSON (docs/events.md) instead of text')
    .option('-v, --verbose', 'also print command output and every check attempt')
    .option('--plain', PLAIN)
    .option('-c, --concurrency <n>', "commands run at once: N, or unlimited (default: the plan's)", concurrencyArg)
    .addOption(new Option('--on-failure <policy>', 'stop: start nothing new; continue: go on with what does not depend on the failure; abort: also cancel running steps').choices(['stop', 'continue', 'abort']).default('stop'))
    .action(async (file: string, flags: RunFlags) => {
      const { applyCommand } = await import('./commands/apply.js');
      result.code = await applyCommand({
        file, stateDir: stateDir(), signal, dryRun: flags.dryRun === true, json: flags.json === true, verbose: flags.verbose === true, plain: flags.plain === true,
        concurrency: flags.concurrency, onFailure: flags.onFailure, reports: reportTargets(flags), ...journaled(),
      }, io);
    });

  addReportOptions(program.command('resume'), { html: true }).description('continue a failed or interrupted run from its plan: what reached its target is verified, not run again (docs/runs.md)')
    .argument('[run]', 'a run id, a unique prefix of one, or last', 'last')
    .option('--skip <step>', 'a step that was in flight and is not safe to repeat: it finished, do not run it again (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--rerun <step>', 'a step that was in flight and is not safe to repeat: run it again anyway (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .option('-n, --dry-run', 'show what the resumed run would do; run nothing')
    .option('--json', 'print events as NDJSON (docs/events.md) instead of text')
    .option('-v, --verbose', 'also print command output and every check attempt')
    .option('--plain', PLAIN)
    .option('-c, --concurrency <n>', "commands run at once: N, or unlimited (default: the plan's)", concurrencyArg)
    .addOption(new Option('--on-failure <policy>', 'stop: start nothing new; continue: go on with what does not depend on the failure; abort: also cancel running steps').choices(['stop', 'continue', 'abort']).default('stop'))
    .action(async (run: string, flags: RunFlags & { skip?: string[]; rerun?: string[] }) => {
      const { resumeCommand } = await import('./commands/resume.js');
      result.code = await resumeCommand({
        run, skip: flags.skip ?? [], rerun: flags.rerun ?? [], stateDir: stateDir(), signal, dryRun: flags.dryRun === true, json: flags.json === true,
        verbose: flags.verbose === true, plain: flags.plain === true, concurrency: flags.concurrency, onFailure: flags.onFailure, reports: reportTargets(flags), ...journaled(),
      }, io);
    });

  addReportOptions(program.command('check'), { html: false }).description('run every health check of the platform now, in parallel: a table of results; exit 0 only when all pass')
    .argument('<topology>', 'topology YAML file')
    .option('--host <host>', 'only this host (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--role <role>', 'only the hosts of this role (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .option(...LIMIT_OPTION)
    .option('--retry', "try each check with its own attempts and deadline, as up does (default: one attempt each)")
    .option('--json', 'print one JSON document (docs/checks.md) instead of the table')
    .option('-v, --verbose', 'also print each result as it comes')
    .option('--fleet <dir>', 'check the simulated fleet in DIR (see orchestrate fleet up)')
    .option('-F, --ssh-config <file>', 'read this ssh_config file instead of ~/.ssh/config and /etc/ssh/ssh_config; none: read none')
    .option('-c, --concurrency <n>', 'commands run at once, checks and probes included; waiting hosts hold none: N, or unlimited (default: the topology\'s concurrency, else unlimited)', concurrencyArg)
    .action(async (file: string, flags: { host?: string[]; role?: string[]; limit?: string[]; retry?: boolean; json?: boolean; verbose?: boolean; fleet?: string; concurrency?: number; junit?: string; sshConfig?: string }) => {
      const { checkCommand } = await import('./commands/check.js');
      result.code = await checkCommand({
        file, hosts: flags.host ?? [], roles: flags.role ?? [], limit: flags.limit, retry: flags.retry === true, json: flags.json === true,
        verbose: flags.verbose === true, fleet: flags.fleet, sshConfig: flags.sshConfig, signal, concurrency: flags.concurrency, stateDir: stateDir(), reports: reportTargets(flags),
      }, io);
    });

  program.command('runs').description('the recent runs from their journals, newest first: how each ended, and where a failed or interrupted one stopped')
    .option('--topology <name>', "only the runs of this topology (its name:)")
    .option('--limit <n>', 'at most N runs', positiveInt, 20)
    .option('--json', 'print one JSON document (docs/runs.md) instead of the table')
    .action(async (flags: { topology?: string; limit: number; json?: boolean }) => {
      const { runsCommand } = await import('./commands/runs.js');
      result.code = runsCommand({ stateDir: stateDir(), topology: flags.topology, limit: flags.limit, json: flags.json === true }, io);
    });

  program.command('show').description('replay a run from its journal, as it was printed')
    .argument('<run>', 'a run id, a unique prefix of one, or last')
    .option('--json', 'print the events as NDJSON, exactly as --json printed them')
    .option('-v, --verbose', 'also print command output and every check attempt (as far as the run recorded them)')
    .option('--report <file>', 'instead, write the run\'s HTML report to FILE (docs/reports.md)')
    .option('--junit <file>', 'instead, write the run\'s JUnit XML to FILE')
    .action(async (run: string, flags: { json?: boolean; verbose?: boolean; report?: string; junit?: string }) => {
      const { showCommand } = await import('./commands/show.js');
      result.code = showCommand({ stateDir: stateDir(), run, json: flags.json === true, verbose: flags.verbose === true, reports: reportTargets(flags) }, io);
    });

  program.command('demo').description('start the simulated fleet of a topology, bring it up and down over SSH, verify the order')
    .argument('[topology]', 'topology YAML file (default: the topologies/small.yaml shipped with orchestrate)')
    .option('--time-scale <x>', 'simulated durations are multiplied by this: 0.1 runs ten times as fast as real time', positiveNumber, 0.1)
    .action(async (file: string | undefined, flags: { timeScale: number }) => {
      const { demoCommand } = await import('./commands/demo.js');
      result.code = await demoCommand(file, { timeScale: flags.timeScale, signal, stateDir: stateDir() }, io);
    });

  addFleetCommands(program, { io, signal, result, stateDir });
  return program;
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code. Never throws. */
export async function main(argv: readonly string[], io: CliIO, signal: AbortSignal): Promise<number> {
  const result = { code: EXIT.ok as number };
  try {
    await buildProgram(io, signal, result).parseAsync([...argv], { from: 'user' });
    return result.code;
  } catch (e) {
    return reportError(e, io);
  }
}

function reportError(e: unknown, io: CliIO): number {
  const s = io.errStyle;
  if (e instanceof CommanderError) {
    // Commander already printed its message; help and version are not errors.
    return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help' ? EXIT.ok : EXIT.invalid;
  }
  if (e instanceof CliError) {
    io.err(`${s.red(s.bold('Error:'))} ${e.message}`);
    if (e.cause !== undefined) io.err(`Caused by: ${e.cause instanceof Error ? e.cause.message : String(e.cause)}`);
    for (const hint of e.suggestions) io.err(`Try this: ${hint}`);
    return e.exitCode;
  }
  const err = e instanceof Error ? e : new Error(String(e));
  io.err(`${s.red(s.bold('Error:'))} ${err.message}`);
  if (!(err instanceof InternalError)) io.err('This is a bug in orchestrate; please report it with the command you ran.');
  if (io.env.ORCHESTRATE_DEBUG === '1') io.err(err.stack ?? '');
  else io.err('Run with ORCHESTRATE_DEBUG=1 to see where it happened.');
  return EXIT.failed;
}

/** The process entry point: wires signals and sets the exit code. */
export async function cli(argv: readonly string[]): Promise<void> {
  const color = !argv.includes('--no-color');
  const io = processIO({ color });
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (name: NodeJS.Signals): void => {
    interrupts++;
    if (interrupts > 1) {
      io.err('interrupted again: exiting now; remote commands may still be running');
      process.exit(EXIT.cancelled);
    }
    io.err(`${name}: starting nothing new, stopping running steps… (press Ctrl-C again to quit at once)`);
    controller.abort(new Error(`cancelled by ${name}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.exitCode = await main(argv, io, controller.signal);
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
}
