/** Running the real CLI in a child process and stopping it at a chosen event (specs of kills and resumes). */
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { RunEvent } from '../../lib/events/index.js';
import type { TestFleet } from './fleet.js';
import { ROOT } from './topologies.js';

/** Runs `orchestrate ARGS --json` against the fleet and sends `signal` at the first event `when` accepts. */
export async function stoppedRun(f: TestFleet, args: readonly string[], signal: 'SIGKILL' | 'SIGINT', when: (e: RunEvent) => boolean): Promise<{ code: number | null; seen: boolean }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'lib/cli/bin.ts', '--state-dir', path.join(f.dir, 'state'), ...args, '--fleet', f.dir, '--json'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let seen = false;
  let buffer = '';
  child.stdout.on('data', (d: Buffer) => {
    buffer += d.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const line of lines) {
      if (seen || line.trim() === '') continue;
      if (when(JSON.parse(line) as RunEvent)) {
        seen = true;
        child.kill(signal);
      }
    }
  });
  child.stderr.resume();
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  return { code, seen };
}
