/**
 * `--junit FILE` and `--report FILE`: a listener that keeps a run's events, and writes the JUnit
 * XML and the HTML report from them when the run ends, however it ends (failed, cancelled by
 * Ctrl-C, or cut short by an error: what was reached is reported). Each file is written
 * atomically (util/safe-write.ts): a CI job never reads half a report. docs/reports.md.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { CliError } from '../errors.js';
import type { Listener, RunEvent } from '../events/index.js';
import { htmlReport, junitXml, runReport, type RunReportOptions } from '../reporters/index.js';
import { PUBLIC, writeFileSafe } from '../util/safe-write.js';
import { EXIT } from './exit.js';
import type { CliIO } from './io.js';
import type { ReportTargets } from './report-options.js';

export type { ReportTargets } from './report-options.js';

const wanted = (t: ReportTargets | undefined): [string, 'junit' | 'report'][] =>
  t === undefined ? [] : [...(t.junit === undefined ? [] : [[t.junit, 'junit'] as [string, 'junit']]), ...(t.report === undefined ? [] : [[t.report, 'report'] as [string, 'report']])];

/** Refuses (exit 2) a report whose directory does not exist, before anything runs. */
export function checkReportTargets(targets: ReportTargets | undefined, io: CliIO): void {
  for (const [file, flag] of wanted(targets)) {
    const dir = path.dirname(path.resolve(io.cwd, file));
    let isDir = false;
    try {
      isDir = statSync(dir).isDirectory();
    } catch {
      // reported below
    }
    if (!isDir) throw new CliError(`--${flag} ${file}: the directory ${dir} does not exist`, { exitCode: EXIT.invalid });
  }
}

/** Writes the reports of `events`; a file that cannot be written is an error on stderr. Returns whether all were written. */
export function writeReports(targets: ReportTargets | undefined, events: readonly RunEvent[], options: RunReportOptions, io: CliIO): boolean {
  const files = wanted(targets);
  if (files.length === 0) return true;
  const report = runReport(events, options);
  let ok = true;
  for (const [file, kind] of files) {
    try {
      writeFileSafe(path.resolve(io.cwd, file), kind === 'junit' ? junitXml(report) : htmlReport(report), PUBLIC);
      io.err(`${kind === 'junit' ? 'JUnit XML' : 'report'} written to ${file}`);
    } catch (e) {
      ok = false;
      io.err(io.errStyle.red(`error: cannot write the ${kind === 'junit' ? 'JUnit XML' : 'report'} to ${file}: ${(e as Error).message}`));
    }
  }
  return ok;
}

/** Keeps a run's events for its reports; `write` once the run has ended. */
export class ReportRecorder {
  readonly #events: RunEvent[] = [];
  readonly #targets: ReportTargets | undefined;
  readonly #io: CliIO;

  constructor(targets: ReportTargets | undefined, io: CliIO) {
    this.#targets = targets;
    this.#io = io;
  }

  /** Whether any report was asked for (else nothing needs to listen). */
  get active(): boolean {
    return wanted(this.#targets).length > 0;
  }

  readonly listener: Listener = (e) => {
    this.#events.push(e);
  };

  /** Writes the reports, unless the run emitted nothing (refused before it started). */
  write(options: RunReportOptions): boolean {
    if (this.#events.length === 0 && options.run === undefined) return true;
    return writeReports(this.#targets, this.#events, options, this.#io);
  }
}
