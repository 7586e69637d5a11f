// The request's state machine as pure functions: state + event + clock → next state, or a refusal.
import type { DeletionRequest, FinalState, Outcome, State } from './request.js';

export type LifecycleEvent =
  | { type: 'approve'; actor: string }
  | { type: 'reject'; actor: string }
  /** By the requester, or `outcome.reason` `superseded` when an entitled person asked again elsewhere. */
  | { type: 'cancel'; actor: string; outcome?: Outcome }
  | { type: 'expire' }
  /** The DELETE is about to be sent: from here on it may have reached Adobe. */
  | { type: 'start_delete' }
  /** Stopped before any DELETE (the offer changed, or the look-up failed). */
  | { type: 'abort'; outcome: Outcome }
  | { type: 'finish'; result: 'deleted' | 'failed' | 'unverified'; outcome: Outcome }
  /** A restore's POST is about to be sent: from here on it may have reached Adobe. */
  | { type: 'start_restore' }
  | { type: 'finish_restore'; result: 'restored' | 'failed' | 'unverified'; outcome: Outcome };

export type Refusal = 'expired' | 'already_decided' | 'invalid_transition';

export interface Change {
  from: State;
  to: State;
  actor: string;
  patch: Partial<Pick<DeletionRequest, 'decidedBy' | 'decidedAt' | 'outcome'>>;
}

export type Step = { ok: true; change: Change } | { ok: false; refusal: Refusal };

export const SYSTEM_ACTOR = 'system';

const refuse = (refusal: Refusal): Step => ({ ok: false, refusal });

function humanDecision(request: DeletionRequest, to: FinalState | 'approved', actor: string, now: number, outcome?: Outcome): Step {
  if (request.state !== 'pending') return refuse('already_decided');
  // A request past its lifetime cannot be decided, even before the sweep has marked it.
  if (now >= request.expiresAt) return refuse('expired');
  return { ok: true, change: { from: 'pending', to, actor, patch: { decidedBy: actor, decidedAt: now, ...(outcome ? { outcome } : {}) } } };
}

export function next(request: DeletionRequest, event: LifecycleEvent, now: number): Step {
  switch (event.type) {
    case 'approve':
      return humanDecision(request, 'approved', event.actor, now);
    case 'reject':
      return humanDecision(request, 'rejected', event.actor, now);
    case 'cancel':
      return humanDecision(request, 'cancelled', event.actor, now, event.outcome);
    case 'expire':
      if (request.state !== 'pending') return refuse('already_decided');
      if (now < request.expiresAt) return refuse('invalid_transition');
      return {
        ok: true,
        change: { from: 'pending', to: 'expired', actor: SYSTEM_ACTOR, patch: { decidedBy: SYSTEM_ACTOR, decidedAt: now } },
      };
    case 'start_delete':
      if (request.state !== 'approved' || request.action !== 'delete') return refuse('invalid_transition');
      return { ok: true, change: { from: 'approved', to: 'deleting', actor: SYSTEM_ACTOR, patch: {} } };
    case 'abort':
      if (request.state !== 'approved') return refuse('invalid_transition');
      return { ok: true, change: { from: 'approved', to: 'failed', actor: SYSTEM_ACTOR, patch: { outcome: event.outcome } } };
    case 'finish':
      if (request.state !== 'deleting') return refuse('invalid_transition');
      return { ok: true, change: { from: 'deleting', to: event.result, actor: SYSTEM_ACTOR, patch: { outcome: event.outcome } } };
    case 'start_restore':
      if (request.state !== 'approved' || request.action !== 'restore') return refuse('invalid_transition');
      return { ok: true, change: { from: 'approved', to: 'restoring', actor: SYSTEM_ACTOR, patch: {} } };
    case 'finish_restore':
      if (request.state !== 'restoring') return refuse('invalid_transition');
      return { ok: true, change: { from: 'restoring', to: event.result, actor: SYSTEM_ACTOR, patch: { outcome: event.outcome } } };
  }
}
