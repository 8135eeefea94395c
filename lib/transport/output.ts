/** Collects a command's output, keeping at most `limit` characters (the tail) per stream. */
export class OutputBuffer {
  #text = '';
  #dropped = 0;
  readonly #limit: number;

  constructor(limit = 1 << 20) {
    this.#limit = limit;
  }

  append(chunk: string): void {
    this.#text += chunk;
    if (this.#text.length > this.#limit) {
      const cut = this.#text.length - this.#limit;
      this.#dropped += cut;
      this.#text = this.#text.slice(cut);
    }
  }

  toString(): string {
    return this.#dropped > 0 ? `[… ${this.#dropped} characters dropped …]\n${this.#text}` : this.#text;
  }
}

/** The last `lines` lines of `text`, for failure summaries. */
export function tail(text: string, lines = 10): string {
  const all = text.replace(/\s+$/, '').split('\n');
  return all.slice(-lines).join('\n');
}
