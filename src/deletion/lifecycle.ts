// The request's state machine as pure functions: state + event + clock → next state, or a refusal.
import type { Approval, DeletionRequest, FinalState, Outcome, State } from './request.js';

export type LifecycleEvent =
  /** One approval: the request stays pending until it has `requiredApprovals` of them, from different people. */
  | { type: 'approve'; actor: string; comment?: string }
  | { type: 'reject'; actor: string; comment?: string }
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

export type Refusal = 'expired' | 'already_decided' | 'invalid_transition' | 'already_approved';

export interface Change {
  from: State;
  to: State;
  actor: string;
  patch: Partial<Pick<DeletionRequest, 'decidedBy' | 'decidedAt' | 'outcome' | 'approvals' | 'decisionComment'>>;
  /**
   * The approval this change adds, and how many the request had before it. The compare-and-set requires that count
   * too: pending → pending leaves the state as it was, so the state alone cannot tell a retried or raced approval
   * from a new one.
   */
  approval?: { added: Approval; before: number };
  /** Facts for the transition's audit record (how many approvals of how many, the comment). */
  detail?: Record<string, unknown>;
}

export type Step = { ok: true; change: Change } | { ok: false; refusal: Refusal };

export const SYSTEM_ACTOR = 'system';

const refuse = (refusal: Refusal): Step => ({ ok: false, refusal });

/** Why a human decision cannot be taken now, if it cannot. */
function undecidable(request: DeletionRequest, now: number): Refusal | null {
  if (request.state !== 'pending') return 'already_decided';
  // A request past its lifetime cannot be decided, even before the sweep has marked it.
  if (now >= request.expiresAt) return 'expired';
  return null;
}

function humanDecision(request: DeletionRequest, to: FinalState, actor: string, now: number, extra: { outcome?: Outcome; comment?: string } = {}): Step {
  const refusal = undecidable(request, now);
  if (refusal) return refuse(refusal);
  const { outcome, comment } = extra;
  return {
    ok: true,
    change: {
      from: 'pending',
      to,
      actor,
      patch: { decidedBy: actor, decidedAt: now, ...(outcome ? { outcome } : {}), ...(comment ? { decisionComment: comment } : {}) },
      ...(comment ? { detail: { comment } } : {}),
    },
  };
}

/** One more approval: pending again until the last one, which approves the request. The same person counts once. */
function approval(request: DeletionRequest, actor: string, now: number, comment: string | undefined): Step {
  const refusal = undecidable(request, now);
  if (refusal) return refuse(refusal);
  if (request.approvals.some((earlier) => earlier.by === actor)) return refuse('already_approved');
  const added: Approval = { by: actor, at: now, comment: comment ?? null };
  const approvals = [...request.approvals, added];
  const last = approvals.length >= request.requiredApprovals;
  return {
    ok: true,
    change: {
      from: 'pending',
      to: last ? 'approved' : 'pending',
      actor,
      patch: last ? { approvals, decidedBy: actor, decidedAt: now } : { approvals },
      approval: { added, before: request.approvals.length },
      // The count only where several are needed: a single approval's record stays as it always was.
      ...(request.requiredApprovals > 1 || comment
        ? {
            detail: {
              ...(request.requiredApprovals > 1 ? { approvals: approvals.length, required: request.requiredApprovals } : {}),
              ...(comment ? { comment } : {}),
            },
          }
        : {}),
    },
  };
}

export function next(request: DeletionRequest, event: LifecycleEvent, now: number): Step {
  switch (event.type) {
    case 'approve':
      return approval(request, event.actor, now, event.comment);
    case 'reject':
      return humanDecision(request, 'rejected', event.actor, now, event.comment ? { comment: event.comment } : {});
    case 'cancel':
      return humanDecision(request, 'cancelled', event.actor, now, event.outcome ? { outcome: event.outcome } : {});
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
