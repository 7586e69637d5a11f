// Names Slack and our code must agree on: the command, the action ids, the metadata event types.
export const OFFER_COMMAND = '/offer';

export const ACTION = {
  approve: 'offer_deletion_approve',
  /** Opens the decision modal for an approval with a comment. */
  approveWithComment: 'offer_deletion_approve_comment',
  /** Opens the decision modal: a Reject needs a comment. */
  reject: 'offer_deletion_reject',
  cancel: 'offer_deletion_cancel',
  /** On a deletion's outcome reply, while OFFER_RESTORE_WINDOW is open. */
  restore: 'offer_restore',
} as const;

/** The decision modal (a comment with an approval or a Reject): its callback id, and its comment input's block and action ids. */
export const DECISION_MODAL = {
  callbackId: 'offer_deletion_decision',
  commentBlock: 'comment',
  commentAction: 'comment',
} as const;

export const EVENT_TYPE = {
  requested: 'offer_deletion_requested',
  completed: 'offer_deletion_completed',
  rejected: 'offer_deletion_rejected',
  cancelled: 'offer_deletion_cancelled',
  expired: 'offer_deletion_expired',
  /** A restore's confirmation (a reply in the deletion's thread) and its outcome (any way it ended: `outcome` says which). */
  restoreRequested: 'offer_restore_requested',
  restoreCompleted: 'offer_restore_completed',
  /** The thread's one reminder, halfway to expiry. */
  reminded: 'offer_deletion_reminded',
  /** The requester's direct message on how the request ended. */
  dm: 'offer_deletion_outcome_dm',
} as const;

/** The delete form (`/offer delete` without an id): its callback id, and each input's block and action id. */
export const DELETE_FORM = {
  callbackId: 'offer_delete_form',
  sandbox: 'sandbox',
  offer: 'offer',
  reason: 'reason',
} as const;
