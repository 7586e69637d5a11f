// Names Slack and our code must agree on: the command, the action ids, the metadata event types.
export const OFFER_COMMAND = '/offer';

export const ACTION = {
  approve: 'offer_deletion_approve',
  reject: 'offer_deletion_reject',
  cancel: 'offer_deletion_cancel',
} as const;

export const EVENT_TYPE = {
  requested: 'offer_deletion_requested',
  completed: 'offer_deletion_completed',
  rejected: 'offer_deletion_rejected',
  cancelled: 'offer_deletion_cancelled',
  expired: 'offer_deletion_expired',
  /** The thread's one reminder, halfway to expiry. */
  reminded: 'offer_deletion_reminded',
  /** The requester's direct message on how the request ended. */
  dm: 'offer_deletion_outcome_dm',
} as const;
