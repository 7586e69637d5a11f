// The outcome sentences: each way a deletion ends says what happened, and only that (facts from the core, words from the view).
import { describe, expect, it } from 'vitest';
import { AdobeError } from '../../../src/adobe/errors.js';
import type { Attempt } from '../../../src/adobe/retry.js';
import { outcomeOf, type DeletionEnd } from '../../../src/deletion/delete-outcome.js';
import { outcomeSentence } from '../../../src/slack/views/outcome.js';

/** The sentence the thread shows for a deletion that ended so: the stored facts, worded by the view. */
const deletionSummary = (end: DeletionEnd) => outcomeSentence(outcomeOf(end, []));

const T = Date.parse('2026-11-28T10:00:00Z');
const status503: Attempt = { at: T, status: 503, error: null, requestId: 'r-503' };
const timedOut: Attempt = { at: T, status: null, error: 'UND_ERR_HEADERS_TIMEOUT', requestId: null };
const serverError = new AdobeError('ADOBE_HTTP', 'the Offer Library answered HTTP 503: Service Unavailable (request id r-503)', {
  status: 503,
  adobeMessage: 'Service Unavailable',
  requestId: 'r-503',
});
const noAnswer = new AdobeError('ADOBE_UNREACHABLE', 'could not reach the Offer Library at platform.adobe.io: timed out after 10s waiting for an answer');
const forbidden = new AdobeError('ADOBE_HTTP', 'the Offer Library answered HTTP 403: Forbidden', { status: 403, adobeMessage: 'Forbidden' });
const inUse = new AdobeError('ADOBE_HTTP', 'the Offer Library answered HTTP 409', {
  status: 409,
  adobeMessage: "Conflict: Offer 'x' is referenced by collection 'Winter' and cannot be deleted.",
});
const refusedConnection = new AdobeError('ADOBE_UNREACHABLE', 'could not reach the Offer Library at platform.adobe.io: connection refused (4 attempts)');

describe('the outcome of a deletion, in words', () => {
  it('a refused DELETE says Adobe refused it, with Adobe’s words, and that the offer is still there', () => {
    const text = deletionSummary({ reason: 'delete_refused', error: forbidden, last: { found: true } });
    expect(text).toMatch(/^Adobe refused the DELETE: the Offer Library answered HTTP 403: Forbidden/);
    expect(text).toMatch(/The offer is still there\.$/);
  });

  it('a DELETE answered with a server error says the answer does not tell, not that Adobe refused', () => {
    const text = deletionSummary({
      reason: 'delete_unanswered',
      answer: { kind: 'unanswered', attempt: status503, error: serverError },
      last: { found: true },
      waitedMs: 30_000,
    });
    expect(text).toMatch(/^Adobe answered the DELETE with a server error \(the Offer Library answered HTTP 503: Service Unavailable/);
    expect(text).toMatch(/does not say whether it was applied, so offer-bot did not send it again\. A GET still found the offer 30s later/);
    expect(text).not.toMatch(/refused/);
  });

  it('a DELETE that got no answer says Adobe did not answer', () => {
    const text = deletionSummary({
      reason: 'delete_unanswered',
      answer: { kind: 'unanswered', attempt: timedOut, error: noAnswer },
      last: { error: serverError },
      waitedMs: 1_000,
    });
    expect(text).toMatch(
      /^Adobe did not answer the DELETE \(could not reach the Offer Library at platform\.adobe\.io: timed out after 10s waiting for an answer\)/,
    );
    expect(text).toMatch(/The check failed: the Offer Library answered HTTP 503: Service Unavailable .* 1s later: check the offer in Journey Optimizer/);
  });

  it('an offer that a collection or a decision uses says to remove it from those first, and what Adobe said', () => {
    const text = deletionSummary({ reason: 'offer_in_use', error: inUse, last: { found: true } });
    expect(text).toBe(
      'Adobe would not delete it because a collection or a decision still uses it: remove it from those first, then ask again. ' +
        "Adobe said: “Conflict: Offer 'x' is referenced by collection 'Winter' and cannot be deleted.” (HTTP 409).",
    );
  });

  it('an unclear answer and then a 404 is this request’s deletion, never someone else’s', () => {
    const ends: DeletionEnd[] = [
      { reason: 'deleted_despite_error', answer: { kind: 'unanswered', attempt: status503, error: serverError } },
      { reason: 'deleted_despite_error', answer: { kind: 'unanswered', attempt: status503, error: null } },
    ];
    for (const end of ends) {
      const text = deletionSummary(end);
      expect(text).toMatch(/HTTP 503.*but a GET then confirmed the offer is gone \(404\): this request deleted it\.$/);
      expect(text).not.toMatch(/someone else|already/);
    }
  });

  it('a 404 at the only DELETE is someone else’s deletion', () => {
    expect(deletionSummary({ reason: 'already_gone' })).toMatch(/someone else had deleted the offer before this request’s DELETE arrived/);
  });

  it('a DELETE that never reached Adobe says nothing was deleted', () => {
    expect(deletionSummary({ reason: 'delete_not_sent', error: refusedConnection })).toBe(
      'offer-bot could not send the DELETE (could not reach the Offer Library at platform.adobe.io: connection refused (4 attempts)), so nothing was deleted. Ask again shortly.',
    );
  });

  it('a resumed deletion does not claim Adobe accepted a DELETE whose answer it never saw', () => {
    expect(deletionSummary({ reason: 'deleted', resumed: true })).not.toMatch(/accepted/);
    expect(deletionSummary({ reason: 'deleted', resumed: false })).toBe('Adobe accepted the DELETE and a GET confirmed the offer is gone (404).');
  });
});
