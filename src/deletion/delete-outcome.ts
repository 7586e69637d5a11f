// What a DELETE's answers mean (applied, refused, perhaps applied, never sent) and how the deletion ends once checked.
import { failureFacts, isCatalogueFailure, neverSent, type Attempt, type DeleteResult } from './ports.js';
import type { FinalState, LastCheck, Outcome } from './request.js';

/** How the DELETE call settled: Adobe's answer, or the failure it threw. */
export type DeleteSettled = { result: DeleteResult } | { error: unknown };

/** What the DELETE came to, before any check. */
export type DeleteAnswer =
  /** 2xx: Adobe applied it. */
  | { kind: 'accepted' }
  /** 404, and no earlier attempt of this request can have deleted it: someone else did. */
  | { kind: 'already_gone' }
  /**
   * A 5xx or a lost answer after the request may have reached Adobe (`attempt`): perhaps applied, so it is verified and
   * never sent again. `error` is the failure the call ended with (null when a later attempt answered 404).
   */
  | { kind: 'unanswered'; attempt: Attempt; error: unknown }
  /** A 4xx: Adobe answered that it did not apply it; `inUse` when a collection or a decision still uses the offer. */
  | { kind: 'refused'; error: unknown; inUse: boolean }
  /** Every attempt failed before reaching Adobe, or none could be made (no token): nothing was applied. */
  | { kind: 'not_sent'; error: unknown }
  /** Not known: a deletion resumed after its worker stopped, once the DELETE may have gone out. */
  | { kind: 'resumed' };

/** What the GETs after the DELETE saw: the offer gone (404), or what the last one saw instead. */
export type Check = { gone: true } | { gone: false; last: { found: true } | { error: unknown } };

/** How a deletion ended, with the facts its sentence needs (src/slack/views/outcome.ts words them). */
export type DeletionEnd =
  | { reason: 'deleted'; resumed: boolean }
  | { reason: 'already_gone' }
  | { reason: 'deleted_despite_error'; answer: Extract<DeleteAnswer, { kind: 'unanswered' | 'refused' }> }
  | { reason: 'not_confirmed'; last: { found: true } | { error: unknown }; waitedMs: number }
  | { reason: 'delete_unanswered'; answer: Extract<DeleteAnswer, { kind: 'unanswered' }>; last: { found: true } | { error: unknown }; waitedMs: number }
  | { reason: 'delete_refused' | 'offer_in_use'; error: unknown; last: { found: true } | { error: unknown } }
  | { reason: 'delete_not_sent'; error: unknown };

type DeletionReason = DeletionEnd['reason'];

// Adobe documents that an offer used in a collection or a decision cannot be deleted, but not the refusal's status or
// body: any 4xx whose words mention such a use is taken as that refusal.
const IN_USE_WORDS = /\b(collections?|decisions?|referenced|references?|in use|used by|used in)\b/i;
const CLIENT_ERROR = { min: 400, max: 499 };
const SERVER_ERROR_MIN = 500;

export function refusedBecauseInUse(status: number | null, adobeMessage: string | null): boolean {
  return status !== null && status >= CLIENT_ERROR.min && status <= CLIENT_ERROR.max && adobeMessage !== null && IN_USE_WORDS.test(adobeMessage);
}

/** Reached Adobe and got no answer that says it was not applied: a 5xx, a reset, a timeout waiting for the answer. */
function mayHaveApplied(attempt: Attempt): boolean {
  return !neverSent(attempt) && (attempt.status === null || attempt.status >= SERVER_ERROR_MIN);
}

/** Every DELETE sent or tried, in order. */
export function attemptsOf(settled: DeleteSettled): readonly Attempt[] {
  if ('result' in settled) return settled.result.attempts;
  return isCatalogueFailure(settled.error) ? settled.error.attempts : [];
}

export function deleteAnswer(settled: DeleteSettled): DeleteAnswer {
  const attempts = attemptsOf(settled);
  if ('result' in settled) {
    if (!settled.result.alreadyGone) return { kind: 'accepted' };
    // A 404 after an attempt of ours that may have been applied is that attempt's doing, not someone else's.
    const earlier = attempts.slice(0, -1).find(mayHaveApplied);
    return earlier ? { kind: 'unanswered', attempt: earlier, error: null } : { kind: 'already_gone' };
  }
  const { error } = settled;
  if (attempts.every(neverSent)) return { kind: 'not_sent', error };
  const unclear = attempts.find(mayHaveApplied);
  if (unclear) return { kind: 'unanswered', attempt: unclear, error };
  const inUse = isCatalogueFailure(error) && refusedBecauseInUse(error.status, error.adobeMessage);
  return { kind: 'refused', error, inUse };
}

