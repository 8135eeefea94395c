/**
 * POSIX sh quoting for the arguments orchestrate puts into commands (VM names, URIs, paths).
 * Plain words stay readable (`virsh -c qemu:///system start acd-dbm`); anything else is single-quoted.
 * (shell-quote was tried: it backslash-escapes `:` and `@`, which makes plans hard to read.)
 */
const PLAIN = /^[A-Za-z0-9_\/.:=@%+,-]+$/;

export function shellQuote(word: string): string {
  if (PLAIN.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Joins words into a command line, quoting each as needed. */
export function shellJoin(words: readonly string[]): string {
  return words.map(shellQuote).join(' ');
}
