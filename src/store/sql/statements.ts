// The statements of requests, their transitions and approvals, and the history and audit reads, each written once with
// named parameters; the outbox's are in outbox-statements.ts, the dialects' differences in dialect-sql.ts.
import type { Change } from '../../deletion/lifecycle.js';
import { type Approval, OPEN_STATES } from '../../deletion/request.js';
import type { Dialect } from '../migrations.js';
import type { NewRestore } from '../../deletion/ports.js';
import type { AwaitingQuery, NewRequest, OutboxKind, RecentQuery, RequesterQuery, TransitionOptions } from '../store.js';
import type { SqlValue, Statement } from './bind.js';
import { DIALECT_SQL, sqlList } from './dialect-sql.js';
import { hiddenFor } from './outbox-statements.js';

/** States whose background work is guarded by a lease. */
const LEASED_STATES: readonly string[] = ['approved', 'deleting', 'restoring'];
const OPEN = sqlList(OPEN_STATES);
/** The one-open-request-per-offer index's predicate (migration 1), which an upsert must name exactly to use it. */
const OPEN_PER_OFFER = sqlList(['pending', 'approved', 'deleting']);
const LEASED = sqlList(LEASED_STATES);

export function lockRequesterOpenRequests(dialect: Dialect, requesterId: string): Statement | null {
  const sql = DIALECT_SQL[dialect].lockRequesterOpenRequests;
  return sql === null ? null : { sql, params: { key: `offer-bot:open-requests:${requesterId}` } };
}

/** The stored form of a channel's privacy: 1 private, 0 public, NULL not known. */
const privacyFlag = (channelPrivate: boolean | null | undefined): number | null =>
  channelPrivate === null || channelPrivate === undefined ? null : channelPrivate ? 1 : 0;

const COUNT_OPEN = `SELECT COUNT(*) AS open FROM deletion_requests WHERE requester_id = :requesterId AND state IN (${OPEN})`;

/**
 * A new pending request, unless an open one for its offer exists or its requester has `maxOpenPerRequester` open ones
 * (counted in the same statement): then no row comes back. (SQLite parses an upsert's SELECT only with a WHERE.)
 */
export const insertRequest = (request: NewRequest): Statement => ({
  sql: `
    INSERT INTO deletion_requests (
      id, team_id, enterprise_id, channel_id, channel_private, message_ts, sandbox, offer_id, offer_name, offer_status,
      offer_modified, offer_modified_by, offer_etag, offer_json, requester_id, reason, state, created_at, expires_at, updated_at,
      required_approvals)
    SELECT
      :id, :teamId, :enterpriseId, :channelId, :channelPrivate, NULL, :sandbox, :offerId, :offerName, :offerStatus,
      :offerModified, :offerModifiedBy, :offerEtag, :offerJson, :requesterId, :reason, 'pending', :createdAt, :expiresAt, :createdAt,
      :requiredApprovals
    WHERE ${request.maxOpenPerRequester === undefined ? 'TRUE' : `(${COUNT_OPEN}) < :maxOpenPerRequester`}
    ON CONFLICT (sandbox, offer_id) WHERE state IN (${OPEN_PER_OFFER}) DO NOTHING
    RETURNING *`,
  params: {
    maxOpenPerRequester: request.maxOpenPerRequester ?? null,
    id: request.id,
    teamId: request.teamId,
    enterpriseId: request.enterpriseId ?? null,
    channelId: request.channelId,
    channelPrivate: privacyFlag(request.channelPrivate),
    sandbox: request.sandbox,
    offerId: request.offer.id,
    offerName: request.offer.name,
    offerStatus: request.offer.status,
    offerModified: request.offer.modified,
    offerModifiedBy: request.offer.lastModifiedBy,
    offerEtag: request.offer.etag,
    offerJson: request.offer.json,
    requesterId: request.requesterId,
    reason: request.reason,
    createdAt: request.createdAt,
    expiresAt: request.expiresAt,
    requiredApprovals: request.requiredApprovals ?? 1,
  },
});

