/**
 * What `--json` streams as step-output: the output of the commands that do something (steps,
 * service and power commands), once each; polls (boot wait, wait until off, pair state reads) and
 * check attempts stream only with --verbose (their results are check-attempt and step-finished).
 * Before, one host's wait-off poll was 149 of the 179 events of a `down --json`.
 */
import { expect } from 'chai';
import { testFleet, type TestFleet } from '../support/fleet.js';

interface Event { readonly type: string; readonly step?: string; readonly kind?: string }

describe('step-output with --json and --verbose', function () {
  this.timeout(60_000);
  let f: TestFleet;
  before(async () => {
    f = await testFleet('small');
  });
  after(async () => {
    await f.close();
  });
  const events = async (...args: string[]): Promise<Event[]> => {
    const r = await f.cli(...args, '--fleet', f.dir, '--json');
    expect(r.code, r.err).to.equal(0);
    return r.out.split('\n').map((l) => JSON.parse(l) as Event);
  };
  /** The kinds of the steps that streamed output. */
  const streamed = (list: readonly Event[]): Set<string> => {
    const kinds = new Map(list.filter((e) => e.type === 'step-started').map((e) => [e.step, e.kind]));
    return new Set(list.filter((e) => e.type === 'step-output').map((e) => kinds.get(e.step) ?? '?'));
  };
  const POLLS = ['wait-boot', 'wait-off', 'check'];

  it('up and down --json: no output of polls or check attempts', async () => {
    for (const action of ['up', 'down']) {
      const list = await events(action, f.file);
      const kinds = streamed(list);
      for (const poll of POLLS) expect(kinds.has(poll), `${action}: ${[...kinds].join(', ')}`).to.equal(false);
      expect(list.filter((e) => e.type === 'step-output').length).to.be.below(list.length / 2);
    }
  });

  it('--json --verbose: the polls too', async () => {
    const up = streamed(await events('up', f.file, '--verbose'));
    const down = streamed(await events('down', f.file, '--verbose'));
    expect([...up, ...down].some((k) => POLLS.includes(k)), [...up, ...down].join(', ')).to.equal(true);
  });
});
