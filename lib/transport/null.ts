/**
 * The transport of a dry run: it runs nothing and connects nowhere. The executor walks the plan
 * as in a real run and marks every step planned; should anything still ask to run a command, it
 * gets a refusal, never a machine.
 */
import type { CommandResult, ProbeResult, Transport } from './types.js';

const NOTHING: CommandResult = {
  outcome: 'connect-failed', exitCode: null, signal: null, stdout: '', stderr: 'dry run: nothing is run', durationMs: 0,
  connectError: { kind: 'config', message: 'dry run: nothing is run' },
};

export class NullTransport implements Transport {
  /** Commands asked for (none, in a dry run that works as it should). */
  readonly asked: string[] = [];

  exec(_endpoint: unknown, command: string): Promise<CommandResult> {
    this.asked.push(command);
    return Promise.resolve(NOTHING);
  }

  probe(): Promise<ProbeResult> {
    return Promise.resolve({ answers: false, observed: 'dry run: nothing is probed' });
  }

  prepare(): Promise<void> {
    return Promise.resolve();
  }

  closed(): undefined {
    return undefined;
  }

  forget(): void {}

  close(): Promise<void> {
    return Promise.resolve();
  }
}
