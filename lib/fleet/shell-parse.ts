/**
 * Parses the small part of POSIX sh that orchestrate's commands use: words with quotes and
 * backslashes, `;` `&&` `||` lists, `|` pipelines, and redirections of stdout/stderr to
 * /dev/null or to each other. Pure.
 */

export interface SimpleCommand {
  readonly argv: readonly string[];
  /** `>/dev/null` or `2>/dev/null`. */
  readonly discard: { readonly stdout: boolean; readonly stderr: boolean };
  /** `>&2` sends stdout to stderr; `2>&1` the reverse. */
  readonly swap: { readonly stdoutToStderr: boolean; readonly stderrToStdout: boolean };
}

export interface ListItem {
  /** How this pipeline is joined to the previous one. */
  readonly op: ';' | '&&' | '||';
  readonly pipeline: readonly SimpleCommand[];
}

type Token = { readonly word: string } | { readonly op: ';' | '&&' | '||' | '|' };

export function tokenize(line: string): Token[] | string {
  const tokens: Token[] = [];
  let word = '';
  let inWord = false;
  const flush = (): void => {
    if (inWord) tokens.push({ word });
    word = '';
    inWord = false;
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i] ?? '';
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) return 'unterminated quote';
      word += line.slice(i + 1, end);
      inWord = true;
      i = end;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < line.length && line[j] !== '"'; j++) word += line[j] === '\\' && /["\\$`]/.test(line[j + 1] ?? '') ? line[++j] : line[j];
      if (j >= line.length) return 'unterminated quote';
      inWord = true;
      i = j;
    } else if (c === '\\') {
      word += line[++i] ?? '';
      inWord = true;
    } else if (/\s/.test(c)) {
      flush();
    } else if (c === ';' || c === '|' || c === '&') {
      flush();
      const two = line.slice(i, i + 2);
      if (two === '&&' || two === '||') {
        tokens.push({ op: two });
        i++;
      } else if (c === '&') {
        return 'background jobs (&) are not simulated';
      } else {
        tokens.push({ op: c as ';' | '|' });
      }
    } else {
      word += c;
      inWord = true;
    }
  }
  flush();
  return tokens;
}

const REDIRECT = /^(\d?)>(&\d|\/dev\/null)$/;

function simple(words: string[]): SimpleCommand {
  const argv: string[] = [];
  const discard = { stdout: false, stderr: false };
  const swap = { stdoutToStderr: false, stderrToStdout: false };
  for (const w of words) {
    const m = REDIRECT.exec(w);
    if (!m) {
      argv.push(w);
      continue;
    }
    const fd = m[1] === '2' ? 'stderr' : 'stdout';
    if (m[2] === '/dev/null') discard[fd] = true;
    else if (fd === 'stdout' && m[2] === '&2') swap.stdoutToStderr = true;
    else if (fd === 'stderr' && m[2] === '&1') swap.stderrToStdout = true;
  }
  return { argv, discard, swap };
}

/** A command line as a list of pipelines, or an error message for what is not simulated. */
export function parseShell(line: string): ListItem[] | string {
  const tokens = tokenize(line);
  if (typeof tokens === 'string') return tokens;
  const items: ListItem[] = [];
  let op: ListItem['op'] = ';';
  let pipeline: SimpleCommand[] = [];
  let words: string[] = [];
  const endCommand = (): void => {
    if (words.length > 0) pipeline.push(simple(words));
    words = [];
  };
  for (const t of tokens) {
    if ('word' in t) {
      words.push(t.word);
    } else if (t.op === '|') {
      endCommand();
    } else {
      endCommand();
      if (pipeline.length > 0) items.push({ op, pipeline });
      pipeline = [];
      op = t.op;
    }
  }
  endCommand();
  if (pipeline.length > 0) items.push({ op, pipeline });
  return items;
}
