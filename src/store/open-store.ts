// Opens the store DATABASE_URL names: a SQLite file by default (one replica), or PostgreSQL (several).
import { resolve } from 'node:path';
import type { Logger } from '../log.js';
import { StoreError, type Store } from './store.js';

/** Where the SQLite file goes when DATABASE_URL is unset, relative to the working directory. */
const DEFAULT_DATA_DIR = 'data';
const DEFAULT_SQLITE_FILE = 'offer-bot.db';

interface OpenStoreOptions {
  log: Logger;
  /** Directory for the default SQLite file; `./data` unless given. */
  dataDir?: string;
}

type StoreTarget = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };

const FORMS = 'sqlite:<path>, postgres://… or postgresql://…';

/**
 * Which store a DATABASE_URL means. Errors name the scheme at most, never the rest of the URL,
 * which may hold a password.
 */
export function parseDatabaseUrl(databaseUrl: string | undefined, dataDir: string = DEFAULT_DATA_DIR): StoreTarget {
  const url = databaseUrl?.trim() ?? '';
  if (url === '') return { kind: 'sqlite', path: resolve(dataDir, DEFAULT_SQLITE_FILE) };
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'sqlite') {
    // `sqlite:data/x.db`, `sqlite:/var/lib/x.db` and `sqlite:///var/lib/x.db` all name a file path.
    const path = url.slice('sqlite:'.length).replace(/^\/\//, '');
    if (path === '') throw new StoreError('STORE_CONFIG', 'DATABASE_URL sqlite: needs a file path, e.g. sqlite:./data/offer-bot.db');
    return { kind: 'sqlite', path: resolve(path) };
  }
  if (scheme === 'postgres' || scheme === 'postgresql') {
    if (!url.startsWith(`${scheme}://`) || !URL.canParse(url)) {
      throw new StoreError('STORE_CONFIG', `DATABASE_URL is not a valid ${scheme}:// URL (check that special characters in the password are percent-encoded)`);
    }
    return { kind: 'postgres', url };
  }
  const found = scheme ? `it starts with "${scheme}:"` : 'it has no scheme';
  throw new StoreError('STORE_CONFIG', `DATABASE_URL must be ${FORMS}; ${found}`);
}

/**
 * Opens the store, checking that it can be reached; the caller runs `migrate()` next. Only the driver the URL needs
 * is loaded (each costs start-up time: pg more than better-sqlite3).
 */
export async function openStore(databaseUrl: string | undefined, opts: OpenStoreOptions): Promise<Store> {
  const target = parseDatabaseUrl(databaseUrl, opts.dataDir);
  if (target.kind === 'sqlite') {
    const { openSqliteStore } = await import('./sqlite.js');
    return openSqliteStore(target.path, { log: opts.log });
  }
  const { openPostgresStore } = await import('./postgres.js');
  return openPostgresStore(target.url, { log: opts.log });
}
