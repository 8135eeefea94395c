/**
 * The most orchestrate reads from one topology or playbook file. Each limit is well above what a
 * real platform needs (a 10,000-host topology is 0.87 MB of plain YAML, nests 5 deep and uses
 * no alias), and keeps any file, however it was made, from taking more than about a second to
 * validate, using up memory or overflowing the stack: past a limit the file is refused with a
 * located diagnostic. Pure: the file size is enforced where files are read (lib/cli/files.ts),
 * the rest where YAML is parsed (source.ts).
 */
export const LIMITS = {
  /**
   * Bytes per file (1 MiB: 12,000 hosts written as the 10,000-host benchmark topology is, which
   * validates in about a second of CPU). Larger files, and anything that is not a regular file,
   * are not read at all.
   */
  fileBytes: 1024 * 1024,
  /**
   * Bytes of a file that is not plain YAML (anchors, tags, block scalars, tabs, duplicate keys,
   * a syntax error …: plain-yaml.ts). The full YAML parser is several times slower than the
   * plain reader, which takes everything else: 512 KiB take it about as long as 1 MiB the other.
   */
  fullParserBytes: 512 * 1024,
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

/** `2 MiB (2,097,152 bytes)`, `512 KiB (524,288 bytes)`, `1,000 bytes`. */
export function describeBytes(bytes: number): string {
  const exact = `${bytes.toLocaleString('en-US')} bytes`;
  if (bytes > 0 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB (${exact})`;
  return bytes > 0 && bytes % 1024 === 0 ? `${bytes / 1024} KiB (${exact})` : exact;
}
