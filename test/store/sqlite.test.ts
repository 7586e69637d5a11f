// The store contract against SQLite, plus what only a file-based store has to get right.
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { parseDatabaseUrl } from '../../src/store/open-store.js';
import { sqliteUrl, testLog } from '../support/databases.js';
import { next } from '../../src/deletion/lifecycle.js';
import { T0, TTL } from '../support/requests.js';
import { aNewRequest, describeStoreContract } from './contract.js';

const CONTENDER = fileURLToPath(new URL('./sqlite-contender.ts', import.meta.url));

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
  it('a call still waiting for its turn when the store closes (a shutdown) is refused with STORE_UNAVAILABLE; one after it too', async () => {
    const store = openSqliteStore(pathOf(sqliteUrl()), { log: testLog().log });
    await store.migrate();
    // Each call first lets pending I/O run (acks before store work), so this one is still waiting when close() runs.
    const waiting = store.createRequest(aNewRequest());
    await store.close();
    await expect(waiting).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    await expect(store.getRequest('5b7e2f0c-0000-4000-8000-000000000000')).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
  });

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

  it('is created in a directory only its owner can enter, and it and its -wal and -shm files only its owner can read', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'offer-bot-modes-')), 'nested', 'data');
    const path = join(dir, 'offer-bot.db');
    const { log, lines } = testLog();
    const store = openSqliteStore(path, { log });
    try {
      await store.migrate();
      await store.createRequest(aNewRequest());
      // While the store is open, WAL mode keeps both beside the database.
      expect(modes(dir, path, `${path}-wal`, `${path}-shm`)).toEqual(['700', '600', '600', '600']);
      expect(modes(join(dir, '..'))).toEqual(['700']);
      expect(lines.filter((line) => line.level === WARN)).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('keeps the modes an operator set on an existing directory and database, and warns that group or others can reach them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'offer-bot-modes-'));
    chmodSync(dir, 0o750);
    const path = join(dir, 'offer-bot.db');
    writeFileSync(path, '');
    chmodSync(path, 0o640);
    const { log, lines } = testLog();
    const store = openSqliteStore(path, { log });
    try {
      await store.migrate();
      expect(modes(dir, path)).toEqual(['750', '640']);
      const [warning, ...more] = lines.filter((line) => line.level === WARN);
      expect(more).toEqual([]);
      expect(warning).toMatchObject({
        files: [
          { file: dir, mode: '0750' },
          { file: path, mode: '0640' },
        ],
      });
    } finally {
      await store.close();
    }
  });

  it('an existing private directory stays as it is, and a new database in it is private', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'offer-bot-modes-')), 'data');
    mkdirSync(dir, { mode: 0o711 });
    chmodSync(dir, 0o711);
    const path = join(dir, 'offer-bot.db');
    const store = openSqliteStore(path, { log: testLog().log });
    try {
      await store.migrate();
      expect(modes(dir, path, `${path}-wal`)).toEqual(['711', '600', '600']);
    } finally {
      await store.close();
    }
  });
});

const WARN = 40;
const modes = (...paths: string[]) => paths.map((path) => (statSync(path).mode & 0o777).toString(8));

describe('several processes on one SQLite file', () => {
  const CONTENDERS = ['A', 'B', 'C', 'D'];

  async function race(mode: 'approve' | 'create', path: string, requestId: string): Promise<unknown[][]> {
    const startAt = String(Date.now() + 1_500);
    const runs = CONTENDERS.map(
      (label) =>
        new Promise<unknown[]>((resolvePromise, reject) => {
          execFile(process.execPath, ['--import', 'tsx', CONTENDER, mode, path, requestId, startAt, label], { timeout: 30_000 }, (error, stdout, stderr) => {
            if (error) reject(new Error(`contender ${label} failed: ${stderr || error.message}`));
            else resolvePromise(JSON.parse(stdout) as unknown[]);
          });
        }),
    );
    return Promise.all(runs);
  }

  it('four processes approving one request at once: exactly one approval wins', async () => {
    const path = pathOf(sqliteUrl());
    const store = openSqliteStore(path, { log: testLog().log });
    await store.migrate();
    const created = await store.createRequest(aNewRequest());
    if (!created.ok) throw new Error('expected a new request');
    const results = (await race('approve', path, created.request.id)).flat();
    const winners = results.filter((result) => typeof result === 'string');
    expect(results.filter((result) => result !== null && typeof result !== 'string')).toEqual([]);
    expect(winners).toHaveLength(1);
    expect((await store.transitions(created.request.id)).filter((t) => t.to === 'approved').map((t) => t.actor)).toEqual(winners);
    await store.close();
  }, 40_000);

  it('four processes writing at once all succeed: a writer waits for the lock instead of failing', async () => {
    const path = pathOf(sqliteUrl());
    const store = openSqliteStore(path, { log: testLog().log });
    await store.migrate();
    const results = (await race('create', path, '')).flat();
    expect(results).toEqual(Array.from({ length: results.length }, () => true));
    expect(results).toHaveLength(100);
    await store.close();
  }, 40_000);
});

describe('a replica of an earlier version on the same database', () => {
  it('never finds the DM or the reminder due, even after a retry, so it cannot deliver them as outcome replies; this version does', async () => {
    const path = pathOf(sqliteUrl());
    const store = openSqliteStore(path, { log: testLog().log });
    try {
      await store.migrate();
      const created = await store.createRequest(aNewRequest());
      if (!created.ok) throw new Error('expected a new request');
      await store.markRemindersDue(T0 + TTL / 2, 10);
      const step = next(created.request, { type: 'reject', actor: 'U024BE91M' }, T0 + TTL / 2 + 1);
      if (!step.ok) throw new Error('expected the rejection');
      await store.transition(created.request.id, step.change, T0 + TTL / 2 + 1, { outbox: ['outcome', 'message', 'dm'] });
      const owed = () => {
        const db = new Database(path, { readonly: true });
        try {
          // The earlier version's claim asked only this of an item's due time.
          const dueThen = db
            .prepare('SELECT kind FROM slack_outbox WHERE settled_at IS NULL AND next_attempt_at <= ? ORDER BY id')
            .all(T0 + 10 * 365 * 86_400_000);
          return (dueThen as Array<{ kind: string }>).map((row) => row.kind);
        } finally {
          db.close();
        }
      };
      expect(owed()).toEqual(['confirmation', 'outcome', 'message']);
      const confirmation = (await store.claimOutbox('worker-a', T0 + TTL, T0 + TTL + 60_000, 10)).find((item) => item.kind === 'confirmation');
      await store.settleOutbox(confirmation!.id, T0 + TTL, { delivered: true });
      const [due] = await store.claimOutbox('worker-a', T0 + TTL, T0 + TTL + 60_000, 10);
      expect(due?.kind).toBe('reminder');
      await store.postponeOutbox(due!.id, T0 + TTL + 1_000, 'ratelimited');
      expect(owed()).toEqual(['outcome', 'message']);
      expect(await store.claimOutbox('worker-a', T0 + TTL + 999, T0 + TTL + 60_000, 10)).toEqual([]);
      expect((await store.claimOutbox('worker-a', T0 + TTL + 1_000, T0 + TTL + 60_000, 10)).map((item) => item.kind)).toEqual(['reminder']);
    } finally {
      await store.close();
    }
  });
});
