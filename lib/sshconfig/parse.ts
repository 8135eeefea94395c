/**
 * ssh_config(5) lines as OpenSSH reads them (readconf.c): a keyword, then `=` or white space,
 * then arguments split as argv_split does it (double or single quotes, backslash escapes of a
 * quote, a backslash or a space, `#` at the start of an argument ends the line). Keywords are
 * lowercased. Pure: no file is read here, and no keyword is interpreted.
 */

/** One directive, with the 1-based line it was written on. */
export interface ConfigLine {
  /** Lowercase, as OpenSSH compares them. */
  readonly keyword: string;
  readonly args: readonly string[];
  readonly line: number;
}

export interface ParsedConfig {
  readonly lines: readonly ConfigLine[];
  /** `line: message` problems (unbalanced quotes, a keyword without an argument). */
  readonly errors: readonly { readonly line: number; readonly message: string }[];
}

/** Splits the arguments of one line (misc.c argv_split with terminate_on_comment). */
export function splitArgs(s: string): string[] | undefined {
  const out: string[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === ' ' || c === '\t') { i++; continue; }
    if (c === '#') break;
    let arg = '';
    let quote = '';
    for (; i < s.length; i++) {
      const ch = s[i] as string;
      const next = s[i + 1];
      if (ch === '\\' && (next === "'" || next === '"' || next === '\\' || (quote === '' && next === ' '))) {
        arg += next;
        i++;
      } else if (quote === '' && (ch === ' ' || ch === '\t')) {
        break;
      } else if (quote === '' && (ch === '"' || ch === "'")) {
        quote = ch;
      } else if (quote !== '' && ch === quote) {
        quote = '';
      } else {
        arg += ch;
      }
    }
    if (quote !== '') return undefined;
    out.push(arg);
  }
  return out;
}

/** The keyword of a line and the rest: split at white space or one `=` (misc.c strdelim). */
function keywordOf(line: string): { keyword: string; rest: string } | undefined {
  const m = /^[ \t]*([^ \t=]*)[ \t]*=?[ \t]*(.*)$/.exec(line);
  if (!m || m[1] === undefined || m[1] === '' || m[1].startsWith('#')) return undefined;
  return { keyword: m[1].toLowerCase(), rest: m[2] ?? '' };
}

/** The directives of one file's text. */
export function parseConfig(text: string): ParsedConfig {
  const lines: ConfigLine[] = [];
  const errors: { line: number; message: string }[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    const kw = keywordOf(raw.replace(/[ \t\r\f]+$/, ''));
    if (!kw) return;
    if (kw.rest === '') {
      errors.push({ line, message: `no argument after keyword "${kw.keyword}"` });
      return;
    }
    const args = splitArgs(kw.rest);
    if (args === undefined) errors.push({ line, message: `invalid quotes` });
    else lines.push({ keyword: kw.keyword, args, line });
  });
  return { lines, errors };
}
