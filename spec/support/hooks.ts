// First: ssh2 is extended for host certificates before any spec loads it (lib/transport/ssh2-certs.ts).
import '../../lib/transport/ssh2-certs.js';

// Root hooks: a test run fails on unhandled rejections and on process warnings, so a forgotten
// promise or a leaked listener cannot pass silently.
const problems: string[] = [];
process.on('unhandledRejection', (reason) => {
  problems.push(`unhandled rejection: ${String(reason instanceof Error ? reason.stack : reason)}`);
});
process.on('warning', (w) => {
  problems.push(`process warning: ${w.name}: ${w.message}`);
});

export const mochaHooks = {
  afterEach(): void {
    if (problems.length > 0) throw new Error(problems.splice(0).join('\n'));
  },
};

/** What is open before any test runs (stdout and stderr are pipes when the output is piped). */
const baseline = count(process.getActiveResourcesInfo());

function count(list: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of list) m.set(r, (m.get(r) ?? 0) + 1);
  return m;
}

/**
 * After the whole run nothing more may be open than before it (a leaked server, socket or
 * child): that fails the run. (.mocharc's `exit` then ends the process anyway, so a leak can
 * never hang CI.)
 */
export const mochaGlobalTeardown = async (): Promise<void> => {
  await new Promise((r) => setTimeout(r, 100));
  const now = count(process.getActiveResourcesInfo().filter((r) => r !== 'Timeout'));
  const left = [...now].filter(([type, n]) => n > (baseline.get(type) ?? 0)).map(([type, n]) => `${type} ×${n - (baseline.get(type) ?? 0)}`);
  if (left.length > 0) {
    process.stderr.write(`resources still open after the run: ${left.join(', ')}\n`);
    process.exitCode = 1;
  }
};

// No spec reads the machine's ssh_config (~/.ssh/config, /etc/ssh/ssh_config) unless it asks for a file (-F).
process.env['ORCHESTRATE_SSH_CONFIG'] ??= 'none';
