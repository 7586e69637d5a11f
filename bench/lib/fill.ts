// A store filled with many stored requests, for the store-size section: the real schema (the real store's open and
// migrations), then set-based SQL in one transaction, so a million requests take seconds rather than minutes.
import { closeSync, existsSync, fsyncSync, openSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import pg from 'pg';
import { pino } from 'pino';
import { openStore } from '../../src/store/open-store.js';
import { APPROVER, CHANNEL, TEAM } from './settings.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** The share of the settled requests made in the last RECENT_DAYS: most of a store is old, the rest spread over HISTORY_DAYS. */
const RECENT_SHARE = 0.1;
const RECENT_DAYS = 30;
const HISTORY_DAYS = 730;
/** Open (pending) requests: made in the last half hour, expiring in a day, so no sweep (reminder, expiry) acts during the run. */
const OPEN_WITHIN_MS = 30 * 60_000;
/** Requesters of the filled requests; not the bench's own, so its per-user limit counts only what the run adds. */
const FILL_REQUESTERS = 500;

/**
 * How a settled request got to its final state, one row per transition: `final` is the request's state, `actor` who made
 * the transition (r: the requester, a: the approver, s: the system), `after` milliseconds after the request was made.
 * `kind`: the outbox item the transition wrote (c confirmation, m message update, o outcome reply), all delivered.
 * Of every 20 settled requests: 14 deleted, 2 rejected, 2 expired, 1 cancelled, 1 failed.
 */
const STEPS = [
  ['deleted', null, 'pending', 'r', 0, 'confirmation'],
  ['deleted', 'pending', 'approved', 'a', 600_000, 'message'],
  ['deleted', 'approved', 'deleting', 's', 600_050, null],
  ['deleted', 'deleting', 'deleted', 's', 600_400, 'outcome'],
  ['failed', null, 'pending', 'r', 0, 'confirmation'],
  ['failed', 'pending', 'approved', 'a', 600_000, 'message'],
  ['failed', 'approved', 'deleting', 's', 600_050, null],
  ['failed', 'deleting', 'failed', 's', 600_400, 'outcome'],
  ['rejected', null, 'pending', 'r', 0, 'confirmation'],
  ['rejected', 'pending', 'rejected', 'a', 900_000, 'message'],
  ['cancelled', null, 'pending', 'r', 0, 'confirmation'],
  ['cancelled', 'pending', 'cancelled', 'r', 120_000, 'message'],
  ['expired', null, 'pending', 'r', 0, 'confirmation'],
  ['expired', 'pending', 'expired', 's', DAY_MS, 'message'],
] as const;

type Dialect = 'sqlite' | 'postgres';

const quote = (value: string | number | null): string => (value === null ? 'NULL' : typeof value === 'number' ? String(value) : `'${value}'`);
// VALUES' columns are column1, column2, … in both dialects.
const stepsTable = (): string =>
  `(SELECT column1 AS step, column2 AS final, column3 AS from_state, column4 AS to_state, column5 AS actor, column6 AS after, column7 AS kind
    FROM (VALUES ${STEPS.map((step, i) => `(${[i, ...step].map(quote).join(', ')})`).join(', ')}) AS v) AS s`;

/** The statements that fill an empty, migrated store with `settled` final requests and `open` pending ones, made before `now`. */
function fillStatements(dialect: Dialect, settled: number, open: number, now: number): string[] {
  const sqlite = dialect === 'sqlite';
  // Row numbers 1..n: a recursive CTE in SQLite, generate_series in PostgreSQL.
  const numbers = (n: number) =>
    sqlite
      ? `(WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${n}) SELECT i FROM n) AS n`
      : `generate_series(CAST(1 AS BIGINT), ${n}) AS n(i)`;
  const hex = (expr: string, width: number) => (sqlite ? `printf('%0${width}x', ${expr})` : `lpad(to_hex(${expr}), ${width}, '0')`);
  const text = (expr: string) => (sqlite ? `CAST(${expr} AS TEXT)` : `(${expr})::text`);
  const uuid = (expr: string, tag: string) => `${hex(expr, 8)} || '-${tag}-4000-8000-' || ${hex(expr, 12)}`;
  const recent = Math.floor(settled * RECENT_SHARE);
  const old = settled - recent;
  // The oldest first (i = 1 is HISTORY_DAYS old), so row order follows time; the newest made an hour before now.
  const age = `CASE WHEN i <= ${old} THEN ${HISTORY_DAYS * DAY_MS} - (i - 1) * ${Math.floor(((HISTORY_DAYS - RECENT_DAYS) * DAY_MS) / Math.max(1, old))}
                ELSE ${RECENT_DAYS * DAY_MS} - (i - ${old} - 1) * ${Math.floor((RECENT_DAYS * DAY_MS - HOUR_MS) / Math.max(1, recent))} END`;
  // A request made less than a day (and a bit) ago cannot have expired yet: rejected instead.
  const state = `CASE WHEN i % 20 < 14 THEN 'deleted' WHEN i % 20 < 16 THEN 'rejected' WHEN i % 20 < 18 AND age > ${DAY_MS + HOUR_MS} THEN 'expired'
                 WHEN i % 20 < 18 THEN 'rejected' WHEN i % 20 = 18 THEN 'cancelled' ELSE 'failed' END`;
  const offerJson = (id: string) =>
    `'{"id":"' || ${id} || '","name":"Filled offer ' || ${text('i')} || '","status":"approved","repo:lastModifiedBy":"ims-user@AdobeID","representations":[{"channel":"https://ns.adobe.com/xdm/channel-types/web","placement":"dps:offer-placement:web-banner","components":[{"type":"https://ns.adobe.com/experience/offer-management/content-component-html","format":"text/html","content":"<p>Spring sale</p>"}]}],"selectionConstraint":{"startDate":"2025-01-01T00:00:00Z","endDate":"2027-01-01T00:00:00Z"},"rank":{"priority":1}}'`;
  const requestColumns = `id, team_id, channel_id, channel_private, message_ts, sandbox, offer_id, offer_name, offer_status, offer_modified,
    offer_modified_by, offer_etag, offer_json, requester_id, reason, state, created_at, expires_at, updated_at, decided_by, decided_at, outcome_json,
    required_approvals, approval_count, approvals_json`;
  const offerId = `'dps:personalized-offer:fill-' || ${text('i')}`;
  const settledRows = `
    INSERT INTO deletion_requests (${requestColumns})
    SELECT ${uuid('i', '0000')}, '${TEAM}', '${CHANNEL}', 0, ${text(`(${now} - age) / 1000`)} || '.000100', 'prod', offer_id,
      'Filled offer ' || ${text('i')}, 'approved', '2025-06-01T10:00:00Z', 'ims-user@AdobeID', '"' || ${hex('i', 8)} || '"', ${offerJson('offer_id')},
      'UF' || ${text(`i % ${FILL_REQUESTERS}`)}, 'no longer used', state, ${now} - age, ${now} - age + ${DAY_MS},
      ${now} - age + 600400,
      CASE WHEN state IN ('deleted', 'failed', 'rejected') THEN '${APPROVER}' END,
      CASE WHEN state IN ('deleted', 'failed', 'rejected') THEN ${now} - age + 600000 END,
      CASE state WHEN 'deleted' THEN '{"reason":"deleted","adobeRequestIds":["req-' || ${text('i')} || '-1","req-' || ${text('i')} || '-2"]}'
        WHEN 'failed' THEN '{"reason":"delete_refused","adobeRequestIds":["req-' || ${text('i')} || '"],"status":409,"adobeMessage":"Offer is referenced"}' END,
      1, CASE WHEN state IN ('deleted', 'failed') THEN 1 ELSE 0 END,
      CASE WHEN state IN ('deleted', 'failed') THEN '[{"by":"${APPROVER}","at":' || ${text(`${now} - age + 600000`)} || ',"comment":null}]' END
    FROM (SELECT i, age, ${state} AS state, ${offerId} AS offer_id FROM (SELECT i, ${age} AS age FROM ${numbers(settled)}) AS a) AS g`;
  const openRows = `
    INSERT INTO deletion_requests (${requestColumns})
    SELECT ${uuid('i', '0001')}, '${TEAM}', '${CHANNEL}', 0, ${text(`(${now} - age) / 1000`)} || '.000200', 'prod', offer_id,
      'Open offer ' || ${text('i')}, 'approved', '2025-06-01T10:00:00Z', 'ims-user@AdobeID', '"' || ${hex('i', 8)} || '"', ${offerJson('offer_id')},
      'UF' || ${text(`i % ${FILL_REQUESTERS}`)}, 'no longer used', 'pending', ${now} - age, ${now} - age + ${DAY_MS}, ${now} - age,
      NULL, NULL, NULL, 1, 0, NULL
    FROM (SELECT i, i * ${Math.floor(OPEN_WITHIN_MS / Math.max(1, open))} AS age, 'dps:personalized-offer:open-' || ${text('i')} AS offer_id FROM ${numbers(open)}) AS g`;
  const actor = `CASE s.actor WHEN 'r' THEN r.requester_id WHEN 'a' THEN '${APPROVER}' ELSE 'system' END`;
  const transitions = `
    INSERT INTO deletion_transitions (request_id, from_state, to_state, actor, at, detail_json)
    SELECT r.id, s.from_state, s.to_state, ${actor}, r.created_at + s.after, NULL
    FROM deletion_requests r JOIN ${stepsTable()} ON s.final = r.state OR (r.state = 'pending' AND s.final = 'deleted' AND s.step = 0)`;
  const outbox = `
    INSERT INTO slack_outbox (request_id, kind, created_at, attempts, claims, next_attempt_at, settled_at, result)
    SELECT r.id, s.kind, r.created_at + s.after, 0, 1, r.created_at + s.after, r.created_at + s.after + 120, 'delivered'
    FROM deletion_requests r JOIN ${stepsTable()} ON s.kind IS NOT NULL AND (s.final = r.state OR (r.state = 'pending' AND s.final = 'deleted' AND s.step = 0))`;
  const approvals = `
    INSERT INTO deletion_approvals (request_id, approver_id, comment, at)
    SELECT id, '${APPROVER}', NULL, decided_at FROM deletion_requests WHERE state IN ('deleted', 'failed')`;
  return [settledRows, openRows, transitions, outbox, approvals];
}

/**
 * What-if (BENCH_SIZE_WHATIF_INDEXES=1): the indexes the per-command look-ups need since migration 8 added `restoring` to the
 * open states (migration 3's partial index and the one-open-per-offer index no longer cover `state IN (open states)`), made
 * after the fill. Not a migration: to size the fix, which belongs in src/store/migrations.ts.
 */
export const WHATIF_INDEXES = process.env.BENCH_SIZE_WHATIF_INDEXES === '1';
const WHATIF_INDEX_SQL = [
  "CREATE INDEX whatif_open_by_offer ON deletion_requests (sandbox, offer_id) WHERE state IN ('pending', 'approved', 'deleting', 'restoring')",
  "CREATE INDEX whatif_open_by_requester ON deletion_requests (requester_id) WHERE state IN ('pending', 'approved', 'deleting', 'restoring')",
];

export interface Filled {
  requests: number;
  transitions: number;
  outbox: number;
  fillMs: number;
  /** A filled request's id, for the audit's --request. */
  sampleId: string;
}

/**
 * The migrations' secondary indexes, dropped before the fill and made again after it from their own definitions, so the
 * schema is the migrated one: building an index once is much faster than keeping it up to date row by row.
 */
const FILLED_TABLES = "('deletion_requests', 'deletion_transitions', 'slack_outbox', 'deletion_approvals')";
const SQLITE_INDEXES = `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ${FILLED_TABLES}`;
const POSTGRES_INDEXES = `SELECT indexname AS name, indexdef AS sql FROM pg_indexes
  WHERE schemaname = current_schema() AND tablename IN ${FILLED_TABLES} AND indexname NOT IN (SELECT conname FROM pg_constraint)`;

/** SQLite's page cache while filling (KiB). */
const FILL_CACHE_KIB = 1_048_576;

export const quietLog = pino({ level: 'silent' });

/**
 * Migrates the store at `databaseUrl` by opening it as offer-bot does, then fills it: `settled` final requests and `open`
 * pending ones, each with its transitions and delivered outbox rows, in one transaction; then ANALYZE, as autovacuum would.
 */
export async function fillStore(dialect: Dialect, databaseUrl: string, settled: number, open: number): Promise<Filled> {
  const store = await openStore(databaseUrl, { log: quietLog });
  await store.migrate();
  await store.close();
  const statements = [...fillStatements(dialect, settled, open, Date.now()), ...(WHATIF_INDEXES ? WHATIF_INDEX_SQL : [])];
  const t0 = performance.now();
  const counts = { requests: 0, transitions: 0, outbox: 0 };
  let sampleId = '';
  const count = `SELECT (SELECT COUNT(*) FROM deletion_requests) AS requests, (SELECT COUNT(*) FROM deletion_transitions) AS transitions,
    (SELECT COUNT(*) FROM slack_outbox) AS outbox, (SELECT MAX(id) FROM deletion_requests WHERE state = 'deleted') AS sample`;
  if (dialect === 'sqlite') {
    const path = databaseUrl.slice('sqlite:'.length);
    const db = new Database(path);
    try {
      // Setup, not what is measured: a cache that holds the indexes being built; the bot opens the file with its own settings.
      db.pragma(`cache_size = -${FILL_CACHE_KIB}`);
      db.transaction(() => {
        const indexes = db.prepare(SQLITE_INDEXES).all() as Array<{ name: string; sql: string }>;
        for (const { name } of indexes) db.exec(`DROP INDEX ${name}`);
        for (const sql of statements) db.exec(sql);
        for (const { sql } of indexes) db.exec(sql);
      }).immediate();
      db.exec('ANALYZE');
      const row = db.prepare(count).get() as { requests: number; transitions: number; outbox: number; sample: string };
      Object.assign(counts, { requests: row.requests, transitions: row.transitions, outbox: row.outbox });
      sampleId = row.sample;
    } finally {
      db.close();
    }
    // Gigabytes just written sit dirty in the page cache: the bot's first fsync (its migration check's commit) would wait
    // for all of them. Written out now, so the filled store's run starts as a store that has been there a while.
    for (const file of [path, `${path}-wal`]) {
      if (!existsSync(file)) continue;
      const fd = openSync(file, 'r+');
      fsyncSync(fd);
      closeSync(fd);
    }
  } else {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      await client.query('BEGIN');
      // Setup only: the foreign keys are not checked row by row (every row refers to a request inserted just before).
      await client.query("SET LOCAL session_replication_role = 'replica'");
      await client.query("SET LOCAL maintenance_work_mem = '256MB'");
      const indexes = (await client.query(POSTGRES_INDEXES)).rows as Array<{ name: string; sql: string }>;
      for (const { name } of indexes) await client.query(`DROP INDEX ${name}`);
      for (const sql of statements) await client.query(sql);
      for (const { sql } of indexes) await client.query(sql);
      await client.query('COMMIT');
      await client.query('ANALYZE');
      // As for SQLite: the fill's dirty pages written out now, not by the checkpointer while the bot is measured.
      await client.query('CHECKPOINT');
      const row = (await client.query(count)).rows[0] as Record<string, string>;
      counts.requests = Number(row.requests);
      counts.transitions = Number(row.transitions);
      counts.outbox = Number(row.outbox);
      sampleId = String(row.sample);
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      await client.end();
    }
  }
  return { ...counts, fillMs: performance.now() - t0, sampleId };
}
