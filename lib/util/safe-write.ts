/**
 * Writing files without ever writing through a symbolic link, with the mode they are meant to
 * have. Every file orchestrate writes goes through here (docs/security.md#files-and-modes says which
 * mode each gets):
 *
 * - `writeFileSafe`: the whole file, atomically. The text goes to a fresh temporary file beside
 *   the target, under a random name created with O_CREAT|O_EXCL|O_NOFOLLOW (so a file or a
 *   symlink planted at a predictable `FILE.tmp` is never opened), which is then renamed over the
 *   target. rename(2) replaces a symlink at the target itself, never the file it points to, and
 *   the result has `mode` whatever the file it replaces had (an old key file left 0644 ends 0600).
 * - `appendFileSafe`: appends; a symlink at the path is refused (ELOOP), never followed. A file
 *   it creates gets `mode`; an existing file keeps its own.
 * - `createFileSafe`: a new file or nothing (EEXIST), for journals and lock files.
 * - `makeDirSafe`: the directories of a path, those it creates with `mode`.
 *
 * Modes pass through the umask, which may only take bits away. Only the last component of a path
 * is protected: a directory on the way that is a symlink (a state directory linked elsewhere) is
 * the user's choice, and is followed.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, constants, mkdirSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Private: keys, tokens, journals, the state directory's files. */
export const PRIVATE = 0o600;
/** Readable by everyone: public keys, known_hosts, documents meant to be shared. */
export const PUBLIC = 0o644;
/** Directories that hold private files. */
export const PRIVATE_DIR = 0o700;

// O_NOFOLLOW is 0 where the platform has none (Windows); there, O_EXCL still refuses an existing name.
const NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const CREATE_NEW = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NOFOLLOW;

/** Writes `data` to `fd` completely and closes it (also when writing fails). */
function writeAndClose(fd: number, data: string | Uint8Array): void {
  try {
    writeFileSync(fd, data);
  } finally {
    closeSync(fd);
  }
}

/** Replaces `file` with `data` atomically, as a new file with `mode` (see the module header). */
export function writeFileSafe(file: string, data: string | Uint8Array, mode: number): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeAndClose(openSync(tmp, CREATE_NEW, mode), data);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** Appends `data` to `file`, created with `mode` when missing; throws ELOOP when `file` is a symlink. */
export function appendFileSafe(file: string, data: string | Uint8Array, mode: number): void {
  writeAndClose(openSync(file, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | NOFOLLOW, mode), data);
}

/**
 * Creates `file` for appending and returns its descriptor; throws EEXIST when anything (a file,
 * a symlink, even a dangling one) is there already.
 */
export function createFileSafe(file: string, mode: number): number {
  return openSync(file, CREATE_NEW | constants.O_APPEND, mode);
}

/** Creates `dir` and its missing parents; the directories it creates get `mode`. */
export function makeDirSafe(dir: string, mode: number): void {
  mkdirSync(dir, { recursive: true, mode });
}
