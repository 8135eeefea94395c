/**
 * Command-line conventions: a reader that goes away (`| head`) does not change the exit code, and
 * tables are laid out for a terminal's width only on a terminal. Colour: spec/reporters/style.spec.ts.
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { terminalColumns } from '../../lib/cli/io.js';
import { formatCheckTable, NO_COLOURS, type CheckRow } from '../../lib/reporters/index.js';
import { ROOT } from '../support/topologies.js';

describe('a closed stdout (EPIPE)', function () {
  this.timeout(30_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'orchestrate-epipe-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs the built CLI with its stdout's reader gone at once; its exit code and stderr. */
  const closedStdout = (args: readonly string[]): Promise<{ code: number | null; err: string }> => new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/orchestrate.js'), ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, err }));
  });

  it('fleet verify | head: the command still exits 1 when it finds violations', async () => {
    // A log in which nothing was powered on: every host of large.yaml is a violation of `up`.
    const log = path.join(dir, 'events.jsonl');
    writeFileSync(log, `${JSON.stringify({ seq: 1, t: 0, type: 'fleet-started', version: 1, topology: 'acd-large', hosts: [], hypervisors: [], timeScale: 1, warm: false })}\n`);
    const r = await closedStdout(['fleet', 'verify', log, '-t', 'topologies/large.yaml', '-a', 'up']);
    expect(r.code, r.err).to.equal(1);
    expect(r.err).to.equal('');
  });

  it('a command that succeeds still exits 0', async () => {
    const r = await closedStdout(['plan', 'topologies/large.yaml', '-a', 'up']);
    expect(r.code, r.err).to.equal(0);
  });
});

describe('the check table and the terminal width', () => {
  const observed = `${'x'.repeat(300)} end`;
  const rows: CheckRow[] = [{ host: 'web1', check: 'health', ok: false, observed, durationMs: 12 }];

  it('written to a file or pipe (no width), nothing is cut', () => {
    const lines = formatCheckTable(rows, NO_COLOURS, undefined);
    expect(lines[1]).to.include(observed);
  });

  it('on a terminal, OBSERVED is cut to its width', () => {
    const lines = formatCheckTable(rows, NO_COLOURS, 100);
    expect(lines[1]?.length).to.equal(100);
    expect(lines[1]?.endsWith('…')).to.equal(true);
  });

  it('the width is the terminal\'s (COLUMNS first) on a terminal, none off one', () => {
    expect(terminalColumns(true, 132, {})).to.equal(132);
    expect(terminalColumns(true, 132, { COLUMNS: '90' })).to.equal(90);
    expect(terminalColumns(true, 132, { COLUMNS: 'wide' })).to.equal(132);
    expect(terminalColumns(false, undefined, { COLUMNS: '90' })).to.equal(undefined);
    expect(terminalColumns(undefined, undefined, {})).to.equal(undefined);
  });
});
