// The store interface: the core's request store (compare-and-set transitions, the outbox) plus migrations, history and audit.
import type { RequestStore } from '../deletion/ports.js';
import type { DeletionRequest, TransitionRecord } from '../deletion/request.js';

export type { CreateResult, NextClaim, NewRequest, NewRestore, OutboxItem, OutboxKind, OutboxResult, TransitionOptions } from '../deletion/ports.js';

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

/** Which requests the App Home shows as waiting for `deciderId`'s decision: pending, unexpired, asked by someone else. */
export interface AwaitingQuery {
  teamId: string;
  deciderId: string;
  now: number;
  limit: number;
  /** As in RecentQuery: requests from private channels only when the reader is in them. */
  privateChannelsVisible?: readonly string[];
}

/** One requester's latest requests, for their App Home. */
export interface RequesterQuery {
  teamId: string;
  requesterId: string;
  limit: number;
}

/** One audit event: a stored transition with the request it belongs to, as that request is now. */
export interface AuditEvent {
  transition: TransitionRecord;
  request: DeletionRequest;
}

export interface Store extends RequestStore {
  /** Applies pending migrations; safe to call from several processes at once. */
  migrate(): Promise<void>;
  /** The workspace's (or one offer's) latest requests, newest first. */
  recentRequests(query: RecentQuery): Promise<DeletionRequest[]>;
  /**
   * Pending requests not yet expired and not asked by the decider, soonest expiry first. Who may decide them (the
   * sandbox's approvers, the policy) is for the caller to judge: this only narrows the candidates.
   */
  awaitingDecision(query: AwaitingQuery): Promise<DeletionRequest[]>;
  /** One requester's latest requests, newest first. */
  requestsBy(query: RequesterQuery): Promise<DeletionRequest[]>;
  /** Every transition recorded at or after `since`, oldest first, each with its request. */
  auditEvents(since: number): Promise<AuditEvent[]>;
  /**
   * Deletes up to `limit` outbox items settled (delivered or given up) before `settledBefore`, oldest first, and says how
   * many. Items not yet settled stay, however old; transitions (the audit) and requests are never deleted.
   */
  pruneOutbox(settledBefore: number, limit: number): Promise<number>;
  /** How many outbox items are neither delivered nor given up on (the Slack writes still owed). */
  outboxBacklog(): Promise<number>;
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
