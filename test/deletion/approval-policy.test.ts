import { describe, expect, it } from 'vitest';
import { mayDecide } from '../../src/deletion/approval-policy.js';

const request = { requesterId: 'U024BE7LH' };
const open = { allowSelfApproval: false, approvers: null };

describe('the approval policy', () => {
  it('lets anyone but the requester approve when no approver list is set', () => {
    expect(mayDecide(request, 'U0G9QF9C6', 'approve', open)).toEqual({ ok: true });
  });

  it('refuses the requester approving their own request', () => {
    expect(mayDecide(request, 'U024BE7LH', 'approve', open)).toEqual({ ok: false, refusal: 'own_request' });
  });

  it('lets the requester approve their own request when self-approval is allowed', () => {
    expect(mayDecide(request, 'U024BE7LH', 'approve', { ...open, allowSelfApproval: true })).toEqual({ ok: true });
  });

  it('refuses approval and rejection by someone not on the approver list', () => {
    const rules = { allowSelfApproval: false, approvers: new Set(['U0G9QF9C6']) };
    expect(mayDecide(request, 'W012A3CDE', 'approve', rules)).toEqual({ ok: false, refusal: 'not_an_approver' });
    expect(mayDecide(request, 'W012A3CDE', 'reject', rules)).toEqual({ ok: false, refusal: 'not_an_approver' });
    expect(mayDecide(request, 'U0G9QF9C6', 'approve', rules)).toEqual({ ok: true });
  });

  it('an approver on the list still cannot approve their own request', () => {
    const rules = { allowSelfApproval: false, approvers: new Set(['U024BE7LH']) };
    expect(mayDecide(request, 'U024BE7LH', 'approve', rules)).toEqual({ ok: false, refusal: 'own_request' });
  });

  it('only the requester may cancel, approver list or not', () => {
    const rules = { allowSelfApproval: true, approvers: new Set(['U0G9QF9C6']) };
    expect(mayDecide(request, 'U024BE7LH', 'cancel', rules)).toEqual({ ok: true });
    expect(mayDecide(request, 'U0G9QF9C6', 'cancel', rules)).toEqual({ ok: false, refusal: 'not_the_requester' });
  });
});