/**
 * A pending restore of a deleted request, copying its offer, sandbox, channel and workspace, in its thread. No row comes
 * back when the deletion has a restore open or done (migration 8's index) or the offer an open request.
 */
export const insertRestore = (restore: NewRestore): Statement => {
  const deleted = restore.restoreOf;
  return {
    sql: `
      INSERT INTO deletion_requests (
        id, action, restore_of, thread_ts, team_id, enterprise_id, channel_id, channel_private, message_ts, sandbox, offer_id, offer_name,
        offer_status, offer_modified, offer_modified_by, offer_etag, offer_json, requester_id, reason, state, created_at, expires_at, updated_at,
        required_approvals)
      SELECT
        :id, 'restore', d.id, d.message_ts, d.team_id, d.enterprise_id, d.channel_id, d.channel_private, NULL, d.sandbox, d.offer_id, d.offer_name,
        d.offer_status, d.offer_modified, d.offer_modified_by, d.offer_etag, d.offer_json, :requesterId, '', 'pending', :createdAt, :expiresAt, :createdAt,
        :requiredApprovals
      FROM deletion_requests d WHERE d.id = :deletedId AND d.state = 'deleted' AND d.action = 'delete'
      ON CONFLICT DO NOTHING
      RETURNING *`,
    params: {
      id: restore.id,
      deletedId: deleted.id,
      requesterId: restore.requesterId,
      createdAt: restore.createdAt,
      expiresAt: restore.expiresAt,
      requiredApprovals: restore.requiredApprovals ?? 1,
    },
  };
};

export const restoresOf = (deletedId: string): Statement => ({
  sql: 'SELECT * FROM deletion_requests WHERE restore_of = :deletedId ORDER BY created_at DESC, id DESC',
  params: { deletedId },
});

export const requestById = (id: string): Statement => ({ sql: 'SELECT * FROM deletion_requests WHERE id = :id', params: { id } });

export const openRequestFor = (sandbox: string, offerId: string): Statement => ({
  sql: `SELECT * FROM deletion_requests WHERE sandbox = :sandbox AND offer_id = :offerId AND state IN (${OPEN})`,
  params: { sandbox, offerId },
});

export const countOpen = (requesterId: string): Statement => ({ sql: COUNT_OPEN, params: { requesterId } });

/** The compare-and-set of a transition: changes the row only if it is still in `change.from` and the options hold. */
export function updateState(id: string, change: Change, at: number, options: TransitionOptions): Statement {
  const sets = ['state = :to', 'updated_at = :at'];
  const conditions = ['id = :id', 'state = :from'];
  const params: Record<string, SqlValue> = { id, from: change.from, to: change.to, at };
  if (change.patch.decidedBy !== undefined) {
    sets.push('decided_by = :decidedBy');
    params.decidedBy = change.patch.decidedBy;
  }
  if (change.patch.decidedAt !== undefined) {
    sets.push('decided_at = :decidedAt');
    params.decidedAt = change.patch.decidedAt;
  }
  if (change.patch.outcome !== undefined) {
    sets.push('outcome_json = :outcome');
    params.outcome = change.patch.outcome === null ? null : JSON.stringify(change.patch.outcome);
  }
  if (change.patch.decisionComment !== undefined) {
    sets.push('decision_comment = :decisionComment');
    params.decisionComment = change.patch.decisionComment;
  }
  if (change.approval) {
    // The approvals seen are part of the compare-and-set: a retried or raced approval finds the count moved on.
    sets.push('approval_count = :approvalsAfter', 'approvals_json = :approvals');
    conditions.push('approval_count = :approvalsBefore');
    params.approvalsBefore = change.approval.before;
    params.approvalsAfter = change.approval.before + 1;
    params.approvals = JSON.stringify(change.patch.approvals ?? [change.approval.added]);
  }
  if (options.requireUnexpired) conditions.push('expires_at > :at');
  if (options.lease) {
    sets.push('lease_owner = :leaseOwner', 'lease_until = :leaseUntil');
    params.leaseOwner = options.lease.owner;
    params.leaseUntil = options.lease.until;
    if (LEASED_STATES.includes(change.from)) conditions.push('lease_owner = :leaseOwner');
  }
  return { sql: `UPDATE deletion_requests SET ${sets.join(', ')} WHERE ${conditions.join(' AND ')} RETURNING *`, params };
}

