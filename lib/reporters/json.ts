/** The NDJSON reporter: every event as one JSON line (the contract in docs/events.md). */
import type { RunEvent } from '../events/index.js';

export class JsonReporter {
  readonly #write: (line: string) => void;

  constructor(write: (line: string) => void) {
    this.#write = write;
  }

  onEvent(e: RunEvent): void {
    this.#write(JSON.stringify(e));
  }
}
