// How a deletion ended, in the sentences the thread, the history and the audit export show (pure: facts in, words out).
import { AdobeError } from '../adobe/errors.js';
import type { DeleteAnswer, DeletionEnd } from '../deletion/delete-outcome.js';

const SERVER_ERROR_MIN = 500;
const MS_PER_SECOND = 1_000;

/** One sentence about what Adobe said, for a person: status, Adobe's words, request id. */
export function describeAdobeFailure(error: unknown): string {
  if (!(error instanceof AdobeError)) return 'an unexpected error occurred';
  const facts = [error.status !== null ? `HTTP ${error.status}` : null, error.adobeMessage, error.requestId ? `request id ${error.requestId}` : null].filter(
    Boolean,
  );
  return facts.length > 0 ? `${error.message} (${facts.join('; ')})` : error.message;
}

const seconds = (ms: number) => `${Math.round(ms / MS_PER_SECOND)}s`;

/** What the last GET saw, as the start of a sentence. */
const lastCheck = (last: { found: true } | { error: unknown }) =>
  'found' in last ? 'a GET still found the offer' : `the check failed: ${describeAdobeFailure(last.error)}`;

const capitalised = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;

/** A DELETE whose answer does not say whether it was applied: a server error, or no answer at all. */
function unclear(answer: Extract<DeleteAnswer, { kind: 'unanswered' }>): string {
  const { attempt, error } = answer;
  const said = error !== null ? describeAdobeFailure(error) : attempt.status !== null ? `HTTP ${attempt.status}` : `no answer: ${attempt.error}`;
  return attempt.status !== null && attempt.status >= SERVER_ERROR_MIN
    ? `Adobe answered the DELETE with a server error (${said}), which does not say whether it was applied`
    : `Adobe did not answer the DELETE (${said})`;
}

/** The outcome's sentence for a deletion that was approved and carried out. */
export function deletionSummary(end: DeletionEnd): string {
  switch (end.reason) {
    case 'deleted':
      return end.resumed
        ? 'offer-bot had stopped after sending the DELETE, before recording its answer; on resuming, a GET confirmed the offer is gone (404).'
        : 'Adobe accepted the DELETE and a GET confirmed the offer is gone (404).';
    case 'already_gone':
      return 'The DELETE answered 404: someone else had deleted the offer before this request’s DELETE arrived. A GET confirmed it is gone.';
    case 'deleted_despite_error':
      return end.answer.kind === 'unanswered'
        ? `${unclear(end.answer)}, but a GET then confirmed the offer is gone (404): this request deleted it.`
        : `Adobe refused the DELETE (${describeAdobeFailure(end.answer.error)}), yet a GET then found the offer gone (404).`;
    case 'not_confirmed':
      return `${lastCheck(end.last)} ${seconds(end.waitedMs)} after the DELETE. Check the offer in Journey Optimizer.`;
    case 'delete_unanswered':
      return (
        `${unclear(end.answer)}, so offer-bot did not send it again. ${capitalised(lastCheck(end.last))} ${seconds(end.waitedMs)} later: ` +
        'check the offer in Journey Optimizer, and ask again if it should still go.'
      );
    case 'delete_refused':
      return `Adobe refused the DELETE: ${describeAdobeFailure(end.error)}. ${
        'found' in end.last ? 'The offer is still there.' : `Nothing was deleted (checking afterwards failed: ${describeAdobeFailure(end.last.error)}).`
      }`;
    case 'offer_in_use': {
      const said = end.error instanceof AdobeError ? `“${end.error.adobeMessage}” (HTTP ${end.error.status})` : describeAdobeFailure(end.error);
      return `Adobe would not delete it because a collection or a decision still uses it: remove it from those first, then ask again. Adobe said: ${said}.`;
    }
    case 'delete_not_sent':
      return `offer-bot could not send the DELETE (${describeAdobeFailure(end.error)}), so nothing was deleted. Ask again shortly.`;
  }
}
