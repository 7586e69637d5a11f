// What the core wants said to the person who asked or clicked, as typed news; src/slack/views/replies.ts words it.
import type { PolicyRefusal, RequestRefusal } from './approval-policy.js';
import type { Refusal } from './lifecycle.js';
import type { DeletionRequest, FailureFacts } from './request.js';
import type { SandboxRefusal } from './sandboxes.js';

/** For the requester, in answer to their command. */
export type RequesterNews =
  | { type: 'request_refused'; refusal: RequestRefusal | 'people_unavailable' }
  /** `--sandbox` named one configured nowhere, or one this channel may not use; `allowed` are the channel's. */
  | { type: 'sandbox_refused'; refusal: SandboxRefusal; requested: string; allowed: readonly string[] }
  | { type: 'over_limit'; open: number }
  /** Another open request for the offer; `visible` when the reader may see its channel and requester. */
  | { type: 'already_requested'; existing: DeletionRequest; visible: boolean }
  /** `failure` is null when the failure is not the catalogue's. */
  | { type: 'lookup_failed'; offerId: string; sandbox: string; failure: FailureFacts | null }
  | { type: 'offer_not_found'; offerId: string; sandbox: string }
  | { type: 'confirmation_slow'; offerId: string }
  | { type: 'confirmation_posted'; offerId: string }
  | { type: 'confirmation_refused'; offerId: string; slackError: string }
  /** Something broke inside (the database, most likely); `code` is short and secret-free. */
  | { type: 'internal_failure'; code: string };

/** `form_unavailable`: the decision's form (a modal for its comment) could not be shown. */
export type ClickRefusal = PolicyRefusal | Refusal | 'unknown_request' | 'approvers_unavailable' | 'form_unavailable';

/** Why a Restore click made no restore: the policy's refusals, and the deletion's own state. */
export type RestoreRefusal =
  | RequestRefusal
  | 'unknown_request'
  | 'people_unavailable'
  | 'not_deleted'
  /** OFFER_RESTORE_WINDOW has passed since the deletion. */
  | 'window_closed'
  /** A restore of this deletion is open or done (`existing`). */
  | 'already_restoring'
  | 'over_limit';

/** For the person who clicked a decision button (or Restore). */
export type ClickerNews =
  | { type: 'click_refused'; refusal: ClickRefusal; request: DeletionRequest | null }
  /** `until`: when the restore window closed (window_closed). */
  | { type: 'restore_refused'; refusal: RestoreRefusal; request: DeletionRequest | null; existing?: DeletionRequest; until?: number }
  | { type: 'restore_requested'; request: DeletionRequest }
  | { type: 'internal_failure'; code: string };
