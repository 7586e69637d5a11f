// What a DELETE's answers mean and how the deletion ends: every kind of answer, without I/O.
import { describe, expect, it } from 'vitest';
import { AdobeError } from '../../src/adobe/errors.js';
import type { Attempt } from '../../src/adobe/retry.js';
import {
  auditedAttempts,
  deleteAnswer,
  deletionEnd,
  outcomeFacts,
  refusedBecauseInUse,
  resultOf,
  type Check,
  type DeleteAnswer,
  type DeleteSettled,
} from '../../src/deletion/delete-outcome.js';

const T = Date.parse('2026-11-28T10:00:00Z');
let ids = 0;
const answered = (status: number): Attempt => ({ at: T, status, error: null, requestId: `req-${++ids}` });
const failed = (error: string): Attempt => ({ at: T, status: null, error, requestId: null });

const resolved = (status: number, ...earlier: Attempt[]): DeleteSettled => ({
  result: { alreadyGone: status === 404, status, requestId: 'last', attempts: [...earlier, answered(status)] },
});
const thrown = (attempts: Attempt[], facts: { status?: number; adobeMessage?: string } = {}): DeleteSettled => ({
  error: new AdobeError(facts.status ? 'ADOBE_HTTP' : 'ADOBE_UNREACHABLE', 'the Offer Library failed', { ...facts, attempts }),
});

describe('what a DELETE answer means', () => {
  it.each<[string, DeleteSettled, DeleteAnswer['kind']]>([
    ['200', resolved(200), 'accepted'],
    ['404 at the only attempt: someone else deleted it', resolved(404), 'already_gone'],
    ['404 after a 429 (not applied)', resolved(404, answered(429)), 'already_gone'],
    ['404 after a refused connection (never sent)', resolved(404, failed('ECONNREFUSED')), 'already_gone'],
    ['404 after a 503 (perhaps applied): this request deleted it', resolved(404, answered(503)), 'unanswered'],
    ['404 after a lost answer (reset)', resolved(404, failed('UND_ERR_SOCKET')), 'unanswered'],
    ['503', thrown([answered(503)], { status: 503 }), 'unanswered'],
    ['a timeout waiting for the answer', thrown([failed('UND_ERR_HEADERS_TIMEOUT')]), 'unanswered'],
    ['a reset after sending', thrown([failed('ECONNRESET')]), 'unanswered'],
    ['429 on every attempt', thrown([answered(429), answered(429)], { status: 429 }), 'refused'],
    ['403', thrown([answered(403)], { status: 403, adobeMessage: 'Profile is not valid' }), 'refused'],
    ['401, then IMS failing for a new token', thrown([answered(401)], { status: 503, adobeMessage: 'IMS is under maintenance' }), 'refused'],
    ['a refused connection on every attempt', thrown([failed('ECONNREFUSED'), failed('ECONNREFUSED')]), 'not_sent'],
    ['a connect timeout', thrown([failed('UND_ERR_CONNECT_TIMEOUT')]), 'not_sent'],
    ['no attempt at all (no token)', thrown([], { status: 503 }), 'not_sent'],
    ['a failure that is not Adobe’s', { error: new TypeError('not an offer id') }, 'not_sent'],
  ])('%s', (_what, settled, kind) => {
    expect(deleteAnswer(settled).kind).toBe(kind);
  });

  it('names the attempt that may have been applied', () => {
    const lost = failed('UND_ERR_SOCKET');
    expect(deleteAnswer(resolved(404, lost))).toEqual({ kind: 'unanswered', attempt: lost, error: null });
  });

  it.each<[number, string, boolean]>([
    [409, "Conflict: Offer 'x' is referenced by collection 'Winter' and cannot be deleted.", true],
    [422, 'Unprocessable Entity: the offer is used in decision Black Friday', true],
    [400, 'Bad Request: offer still in use', true],
    [403, 'Profile is not valid', false],
    [409, 'Conflict: etag mismatch', false],
    [503, 'referenced by collection Winter', false],
  ])('a %i saying "%s" is a refusal because the offer is in use: %s', (status, message, inUse) => {
    expect(refusedBecauseInUse(status, message)).toBe(inUse);
    expect(deleteAnswer(thrown([answered(status)], { status, adobeMessage: message }))).toMatchObject({ kind: status < 500 ? 'refused' : 'unanswered' });
  });
});

