// Who may approve, reject or cancel a request: a pure function of the request, the clicker and the rules.
import type { DeletionRequest } from './request.js';

export type Decision = 'approve' | 'reject' | 'cancel';

export interface ApprovalRules {
  allowSelfApproval: boolean;
  /** Slack user ids allowed to approve or reject; null means anyone but the requester. */
  approvers: ReadonlySet<string> | null;
}

export type PolicyRefusal = 'own_request' | 'not_an_approver' | 'not_the_requester';

export function mayDecide(
  request: Pick<DeletionRequest, 'requesterId'>,
  userId: string,
  decision: Decision,
  rules: ApprovalRules,
): { ok: true } | { ok: false; refusal: PolicyRefusal } {
  const isRequester = userId === request.requesterId;
  if (decision === 'cancel') return isRequester ? { ok: true } : { ok: false, refusal: 'not_the_requester' };
  if (rules.approvers && !rules.approvers.has(userId)) return { ok: false, refusal: 'not_an_approver' };
  // Rejecting your own request is harmless; approving it defeats the second pair of eyes.
  if (decision === 'approve' && isRequester && !rules.allowSelfApproval) return { ok: false, refusal: 'own_request' };
  return { ok: true };
}
