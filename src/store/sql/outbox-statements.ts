// The statements of the Slack outbox: claiming, settling, postponing and pruning its items, and the offset that hides
// the kinds an older replica does not know.
import type { Dialect } from '../migrations.js';
import type { NextClaim, OutboxKind, OutboxResult } from '../store.js';
import type { SqlValue, Statement } from './bind.js';
import { DIALECT_SQL, sqlList } from './dialect-sql.js';

/**
 * Outbox kinds added with migration 7. A replica of an earlier version delivers any kind it does not know as an outcome
 * reply, so their next attempt is stored this much later than it is due (about 31,700 years): such a replica never
 * finds them due, and this version takes the offset off again. Epoch milliseconds plus it stay exact (below 2^53).
 */
const LATER_KINDS: readonly OutboxKind[] = ['dm', 'reminder'];
const LATER_KINDS_HIDDEN_MS = 1_000_000_000_000_000;
export const hiddenFor = (kind: OutboxKind) => (LATER_KINDS.includes(kind) ? LATER_KINDS_HIDDEN_MS : 0);
/** The offset of the row's kind, in SQL. */
const HIDDEN_OFFSET = `(CASE WHEN kind IN (${sqlList(LATER_KINDS)}) THEN ${LATER_KINDS_HIDDEN_MS} ELSE 0 END)`;

/** An outbox row no one holds: never leased, its lease ran out, or leased by `:owner` in an earlier run (before `:ownLeaseBefore`). */
const freeToClaim = (table = '') =>
  `(${table}lease_until IS NULL OR ${table}lease_until <= :now OR (${table}lease_owner = :owner AND ${table}lease_until < :ownLeaseBefore))`;

/**
 * Leases the oldest unsettled item of each request that is due and free (see Store.claimOutbox). The outer lease check
 * is the inner one again: where a row was claimed while this statement waited for it, PostgreSQL re-reads it there.
 */
export const claimOutbox = (dialect: Dialect, owner: string, now: number, until: number, limit: number, ownLeaseBefore: number): Statement => ({
  sql: `UPDATE slack_outbox SET lease_owner = :owner, lease_until = :until, claims = claims + 1
        WHERE ${freeToClaim()} AND settled_at IS NULL
          AND id IN (
            SELECT o.id FROM slack_outbox o
            WHERE o.settled_at IS NULL AND o.next_attempt_at <= CAST(:now AS BIGINT) + ${HIDDEN_OFFSET.replace('kind', 'o.kind')}
              AND ${freeToClaim('o.')}
              AND o.id = (SELECT MIN(f.id) FROM slack_outbox f WHERE f.request_id = o.request_id AND f.settled_at IS NULL)
            ORDER BY o.id LIMIT :limit
            ${DIALECT_SQL[dialect].skipLocked})
        RETURNING id, request_id, kind, attempts, claims, in_doubt`,
  params: { owner, now, until, limit, ownLeaseBefore },
});

/**
 * Leases one request's oldest unsettled item when it is due and free, by the rules of claimOutbox; nothing when that item
 * is not yet due, is leased, or there is none. The workflow delivers what a write owes at once through this, and a
 * delivery goes on to the request's next item, without the scan over every request's items that claimOutbox makes.
 */
export const claimNextOf = (requestId: string, owner: string, now: number, until: number, ownLeaseBefore: number): Statement => ({
  sql: claimNextSql(''),
  params: { requestId, owner, now, until, ownLeaseBefore },
});

/** claimNextOf's statement; `except` leaves out more items (the one a statement is settling). */
const claimNextSql = (except: string) => `UPDATE slack_outbox SET lease_owner = :owner, lease_until = :until, claims = claims + 1
        WHERE id = (SELECT MIN(f.id) FROM slack_outbox f WHERE f.request_id = :requestId AND f.settled_at IS NULL${except})
          AND settled_at IS NULL AND next_attempt_at <= CAST(:now AS BIGINT) + ${HIDDEN_OFFSET}
          AND ${freeToClaim()}
        RETURNING id, request_id, kind, attempts, claims, in_doubt`;

