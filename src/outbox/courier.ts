// What the outbox needs from whoever carries its writes to people (the Slack announcer): post, update, find, report.
import type { OutboxKind } from '../deletion/ports.js';
import type { DeletionRequest } from '../deletion/request.js';

/** What a failed write came to. */
interface DeliveryFailure {
  /** The service's own error code (`not_in_channel`, `ratelimited`, …). */
  code: string;
  /** No retry will cure it. */
  permanent: boolean;
  /** How long the service asked us to wait, when it did. */
  retryAfterMs: number | null;
  /** The service answered clearly: nothing was posted. Otherwise it may have been. */
  definite: boolean;
}

export interface Courier {
  /** Posts the request's confirmation; returns its ts. */
  postConfirmation(request: DeletionRequest): Promise<string>;
  /** Updates the confirmation to show the request's current state. */
  showState(request: DeletionRequest): Promise<void>;
  /** Posts how the request ended in the confirmation's thread. */
  postOutcome(request: DeletionRequest): Promise<void>;
  /** The ts of this request's confirmation if it is out already (an attempt cut off by a crash may have posted it). */
  findConfirmation(request: DeletionRequest): Promise<string | null>;
  /** Whether this request's thread already has its outcome reply. */
  hasOutcome(request: DeletionRequest): Promise<boolean>;
  /** Tells the requester directly how their request ended, with a link to its thread. */
  postOutcomeDm(request: DeletionRequest): Promise<void>;
  /** Whether the requester already has that direct message. */
  hasOutcomeDm(request: DeletionRequest): Promise<boolean>;
  /** Reminds the thread, halfway to expiry, that the request still waits, naming who may decide it. */
  postReminder(request: DeletionRequest): Promise<void>;
  /** Whether the thread already has its reminder. */
  hasReminder(request: DeletionRequest): Promise<boolean>;
  /** Tells the requester directly that a later write was given up on: the trail in the channel has a gap. */
  reportGap(request: DeletionRequest, kind: Extract<OutboxKind, 'message' | 'outcome'>, error: string): Promise<void>;
  /** What a failure thrown by the calls above came to; null when it is not the service's (a bug, most likely). */
  failureOf(error: unknown): DeliveryFailure | null;
}
