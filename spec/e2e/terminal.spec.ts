/**
 * What a person at a terminal sees, through a real pseudo-terminal: the live view of up and
 * down, and the question before down (yes, no, --yes); and what a pipe gets instead (the plain
 * lines, no question). Runs the built CLI (npm run build) against the simulated fleet.
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { listRuns } from '../../lib/journal/index.js';
import { stripAnsi } from '../../lib/reporters/index.js';
import { testFleet, type TestFleet } from '../support/fleet.js';
import { hasScript, runOnPty } from '../support/pty.js';
import { ROOT } from '../support/topologies.js';

const CURSOR_UP = /\u001b\[\d*A/;
const ERASE_LINE = /\u001b\[2K/;
/** A plain event line: `[   1.2s] host ...`. */
const PLAIN_LINE = /^\[ *\d+\.\d+s\] /m;

/** The text as a reader of the scrollback would take it: no escapes, LF line ends. */
const text = (raw: string): string => stripAnsi(raw).replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');

function piped(args: readonly string[]): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, ['bin/orchestrate.js', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out })));
}

describe('end to end: on a terminal and in a pipe', function () {
  this.timeout(60_000);
  let f: TestFleet;
  let args: (command: string, ...more: string[]) => string[];
  let state: string;

  before(async () => {
    expect(await hasScript(), 'util-linux script(1) makes the pseudo-terminal').to.equal(true);
    f = await testFleet('small');
    state = path.join(f.dir, 'state');
    args = (command, ...more) => ['--state-dir', state, command, f.file, '--fleet', f.dir, ...more];
  });
  after(async () => {
    await f?.close();
  });

  it('up on a terminal: the live view redrawn in place, no plain lines, then the summary', async () => {
    const r = await runOnPty(args('up'), { cols: 90, rows: 20 });
    const shown = text(r.raw);
    expect(r.code, shown).to.equal(0);
    expect(r.raw).to.match(CURSOR_UP).and.match(ERASE_LINE);
    expect(shown).to.match(/^up acd-small: \d of 5 up · \d+s$/m).and.include('up acd-small: 5 of 5 up');
    expect(shown).to.match(/^wave 1$/m).and.match(/^ {2}acd-\w+ +up in \d+s$/m);
    expect(shown).not.to.match(PLAIN_LINE);
    expect(shown.trimEnd().split('\n').at(-1)).to.match(/^up: succeeded in .*: 5 up$/);
  });

  it('down on a terminal asks first; no: exit 3, nothing done', async () => {
    const runs = listRuns(state).length;
    const r = await runOnPty(args('down'), { answer: 'n' });
    const shown = text(r.raw);
    expect(r.code, shown).to.equal(3);
    expect(shown).to.include('down acd-small (topologies/small.yaml) stops and powers off 5 hosts in 4 waves:')
      .and.include('Go on with down? [y/N] n').and.include('Error: down: you answered no; nothing was done');
    expect(listRuns(state)).to.have.length(runs);
  });

  it('down on a terminal, answered yes: runs, in the live view', async () => {
    const r = await runOnPty(args('down'), { answer: 'y' });
    const shown = text(r.raw);
    expect(r.code, shown).to.equal(0);
    expect(r.raw).to.match(CURSOR_UP);
    expect(shown).to.include('down acd-small: 5 of 5 down');
    expect(shown).not.to.match(PLAIN_LINE);
    expect(shown.trimEnd().split('\n').at(-1)).to.match(/^down: succeeded in .*: 5 down$/);
  });

  it('in a pipe: the plain lines, and down runs without asking', async () => {
    const up = await piped(args('up'));
    expect(up.code, up.out).to.equal(0);
    expect(up.out).to.match(PLAIN_LINE);
    expect(up.out).not.to.include('\u001b');
    const down = await piped(args('down'));
    expect(down.code, down.out).to.equal(0);
    expect(down.out).not.to.include('[y/N]');
    expect(down.out.trimEnd().split('\n').at(-1)).to.match(/^down: succeeded in .*: 5 down$/);
  });

  it('--plain on a terminal: the plain lines; --yes: no question', async () => {
    const up = await runOnPty(args('up', '--plain'));
    expect(up.code, text(up.raw)).to.equal(0);
    expect(text(up.raw)).to.match(PLAIN_LINE);
    expect(up.raw).not.to.match(CURSOR_UP);
    const down = await runOnPty(args('down', '--yes'));
    expect(down.code, text(down.raw)).to.equal(0);
    expect(text(down.raw)).not.to.include('[y/N]');
  });

  it('--dry-run never asks, even on a terminal', async () => {
    const r = await runOnPty(args('down', '--dry-run'));
    expect(r.code, text(r.raw)).to.equal(0);
    expect(text(r.raw)).not.to.include('[y/N]');
    expect(text(r.raw)).to.include('dry run complete');
  });
});
