// How the store's rows read back: requests, transitions, audit events and outbox items, from either driver.
import type { Approval, DeletionRequest, Outcome, State, TransitionRecord } from '../../deletion/request.js';
import type { AuditEvent, OutboxItem, OutboxKind } from '../store.js';

/** A `deletion_requests` row as either driver returns it (pg gives BIGINT as a string). */
export interface RequestRow {
  id: string;
  team_id: string;
  enterprise_id: string | null;
  channel_id: string;
  channel_private: number | string | null;
  message_ts: string | null;
  sandbox: string;
  offer_id: string;
  offer_name: string;
  offer_status: string;
  offer_modified: string | null;
  offer_modified_by: string | null;
  offer_etag: string | null;
  offer_json: string;
  requester_id: string;
  reason: string;
  state: string;
  created_at: number | string;
  expires_at: number | string;
  updated_at: number | string;
  decided_by: string | null;
  decided_at: number | string | null;
  outcome_json: string | null;
  /** Migration 8; absent only in a row read before it ran. */
  action?: string | null;
  restore_of?: string | null;
  thread_ts?: string | null;
  required_approvals: number | string;
  approvals_json: string | null;
  decision_comment: string | null;
}

export interface TransitionRow {
  request_id: string;
  from_state: string | null;
  to_state: string;
  actor: string;
  at: number | string;
  detail_json: string | null;
}

/** A transition row joined with its request's row (`deletion_requests.*`). */
export type AuditRow = RequestRow & Omit<TransitionRow, 'request_id'>;

/** Epoch milliseconds from a BIGINT, refusing anything a JavaScript number cannot hold exactly. */
function epochMs(value: number | string): number {
  const ms = typeof value === 'number' ? value : Number(value);
  if (!Number.isSafeInteger(ms)) throw new RangeError(`${String(value)} is not an exact epoch-millisecond time`);
  return ms;
}

export function toRequest(row: RequestRow): DeletionRequest {
  return {
    id: row.id,
    action: row.action === 'restore' ? 'restore' : 'delete',
    restoreOf: row.restore_of ?? null,
    threadTs: row.thread_ts ?? null,
    teamId: row.team_id,
    enterpriseId: row.enterprise_id ?? null,
    channelId: row.channel_id,
    channelPrivate: row.channel_private === null || row.channel_private === undefined ? null : Number(row.channel_private) === 1,
    messageTs: row.message_ts,
    sandbox: row.sandbox,
    offer: {
      id: row.offer_id,
      name: row.offer_name,
      status: row.offer_status,
      modified: row.offer_modified,
      lastModifiedBy: row.offer_modified_by,
      etag: row.offer_etag,
      json: row.offer_json,
    },
    requesterId: row.requester_id,
    reason: row.reason,
    state: row.state as State,
    createdAt: epochMs(row.created_at),
    expiresAt: epochMs(row.expires_at),
    updatedAt: epochMs(row.updated_at),
    requiredApprovals: Number(row.required_approvals),
    approvals: row.approvals_json === null ? [] : (JSON.parse(row.approvals_json) as Approval[]),
    decidedBy: row.decided_by,
    decidedAt: row.decided_at === null ? null : epochMs(row.decided_at),
    decisionComment: row.decision_comment ?? null,
    outcome: row.outcome_json === null ? null : (JSON.parse(row.outcome_json) as Outcome),
  };
}

export function toTransition(row: TransitionRow): TransitionRecord {
  return {
    requestId: row.request_id,
    from: row.from_state as State | null,
    to: row.to_state as State,
    actor: row.actor,
    at: epochMs(row.at),
    detail: row.detail_json === null ? null : (JSON.parse(row.detail_json) as Record<string, unknown>),
  };
}

export const toAuditEvent = (row: AuditRow): AuditEvent => ({
  transition: toTransition({ ...row, request_id: row.id }),
  request: toRequest(row),
});

/** A `slack_outbox` row as either driver returns it. */
export interface OutboxRow {
  id: number | string;
  request_id: string;
  kind: string;
  attempts: number | string;
  claims: number | string;
  in_doubt: boolean | number;
}

export const toOutboxItem = (row: OutboxRow): OutboxItem => ({
  id: Number(row.id),
  requestId: row.request_id,
  kind: row.kind as OutboxKind,
  attempts: Number(row.attempts),
  // This claim is counted: an earlier one that neither settled nor postponed the item died mid-attempt.
  inDoubt: Boolean(row.in_doubt) || Number(row.claims) > Number(row.attempts) + 1,
});
