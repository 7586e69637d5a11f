// Who may ask, approve, reject or cancel: pure functions of the request, the person and the rules.
import type { DeletionRequest } from './request.js';

export type Decision = 'approve' | 'reject' | 'cancel';

/** The workspace (and Enterprise Grid organisation) a request belongs to. */
interface Workspace {
  teamId: string;
  enterpriseId: string | null;
}

/** What Slack says about a person (users.info), as far as the policy cares. */
export interface Person {
  id: string;
  /** The person's own workspace; in a Slack Connect channel it may be another organisation's. */
  teamId: string | null;
  enterpriseId: string | null;
  /** A multi-channel (`is_restricted`) or single-channel (`is_ultra_restricted`) guest. */
  guest: boolean;
  /** Slack marks people of another organisation seen through a shared channel (`is_stranger`). */
  external: boolean;
}

export interface ApprovalRules {
  allowSelfApproval: boolean;
  /** Slack user ids allowed to approve or reject; null means anyone of the workspace but the requester. */
  approvers: ReadonlySet<string> | null;
}

export type PolicyRefusal = 'own_request' | 'not_an_approver' | 'not_the_requester' | 'foreign_user' | 'guest';
export type RequestRefusal = 'foreign_user' | 'guest_requests_off';

type Verdict<R> = { ok: true } | { ok: false; refusal: R };

/** Whether `person` is one of the workspace's own people: same workspace, or same Enterprise Grid organisation. */
export function belongsTo(person: Pick<Person, 'teamId' | 'enterpriseId' | 'external'>, workspace: Workspace): boolean {
  if (person.external) return false;
  if (person.teamId !== null && person.teamId === workspace.teamId) return true;
  return workspace.enterpriseId !== null && person.enterpriseId === workspace.enterpriseId;
}

/** Who may ask for a deletion: the workspace's own people; guests too unless OFFER_ALLOW_GUEST_REQUESTS=false. */
export function mayRequest(person: Person, workspace: Workspace, rules: { allowGuestRequests: boolean }): Verdict<RequestRefusal> {
  if (!belongsTo(person, workspace)) return { ok: false, refusal: 'foreign_user' };
  if (person.guest && !rules.allowGuestRequests) return { ok: false, refusal: 'guest_requests_off' };
  return { ok: true };
}

export function mayDecide(
  request: Pick<DeletionRequest, 'requesterId' | 'teamId' | 'enterpriseId'> & Partial<Pick<DeletionRequest, 'requiredApprovals'>>,
  person: Person,
  decision: Decision,
  rules: ApprovalRules,
): Verdict<PolicyRefusal> {
  // Someone of another organisation in a shared channel never acts on this workspace's requests.
  if (!belongsTo(person, { teamId: request.teamId, enterpriseId: request.enterpriseId })) return { ok: false, refusal: 'foreign_user' };
  const isRequester = person.id === request.requesterId;
  if (decision === 'cancel') return isRequester ? { ok: true } : { ok: false, refusal: 'not_the_requester' };
  if (person.guest) return { ok: false, refusal: 'guest' };
  if (rules.approvers && !rules.approvers.has(person.id)) return { ok: false, refusal: 'not_an_approver' };
  // Rejecting your own request is harmless; approving it defeats the second pair of eyes. OFFER_ALLOW_SELF_APPROVAL lets the
  // requester be the one approver; where several are required, the requester never counts among them.
  const selfApprovalCounts = rules.allowSelfApproval && (request.requiredApprovals ?? 1) <= 1;
  if (decision === 'approve' && isRequester && !selfApprovalCounts) return { ok: false, refusal: 'own_request' };
  return { ok: true };
}

/**
 * Whether a new request may replace an open one for the same offer (e.g. one parked in a private channel):
 * its own requester may, and so may anyone entitled to reject it; only while it still waits for a decision.
 */
export function maySupersede(
  existing: Pick<DeletionRequest, 'requesterId' | 'teamId' | 'enterpriseId' | 'state'>,
  person: Person,
  rules: ApprovalRules,
): boolean {
  if (existing.state !== 'pending') return false;
  if (person.id === existing.requesterId) return belongsTo(person, { teamId: existing.teamId, enterpriseId: existing.enterpriseId });
  return mayDecide(existing, person, 'reject', rules).ok;
}
