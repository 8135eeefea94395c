/**
 * Parses the small part of POSIX sh that orchestrate's commands use: words with quotes and
 * backslashes, `;` `&&` `||` lists, `|` pipelines, redirections of stdout/stderr to /dev/null
 * or to each other, and an input redirection (`</dev/tcp/HOST/PORT`, `< FILE`). A quoted word
 * is never a redirection. Pure.
 */

export interface SimpleCommand {
  readonly argv: readonly string[];
  /** `>/dev/null` or `2>/dev/null`. */
  readonly discard: { readonly stdout: boolean; readonly stderr: boolean };
  /** `>&2` sends stdout to stderr; `2>&1` the reverse. */
  readonly swap: { readonly stdoutToStderr: boolean; readonly stderrToStdout: boolean };
  /** `<FILE`: standard input from a file (bash's /dev/tcp/HOST/PORT opens a connection). */
  readonly input?: string;
}

export interface ListItem {
  /** How this pipeline is joined to the previous one. */
  readonly op: ';' | '&&' | '||';
  readonly pipeline: readonly SimpleCommand[];
}

type Token = { readonly word: string; readonly quoted?: true } | { readonly op: ';' | '&&' | '||' | '|' };

export function tokenize(line: string): Token[] | string {
  const tokens: Token[] = [];
  let word = '';
  let inWord = false;
  let quoted = false;
  const flush = (): void => {
    if (inWord) tokens.push(quoted ? { word, quoted } : { word });
    word = '';
    inWord = false;
    quoted = false;
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i] ?? '';
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) return 'unterminated quote';
      word += line.slice(i + 1, end);
      inWord = true;
      quoted = true;
      i = end;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < line.length && line[j] !== '"'; j++) word += line[j] === '\\' && /["\\$`]/.test(line[j + 1] ?? '') ? line[++j] : line[j];
      if (j >= line.length) return 'unterminated quote';
      inWord = true;
      quoted = true;
      i = j;
    } else if (c === '\\') {
      word += line[++i] ?? '';
      inWord = true;
      quoted = true;
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
const INPUT = /^0?<(.*)$/;

type Word = Extract<Token, { word: string }>;

function simple(words: readonly Word[]): SimpleCommand {
  const argv: string[] = [];
  const discard = { stdout: false, stderr: false };
  const swap = { stdoutToStderr: false, stderrToStdout: false };
  let input: string | undefined;
  for (let i = 0; i < words.length; i++) {
    const { word: w, quoted } = words[i] ?? { word: '' };
    const m = quoted ? null : REDIRECT.exec(w);
    const from = quoted ? null : INPUT.exec(w);
    if (from) {
      input = from[1] !== '' ? from[1] : words[++i]?.word ?? '';
      continue;
    }
    if (!m) {
      argv.push(w);
      continue;
    }
    const fd = m[1] === '2' ? 'stderr' : 'stdout';
    if (m[2] === '/dev/null') discard[fd] = true;
    else if (fd === 'stdout' && m[2] === '&2') swap.stdoutToStderr = true;
    else if (fd === 'stderr' && m[2] === '&1') swap.stderrToStdout = true;
  }
  return { argv, discard, swap, ...(input === undefined ? {} : { input }) };
}

/** A command line as a list of pipelines, or an error message for what is not simulated. */
export function parseShell(line: string): ListItem[] | string {
  const tokens = tokenize(line);
  if (typeof tokens === 'string') return tokens;
  const items: ListItem[] = [];
  let op: ListItem['op'] = ';';
  let pipeline: SimpleCommand[] = [];
  let words: Word[] = [];
  const endCommand = (): void => {
    if (words.length > 0) pipeline.push(simple(words));
    words = [];
  };
  for (const t of tokens) {
    if ('word' in t) {
      words.push(t);
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
