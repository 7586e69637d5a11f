import { describe, expect, it } from 'vitest';
import { mayDecide, mayRequest, maySupersede, type Person } from '../../src/deletion/approval-policy.js';

const request = { requesterId: 'U024BE7LH', teamId: 'T024BE7LD', enterpriseId: null };
const open = { allowSelfApproval: false, approvers: null };
/** A full member of the request's workspace. */
const member = (id: string): Person => ({ id, teamId: 'T024BE7LD', enterpriseId: null, guest: false, external: false });

describe('the approval policy', () => {
  it('lets anyone but the requester approve when no approver list is set', () => {
    expect(mayDecide(request, member('U0G9QF9C6'), 'approve', open)).toEqual({ ok: true });
  });

  it('refuses the requester approving their own request', () => {
    expect(mayDecide(request, member('U024BE7LH'), 'approve', open)).toEqual({ ok: false, refusal: 'own_request' });
  });

  it('lets the requester approve their own request when self-approval is allowed', () => {
    expect(mayDecide(request, member('U024BE7LH'), 'approve', { ...open, allowSelfApproval: true })).toEqual({ ok: true });
  });

  it('where several approvals are required the requester never counts, even with self-approval allowed; they may still reject', () => {
    const several = { ...request, requiredApprovals: 2 };
    expect(mayDecide(several, member('U024BE7LH'), 'approve', { ...open, allowSelfApproval: true })).toEqual({ ok: false, refusal: 'own_request' });
    expect(mayDecide(several, member('U024BE7LH'), 'reject', open)).toEqual({ ok: true });
    expect(mayDecide(several, member('U0G9QF9C6'), 'approve', open)).toEqual({ ok: true });
  });

  it('refuses approval and rejection by someone not on the approver list', () => {
    const rules = { allowSelfApproval: false, approvers: new Set(['U0G9QF9C6']) };
    expect(mayDecide(request, member('W012A3CDE'), 'approve', rules)).toEqual({ ok: false, refusal: 'not_an_approver' });
    expect(mayDecide(request, member('W012A3CDE'), 'reject', rules)).toEqual({ ok: false, refusal: 'not_an_approver' });
    expect(mayDecide(request, member('U0G9QF9C6'), 'approve', rules)).toEqual({ ok: true });
  });

  it('an approver on the list still cannot approve their own request', () => {
    const rules = { allowSelfApproval: false, approvers: new Set(['U024BE7LH']) };
    expect(mayDecide(request, member('U024BE7LH'), 'approve', rules)).toEqual({ ok: false, refusal: 'own_request' });
  });

  it('only the requester may cancel, approver list or not', () => {
    const rules = { allowSelfApproval: true, approvers: new Set(['U0G9QF9C6']) };
    expect(mayDecide(request, member('U024BE7LH'), 'cancel', rules)).toEqual({ ok: true });
    expect(mayDecide(request, member('U0G9QF9C6'), 'cancel', rules)).toEqual({ ok: false, refusal: 'not_the_requester' });
  });

  it('refuses a person of another organisation (Slack Connect) any decision, cancel included', () => {
    const outsider: Person = { ...member('U0OUTSIDE1'), teamId: 'T0FOREIGN1' };
    for (const decision of ['approve', 'reject', 'cancel'] as const) {
      expect(mayDecide(request, outsider, decision, open)).toEqual({ ok: false, refusal: 'foreign_user' });
    }
    expect(mayDecide(request, { ...member('U0G9QF9C6'), external: true }, 'approve', open)).toEqual({ ok: false, refusal: 'foreign_user' });
  });

  it('lets a member of another workspace of the same Enterprise Grid organisation decide', () => {
    const gridRequest = { ...request, enterpriseId: 'E0GRID0001' };
    const sibling: Person = { ...member('W0SIBLING1'), teamId: 'T0SIBLING1', enterpriseId: 'E0GRID0001' };
    expect(mayDecide(gridRequest, sibling, 'approve', open)).toEqual({ ok: true });
    expect(mayDecide(gridRequest, { ...sibling, enterpriseId: 'E0OTHER001' }, 'approve', open)).toEqual({ ok: false, refusal: 'foreign_user' });
  });

  it('never lets a guest approve or reject, even on the approver list; a guest requester may still cancel', () => {
    const guest: Person = { ...member('U0G9QF9C6'), guest: true };
    const rules = { allowSelfApproval: false, approvers: new Set(['U0G9QF9C6']) };
    expect(mayDecide(request, guest, 'approve', rules)).toEqual({ ok: false, refusal: 'guest' });
    expect(mayDecide(request, guest, 'reject', open)).toEqual({ ok: false, refusal: 'guest' });
    expect(mayDecide(request, { ...member('U024BE7LH'), guest: true }, 'cancel', open)).toEqual({ ok: true });
  });

  it('lets guests ask unless guest requests are switched off, and never people of another organisation', () => {
    const workspace = { teamId: 'T024BE7LD', enterpriseId: null };
    const guest: Person = { ...member('U0GUEST001'), guest: true };
    expect(mayRequest(guest, workspace, { allowGuestRequests: true })).toEqual({ ok: true });
    expect(mayRequest(guest, workspace, { allowGuestRequests: false })).toEqual({ ok: false, refusal: 'guest_requests_off' });
    expect(mayRequest({ ...member('U0OUTSIDE1'), teamId: 'T0FOREIGN1' }, workspace, { allowGuestRequests: true })).toEqual({
      ok: false,
      refusal: 'foreign_user',
    });
  });

  it('lets the requester or an entitled approver supersede a pending request, and nobody an approved one', () => {
    const pending = { ...request, state: 'pending' as const };
    const rules = { allowSelfApproval: false, approvers: new Set(['U0G9QF9C6']) };
    expect(maySupersede(pending, member('U0G9QF9C6'), rules)).toBe(true);
    expect(maySupersede(pending, member('U024BE7LH'), rules)).toBe(true);
    expect(maySupersede(pending, member('W012A3CDE'), rules)).toBe(false);
    expect(maySupersede(pending, { ...member('U0G9QF9C6'), guest: true }, rules)).toBe(false);
    expect(maySupersede({ ...pending, state: 'approved' }, member('U0G9QF9C6'), rules)).toBe(false);
  });
});
