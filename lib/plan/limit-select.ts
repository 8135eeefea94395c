/**
 * The hosts a `--limit` pattern names, before anything is added for them (limit.ts adds what
 * they require or what depends on them). Pure.
 *
 * A pattern is a comma-separated list of items, as Ansible's `--limit`:
 *
 *   acd-jb1          a host, or a role: every host that carries it (a name may be either)
 *   acd-jb*          a glob over host and role names (`*`, `?`, `[abc]`, `[0-9]`)
 *   host:acd-db*     only host names
 *   role:web         only role names: the role's hosts
 *   !acd-jb2         leaves those hosts out; with no other item, every host but those
 *
 * An item that matches no host and no role is an error naming the close names.
 */
import picomatch from 'picomatch';
import { boundedDistance, limitFor } from '../util/suggest.js';
import { compareNames } from '../util/names.js';

/** One item of a `--limit` pattern. */
export interface LimitItem {
  /** As written, `!` and prefix included. */
  readonly text: string;
  readonly exclude: boolean;
  /** What the glob is matched against: host and role names, or only one of them. */
  readonly kind: 'any' | 'host' | 'role';
  readonly glob: string;
}

/** The names a pattern is matched against. */
export interface LimitNames {
  /** Every host, in name order. */
  readonly hosts: readonly string[];
  /** Each role's hosts (a role may have none). */
  readonly roles: Readonly<Record<string, readonly string[]>>;
}

export interface LimitSelection {
  readonly items: readonly LimitItem[];
  /** The hosts selected, in name order. */
  readonly selected: readonly string[];
  /** Each host left out by a `!` item, and the first item that left it out. */
  readonly excluded: ReadonlyMap<string, string>;
}

/** The items of the patterns (each may be a comma-separated list), or what is wrong with them. */
export function parseLimit(patterns: readonly string[]): { readonly items: LimitItem[] } | { readonly error: string } {
  const items: LimitItem[] = [];
  for (const pattern of patterns) {
    for (const raw of pattern.split(',')) {
      const text = raw.trim();
      const exclude = text.startsWith('!');
      const body = exclude ? text.slice(1).trim() : text;
      const prefix = /^(host|role):/.exec(body);
      const glob = prefix ? body.slice(prefix[0].length).trim() : body;
      if (glob === '') return { error: `--limit '${pattern}': ${text === '' ? 'an empty item' : `'${text}' names nothing`} (items are host or role names, globs, role:NAME, host:NAME, !ITEM, separated by commas)` };
      items.push({ text, exclude, kind: prefix ? (prefix[1] as 'host' | 'role') : 'any', glob });
    }
  }
  if (items.length === 0) return { error: '--limit needs a pattern (host or role names, globs, role:NAME, !ITEM, separated by commas)' };
  return { items };
}

const GLOB = { nobrace: true, nonegate: true, noextglob: true, dot: true } as const;

/** The hosts an item stands for, and whether it matched any name at all (a role without hosts counts). */
function matchItem(item: LimitItem, names: LimitNames): { hosts: Set<string>; known: boolean } {
  const isMatch = picomatch(item.glob, GLOB);
  const hosts = new Set<string>();
  let known = false;
  if (item.kind !== 'role') {
    for (const h of names.hosts) if (isMatch(h)) hosts.add(h);
    known = hosts.size > 0;
  }
  if (item.kind !== 'host') {
    for (const [role, carriers] of Object.entries(names.roles)) {
      if (!isMatch(role)) continue;
      known = true;
      for (const h of carriers) hosts.add(h);
    }
  }
  return { hosts, known };
}

/** The hosts the items select, or every unknown item with the names close to it. */
export function selectHosts(items: readonly LimitItem[], names: LimitNames): LimitSelection | { readonly error: string } {
  const included = new Set<string>();
  const excluded = new Map<string, string>();
  const unknown: string[] = [];
  for (const item of items) {
    const { hosts, known } = matchItem(item, names);
    if (!known) unknown.push(unknownItem(item, names));
    for (const h of hosts) {
      if (!item.exclude) included.add(h);
      else if (!excluded.has(h)) excluded.set(h, item.text);
    }
  }
  if (unknown.length > 0) return { error: unknown.join('\n') };
  // Only exclusions: every host but those (as Ansible's --limit '!web').
  const everything = items.every((i) => i.exclude);
  const selected = names.hosts.filter((h) => (everything || included.has(h)) && !excluded.has(h));
  return { items, selected, excluded };
}

function unknownItem(item: LimitItem, names: LimitNames): string {
  const what = item.kind === 'host' ? 'no host' : item.kind === 'role' ? 'no role' : 'no host or role';
  const close = closeNames(item, names);
  if (close.length > 0) return `--limit: ${what} matches '${item.text}' (close: ${close.join(', ')})`;
  const roles = Object.keys(names.roles).sort(compareNames);
  const hosts = names.hosts.slice(0, 6).join(', ') + (names.hosts.length > 6 ? `, … (${names.hosts.length} hosts)` : '');
  return `--limit: ${what} matches '${item.text}' (hosts: ${hosts}; roles: ${roles.slice(0, 12).join(', ')}${roles.length > 12 ? ', …' : ''})`;
}

/** Up to 5 of the names closest to the item: within a few edits of its letters, else a role whose name it contains. */
function closeNames(item: LimitItem, names: LimitNames, max = 5): string[] {
  const literal = item.glob.replace(/[*?[\]]/g, '').toLowerCase();
  const limit = limitFor(literal);
  const scored: { name: string; score: number }[] = [];
  const consider = (name: string, shown: string): void => {
    const d = limit === 0 ? limit + 1 : boundedDistance(literal, name.toLowerCase(), limit);
    if (d <= limit) scored.push({ name: shown, score: d });
    else if (name.length >= 3 && literal.includes(name.toLowerCase())) scored.push({ name: shown, score: limit + 1 });
  };
  if (item.kind !== 'role') for (const h of names.hosts) consider(h, h);
  if (item.kind !== 'host') for (const r of Object.keys(names.roles)) consider(r, `role:${r}`);
  const best = Math.min(...scored.map((s) => s.score));
  return scored.filter((s) => s.score === best).sort((a, b) => compareNames(a.name, b.name)).slice(0, max).map((s) => s.name);
}
