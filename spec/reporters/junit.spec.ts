import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { junitXml, runReport } from '../../lib/reporters/index.js';
import { HOSTILE, reportEvents, reportLinks } from '../support/report-run.js';
import { ROOT } from '../support/topologies.js';
import { needTool } from '../support/tools.js';

type Node = Record<string, unknown>;
const list = (x: unknown): Node[] => (x === undefined ? [] : Array.isArray(x) ? (x as Node[]) : [x as Node]);

function parse(xml: string): Node {
  expect(XMLValidator.validate(xml), 'well-formed XML').to.equal(true);
  return new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', parseAttributeValue: false, trimValues: false }).parse(xml) as Node;
}

function suite(doc: Node, name: string): Node {
  const found = list((doc.testsuites as Node).testsuite).find((s) => String(s.name).endsWith(`: ${name}`));
  if (!found) throw new Error(`no suite ${name}`);
  return found;
}

const testcase = (s: Node, name: string): Node => {
  const found = list(s.testcase).find((c) => c.name === name);
  if (!found) throw new Error(`no test case ${name}`);
  return found;
};

describe('reporters/junit: a run as JUnit XML', () => {
  const xml = junitXml(runReport(reportEvents(), { links: reportLinks }));

  it('a test case per host and per check; a failure carries the command, the exit code and the output tail', () => {
    const doc = parse(xml);
    const root = doc.testsuites as Node;
    expect(root).to.include({ name: 'orchestrate up demo', tests: '6', failures: '2', errors: '0', skipped: '0', time: '9.902', timestamp: '2026-12-07T08:00:00' });
    const hosts = suite(doc, 'hosts');
    expect(list(hosts.testcase).map((c) => [c.classname, c.name, c.time])).to.deep.equal([
      ['demo.up', 'lb', '2.400'], ['demo.up', 'db', '3.500'], ['demo.up', 'web1', '3.999'], ['demo.up', 'web2', '3.000'],
    ]);
    expect(testcase(hosts, 'lb').failure).to.equal(undefined);
    const failure = testcase(hosts, 'web1').failure as Node;
    expect(failure).to.include({ type: 'failed', message: 'check http: exit code 22: HTTP 500 after 3 attempts' });
    const text = String(failure['#text']);
    for (const part of ['command: curl -sf http://web1/', 'exit code: 22', 'output (last lines):', '<script>document.title']) expect(text).to.include(part);
    expect(String(testcase(hosts, 'web2')['system-out'])).to.include('start jboss $ do start jboss (on web2) [1.0s]');
    const checks = suite(doc, 'checks');
    expect(list(checks.testcase).map((c) => [c.classname, c.name, c.failure === undefined ? 'passed' : 'failed'])).to.deep.equal([
      ['demo.up.lb', 'check lb', 'passed'], ['demo.up.web1', 'check http', 'failed'],
    ]);
    expect(String(suite(doc, 'hosts')['system-out'])).to.include('critical path: lb -> db -> web1').and.include('warning: web2: slow disk <b>&</b>');
  });

  it('hosts\' output survives as text: markup escaped, CDATA ends and control characters made harmless', () => {
    expect(xml).to.not.include('<script>').and.not.include('\u001b');
    expect(xml).to.include('&lt;script&gt;').and.include(']]&gt;');
    const failure = testcase(suite(parse(xml), 'hosts'), 'web1').failure as Node;
    expect(String(failure['#text'])).to.include(HOSTILE.replace(/\u001b\[\d+m/g, ''));
  });

  it('an interrupted run: hosts in flight are errors, hosts not reached are skipped', () => {
    const cut = reportEvents().find((e) => e.type === 'check-attempt')?.seq ?? 0;
    const doc = parse(junitXml(runReport(reportEvents(cut), { links: reportLinks })));
    const hosts = suite(doc, 'hosts');
    expect(hosts).to.include({ tests: '4', failures: '0', errors: '2', skipped: '0' });
    expect(String((testcase(hosts, 'web1').error as Node).message)).to.equal('no result: the run ended while this host was in progress (in flight: check http)');
    expect((testcase(hosts, 'web1').error as Node).type).to.equal('interrupted');
    const early = suite(parse(junitXml(runReport(reportEvents(10), { links: reportLinks }))), 'hosts');
    expect(testcase(early, 'web2').skipped).to.deep.equal({ message: 'not reached: the run ended before this host started' });
  });

  it('is valid against the dialect\'s XML Schema (spec/fixtures/junit.xsd), failing, interrupted and passing alike', function () {
    const xmllint = needTool(this, 'xmllint', 'libxml2-utils');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'junit-'));
    try {
      const passing = reportEvents().filter((e) => e.type !== 'step-finished' || e.status !== 'failed');
      for (const [i, events] of [reportEvents(), reportEvents(30), passing].entries()) {
        const file = path.join(dir, `${i}.xml`);
        writeFileSync(file, junitXml(runReport(events, { links: reportLinks })));
        const r = spawnSync(xmllint, ['--noout', '--schema', path.join(ROOT, 'spec/fixtures/junit.xsd'), file], { encoding: 'utf8' });
        expect(r.status, r.stderr).to.equal(0);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
