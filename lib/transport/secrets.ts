/**
 * A transport that sends the real values of `{{secret:NAME}}` placeholders and gives back none:
 * each command is filled in as it is sent, and its output (streamed pieces, stdout, stderr and
 * error messages) comes back masked, a value split between two pieces included. Everything the
 * engine derives from a result (failure messages, check verdicts, output tails) never holds a
 * secret.
 */
import type { Secrets } from '../util/secrets.js';
import type { CommandResult, Endpoint, ExecOptions, Stream, Transport } from './types.js';

export function withSecrets(inner: Transport, secrets: Secrets): Transport {
  return {
    exec: async (endpoint: Endpoint, command: string, options: ExecOptions): Promise<CommandResult> => {
      const { onOutput } = options;
      const streams = onOutput ? { stdout: secrets.maskStream(), stderr: secrets.maskStream() } : undefined;
      const emit = (stream: Stream, text: string): void => {
        if (text !== '') onOutput?.(stream, text);
      };
      const r = await inner.exec(endpoint, secrets.fill(command), {
        ...options,
        ...(streams ? { onOutput: (stream: Stream, text: string) => emit(stream, streams[stream].push(text)) } : {}),
      });
      if (streams) for (const stream of ['stdout', 'stderr'] as const) emit(stream, streams[stream].end());
      return secrets.maskDeep(r);
    },
    probe: (endpoint, options) => inner.probe(endpoint, options),
    prepare: (endpoint) => inner.prepare(endpoint),
    closed: (endpoint) => inner.closed(endpoint),
    forget: (endpoint) => inner.forget(endpoint),
    close: () => inner.close(),
  };
}
