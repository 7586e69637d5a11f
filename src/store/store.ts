// The store interface: every request and every transition, with compare-and-set transitions.
import type { Change } from '../deletion/lifecycle.js';
import type { DeletionRequest, OfferSnapshot, TransitionRecord } from '../deletion/request.js';

export interface NewRequest {
  id: string;
  teamId: string;
  channelId: string;
  sandbox: string;
  offer: OfferSnapshot;
  requesterId: string;
  reason: string;
  createdAt: number;
  expiresAt: number;
}

export type CreateResult = { ok: true; request: DeletionRequest } | { ok: false; existing: DeletionRequest };

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
}

export interface Store {
  /** `sqlite` keeps one replica; `postgres` is shared by several. */
  readonly kind: 'sqlite' | 'postgres';
  /** Applies pending migrations; safe to call from several processes at once. */
  migrate(): Promise<void>;
  /**
   * Stores a new pending request, with its `pending` transition record, unless an open request
   * (pending, approved, deleting) exists for the same sandbox and offer: then returns that one.
   */
  createRequest(request: NewRequest): Promise<CreateResult>;
  setMessageTs(id: string, messageTs: string): Promise<void>;
  getRequest(id: string): Promise<DeletionRequest | null>;
  /**
   * Applies `change` only if the request is still in `change.from` (and the options hold), and records the
   * transition, in one transaction. Returns the updated request, or null when another writer won.
   */
  transition(id: string, change: Change, at: number, options?: TransitionOptions): Promise<DeletionRequest | null>;
  /** The request's transitions, oldest first. */
  transitions(id: string): Promise<TransitionRecord[]>;
  /** Pending requests whose lifetime ended at or before `now`, oldest first. */
  expiredPending(now: number, limit: number): Promise<DeletionRequest[]>;
  /** Requests in approved or deleting whose lease ran out at or before `now` (or that have none). */
  unfinished(now: number, limit: number): Promise<DeletionRequest[]>;
  /** Takes the lease on an approved/deleting request whose lease ran out or is already `owner`'s. */
  claim(id: string, owner: string, now: number, until: number): Promise<boolean>;
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
