// Use case: which pending requests a person may decide now (the App Home's "waiting for your decision").
import { mayDecide } from './approval-policy.js';
import { approvalRules, type Core } from './core.js';
import { next } from './lifecycle.js';
import type { DeletionRequest } from './request.js';

/**
 * The `candidates` `userId` may approve, by the approval policy and each request's sandbox approvers, as a click
 * would be judged now. Throws when Slack cannot tell who the person is or who may decide (the caller says so).
 */
export function createAwaiting(core: Core) {
  return async function awaitingDecisionBy(userId: string, candidates: readonly DeletionRequest[]): Promise<DeletionRequest[]> {
    if (candidates.length === 0) return [];
    const person = await core.ports.people.describe(userId);
    const sandboxes = [...new Set(candidates.map((request) => request.sandbox))];
    const rules = new Map(await Promise.all(sandboxes.map(async (sandbox) => [sandbox, await approvalRules(core, sandbox)] as const)));
    return candidates.filter((request) => {
      const sandboxRules = rules.get(request.sandbox);
      if (sandboxRules === undefined || !mayDecide(request, person, 'approve', sandboxRules).ok) return false;
      // As the click would be judged: not once expired, nor when this person's approval is already counted.
      return next(request, { type: 'approve', actor: userId }, core.ports.clock.now()).ok;
    });
  };
}