export const settleOutboxItem = (id: number, at: number, result: OutboxResult): Statement => ({
  sql: 'UPDATE slack_outbox SET settled_at = :at, result = :result, lease_owner = NULL, lease_until = NULL WHERE id = :id',
  params: { id, at, result: result.delivered ? 'delivered' : result.error },
});

/** The confirmation's ts, stored on the request the delivered outbox item belongs to. */
export const storeMessageTs = (outboxId: number, messageTs: string): Statement => ({
  sql: STORE_MESSAGE_TS,
  params: { outboxId, messageTs },
});

const STORE_MESSAGE_TS = 'UPDATE deletion_requests SET message_ts = :messageTs WHERE id = (SELECT request_id FROM slack_outbox WHERE id = :outboxId)';

/**
 * PostgreSQL: settles an item, stores the confirmation's ts (when there is one) and leases the request's next item, as one
 * data-modifying WITH: one round trip, atomic without BEGIN and COMMIT. Every part of it reads the table as it was
 * before the statement, so the claim leaves out by its id the item being settled. Answers the claimed item, or none.
 * None is not the last word: a transition that owes a new item and commits while this runs is not seen by it, and the
 * transition's own claim (claimNextOf) finds the settled item still in its way, so neither takes the new item. The
 * caller claims again after the commit; that claim or the transition's sees it. (SQLite, one writer at a time, settles
 * and claims in one transaction and can trust its answer.)
 */
export function settleAndClaimNext(id: number, at: number, result: OutboxResult, next: Required<NextClaim> | null): Statement {
  const messageTs = result.delivered ? (result.messageTs ?? null) : null;
  const settle = settleOutboxItem(id, at, result);
  if (messageTs === null && next === null) return settle;
  const parts = [`settled AS (${settle.sql})`];
  const params: Record<string, SqlValue> = { ...settle.params };
  if (messageTs !== null) {
    parts.push(`stamped AS (${STORE_MESSAGE_TS})`);
    Object.assign(params, { outboxId: id, messageTs });
  }
  if (next === null) return { sql: `WITH ${parts.join(', ')} SELECT 1 AS settled WHERE false`, params };
  return { sql: `WITH ${parts.join(', ')} ${claimNextSql(' AND f.id <> :id')}`, params: { ...params, ...next, now: at } };
}

/**
 * Deletes up to `limit` outbox items settled (delivered or given up) before `settledBefore`, oldest first. Unsettled items
 * stay whatever their age; PostgreSQL replicas pruning at once each skip the rows another is deleting.
 */
export const pruneOutbox = (dialect: Dialect, settledBefore: number, limit: number): Statement => ({
  sql: `DELETE FROM slack_outbox WHERE id IN (
          SELECT id FROM slack_outbox WHERE settled_at IS NOT NULL AND settled_at < :settledBefore
          ORDER BY settled_at, id LIMIT :limit ${DIALECT_SQL[dialect].skipLocked})`,
  params: { settledBefore, limit },
});

export const postponeOutboxItem = (id: number, retryAt: number, error: string, inDoubt: boolean): Statement => ({
  sql: `UPDATE slack_outbox SET attempts = attempts + 1, next_attempt_at = CAST(:retryAt AS BIGINT) + ${HIDDEN_OFFSET}, result = :error, in_doubt = (in_doubt OR :inDoubt),
          lease_owner = NULL, lease_until = NULL WHERE id = :id`,
  params: { id, retryAt, error, inDoubt },
});

/** Outbox items not yet delivered or given up on (the `slack_outbox_due` index covers them). */
export const outboxBacklog = (): Statement => ({ sql: 'SELECT COUNT(*) AS backlog FROM slack_outbox WHERE settled_at IS NULL', params: {} });
