// Use case: an Approve, Reject or Cancel (a click, or a decision modal submitted): is it this request's button, may this person
// decide, then the transition; an approval short of the number required leaves the request pending, one approval more.
import { belongsTo, mayDecide, type Decision } from './approval-policy.js';
import { approvalRules, FINAL_WRITES, OWN_ENDING_WRITES, type Core } from './core.js';
import type { ClickRefusal } from './news.js';
import { next, type LifecycleEvent } from './lifecycle.js';
import type { DeletionRequest } from './request.js';

export interface ClickContext {
  requestId: string;
  /** The workspace that owns the message (`team.id`); null on an Enterprise Grid org-wide install. */
  teamId: string | null;
  /** The organisation that owns the message (`enterprise.id`), when there is one. */
  enterpriseId: string | null;
  channelId: string;
  messageTs: string;
  userId: string;
  /** The clicker's own workspace and organisation as the payload states them (`user.team_id`, `user.enterprise_id`). */
  userTeamId: string | null;
  userEnterpriseId: string | null;
  decision: Decision;
  /** What the person wrote in the decision's modal (required for a Reject there); absent for a plain click. */
  comment?: string;
}

interface DecideSteps {
  /** Carries out an approved request this process holds the lease on. */
  run(request: DeletionRequest): Promise<void>;
  /** Marks a pending request past its lifetime expired. */
  expire(request: DeletionRequest): Promise<void>;
}

/** Whether this click may decide its request now: the request it names, or why not. */
export type Vetted = { ok: true; request: DeletionRequest } | { ok: false; refusal: ClickRefusal; request: DeletionRequest | null };

/**
 * How often a decision is tried again after another one changed the request first while it stayed pending (a
 * partial approval by someone else): the new one then counts on top of it. Each try re-reads the request.
 */
const DECIDE_ATTEMPTS = 5;

export function createDecide(core: Core, steps: DecideSteps) {
  const { ports, apply } = core;
  const { store, people, notifier, log, clock } = ports;

  /** Everything that may refuse the click, in order, changing nothing: the request, the person, the policy, the state. */
  async function vet(click: ClickContext): Promise<Vetted> {
    const request = await store.getRequest(click.requestId);
    // The button's value is only a hint: the request must be ours, in this very message, of this workspace
    // (or, on an Enterprise Grid org-wide install where `team` is null, of this organisation).
    const sameWorkspace =
      request !== null &&
      (click.teamId !== null ? request.teamId === click.teamId : request.enterpriseId !== null && request.enterpriseId === click.enterpriseId);
    if (!request || !sameWorkspace || request.channelId !== click.channelId || request.messageTs !== click.messageTs) {
      log.warn({ click }, 'click on a button that matches no request');
      return { ok: false, refusal: 'unknown_request', request: null };
    }
    const byPolicy = (refusal: ClickRefusal): Vetted => {
      log.warn({ requestId: request.id, userId: click.userId, userTeamId: click.userTeamId, refusal }, 'click refused by the policy');
      return { ok: false, refusal, request };
    };
    // The signed payload names the clicker's own organisation: in a Slack Connect channel it can be another one.
    const claimsForeign =
      (click.userTeamId !== null || click.userEnterpriseId !== null) &&
      !belongsTo({ teamId: click.userTeamId, enterpriseId: click.userEnterpriseId, external: false }, request);
    if (claimsForeign) return byPolicy('foreign_user');
    let allowed;
    try {
      const [person, rules] = await Promise.all([people.describe(click.userId), approvalRules(core, request.sandbox)]);
      allowed = mayDecide(request, person, click.decision, rules);
    } catch (error) {
      log.warn({ err: error }, 'could not check the clicker or the approver list with Slack');
      return { ok: false, refusal: 'approvers_unavailable', request };
    }
    if (!allowed.ok) return byPolicy(allowed.refusal);
    // What the state allows (decided, expired, already approved by this person), tried without applying it.
    const step = next(request, eventOf(click), clock.now());
    return step.ok ? { ok: true, request } : { ok: false, refusal: step.refusal, request };
  }

  const refuse = (click: ClickContext, refusal: ClickRefusal, request: DeletionRequest | null) =>
    notifier.tellClicker(click, { type: 'click_refused', refusal, request }).catch((error: unknown) => log.warn({ err: error }, 'could not tell the clicker'));

  /** Vets the click; a refused one is told so (and a request found past its lifetime marked expired). */
  async function vetted(click: ClickContext): Promise<DeletionRequest | null> {
    const verdict = await vet(click);
    if (verdict.ok) return verdict.request;
    if (verdict.refusal === 'expired' && verdict.request) await steps.expire(verdict.request);
    await refuse(click, verdict.refusal, verdict.request);
    return null;
  }

  /**
   * A decision asked for in a modal (a comment): someone who may not decide is told at once and sees no modal; anyone
   * else gets `open`, which must show it at once (Slack's trigger lasts 3 s). The decision itself comes with the submission.
   */
  async function prepare(click: ClickContext, open: (request: DeletionRequest) => Promise<void>): Promise<void> {
    const request = await vetted(click);
    if (!request) return;
    try {
      await open(request);
    } catch (error) {
      // Most likely the click's trigger ran out: the person clicks again; nothing was decided.
      log.warn({ err: error, requestId: request.id }, 'could not open the decision form');
      await refuse(click, 'form_unavailable', request);
    }
  }

  async function decide(click: ClickContext): Promise<void> {
    const found = await vetted(click);
    if (!found) return;
    const approving = click.decision === 'approve';
    let request = found;
    // A requester who ends their own request is not told directly what they just did.
    const ending = click.userId === found.requesterId ? OWN_ENDING_WRITES : FINAL_WRITES;
    for (let attempt = 1; ; attempt++) {
      // "Approved by … deleting…" (or "1 of 2") goes out while the deletion starts: it is not on the way to the outcome.
      const result = await apply(request, eventOf(click), { requireUnexpired: true, lease: approving, tell: approving ? ['message'] : ending });
      if (result.ok) {
        ports.failpoints('after_decision');
        if (result.request.state === 'approved') await steps.run(result.request);
        return;
      }
      // Someone else's approval got in first and the request still waits: this one counts on top of it.
      if (result.refusal === 'already_decided' && result.request.state === 'pending' && attempt < DECIDE_ATTEMPTS) {
        request = result.request;
        continue;
      }
      if (result.refusal === 'expired') await steps.expire(result.request);
      await refuse(click, result.refusal, result.request);
      return;
    }
  }

  return { vet, prepare, decide };
}

const eventOf = (click: ClickContext): LifecycleEvent =>
  click.decision === 'cancel'
    ? { type: 'cancel', actor: click.userId }
    : { type: click.decision, actor: click.userId, ...(click.comment ? { comment: click.comment } : {}) };
