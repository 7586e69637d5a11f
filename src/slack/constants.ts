// Names Slack and our code must agree on: the command, the action ids, the metadata event types.
export const OFFER_COMMAND = '/offer';

export const ACTION = {
  approve: 'offer_deletion_approve',
  reject: 'offer_deletion_reject',
  cancel: 'offer_deletion_cancel',
  /** On a deletion's outcome reply, while OFFER_RESTORE_WINDOW is open. */
  restore: 'offer_restore',
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
} as const;
