// The deletion request: what is stored about one `/offer delete` from the command to its outcome.
import type { Attempt } from './ports.js';

export const OPEN_STATES = ['pending', 'approved', 'deleting', 'restoring'] as const;
export const FINAL_STATES = ['deleted', 'failed', 'unverified', 'rejected', 'cancelled', 'expired', 'restored'] as const;
type OpenState = (typeof OPEN_STATES)[number];
export type FinalState = (typeof FINAL_STATES)[number];
export type State = OpenState | FinalState;

/** What we saw of the offer when the request was made; the approver approves exactly this. */
export interface OfferSnapshot {
  id: string;
  name: string;
  status: string;
  /** ISO 8601, as Adobe sent it. */
  modified: string | null;
  lastModifiedBy: string | null;
  /** Adobe sends an integer; kept as text so any form compares exactly. */
  etag: string | null;
  /** The offer's whole JSON, so what was deleted can be inspected later. */
  json: string;
}

/** What the catalogue said of a call that failed: its message (secret-free), HTTP status, own words and request id. */
export interface FailureFacts {
  message: string;
  status: number | null;
  adobeMessage: string | null;
  requestId: string | null;
}

/** What a GET after the DELETE saw, when it did not see the offer gone: still there, or the check failed (null: not the catalogue's failure). */
export type LastCheck = { found: true } | { failure: FailureFacts | null };

/** What changed in the offer between the request and the approval. */
export interface OfferChange {
  etag?: { before: string | null; after: string | null };
  modified?: { after: string | null; by: string | null };
}

/** Why a request ended as it did: src/slack/views/outcome.ts words each one. */
export type OutcomeReason =
  | 'superseded'
  | 'lookup_failed'
  | 'offer_changed'
  | 'deleted'
  | 'already_gone'
  | 'deleted_despite_error'
  | 'not_confirmed'
  | 'delete_unanswered'
  | 'delete_refused'
  | 'offer_in_use'
  | 'delete_not_sent'
  // A restore's (src/deletion/restore.ts):
  | 'restored'
  | 'restore_refused'
  | 'restore_not_sent'
  | 'restore_unanswered'
  | 'restore_not_confirmed';

/** Facts about how a request ended, shown in the thread and kept for the audit. */
export interface Outcome {
  reason: OutcomeReason;
  /** Adobe request ids seen while deleting and verifying, in order. */
  adobeRequestIds: string[];
  /** HTTP status and Adobe's message when Adobe refused. */
  status?: number;
  adobeMessage?: string;
  /** True when the offer was found already gone (someone else deleted it). */
  alreadyGone?: boolean;
  /** False when no DELETE was sent (the offer was gone at the look-up before it). */
  deleteSent?: boolean;
  /** The failure the outcome is about (the look-up's, or the DELETE's); null when it was not the catalogue's. */
  failure?: FailureFacts | null;
  /** How the DELETE was answered, when a check then found the offer gone anyway. */
  deleteAnswer?: 'unanswered' | 'refused';
  /** The DELETE attempt whose answer does not say whether it was applied. */
  unclearAttempt?: Attempt;
  lastCheck?: LastCheck;
  /** How long the checks after the DELETE waited for a 404. */
  waitedMs?: number;
  /** The deletion was resumed after its worker stopped, once the DELETE may have gone out. */
  resumed?: boolean;
  change?: OfferChange;
  /** A restore whose outcome is unclear: the name to look for in Journey Optimizer. */
  offerName?: string;
  /** A restore: the id Adobe gave the re-created offer. */
  restoredId?: string;
  /** A restore whose answer was unclear: how the check by exact name went (the new offers' ids, or the check's failure). */
  byName?: { ids: string[] } | { failure: FailureFacts | null };
  /** The sentence itself, as versions before these facts stored it; shown as it is when present. */
  summary?: string;
}

/** A deletion, or the restore of a deleted offer (re-created from its stored JSON, under a new id). */
export type RequestAction = 'delete' | 'restore';
/** One person's approval of a request: who, when, and what they said (null: no comment). */
export interface Approval {
  by: string;
  at: number;
  comment: string | null;
}

export interface DeletionRequest {
  id: string;
  action: RequestAction;
  /** A restore: the id of the deleted request whose offer it re-creates; null for a deletion. */
  restoreOf: string | null;
  /** A restore: the thread (the deletion's confirmation ts) its messages go into; null for a deletion, whose own message starts its thread. */
  threadTs: string | null;
  teamId: string;
  /** The Enterprise Grid organisation the workspace belongs to, when it does. */
  enterpriseId: string | null;
  channelId: string;
  /** Whether the channel is private (or a DM): its requests are shown only to its members. Null: not known, so private. */
  channelPrivate: boolean | null;
  /** The confirmation message's ts; null until it is posted. */
  messageTs: string | null;
  sandbox: string;
  offer: OfferSnapshot;
  requesterId: string;
  reason: string;
  state: State;
  /** Epoch milliseconds. */
  createdAt: number;
  expiresAt: number;
  updatedAt: number;
  /** How many different people must approve (OFFER_REQUIRED_APPROVALS for its sandbox when it was made); the requester never counts. */
  requiredApprovals: number;
  /** The approvals so far, oldest first: the request stays pending until there are `requiredApprovals`. */
  approvals: Approval[];
  /** Who approved last (the approval that made it), rejected, cancelled (or `system` for expiry). */
  decidedBy: string | null;
  decidedAt: number | null;
  /** What the person who rejected it said (a Reject needs a comment; approvals keep theirs in `approvals`). */
  decisionComment: string | null;
  outcome: Outcome | null;
}

/** One stored transition: the audit trail in the database. */
export interface TransitionRecord {
  requestId: string;
  from: State | null;
  to: State;
  actor: string;
  at: number;
  detail: Record<string, unknown> | null;
}

export const isOpen = (state: State): state is OpenState => (OPEN_STATES as readonly string[]).includes(state);
