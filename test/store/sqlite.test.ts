// The store contract against SQLite, plus what only a file-based store has to get right.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { parseDatabaseUrl } from '../../src/store/open-store.js';
import { sqliteUrl, testLog } from '../support/databases.js';
import { describeStoreContract } from './contract.js';

const pathOf = (url: string) => {
  const target = parseDatabaseUrl(url);
  if (target.kind !== 'sqlite') throw new Error(`${url} is not a SQLite URL`);
  return target.path;
};

describeStoreContract('SQLite', {
  // The temporary directory is removed when the test process exits.
  newDatabase: async () => ({ url: sqliteUrl(), drop: async () => undefined }),
  openWithMigrations: async (url, migrations) => openSqliteStore(pathOf(url), { log: testLog().log, migrations }),
  appliedVersions: async (url) => {
    const db = new Database(pathOf(url), { readonly: true });
    try {
      return (db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as Array<{ version: number }>).map((row) => row.version);
    } finally {
      db.close();
    }
  },
});

describe('the SQLite file', () => {
  it('is in WAL mode, so the sweep can read while a click writes', async () => {
    const path = pathOf(sqliteUrl());
    const store = openSqliteStore(path, { log: testLog().log });
    await store.migrate();
    await store.close();
    const db = new Database(path);
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      db.close();
    }
  });
});
