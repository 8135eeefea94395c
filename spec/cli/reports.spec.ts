import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { main } from '../../lib/cli/main.js';
import { runSession } from '../../lib/cli/run-session.js';
import { NO_COLOURS } from '../../lib/reporters/index.js';
import { reportEvents } from '../support/report-run.js';
import { ROOT } from '../support/topologies.js';

function capture(cwd: string): { io: Parameters<typeof main>[1]; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l) => out.push(l), err: (l) => err.push(l), style: NO_COLOURS, errStyle: NO_COLOURS, env: {}, cwd }, out, err };
}

const parseXml = (file: string): Record<string, any> => {
  const text = readFileSync(file, 'utf8');
  expect(XMLValidator.validate(text)).to.equal(true);
  return new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(text) as Record<string, any>;
};

describe('cli: --junit, --report, show --report, graph', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'reports-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('up --dry-run --junit --report writes both files: every host a skipped test case, a page per run', async () => {
    const { io, err } = capture(ROOT);
    const junit = path.join(dir, 'up.xml');
    const html = path.join(dir, 'up.html');
    const code = await main(['--state-dir', dir, 'up', 'topologies/small.yaml', '--dry-run', '--junit', junit, '--report', html], io, new AbortController().signal);
    expect(code, err.join('\n')).to.equal(0);
    expect(err).to.include(`JUnit XML written to ${junit}`).and.include(`report written to ${html}`);
    const suites = [parseXml(junit).testsuites.testsuite].flat() as Record<string, any>[];
    const hosts = suites.find((s) => String(s.name).endsWith(': hosts'));
    expect(hosts).to.include({ tests: '5', skipped: '5', failures: '0', errors: '0' });
    expect(readFileSync(html, 'utf8')).to.include('<h1>orchestrate up acd-small <span class="pill succeeded" id="outcome">succeeded</span></h1>').and.include('data-host="acd-jb1"');
  });

  it('a report whose directory does not exist is refused before anything runs (exit 2)', async () => {
    const { io, err } = capture(ROOT);
    const code = await main(['--state-dir', dir, 'up', 'topologies/small.yaml', '--dry-run', '--junit', path.join(dir, 'no/such/dir/x.xml')], io, new AbortController().signal);
    expect(code).to.equal(2);
    expect(err.join('\n')).to.include(`--junit ${path.join(dir, 'no/such/dir/x.xml')}: the directory ${path.join(dir, 'no/such/dir')} does not exist`);
  });

  it('the reports are written when the run ends in an error, with what it reached', async () => {
    const { io } = capture(dir);
    const events = reportEvents(20);
    const failing = runSession('demo', {
      dryRun: true, json: true, verbose: false, concurrency: undefined, onFailure: 'stop', stateDir: dir, signal: new AbortController().signal,
      reports: { junit: 'cut.xml', report: 'cut.html' },
    }, io, async (run) => {
      for (const e of events) for (const l of run.listeners ?? []) l(e);
      throw new Error('the executor broke');
    });
    await failing.then(() => expect.fail('should throw'), (e: Error) => expect(e.message).to.equal('the executor broke'));
    const suites = [parseXml(path.join(dir, 'cut.xml')).testsuites.testsuite].flat() as Record<string, any>[];
    expect(suites[0]).to.include({ tests: '4', errors: '1', skipped: '2' });
    expect(readFileSync(path.join(dir, 'cut.html'), 'utf8')).to.include('data-outcome="interrupted"');
  });

  it('show RUN --report and --junit write the reports of a recorded run instead of replaying it', async () => {
    const { io, out, err } = capture(dir);
    const code = main(['--state-dir', path.join(ROOT, 'spec/fixtures/state'), 'show', '20261207-081500-c3d4', '--report', 'r.html', '--junit', 'r.xml'], io, new AbortController().signal);
    expect(await code, err.join('\n')).to.equal(0);
    expect(out).to.deep.equal([]);
    expect(err[0]).to.match(/^note: run 20261207-081500-c3d4 has no saved plan .*: the report shows no waits$/);
    const hosts = parseXml(path.join(dir, 'r.xml')).testsuites.testsuite as Record<string, any>;
    expect(hosts).to.include({ tests: '2', failures: '1', skipped: '1' });
    expect(existsSync(path.join(dir, 'r.html'))).to.equal(true);
  });

  it('graph prints the dependency graph: Mermaid by default, DOT with --format dot, the down order with -a down', async () => {
    const run = async (...args: string[]): Promise<string[]> => {
      const { io, out, err } = capture(ROOT);
      expect(await main(['graph', 'topologies/small.yaml', ...args], io, new AbortController().signal), err.join('\n')).to.equal(0);
      return out;
    };
    expect((await run())[0]).to.equal('flowchart LR');
    expect((await run('--format', 'dot'))[0]).to.equal('digraph "acd-small up" {');
    expect((await run('-a', 'down', '-f', 'dot'))).to.include('  "acd-dbm" -> "acd-lb" [label="requires"];');
    const { io, err } = capture(ROOT);
    expect(await main(['graph', 'topologies/small.yaml', '--format', 'png'], io, new AbortController().signal)).to.equal(2);
    expect(err.join('\n')).to.include("Allowed choices are mermaid, dot");
  });
});
