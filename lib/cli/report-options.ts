/**
 * `--junit FILE` and `--report FILE` as options: kept apart from the writers (report-files.ts) so
 * that building the command line loads no reporter (start-up, docs/benchmarks.md).
 */
import type { Command } from 'commander';

/** The report files a command was asked for. */
export interface ReportTargets {
  /** `--junit FILE`: JUnit XML. */
  readonly junit?: string | undefined;
  /** `--report FILE`: the HTML report. */
  readonly report?: string | undefined;
}

/** Adds `--junit FILE` (and, with `html`, `--report FILE`) to a command. */
export function addReportOptions(cmd: Command, options: { html: boolean }): Command {
  cmd.option('--junit <file>', 'also write the result as JUnit XML to FILE (docs/reports.md), however the run ends');
  if (options.html) cmd.option('--report <file>', 'also write a self-contained HTML report of the run to FILE: timeline, critical path, failures (docs/reports.md)');
  return cmd;
}

/** The targets in a command's parsed flags. */
export function reportTargets(flags: { junit?: string; report?: string }): ReportTargets {
  return { ...(flags.junit === undefined ? {} : { junit: flags.junit }), ...(flags.report === undefined ? {} : { report: flags.report }) };
}