/**
 * Rows that go with a written request row (its transition, its outbox items). As a follower inside writeWithFollowers they
 * are inserted only if the request row was written; on their own, unconditionally.
 */
export type Follower = (inWith: boolean) => Statement;

/** The name, inside writeWithFollowers, of the request row the leading statement wrote (none when it wrote nothing). */
const WRITTEN = 'written';
const onlyIfWritten = (inWith: boolean) => (inWith ? ` WHERE EXISTS (SELECT 1 FROM ${WRITTEN})` : '');

export const insertTransition =
  (id: string, from: string | null, to: string, actor: string, at: number, detail: Record<string, unknown> | null): Follower =>
  (inWith) => ({
    sql: `INSERT INTO deletion_transitions (request_id, from_state, to_state, actor, at, detail_json)
          SELECT :id, :from, :to, :actor, :at, :detail${onlyIfWritten(inWith)}`,
    params: { id, from, to, actor, at, detail: detail === null ? null : JSON.stringify(detail) },
  });

/** One person's approval of the request; the primary key refuses a second one by the same person. */
export const insertApproval =
  (id: string, approval: Approval): Follower =>
  (inWith) => ({
    sql: `INSERT INTO deletion_approvals (request_id, approver_id, comment, at)
          SELECT :id, :approverId, :approvalComment, :approvedAt${onlyIfWritten(inWith)}`,
    params: { id, approverId: approval.by, approvalComment: approval.comment, approvedAt: approval.at },
  });

/** The request's outbox items, in one statement, their ids in the order of `kinds` (the order they are delivered in). */
export const insertOutboxItems =
  (id: string, kinds: readonly OutboxKind[], at: number): Follower =>
  (inWith) => {
    if (kinds.length === 0) throw new Error('no outbox items to insert: leave the statement out');
    const params: Record<string, SqlValue> = { id, at };
    // A row per kind, with its position and hiding offset: VALUES' columns are column1, column2, … in both dialects.
    const owed = kinds.map((kind, position) => {
      params[`kind${position}`] = kind;
      return `(:kind${position}, ${position}, ${hiddenFor(kind)})`;
    });
    return {
      sql: `INSERT INTO slack_outbox (request_id, kind, created_at, next_attempt_at)
            SELECT :id, owed.column1, :at, CAST(:at AS BIGINT) + owed.column3 FROM (VALUES ${owed.join(', ')}) AS owed${onlyIfWritten(inWith)} ORDER BY owed.column2`,
      params,
    };
  };

/**
 * PostgreSQL: the leading write (an UPDATE or INSERT … RETURNING *) and its followers as one statement, a data-modifying
 * WITH whose followers insert only when the leading statement wrote a row. One statement is atomic on its own, so it
 * needs no BEGIN and COMMIT: one round trip. Answers the written row, or none.
 */
export function writeWithFollowers(write: Statement, followers: readonly Follower[]): Statement {
  if (followers.length === 0) return write;
  const params: Record<string, SqlValue> = { ...write.params };
  const parts = followers.map((follower, index) => {
    const statement = follower(true);
    for (const [name, value] of Object.entries(statement.params)) {
      // The statements share names for the same facts (:id, :at); the same name must mean the same value.
      if (name in params && params[name] !== value) throw new Error(`:${name} has two values in one statement`);
      params[name] = value;
    }
    return `follower${index} AS (${statement.sql})`;
  });
  return { sql: `WITH ${WRITTEN} AS (${write.sql}), ${parts.join(', ')} SELECT * FROM ${WRITTEN}`, params };
}

export const transitionsOf = (id: string): Statement => ({
  sql: 'SELECT request_id, from_state, to_state, actor, at, detail_json FROM deletion_transitions WHERE request_id = :id ORDER BY id',
  params: { id },
});