describe('how the deletion ends', () => {
  const gone: Check = { gone: true };
  const stillThere: Check = { gone: false, last: { found: true } };
  const calls: string[] = [];
  const checks = (seen: Check) => ({
    untilGone: async () => {
      calls.push('untilGone');
      return seen;
    },
    once: async () => {
      calls.push('once');
      return seen;
    },
  });
  const answerOf = (settled: DeleteSettled) => deleteAnswer(settled);

  it.each<[string, DeleteAnswer, Check, string[], string, string]>([
    ['accepted, then 404', { kind: 'accepted' }, gone, ['untilGone'], 'deleted', 'deleted'],
    ['accepted, never 404', { kind: 'accepted' }, stillThere, ['untilGone'], 'not_confirmed', 'unverified'],
    ['already gone, then 404', { kind: 'already_gone' }, gone, ['untilGone'], 'already_gone', 'deleted'],
    ['a 503, then 404: deleted by this request', answerOf(thrown([answered(503)], { status: 503 })), gone, ['untilGone'], 'deleted_despite_error', 'deleted'],
    ['a 503, never 404', answerOf(thrown([answered(503)], { status: 503 })), stillThere, ['untilGone'], 'delete_unanswered', 'unverified'],
    ['refused, still there', answerOf(thrown([answered(403)], { status: 403 })), stillThere, ['once'], 'delete_refused', 'failed'],
    ['refused, gone anyway', answerOf(thrown([answered(403)], { status: 403 })), gone, ['once'], 'deleted_despite_error', 'deleted'],
    [
      'refused because in use',
      answerOf(thrown([answered(409)], { status: 409, adobeMessage: 'used by collection Winter' })),
      stillThere,
      ['once'],
      'offer_in_use',
      'failed',
    ],
    ['never sent: nothing checked', answerOf(thrown([failed('ECONNREFUSED')])), gone, [], 'delete_not_sent', 'failed'],
    ['resumed, then 404', { kind: 'resumed' }, gone, ['untilGone'], 'deleted', 'deleted'],
  ])('%s', async (_what, answer, seen, expectedCalls, reason, result) => {
    calls.length = 0;
    const end = await deletionEnd(answer, checks(seen), 30_000);
    expect(calls).toEqual(expectedCalls);
    expect(end.reason).toBe(reason);
    expect(resultOf(end)).toBe(result);
  });

  it('keeps the DELETE’s status and Adobe’s words in the outcome, and marks an offer that was already gone', async () => {
    const inUse = answerOf(thrown([answered(409)], { status: 409, adobeMessage: 'used by collection Winter' }));
    expect(outcomeFacts(await deletionEnd(inUse, checks(stillThere), 0), ['a', 'b'])).toEqual({
      reason: 'offer_in_use',
      adobeRequestIds: ['a', 'b'],
      status: 409,
      adobeMessage: 'used by collection Winter',
    });
    expect(outcomeFacts(await deletionEnd({ kind: 'already_gone' }, checks(gone), 0), [])).toEqual({
      reason: 'already_gone',
      adobeRequestIds: [],
      alreadyGone: true,
    });
  });

  it('records each attempt for the audit: when, status or error, request id', () => {
    expect(auditedAttempts([failed('ECONNREFUSED'), { at: T + 5, status: 200, error: null, requestId: 'r-2' }])).toEqual([
      { at: '2026-11-28T10:00:00.000Z', error: 'ECONNREFUSED', requestId: null },
      { at: '2026-11-28T10:00:00.005Z', status: 200, requestId: 'r-2' },
    ]);
  });
});
