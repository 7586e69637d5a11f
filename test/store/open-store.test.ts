// openStore: which store a DATABASE_URL means, and errors that say what is wrong without leaking a password.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, parseDatabaseUrl } from '../../src/store/open-store.js';
import { StoreError, type Store } from '../../src/store/store.js';
import { sqliteUrl, testLog } from '../support/databases.js';

const PASSWORD = 'hunter2-s3cret';

async function failureOf(url: string | undefined): Promise<StoreError> {
  const failure = await openStore(url, { log: testLog().log }).catch((error: unknown) => error);
  if (!(failure instanceof StoreError)) throw new Error(`expected a StoreError, got ${String(failure)}`);
  return failure;
}

describe('openStore', () => {
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  it('with no DATABASE_URL opens offer-bot.db in the data directory, creating the directory', async () => {
    const root = mkdtempSync(join(tmpdir(), 'offer-bot-data-'));
    const dataDir = join(root, 'nested', 'data');
    try {
      store = await openStore(undefined, { log: testLog().log, dataDir });
      await store.migrate();
      expect(store.sharedByReplicas).toBe(false);
      expect(existsSync(join(dataDir, 'offer-bot.db'))).toBe(true);
    } finally {
      await store?.close();
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('defaults to ./data/offer-bot.db under the working directory', () => {
    expect(parseDatabaseUrl(undefined)).toEqual({ kind: 'sqlite', path: resolve('data', 'offer-bot.db') });
    expect(parseDatabaseUrl('  ')).toEqual({ kind: 'sqlite', path: resolve('data', 'offer-bot.db') });
  });

  it('opens the SQLite file a sqlite: URL names', async () => {
    const url = sqliteUrl();
    store = await openStore(url, { log: testLog().log });
    await store.migrate();
    expect(store.sharedByReplicas).toBe(false);
    expect(existsSync(url.slice('sqlite:'.length))).toBe(true);
  });

  it('reads sqlite:relative, sqlite:/absolute and sqlite:///absolute paths', () => {
    expect(parseDatabaseUrl('sqlite:var/offer-bot.db')).toEqual({ kind: 'sqlite', path: resolve('var/offer-bot.db') });
    expect(parseDatabaseUrl('sqlite:/var/lib/offer-bot/offer-bot.db')).toEqual({ kind: 'sqlite', path: '/var/lib/offer-bot/offer-bot.db' });
    expect(parseDatabaseUrl('sqlite:///var/lib/offer-bot/offer-bot.db')).toEqual({ kind: 'sqlite', path: '/var/lib/offer-bot/offer-bot.db' });
  });

  it('reads postgres:// and postgresql:// URLs as PostgreSQL', () => {
    expect(parseDatabaseUrl(`postgres://offerbot:${PASSWORD}@db.internal:5432/offerbot`)).toEqual({
      kind: 'postgres',
      url: `postgres://offerbot:${PASSWORD}@db.internal:5432/offerbot`,
    });
    expect(parseDatabaseUrl('postgresql://db.internal/offerbot')).toMatchObject({ kind: 'postgres' });
  });

  it('refuses sqlite: without a path', async () => {
    expect(await failureOf('sqlite:')).toMatchObject({ code: 'STORE_CONFIG', message: expect.stringContaining('needs a file path') });
  });

  it('refuses any other scheme, naming the scheme but never the rest of the URL', async () => {
    const failure = await failureOf(`mysql://offerbot:${PASSWORD}@db.internal/offerbot`);
    expect(failure.code).toBe('STORE_CONFIG');
    expect(failure.message).toBe('DATABASE_URL must be sqlite:<path>, postgres://… or postgresql://…; it starts with "mysql:"');
  });

  it('refuses a value with no scheme without repeating it', async () => {
    const failure = await failureOf(PASSWORD);
    expect(failure).toMatchObject({ code: 'STORE_CONFIG', message: expect.stringContaining('it has no scheme') });
    expect(failure.message).not.toContain(PASSWORD);
  });

  it('refuses a PostgreSQL URL that does not parse, without repeating it', async () => {
    const failure = await failureOf(`postgres:${PASSWORD}@db.internal/offerbot`);
    expect(failure).toMatchObject({ code: 'STORE_CONFIG', message: expect.stringContaining('not a valid postgres:// URL') });
    expect(failure.message).not.toContain(PASSWORD);
  });

  it('reports an unreachable PostgreSQL as STORE_UNAVAILABLE with host and port, not the password', async () => {
    const failure = await failureOf(`postgres://offerbot:${PASSWORD}@127.0.0.1:1/offerbot`);
    expect(failure.code).toBe('STORE_UNAVAILABLE');
    expect(failure.message).toContain('127.0.0.1:1/offerbot');
    expect(failure.message).toContain('ECONNREFUSED');
    expect(failure.message).not.toContain(PASSWORD);
  });
});
