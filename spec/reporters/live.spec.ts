import { expect } from 'chai';
import type { RunEvent, RunEventBody } from '../../lib/events/index.js';
import { HumanReporter, liveViewFits, stripAnsi } from '../../lib/reporters/index.js';
import { LiveReporter } from '../../lib/reporters/live.js';
import { FakeTimers } from '../support/fake-timers.js';

let seq = 0;
const ev = (ms: number, body: RunEventBody): RunEvent => ({ seq: ++seq, time: new Date(ms).toISOString(), elapsedMs: ms, ...body });

const HOSTS = Array.from({ length: 15 }, (_, i) => `app${String(i + 1).padStart(2, '0')}`);
const START = ev(0, { type: 'run-started', version: 1, action: 'up', topology: 'demo', file: 'demo.yaml', dryRun: false, waves: [HOSTS] });
const FINISH = ev(9000, { type: 'run-finished', status: 'succeeded', durationMs: 9000, hosts: Object.fromEntries(HOSTS.map((h) => [h, 'up'])), failures: [] });

/** A terminal: what was written, as one string. */
function terminal(columns = 80, rows = 24): { stream: { write(t: string): void; columns: number; rows: number; isTTY: boolean }; text: () => string } {
  const out: string[] = [];
  return { stream: { write: (t: string) => void out.push(t), columns, rows, isTTY: true }, text: () => out.join('') };
}

const CURSOR_UP = /\u001b\[\d*A/;
const ERASE_LINE = /\u001b\[2K/;

describe('LiveReporter', () => {
  it('redraws at most ten times a second however many events come, and once a second when none do', () => {
    const t = new FakeTimers();
    const term = terminal();
    const live = new LiveReporter({ stream: term.stream, timers: t });
    live.onEvent(START);
    for (const h of HOSTS) live.onEvent(ev(0, { type: 'host-started', host: h, wave: 1 }));
    expect(live.frames).to.equal(0); // a burst of events makes one frame, when it is over
    t.advance(0);
    expect(live.frames).to.equal(1);
    // 15 hosts × 20 events over one second: 300 events, at most 10 frames.
    for (let i = 0; i < 20; i++) {
      for (const h of HOSTS) live.onEvent(ev(t.now(), { type: 'step-started', host: h, step: `${h}/s${i}`, name: `step ${i}`, kind: 'run', target: h }));
      t.advance(50);
    }
    expect(live.frames).to.be.within(10, 11);
    const before = live.frames;
    t.advance(5000);
    expect(live.frames - before).to.equal(5);
    expect(term.text()).to.match(CURSOR_UP).and.match(ERASE_LINE);
    live.onEvent(FINISH);
    expect(t.pending).to.equal(0);
  });

  it('prints warnings and failures in full above the frame, and the plain summary under the last frame', () => {
    const t = new FakeTimers();
    const term = terminal(60, 10);
    const live = new LiveReporter({ stream: term.stream, timers: t });
    live.onEvent(START);
    live.onEvent(ev(10, { type: 'host-started', host: 'app01', wave: 1 }));
    live.onEvent(ev(20, { type: 'step-started', host: 'app01', step: 'app01/boot', name: 'wait for boot', kind: 'wait-boot', target: 'app01' }));
    t.advance(3000);
    const warning = 'a warning longer than the terminal is wide, which must be printed whole and never cut';
    live.onEvent(ev(3000, { type: 'warning', host: 'app01', message: warning }));
    live.onEvent(ev(3000, { type: 'step-finished', host: 'app01', step: 'app01/boot', name: 'wait for boot', kind: 'wait-boot', status: 'passed', durationMs: 2980 }));
    live.onEvent(FINISH);
    const text = stripAnsi(term.text());
    expect(text.replace(/\n/g, '')).to.include(`app01    WARN ${warning}`); // wrapped at 60 columns by the terminal, not cut
    expect(text).to.include('app01  booting 2s');
    // The plain line of a passed step is not printed; the summary is HumanReporter's.
    expect(text).not.to.include('ok   wait for boot');
    const plain: string[] = [];
    const human = new HumanReporter({ write: (l) => plain.push(l), longSteps: false });
    human.onEvent(START);
    human.onEvent(FINISH);
    expect(text.endsWith(`${plain.at(-1) ?? ''}\n`)).to.equal(true);
    // After the summary, nothing is drawn any more.
    const length = term.text().length;
    t.advance(5000);
    live.onEvent(ev(9001, { type: 'warning', message: 'late' }));
    expect(term.text().length).to.equal(length);
  });

  it('draws a frame for a terminal that does not say its size (80 × 24)', () => {
    const t = new FakeTimers();
    const out: string[] = [];
    const live = new LiveReporter({ stream: { write: (s: string) => void out.push(s), columns: 0, rows: 0, isTTY: true }, timers: t });
    live.onEvent(START);
    t.advance(0);
    expect(stripAnsi(out.join(''))).to.include('up demo: 0 of 15 up · 0s');
  });

  it('is for terminals that can redraw: not a pipe, not TERM=dumb', () => {
    expect([liveViewFits(true, {}), liveViewFits(false, {}), liveViewFits(undefined, {}), liveViewFits(true, { TERM: 'dumb' })]).to.deep.equal([true, false, false, false]);
  });
});
