/**
 * The file-system side of loading: reading topology and playbook files, finding the built-in
 * playbooks. A file is looked at before it is read: anything but a regular file (a FIFO, a
 * device such as /dev/zero, a directory, a socket) and any file over LIMITS.fileBytes is refused
 * unread, and no read goes past the limit (a file may grow after it was looked at; /proc files
 * say they are empty). So no path makes `validate` hang, or read until memory runs out.
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { describeBytes, LIMITS, type SourceReader, type SourceText } from '../topology/index.js';

/** What a file that is not a regular file is, for the refusal. */
function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

const tooLarge = (size: number | undefined, max: number): { refused: string } => ({
  refused: `file too large: ${size === undefined ? 'more than' : `${size.toLocaleString('en-US')} bytes, over`} the ${describeBytes(max)} a topology or playbook file may have; not read`,
});

/** Reads at most `max + 1` bytes from `fd` (one more than allowed tells that there is more). */
function readBounded(fd: number, sizeHint: number, max: number): Buffer {
  let buf = Buffer.allocUnsafe(Math.min(max + 1, Math.max(sizeHint + 1, 64 * 1024)));
  let length = 0;
  for (;;) {
    if (length === buf.length) {
      if (buf.length > max) break;
      const grown = Buffer.allocUnsafe(Math.min(max + 1, buf.length * 2));
      buf.copy(grown, 0, 0, length);
      buf = grown;
    }
    const n = readSync(fd, buf, length, buf.length - length, null);
    if (n === 0) break;
    length += n;
  }
  return buf.subarray(0, length);
}

/**
 * A topology or playbook file's text; undefined when it does not exist or cannot be read;
 * `refused` when it is not a regular file or larger than `max` bytes.
 */
export function readSource(file: string, max: number = LIMITS.fileBytes): SourceText {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO returns at once instead of waiting for a writer (it is refused below).
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch {
    return undefined;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { refused: `${kindOf(st)}, not a regular file; not read` };
    if (st.size > max) return tooLarge(st.size, max);
    const bytes = readBounded(fd, st.size, max);
    // It said it was smaller (a /proc file), or grew after the fstat.
    if (bytes.length > max) return tooLarge(undefined, max);
    return bytes.toString('utf8');
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

export const fileReader: SourceReader = { read: (file) => readSource(file) };

/** A file's text for readers that only need to know whether it could be read (a refused file could not). */
export function readText(file: string, max: number = LIMITS.fileBytes): string | undefined {
  const text = readSource(file, max);
  return typeof text === 'string' ? text : undefined;
}
