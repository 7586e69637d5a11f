import { describe, expect, it } from 'vitest';
import { next, type LifecycleEvent } from '../../src/deletion/lifecycle.js';
import { FINAL_STATES, OPEN_STATES, type State } from '../../src/deletion/request.js';
import { aRequest, T0, TTL } from '../support/requests.js';

const outcome = { reason: 'deleted' as const, summary: 'gone', adobeRequestIds: [] };
const events: LifecycleEvent[] = [
  { type: 'approve', actor: 'U2' },
  { type: 'reject', actor: 'U2' },
  { type: 'cancel', actor: 'U024BE7LH' },
  { type: 'expire' },
  { type: 'start_delete' },
  { type: 'abort', outcome },
  { type: 'finish', result: 'deleted', outcome },
  { type: 'finish', result: 'failed', outcome },
  { type: 'finish', result: 'unverified', outcome },
  { type: 'start_restore' },
  { type: 'finish_restore', result: 'restored', outcome },
  { type: 'finish_restore', result: 'failed', outcome },
  { type: 'finish_restore', result: 'unverified', outcome },
];

/** Every allowed (state, event) → state; anything not listed must be refused. */
const allowed: Record<string, State> = {
  'pending/approve': 'approved',
  'pending/reject': 'rejected',
  'pending/cancel': 'cancelled',
  'approved/start_delete': 'deleting',
  'approved/abort': 'failed',
  'deleting/finish:deleted': 'deleted',
  'deleting/finish:failed': 'failed',
  'deleting/finish:unverified': 'unverified',
  'restoring/finish_restore:restored': 'restored',
  'restoring/finish_restore:failed': 'failed',
  'restoring/finish_restore:unverified': 'unverified',
};

const key = (state: State, event: LifecycleEvent) =>
  `${state}/${event.type}${event.type === 'finish' || event.type === 'finish_restore' ? `:${event.result}` : ''}`;

describe('the deletion request lifecycle', () => {
  for (const state of [...OPEN_STATES, ...FINAL_STATES]) {
    for (const event of events) {
      const expected = allowed[key(state, event)];
      it(`${key(state, event)} ${expected ? `goes to ${expected}` : 'is refused'} before expiry`, () => {
        const step = next(aRequest({ state }), event, T0 + 1_000);
        if (expected) {
          expect(step).toMatchObject({ ok: true, change: { from: state, to: expected } });
        } else {
          expect(step.ok).toBe(false);
        }
      });
    }
  }

  it('a human decision records who decided and when', () => {
    const step = next(aRequest(), { type: 'approve', actor: 'U0G9QF9C6' }, T0 + 5_000);
    const approval = { by: 'U0G9QF9C6', at: T0 + 5_000, comment: null };
    expect(step).toEqual({
      ok: true,
      change: {
        from: 'pending',
        to: 'approved',
        actor: 'U0G9QF9C6',
        patch: { decidedBy: 'U0G9QF9C6', decidedAt: T0 + 5_000, approvals: [approval] },
        approval: { added: approval, before: 0 },
      },
    });
  });

  describe('several approvals', () => {
    const first = { by: 'U0G9QF9C6', at: T0 + 1_000, comment: null };

    it('an approval short of the number required leaves the request pending, one approval more, with the count it saw', () => {
      const step = next(aRequest({ requiredApprovals: 2 }), { type: 'approve', actor: 'U0G9QF9C6' }, T0 + 1_000);
      expect(step).toEqual({
        ok: true,
        change: {
          from: 'pending',
          to: 'pending',
          actor: 'U0G9QF9C6',
          patch: { approvals: [first] },
          approval: { added: first, before: 0 },
          detail: { approvals: 1, required: 2 },
        },
      });
    });

    it('the last approval approves the request, keeping every approval and its comment', () => {
      const step = next(aRequest({ requiredApprovals: 2, approvals: [first] }), { type: 'approve', actor: 'U0CAROL1', comment: 'ok by me' }, T0 + 2_000);
      const second = { by: 'U0CAROL1', at: T0 + 2_000, comment: 'ok by me' };
      expect(step).toMatchObject({
        ok: true,
        change: {
          from: 'pending',
          to: 'approved',
          patch: { approvals: [first, second], decidedBy: 'U0CAROL1', decidedAt: T0 + 2_000 },
          approval: { added: second, before: 1 },
          detail: { approvals: 2, required: 2, comment: 'ok by me' },
        },
      });
    });

    it('the same person approving twice is refused as already approved', () => {
      expect(next(aRequest({ requiredApprovals: 2, approvals: [first] }), { type: 'approve', actor: first.by }, T0 + 2_000)).toEqual({
        ok: false,
        refusal: 'already_approved',
      });
    });

    it('one Reject ends a request that has approvals, with its comment', () => {
      const step = next(aRequest({ requiredApprovals: 3, approvals: [first] }), { type: 'reject', actor: 'U0CAROL1', comment: 'not this one' }, T0 + 2_000);
      expect(step).toMatchObject({
        ok: true,
        change: { from: 'pending', to: 'rejected', patch: { decidedBy: 'U0CAROL1', decisionComment: 'not this one' }, detail: { comment: 'not this one' } },
      });
    });
  });

  it.each(['approve', 'reject', 'cancel'] as const)('a request past its lifetime cannot be %sd', (type) => {
    expect(next(aRequest(), { type, actor: 'U2' }, T0 + TTL)).toEqual({ ok: false, refusal: 'expired' });
  });

  it('a pending request expires only once its lifetime is over', () => {
    expect(next(aRequest(), { type: 'expire' }, T0 + TTL - 1)).toEqual({ ok: false, refusal: 'invalid_transition' });
    expect(next(aRequest(), { type: 'expire' }, T0 + TTL)).toMatchObject({ ok: true, change: { to: 'expired', actor: 'system' } });
  });

  it('a decided request refuses a second decision as already decided', () => {
    for (const state of ['approved', 'rejected', 'cancelled', 'expired', 'deleted'] as const) {
      expect(next(aRequest({ state }), { type: 'approve', actor: 'U2' }, T0)).toEqual({ ok: false, refusal: 'already_decided' });
    }
  });

  it('finishing carries the outcome onto the request', () => {
    const step = next(aRequest({ state: 'deleting' }), { type: 'finish', result: 'unverified', outcome }, T0);
    expect(step).toMatchObject({ ok: true, change: { patch: { outcome } } });
  });
});

describe('a restore request’s lifecycle', () => {
  const restore = (state: State) => aRequest({ state, action: 'restore', restoreOf: '7c1e0f6a-2b1d-4c55-8a0e-3f1d2c4b5a69' });

  it('an approved restore starts restoring, never deleting', () => {
    expect(next(restore('approved'), { type: 'start_restore' }, T0)).toMatchObject({ ok: true, change: { from: 'approved', to: 'restoring' } });
    expect(next(restore('approved'), { type: 'start_delete' }, T0)).toEqual({ ok: false, refusal: 'invalid_transition' });
  });

  it('an approved deletion never starts restoring', () => {
    expect(next(aRequest({ state: 'approved' }), { type: 'start_restore' }, T0)).toEqual({ ok: false, refusal: 'invalid_transition' });
  });

  it('a restore is decided, cancelled and expired as a deletion is', () => {
    expect(next(restore('pending'), { type: 'approve', actor: 'U2' }, T0 + 1_000)).toMatchObject({ ok: true, change: { to: 'approved' } });
    expect(next(restore('pending'), { type: 'expire' }, T0 + TTL)).toMatchObject({ ok: true, change: { to: 'expired' } });
  });
});
