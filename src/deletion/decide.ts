// Use case: an Approve, Reject or Cancel click — is it this request's button, may this person decide, then the transition.
import { belongsTo, mayDecide, type Decision } from './approval-policy.js';
import { approvalRules, FINAL_WRITES, OWN_ENDING_WRITES, type Core } from './core.js';
import type { ClickRefusal } from './news.js';
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
}

interface DecideSteps {
  /** Carries out an approved request this process holds the lease on. */
  run(request: DeletionRequest): Promise<void>;
  /** Marks a pending request past its lifetime expired. */
  expire(request: DeletionRequest): Promise<void>;
}

export function createDecide(core: Core, steps: DecideSteps) {
  const { ports, apply } = core;
  const { store, people, notifier, log } = ports;

  return async function decide(click: ClickContext): Promise<void> {
    const refuse = (refusal: ClickRefusal, request: DeletionRequest | null) =>
      notifier
        .tellClicker(click, { type: 'click_refused', refusal, request })
        .catch((error: unknown) => log.warn({ err: error }, 'could not tell the clicker'));
    const refuseByPolicy = (request: DeletionRequest, refusal: ClickRefusal) => {
      log.warn({ requestId: request.id, userId: click.userId, userTeamId: click.userTeamId, refusal }, 'click refused by the policy');
      return refuse(refusal, request);
    };
    const request = await store.getRequest(click.requestId);
    // The button's value is only a hint: the request must be ours, in this very message, of this workspace
    // (or, on an Enterprise Grid org-wide install where `team` is null, of this organisation).
    const sameWorkspace =
      request !== null &&
      (click.teamId !== null ? request.teamId === click.teamId : request.enterpriseId !== null && request.enterpriseId === click.enterpriseId);
    if (!request || !sameWorkspace || request.channelId !== click.channelId || request.messageTs !== click.messageTs) {
      log.warn({ click }, 'click on a button that matches no request');
      await refuse('unknown_request', null);
      return;
    }
    // The signed payload names the clicker's own organisation: in a Slack Connect channel it can be another one.
    const claimsForeign =
      (click.userTeamId !== null || click.userEnterpriseId !== null) &&
      !belongsTo({ teamId: click.userTeamId, enterpriseId: click.userEnterpriseId, external: false }, request);
    if (claimsForeign) return refuseByPolicy(request, 'foreign_user');
    let allowed;
    try {
      const [person, rules] = await Promise.all([people.describe(click.userId), approvalRules(core, request.sandbox)]);
      allowed = mayDecide(request, person, click.decision, rules);
    } catch (error) {
      log.warn({ err: error }, 'could not check the clicker or the approver list with Slack');
      await refuse('approvers_unavailable', request);
      return;
    }
    if (!allowed.ok) return refuseByPolicy(request, allowed.refusal);
    const approving = click.decision === 'approve';
    // "Approved by … deleting…" goes out while the deletion starts: it is not on the way to the outcome.
    const ending = click.userId === request.requesterId ? OWN_ENDING_WRITES : FINAL_WRITES;
    const result = await apply(
      request,
      { type: click.decision, actor: click.userId },
      { requireUnexpired: true, lease: approving, tell: approving ? ['message'] : ending },
    );
    if (!result.ok) {
      if (result.refusal === 'expired') await steps.expire(result.request);
      await refuse(result.refusal, result.request);
      return;
    }
    ports.failpoints('after_decision');
    if (approving) await steps.run(result.request);
  };
}