/** The GETs the workflow makes after a DELETE. */
export interface Checks {
  /** GETs until 404, within the verification window. */
  untilGone(): Promise<Check>;
  /** One GET. */
  once(): Promise<Check>;
}

/** How the deletion ends: from the DELETE's answer, and the checks that answer calls for. */
export async function deletionEnd(answer: DeleteAnswer, checks: Checks, waitedMs: number): Promise<DeletionEnd> {
  switch (answer.kind) {
    case 'not_sent':
      return { reason: 'delete_not_sent', error: answer.error };
    case 'refused': {
      // Adobe said no: one GET tells whether the offer is still there (or went anyway).
      const seen = await checks.once();
      if (seen.gone) return { reason: 'deleted_despite_error', answer };
      return { reason: answer.inUse ? 'offer_in_use' : 'delete_refused', error: answer.error, last: seen.last };
    }
    case 'unanswered': {
      const seen = await checks.untilGone();
      if (seen.gone) return { reason: 'deleted_despite_error', answer };
      return { reason: 'delete_unanswered', answer, last: seen.last, waitedMs };
    }
    case 'already_gone': {
      const seen = await checks.untilGone();
      return seen.gone ? { reason: 'already_gone' } : { reason: 'not_confirmed', last: seen.last, waitedMs };
    }
    case 'accepted':
    case 'resumed': {
      const seen = await checks.untilGone();
      return seen.gone ? { reason: 'deleted', resumed: answer.kind === 'resumed' } : { reason: 'not_confirmed', last: seen.last, waitedMs };
    }
  }
}

const RESULT: Record<DeletionReason, Extract<FinalState, 'deleted' | 'failed' | 'unverified'>> = {
  deleted: 'deleted',
  already_gone: 'deleted',
  deleted_despite_error: 'deleted',
  not_confirmed: 'unverified',
  delete_unanswered: 'unverified',
  delete_refused: 'failed',
  offer_in_use: 'failed',
  delete_not_sent: 'failed',
};

export const resultOf = (end: DeletionEnd) => RESULT[end.reason];

/** The outcome's headline facts: reason, Adobe's request ids, and the DELETE's status and words. */
export function outcomeFacts(end: DeletionEnd, adobeRequestIds: string[]): Outcome {
  const error = 'error' in end ? end.error : 'answer' in end ? end.answer.error : null;
  return {
    reason: end.reason,
    adobeRequestIds,
    ...(isCatalogueFailure(error) && error.status !== null ? { status: error.status } : {}),
    ...(isCatalogueFailure(error) && error.adobeMessage ? { adobeMessage: error.adobeMessage } : {}),
    ...(end.reason === 'already_gone' ? { alreadyGone: true } : {}),
  };
}

const lastCheck = (last: { found: true } | { error: unknown }): LastCheck => ('found' in last ? last : { failure: failureFacts(last.error) });

/** The facts its sentence needs besides the headline ones, per way of ending. */
function endFacts(end: DeletionEnd): Partial<Outcome> {
  switch (end.reason) {
    case 'deleted':
      return { resumed: end.resumed };
    case 'already_gone':
      return {};
    case 'deleted_despite_error':
      return {
        deleteAnswer: end.answer.kind,
        ...(end.answer.kind === 'unanswered' ? { unclearAttempt: end.answer.attempt } : {}),
        ...(end.answer.error !== null ? { failure: failureFacts(end.answer.error) } : {}),
      };
    case 'not_confirmed':
      return { lastCheck: lastCheck(end.last), waitedMs: end.waitedMs };
    case 'delete_unanswered':
      return {
        unclearAttempt: end.answer.attempt,
        ...(end.answer.error !== null ? { failure: failureFacts(end.answer.error) } : {}),
        lastCheck: lastCheck(end.last),
        waitedMs: end.waitedMs,
      };
    case 'delete_refused':
    case 'offer_in_use':
      return { failure: failureFacts(end.error), lastCheck: lastCheck(end.last) };
    case 'delete_not_sent':
      return { failure: failureFacts(end.error) };
  }
}

/** Everything the stored outcome keeps of how the deletion ended. */
export const outcomeOf = (end: DeletionEnd, adobeRequestIds: string[]): Outcome => ({ ...outcomeFacts(end, adobeRequestIds), ...endFacts(end) });

/** The DELETE attempts as the audit keeps them (a transition's detail and its log line). */
export function auditedAttempts(attempts: readonly Attempt[]): Record<string, unknown>[] {
  return attempts.map((attempt) => ({
    at: new Date(attempt.at).toISOString(),
    ...(attempt.status !== null ? { status: attempt.status } : {}),
    ...(attempt.error !== null ? { error: attempt.error } : {}),
    requestId: attempt.requestId,
  }));
}
