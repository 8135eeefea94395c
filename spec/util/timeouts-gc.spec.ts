import { expect } from 'chai';
import { untilAborted } from '../../lib/fleet/ssh-host.js';
import { SshTransport, execLocal } from '../../lib/transport/index.js';
import { Deadline, linkSignals } from '../../lib/util/abort.js';
import { SshFixture } from '../support/ssh-fixture.js';

/**
 * On Node 20, `AbortSignal.any([signal, AbortSignal.timeout(ms)])` holds the timeout weakly: after
 * a full garbage collection it never fires, and a hung command runs forever. These specs force
 * collections (mocha runs with --expose-gc) while a command overruns its timeout.
 */
const gc = (globalThis as { gc?: () => void }).gc;

function collecting(): () => void {
  if (!gc) throw new Error('run with --expose-gc (.mocharc.json node-option)');
  const timer = setInterval(() => gc(), 50);
  return () => clearInterval(timer);
}

describe('timeouts survive garbage collection', () => {
  it('a Deadline fires although collections run while it waits', async () => {
    const stop = collecting();
    try {
      const d = new Deadline(new AbortController().signal, 150);
      await new Promise<void>((resolve) => d.signal.addEventListener('abort', () => resolve(), { once: true }));
      expect(d.expired).to.equal(true);
      d.dispose();
    } finally {
      stop();
    }
  });

  it('linked signals still abort after collections', async () => {
    const stop = collecting();
    try {
      const parent = new AbortController();
      const { signal } = linkSignals(new AbortController().signal, parent.signal);
      await new Promise((r) => setTimeout(r, 100));
      parent.abort(new Error('now'));
      expect(signal.aborted).to.equal(true);
    } finally {
      stop();
    }
  });

  it('a local command that overruns its timeout is stopped', async () => {
    const stop = collecting();
    const t0 = performance.now();
    try {
      const r = await execLocal('sleep 30', { signal: new AbortController().signal, timeoutMs: 300 });
      expect(r.outcome).to.equal('timed-out');
      expect(performance.now() - t0).to.be.below(10_000);
    } finally {
      stop();
    }
  });

  describe('over SSH', () => {
    const fx = new SshFixture();
    after(() => fx.close());

    it('a remote command that overruns its timeout is stopped', async () => {
      const host = await fx.host('hangs', (x) => untilAborted(x.signal));
      const transport = new SshTransport({ home: fx.dir });
      const stop = collecting();
      const t0 = performance.now();
      try {
        const r = await transport.exec(fx.endpoint(host), 'systemctl stop mysqld', { signal: new AbortController().signal, timeoutMs: 300 });
        expect(r).to.include({ outcome: 'timed-out', killed: true });
        expect(performance.now() - t0).to.be.below(10_000);
      } finally {
        stop();
        await transport.close();
      }
    });
  });
});
