/**
 * The most orchestrate reads from one topology or playbook file. Each limit is far above what a
 * real platform needs (a 10,000-host topology is 1.1 MB, nests 5 deep and uses no alias), and
 * keeps any file, however it was made, from making validation slow, using up memory or
 * overflowing the stack: past a limit the file is refused with a located diagnostic. Pure: the
 * size is enforced where files are read (lib/cli/files.ts), the rest where YAML is parsed.
 */
export const LIMITS = {
  /** Bytes per file (4 MiB). Larger files, and anything that is not a regular file, are not read at all. */
  fileBytes: 4 * 1024 * 1024,
  /** Mappings and lists inside each other: the top-level mapping is 1, `hosts` 2, a host 3. */
  depth: 64,
  /** Anchors (`&name`) per file. */
  anchors: 1000,
  /** Aliases (`*name`) per file. */
  aliases: 1000,
  /**
   * Values the aliases of a file repeat, in all: an alias of a mapping with 3 scalar values
   * repeats 4 (the mapping and its values), an alias of an alias what that one repeats. An
   * alias bomb (aliases of aliases of aliases …) is refused here, before it is expanded.
   */
  aliasedValues: 100_000,
} as const;

/** `4 MiB (4,194,304 bytes)`. */
export function describeBytes(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  const round = Number.isInteger(mib) ? `${mib} MiB` : `${mib.toFixed(1)} MiB`;
  return `${round} (${bytes.toLocaleString('en-US')} bytes)`;
}
