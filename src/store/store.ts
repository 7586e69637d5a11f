// The store interface: every request and every transition, with compare-and-set transitions.
import type { Change } from '../deletion/lifecycle.js';
import type { DeletionRequest, OfferSnapshot, TransitionRecord } from '../deletion/request.js';

export interface NewRequest {
  id: string;
  teamId: string;
  enterpriseId?: string | null;
  channelId: string;
  /** Whether the channel is private; null or absent when Slack could not tell (read as private). */
  channelPrivate?: boolean | null;
  sandbox: string;
  offer: OfferSnapshot;
  requesterId: string;
  reason: string;
  createdAt: number;
  expiresAt: number;
  /** Refuse the request when its requester already has this many open ones (checked atomically with the insert). */
  maxOpenPerRequester?: number;
}

/** Which requests `recentRequests` lists: a workspace's, optionally one offer's. */
export interface RecentQuery {
  teamId: string;
  offerId?: string;
  limit: number;
  /**
   * Show requests from private channels (or channels of unknown privacy) only when they are among these: the
   * private channels the reader is a member of. Absent: no filter.
   */
  privateChannelsVisible?: readonly string[];
}

/** One audit event: a stored transition with the request it belongs to, as that request is now. */
export interface AuditEvent {
  transition: TransitionRecord;
  request: DeletionRequest;
}

export type CreateResult =
  | { ok: true; request: DeletionRequest }
  /** An open request for the same offer exists. */
  | { ok: false; existing: DeletionRequest }
  /** The requester already has `open` open requests, at least `maxOpenPerRequester`. */
  | { ok: false; limitReached: number };

/**
 * A Slack write the workflow owes for a request: the confirmation, an update of it to the current state,
 * or the outcome reply in its thread. Rendered from the request as it is when delivered.
 */
export type OutboxKind = 'confirmation' | 'message' | 'outcome';

export interface OutboxItem {
  id: number;
  requestId: string;
  kind: OutboxKind;
  /** Failed attempts so far. */
  attempts: number;
  /** An earlier attempt was cut off (its worker died): Slack may already have the message. */
  inDoubt: boolean;
}

export type OutboxResult = { delivered: true; messageTs?: string } | { delivered: false; error: string };

export interface TransitionOptions {
  /** Compare-and-set also requires `expiresAt > at` (human decisions on pending requests). */
  requireUnexpired?: boolean;
  /** Extra facts for the audit record of this transition. */
  detail?: Record<string, unknown>;
  /**
   * Lease on the background work this transition starts (approved, deleting): who holds it and until when.
   * A transition out of approved/deleting with a lease given also requires that owner to hold it.
   */
  lease?: { owner: string; until: number };
  /** Slack writes this transition owes, recorded in the same transaction. */
  outbox?: OutboxKind[];
}

export interface Store {
  /** Several replicas share this store (PostgreSQL); false when one replica has it to itself (a SQLite file). */
  readonly sharedByReplicas: boolean;
  /** Applies pending migrations; safe to call from several processes at once. */
  migrate(): Promise<void>;
  /**
   * Stores a new pending request, with its `pending` transition record and its `confirmation` outbox item, unless an open request
   * (pending, approved, deleting) exists for the same sandbox and offer: then returns that one.
   */
  createRequest(request: NewRequest): Promise<CreateResult>;
  /** The open request (pending, approved, deleting) for this sandbox and offer, if any. */
  openRequestFor(sandbox: string, offerId: string): Promise<DeletionRequest | null>;
  getRequest(id: string): Promise<DeletionRequest | null>;
  /**
   * Applies `change` only if the request is still in `change.from` (and the options hold), and records the
   * transition, in one transaction. Returns the updated request, or null when another writer won.
   */
  transition(id: string, change: Change, at: number, options?: TransitionOptions): Promise<DeletionRequest | null>;
  /** The request's transitions, oldest first. */
  transitions(id: string): Promise<TransitionRecord[]>;
  /** How many open (pending, approved, deleting) requests this person asked for. */
  countOpen(requesterId: string): Promise<number>;
  /** The workspace's (or one offer's) latest requests, newest first. */
  recentRequests(query: RecentQuery): Promise<DeletionRequest[]>;
  /** Every transition recorded at or after `since`, oldest first, each with its request. */
  auditEvents(since: number): Promise<AuditEvent[]>;
  /** Pending requests whose lifetime ended at or before `now`, oldest first. */
  expiredPending(now: number, limit: number): Promise<DeletionRequest[]>;
  /** Requests in approved or deleting whose lease ran out at or before `now` (or that have none). */
  unfinished(now: number, limit: number): Promise<DeletionRequest[]>;
  /** Takes the lease on an approved/deleting request whose lease ran out or is already `owner`'s. */
  claim(id: string, owner: string, now: number, until: number): Promise<boolean>;
  /**
   * Leases up to `limit` deliverable outbox items: the oldest unsettled item of each request, due by `now`,
   * with no lease, a lease that ran out, or a lease of `owner`'s that ends before `ownLeaseBefore` (taken by an
   * earlier run of the same owner: a restarted single replica). `owner`'s other leases are in flight: skipped.
   */
  claimOutbox(owner: string, now: number, until: number, limit: number, ownLeaseBefore?: number): Promise<OutboxItem[]>;
  /** Marks an item delivered (storing the confirmation's ts on its request) or given up, in one transaction. */
  settleOutbox(id: number, at: number, result: OutboxResult): Promise<void>;
  /** Counts a failed attempt and releases the item until `retryAt`; `inDoubt` when Slack's answer was lost. */
  postponeOutbox(id: number, retryAt: number, error: string, inDoubt?: boolean): Promise<void>;
  /**
   * Deletes up to `limit` outbox items settled (delivered or given up) before `settledBefore`, oldest first, and says how
   * many. Items not yet settled stay, however old; transitions (the audit) and requests are never deleted.
   */
  pruneOutbox(settledBefore: number, limit: number): Promise<number>;
  close(): Promise<void>;
}

export class StoreError extends Error {
  constructor(
    readonly code: 'STORE_UNAVAILABLE' | 'STORE_MIGRATION' | 'STORE_CONFIG',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StoreError';
  }
}
