import { expect } from 'chai';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runPlan } from '../../lib/execution/index.js';
import { buildPlan, planDocumentText, planFromDocument, type Plan } from '../../lib/plan/index.js';
import { FakePlatform } from '../support/fake-platform.js';
import { loadValid, ROOT } from '../support/topologies.js';
import { VirtualTime } from '../support/virtual-time.js';
import { runMain, type CliResult } from '../support/cli.js';

async function commandsOf(plan: Plan, platform: FakePlatform): Promise<string[]> {
  const time = new VirtualTime();
  platform.useClock(() => time.now());
  const summary = await runPlan(plan, { transport: platform, listeners: [], signal: new AbortController().signal, clock: time.clock, sleep: time.sleep });
  expect(summary.status).to.equal('succeeded');
  return platform.calls.map((c) => `${c.on}: ${c.command}`);
}

const cli = (args: string[], cwd: string): Promise<CliResult> => runMain(args, { cwd });

describe('saved plans', () => {
  it('a plan read back from its document runs exactly the commands of the plan it was made from (large.yaml up, then down)', async () => {
    const { topology, graph } = loadValid('topologies/large.yaml');
    const direct = new FakePlatform(topology);
    const saved = new FakePlatform(topology);
    for (const action of ['up', 'down'] as const) {
      const plan = buildPlan(topology, graph, action);
      const back = planFromDocument(JSON.parse([...planDocumentText(plan)].join('\n')));
      if ('error' in back) throw new Error(back.error);
      direct.calls.length = 0;
      saved.calls.length = 0;
      const expected = await commandsOf(plan, direct);
      expect(await commandsOf(back, saved)).to.deep.equal(expected);
      expect(expected.length).to.be.above(50);
    }
  });

  describe('orchestrate plan -o and apply', () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(path.join(os.tmpdir(), 'orchestrate-apply-'));
      copyFileSync(path.join(ROOT, 'topologies/small.yaml'), path.join(dir, 'small.yaml'));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('saves the plan, and apply --dry-run walks exactly it', async () => {
      const saved = await cli(['--state-dir', path.join(dir, 'state'), 'plan', 'small.yaml', '--action', 'down', '-o', 'down.json'], dir);
      expect(saved.code).to.equal(0);
      expect(saved.err).to.match(/^plan written to down\.json \(down acd-small, 5 hosts, sha256 [0-9a-f]{12}\); run it with: orchestrate apply down\.json$/);
      const doc = JSON.parse(readFileSync(path.join(dir, 'down.json'), 'utf8')) as { action: string; sources: { file: string }[] };
      expect(doc.action).to.equal('down');
      expect(doc.sources.map((s) => path.basename(s.file))).to.include('small.yaml');
      const dry = await cli(['--state-dir', path.join(dir, 'state'), 'apply', 'down.json', '--dry-run', '--json'], dir);
      expect(dry.code).to.equal(0);
      const events = dry.out.split('\n').map((l) => JSON.parse(l) as { type: string; dryRun?: boolean; status?: string });
      expect(events[0]).to.include({ type: 'run-started', dryRun: true });
      expect(events.at(-1)).to.include({ type: 'run-finished', status: 'succeeded' });
    });

    it('refuses a stale plan with exit 3, naming the file that changed, and runs nothing', async () => {
      expect((await cli(['plan', 'small.yaml', '-o', 'up.json'], dir)).code).to.equal(0);
      writeFileSync(path.join(dir, 'small.yaml'), `${readFileSync(path.join(dir, 'small.yaml'), 'utf8')}\n# edited\n`);
      const r = await cli(['--state-dir', path.join(dir, 'state'), 'apply', 'up.json'], dir);
      expect(r.code).to.equal(3);
      expect(r.out).to.equal('');
      expect(r.err).to.match(/up\.json is stale: a file it was made from has changed since\n {2}\S*small\.yaml: changed \(sha256 [0-9a-f]{12} in the plan, [0-9a-f]{12} now\)/);
      expect(r.err).to.include('Try this: make the plan again: orchestrate plan small.yaml --action up -o up.json');
    });

    it('a file that is not a plan is invalid input (exit 2)', async () => {
      writeFileSync(path.join(dir, 'junk.json'), '{"version": 1}');
      const r = await cli(['apply', 'junk.json'], dir);
      expect(r.code).to.equal(2);
      expect(r.err).to.include('junk.json is not a plan: plan document version 1');
      expect((await cli(['apply', 'missing.json'], dir)).err).to.include('cannot read the plan missing.json: no such file');
    });
  });
});
