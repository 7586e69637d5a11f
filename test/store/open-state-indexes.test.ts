// The look-ups every /offer delete makes (the offer's open request, the requester's open count) use an index over
// exactly the open states, and the sweep's look for leases that ran out one over exactly the leased states: a partial
// index whose states differ from the query's no longer serves it, and at a million stored requests PostgreSQL then
// scanned a whole index per command, SQLite the whole table per sweep (bench/results.md, section 6).
import Database from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { bind } from '../../src/store/sql/bind.js';
import { countOpen, openRequestFor, unfinished } from '../../src/store/sql/statements.js';
import { parseDatabaseUrl } from '../../src/store/open-store.js';
import { openPostgresStore } from '../../src/store/postgres.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { postgresAvailable, sqliteUrl, testLog, withPostgres } from '../support/databases.js';
import { T0 } from '../support/requests.js';

const available = await postgresAvailable();
const OPEN_INDEXES = /deletion_requests_open_by_offer|deletion_requests_open_by_requester_v2/;
/** Each look-up and the indexes that may serve it. */
const LOOKUPS = {
  'the offer’s open request': [openRequestFor('prod', 'dps:personalized-offer:1'), OPEN_INDEXES],
  'the requester’s open count': [countOpen('U1'), OPEN_INDEXES],
  'the sweep’s requests with a lapsed lease': [unfinished(T0, 20), /deletion_requests_leased_by_update/],
} as const;

describe('the open-request and lapsed-lease look-ups use an index over exactly their states', () => {
  it('in SQLite', async () => {
    const target = parseDatabaseUrl(sqliteUrl());
    if (target.kind !== 'sqlite') throw new Error('sqliteUrl() is not a SQLite URL');
    const path = target.path;
    const store = openSqliteStore(path, { log: testLog().log });
    await store.migrate();
    await store.close();
    const db = new Database(path, { readonly: true });
    try {
      for (const [what, [statement, indexes]] of Object.entries(LOOKUPS)) {
        const { text, values } = bind(statement, 'sqlite');
        const plan = (db.prepare(`EXPLAIN QUERY PLAN ${text}`).all(...(values as unknown[])) as Array<{ detail: string }>).map((row) => row.detail).join('\n');
        expect(plan, what).toMatch(indexes);
      }
    } finally {
      db.close();
    }
  });

  it.skipIf(!available)('in PostgreSQL', async () => {
    const database = await withPostgres();
    try {
      const store = await openPostgresStore(database.url, { log: testLog().log });
      await store.migrate();
      await store.close();
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        // An empty table is read whole whatever the indexes; without sequential scans the planner shows what serves it.
        await client.query('SET enable_seqscan = off');
        for (const [what, [statement, indexes]] of Object.entries(LOOKUPS)) {
          const { text, values } = bind(statement, 'postgres');
          const plan = (await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${text}`, values)).rows.map((row) => row['QUERY PLAN']).join('\n');
          expect(plan, what).toMatch(indexes);
        }
      } finally {
        await client.end();
      }
    } finally {
      await database.drop();
    }
  });
});
