// The SQLite file's place on disk: a directory only the service's user can enter, files only it can read.
import { closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from '../log.js';

/** rwx for the owner only. */
const SQLITE_DIR_MODE = 0o700;
/** rw for the owner only; SQLite gives the -wal and -shm files the database file's mode. */
const SQLITE_FILE_MODE = 0o600;
/** Permission bits of group and others. */
const GROUP_OTHER = 0o077;
/** Files SQLite keeps beside the database in WAL mode. */
const WAL_SUFFIXES = ['-wal', '-shm'];

/** Names better-sqlite3 takes for a database that has no file. */
const NOT_A_FILE = new Set([':memory:', '']);

/**
 * Creates what is missing, privately: the directory 0700, an empty database file 0600 (before SQLite opens it,
 * so the -wal and -shm files it creates next get the same mode). What exists keeps the mode its operator gave it,
 * with a warning when group or others can reach it: the requests name people and offers, and say who decided.
 */
export function preparePrivateFile(path: string, log: Logger): void {
  if (NOT_A_FILE.has(path)) return;
  const directory = dirname(path);
  // Only the directories this creates get the mode; umask can take bits away from it, never add any.
  mkdirSync(directory, { recursive: true, mode: SQLITE_DIR_MODE });
  // 'a' creates the file if it is missing and leaves an existing one (and its mode) as it is.
  closeSync(openSync(path, 'a', SQLITE_FILE_MODE));
  const open = [directory, path, ...WAL_SUFFIXES.map((suffix) => `${path}${suffix}`)].flatMap((file) => {
    const mode = modeOf(file);
    return mode !== null && (mode & GROUP_OTHER) !== 0 ? [{ file, mode: `0${mode.toString(8)}` }] : [];
  });
  if (open.length > 0) {
    log.warn({ files: open }, 'group or others can reach the SQLite database; offer-bot keeps the modes you set (chmod 700 the directory, 600 the files)');
  }
}

/** The permission bits of `file`, or null when it does not exist. */
function modeOf(file: string): number | null {
  const stat = statSync(file, { throwIfNoEntry: false });
  return stat ? stat.mode & 0o777 : null;
}
