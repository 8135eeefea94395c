/**
 * Reading a journal's text: the header, then one event per line. The last line may be torn (the
 * writer was killed mid-line): it is dropped and said so. Pure; the files are read in files.ts.
 */
import type { RunEvent } from '../events/index.js';
import { JOURNAL_VERSION, type Journal, type JournalHeader } from './types.js';

/** The header, if `value` is one (a newer version is still read: the fields are only ever added). */
export function asHeader(value: unknown): JournalHeader | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const h = value as Partial<Record<keyof JournalHeader, unknown>>;
  const strings = [h.runId, h.topology, h.action, h.file, h.user, h.host, h.cwd, h.startedAt].every((s) => typeof s === 'string');
  return h.type === 'journal' && typeof h.version === 'number' && strings && typeof h.pid === 'number' && Array.isArray(h.argv) ? (value as JournalHeader) : undefined;
}

function isEvent(value: unknown): value is RunEvent {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string' && typeof (value as { seq?: unknown }).seq === 'number';
}

function parseLine(line: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return undefined;
  }
}

/** The first line of `text`, as a header; undefined when it is not one. */
export function parseHeader(text: string): JournalHeader | undefined {
  const end = text.indexOf('\n');
  return asHeader(parseLine(end < 0 ? text : text.slice(0, end)));
}

/** The journal in `text`, or why it is not one. */
export function parseJournal(text: string): Journal | { readonly error: string } {
  const lines = text.split('\n');
  // A whole journal ends with a newline: the last piece is empty. Anything else was cut short.
  const last = lines.pop() ?? '';
  const header = asHeader(parseLine(lines[0] ?? last));
  if (!header) return { error: text === '' ? 'the journal is empty' : 'the first line is not a journal header' };
  const problems: string[] = header.version > JOURNAL_VERSION ? [`written by a newer orchestrate (journal version ${header.version}; this one reads ${JOURNAL_VERSION})`] : [];
  const events: RunEvent[] = [];
  lines.slice(1).forEach((line, i) => {
    const value = parseLine(line);
    if (isEvent(value)) events.push(value);
    else if (line.trim() !== '') problems.push(`line ${i + 2}: not an event`);
  });
  let torn = false;
  if (last !== '' && lines.length > 0) {
    // A line cut just before its newline still parses: keep it.
    const value = parseLine(last);
    if (isEvent(value)) events.push(value);
    else torn = true;
  }
  return { header, events, torn, problems };
}
