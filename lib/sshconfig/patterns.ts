/**
 * OpenSSH's pattern matching (match.c): `*` and `?` wildcards over the whole string, lists of
 * comma-separated patterns where `!pattern` excludes. Pure.
 */

const cache = new Map<string, RegExp>();

function regexOf(pattern: string): RegExp {
  let re = cache.get(pattern);
  if (!re) {
    re = new RegExp(`^${[...pattern].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('')}$`, 's');
    cache.set(pattern, re);
  }
  return re;
}

/** match_pattern: the whole of `s` matches `pattern`. Case-sensitive. */
export function matchPattern(s: string, pattern: string): boolean {
  // Most Host patterns are plain names: no regex for them.
  if (!pattern.includes('*') && !pattern.includes('?')) return s === pattern;
  return regexOf(pattern).test(s);
}

/**
 * match_pattern_list: 1 when a positive pattern of the comma-separated `list` matches and no
 * negated one does, -1 when a negated one matches, 0 otherwise. `lower` lowercases the patterns
 * (match_hostname).
 */
export function matchPatternList(s: string, list: string, lower: boolean): -1 | 0 | 1 {
  let positive = false;
  for (const raw of list.split(',')) {
    const negated = raw.startsWith('!');
    const p = (negated ? raw.slice(1) : raw);
    if (matchPattern(s, lower ? p.toLowerCase() : p)) {
      if (negated) return -1;
      positive = true;
    }
  }
  return positive ? 1 : 0;
}

/** A `Host` line: some pattern matches and no negated one does (readconf.c, oHost). */
export function matchHostLine(host: string, patterns: readonly string[]): boolean {
  let matched = false;
  for (const raw of patterns) {
    const negated = raw.startsWith('!');
    if (matchPattern(host, negated ? raw.slice(1) : raw)) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}