/**
 * The history's visibility condition (` AND …`, or nothing): public channels, plus the private ones listed.
 * A channel of unknown privacy counts as private.
 */
function visibility(privateChannelsVisible: readonly string[] | undefined): string {
  if (privateChannelsVisible === undefined) return '';
  if (privateChannelsVisible.length === 0) return ' AND channel_private = 0';
  return ' AND (channel_private = 0 OR channel_id IN (:visibleChannels))';
}

export function recentRequests(query: RecentQuery): Statement {
  // A statement per filter rather than `:offerId IS NULL OR …`, so each can use its index.
  const byOffer = query.offerId === undefined ? '' : ' AND offer_id = :offerId';
  return {
    sql: `SELECT * FROM deletion_requests WHERE team_id = :teamId${byOffer}${visibility(query.privateChannelsVisible)} ORDER BY created_at DESC, id DESC LIMIT :limit`,
    params: { teamId: query.teamId, offerId: query.offerId ?? null, visibleChannels: query.privateChannelsVisible ?? null, limit: query.limit },
  };
}

export const awaitingDecision = (query: AwaitingQuery): Statement => ({
  sql: `SELECT * FROM deletion_requests
        WHERE state = 'pending' AND expires_at > :now AND team_id = :teamId AND requester_id <> :deciderId${visibility(query.privateChannelsVisible)}
        ORDER BY expires_at, id LIMIT :limit`,
  params: { teamId: query.teamId, deciderId: query.deciderId, now: query.now, visibleChannels: query.privateChannelsVisible ?? null, limit: query.limit },
});

export const requestsBy = (query: RequesterQuery): Statement => ({
  sql: 'SELECT * FROM deletion_requests WHERE team_id = :teamId AND requester_id = :requesterId ORDER BY created_at DESC, id DESC LIMIT :limit',
  params: { teamId: query.teamId, requesterId: query.requesterId, limit: query.limit },
});

export const auditEvents = (since: number): Statement => ({
  sql: `SELECT r.*, t.from_state, t.to_state, t.actor, t.at, t.detail_json
        FROM deletion_transitions t JOIN deletion_requests r ON r.id = t.request_id
        WHERE t.at >= :since ORDER BY t.at, t.id`,
  params: { since },
});

export const expiredPending = (now: number, limit: number): Statement => ({
  sql: `SELECT * FROM deletion_requests WHERE state = 'pending' AND expires_at <= :now ORDER BY expires_at, id LIMIT :limit`,
  params: { now, limit },
});

/**
 * Marks up to `limit` pending requests reminded: those at or past halfway to expiry (integer halves in both databases),
 * not yet expired, never reminded. The outer conditions are the inner ones again, for a row another replica marked
 * while this statement waited for it (PostgreSQL re-reads it there); its claim skips rows another holds.
 */
export const markRemindersDue = (dialect: Dialect, now: number, limit: number): Statement => ({
  sql: `UPDATE deletion_requests SET reminded_at = :now
        WHERE state = 'pending' AND reminded_at IS NULL AND expires_at > :now
          AND id IN (
            SELECT id FROM deletion_requests
            WHERE state = 'pending' AND reminded_at IS NULL AND expires_at > :now AND created_at + (expires_at - created_at) / 2 <= :now
            ORDER BY expires_at, id LIMIT :limit
            ${DIALECT_SQL[dialect].skipLocked})
        RETURNING *`,
  params: { now, limit },
});

export const unfinished = (now: number, limit: number): Statement => ({
  sql: `SELECT * FROM deletion_requests WHERE state IN (${LEASED}) AND (lease_until IS NULL OR lease_until <= :now) ORDER BY updated_at, id LIMIT :limit`,
  params: { now, limit },
});

export const claimLease = (id: string, owner: string, now: number, until: number): Statement => ({
  sql: `UPDATE deletion_requests SET lease_owner = :owner, lease_until = :until
        WHERE id = :id AND state IN (${LEASED}) AND (lease_owner = :owner OR lease_until IS NULL OR lease_until <= :now)`,
  params: { id, owner, now, until },
});
