// The deletion request: what is stored about one `/offer delete` from the command to its outcome.

export const OPEN_STATES = ['pending', 'approved', 'deleting'] as const;
export const FINAL_STATES = ['deleted', 'failed', 'unverified', 'rejected', 'cancelled', 'expired'] as const;
export type OpenState = (typeof OPEN_STATES)[number];
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

/** Facts about how a request ended, shown in the thread and kept for the audit. */
export interface Outcome {
  /** Machine-readable reason, e.g. `offer_changed`, `delete_refused`, `not_found_after_delete`. */
  reason: string;
  /** One human sentence. */
  summary: string;
  /** Adobe request ids seen while deleting and verifying, in order. */
  adobeRequestIds: string[];
  /** HTTP status and Adobe's message when Adobe refused. */
  status?: number;
  adobeMessage?: string;
  /** True when the DELETE found the offer already gone (someone else deleted it). */
  alreadyGone?: boolean;
}

export interface DeletionRequest {
  id: string;
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
  /** Who approved, rejected, cancelled (or `system` for expiry). */
  decidedBy: string | null;
  decidedAt: number | null;
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
