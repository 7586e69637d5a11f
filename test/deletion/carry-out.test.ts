// Carrying out an approved request, branch by branch, over fakes of the catalogue and clock and a real SQLite store.
import { describe, expect, it } from 'vitest';
import { createCarryOut } from '../../src/deletion/carry-out.js';
import { createVerify, VERIFY_FIRST_WAIT_MS, VERIFY_MAX_WAIT_MS } from '../../src/deletion/verify.js';
import {
  accepted,
  answered,
  approvedRequest,
  FakeFailure,
  failedAttempt,
  found,
  goneAtDelete,
  notFound,
  OFFER,
  scene,
  SETTINGS,
  type SceneOptions,
} from './fakes.js';

/** Approves a request and carries it out; returns what the store and the catalogue saw. */
async function carryOut(options: SceneOptions) {
  const s = await scene(options);
  const approved = await approvedRequest(s);
  await createCarryOut(s.core, createVerify(s.core))(approved);
  const request = await s.store.getRequest(approved.id);
  const transitions = await s.store.transitions(approved.id);
  return { ...s, request, transitions, outcome: request?.outcome };
}

const serverError = () =>
  new FakeFailure('the Offer Library answered HTTP 503', { status: 503, adobeMessage: 'Service Unavailable', requestId: 'del-503', attempts: [answered(503)] });

describe('carrying out an approved request', () => {
  it('a look-up that fails stops before any DELETE: failed, lookup_failed, with what Adobe said', async () => {
    const failure = new FakeFailure('the Offer Library answered HTTP 403', { status: 403, adobeMessage: 'Forbidden', requestId: 'get-403' });
    const { request, calls, outcome } = await carryOut({ gets: [failure] });
    expect(calls).toEqual(['GET']);
    expect(request?.state).toBe('failed');
    expect(outcome).toMatchObject({ reason: 'lookup_failed', status: 403, adobeRequestIds: ['get-403'] });
    expect(outcome?.failure).toEqual({ message: 'the Offer Library answered HTTP 403', status: 403, adobeMessage: 'Forbidden', requestId: 'get-403' });
  });

  it('a look-up that fails on something not the catalogue’s keeps no failure facts', async () => {
    const { request, outcome } = await carryOut({ gets: [new TypeError('boom')] });
    expect(request?.state).toBe('failed');
    expect(outcome).toMatchObject({ reason: 'lookup_failed', failure: null, adobeRequestIds: [] });
  });

  it('an offer changed since the request is not deleted: failed, offer_changed, with the etag and modification', async () => {
    const changed = found({
      id: OFFER.id,
      name: OFFER.name,
      status: 'approved',
      modified: '2026-11-28T10:05:00.000Z',
      etag: 8,
      lastModifiedBy: 'someone@example.com',
    });
    const { request, calls, outcome } = await carryOut({ gets: [changed] });
    expect(calls).toEqual(['GET']);
    expect(request?.state).toBe('failed');
    expect(outcome).toMatchObject({
      reason: 'offer_changed',
      change: { etag: { before: '7', after: '8' }, modified: { after: '2026-11-28T10:05:00.000Z', by: 'someone@example.com' } },
    });
  });

  it('an offer gone at the look-up is deleted by someone else: no DELETE sent', async () => {
    const { request, calls, outcome, transitions } = await carryOut({ gets: [notFound()] });
    expect(calls).toEqual(['GET']);
    expect(request?.state).toBe('deleted');
    expect(outcome).toMatchObject({ reason: 'already_gone', alreadyGone: true, deleteSent: false, adobeRequestIds: ['get-404'] });
    expect(transitions.map((t) => t.to)).toEqual(['pending', 'approved', 'deleting', 'deleted']);
  });

  it('an accepted DELETE and a 404 after it: deleted, every attempt in the audit', async () => {
    const { request, calls, outcome, transitions, reached } = await carryOut({ gets: [found(), notFound()] });
    expect(calls).toEqual(['GET', 'DELETE', 'GET']);
    expect(request?.state).toBe('deleted');
    expect(outcome).toMatchObject({ reason: 'deleted', resumed: false, adobeRequestIds: ['get-1', 'del-200', 'get-404'] });
    expect(transitions.at(-1)?.detail).toEqual({ deleteAttempts: [{ at: '2026-11-28T10:00:00.000Z', status: 200, requestId: 'del-200' }] });
    expect(reached).toEqual(['after_delete_answered', 'after_verification']);
  });

  it('an accepted DELETE whose offer a GET still finds all through the window: unverified, not_confirmed', async () => {
    const { request, outcome, clock } = await carryOut({ gets: [found()] });
    expect(request?.state).toBe('unverified');
    expect(outcome).toMatchObject({ reason: 'not_confirmed', lastCheck: { found: true }, waitedMs: SETTINGS.verifyTimeoutMs });
    expect(clock.waits.reduce((sum, ms) => sum + ms, 0)).toBe(SETTINGS.verifyTimeoutMs);
  });

  it('a DELETE answered 404 at its only attempt: someone else deleted it', async () => {
    const { request, outcome } = await carryOut({ gets: [found(), notFound()], deleted: goneAtDelete() });
    expect(request?.state).toBe('deleted');
    expect(outcome).toMatchObject({ reason: 'already_gone', alreadyGone: true });
    expect(outcome?.deleteSent).toBeUndefined();
  });

  it('a refused DELETE with the offer still there: failed, delete_refused, Adobe’s status and words, one GET after', async () => {
    const refused = new FakeFailure('the Offer Library answered HTTP 403', { status: 403, adobeMessage: 'Forbidden', attempts: [answered(403)] });
    const { request, calls, outcome } = await carryOut({ gets: [found()], deleted: refused });
    expect(calls).toEqual(['GET', 'DELETE', 'GET']);
    expect(request?.state).toBe('failed');
    expect(outcome).toMatchObject({ reason: 'delete_refused', status: 403, adobeMessage: 'Forbidden', lastCheck: { found: true } });
  });

  it('a DELETE refused because a collection uses the offer: failed, offer_in_use', async () => {
    const inUse = new FakeFailure('the Offer Library answered HTTP 409', {
      status: 409,
      adobeMessage: 'referenced by collection Winter',
      attempts: [answered(409)],
    });
    const { request, outcome } = await carryOut({ gets: [found()], deleted: inUse });
    expect(request?.state).toBe('failed');
    expect(outcome).toMatchObject({ reason: 'offer_in_use', status: 409, adobeMessage: 'referenced by collection Winter' });
  });

  it('a refused DELETE whose offer is gone anyway: deleted_despite_error, refused', async () => {
    const refused = new FakeFailure('the Offer Library answered HTTP 403', { status: 403, attempts: [answered(403)] });
    const { request, outcome } = await carryOut({ gets: [found(), notFound()], deleted: refused });
    expect(request?.state).toBe('deleted');
    expect(outcome).toMatchObject({ reason: 'deleted_despite_error', deleteAnswer: 'refused' });
  });

  it('a DELETE answered 503 and a 404 after it: this request deleted it (deleted_despite_error, unanswered)', async () => {
    const { request, calls, outcome } = await carryOut({ gets: [found(), notFound()], deleted: serverError() });
    expect(calls).toEqual(['GET', 'DELETE', 'GET']);
    expect(request?.state).toBe('deleted');
    expect(outcome).toMatchObject({ reason: 'deleted_despite_error', deleteAnswer: 'unanswered', unclearAttempt: { status: 503 } });
  });

  it('a DELETE answered 404 after an attempt that may have been applied is this request’s doing', async () => {
    const { outcome } = await carryOut({ gets: [found(), notFound()], deleted: goneAtDelete(failedAttempt('UND_ERR_SOCKET')) });
    expect(outcome).toMatchObject({ reason: 'deleted_despite_error', deleteAnswer: 'unanswered', unclearAttempt: { error: 'UND_ERR_SOCKET' } });
    expect(outcome?.failure).toBeUndefined();
  });

  it('a DELETE with no clear answer and the offer still there: unverified, delete_unanswered, never sent again', async () => {
    const { request, calls, outcome } = await carryOut({ gets: [found()], deleted: serverError() });
    expect(calls.filter((call) => call === 'DELETE')).toHaveLength(1);
    expect(request?.state).toBe('unverified');
    expect(outcome).toMatchObject({ reason: 'delete_unanswered', lastCheck: { found: true }, waitedMs: SETTINGS.verifyTimeoutMs, status: 503 });
  });

  it('a DELETE that never reached Adobe: failed, delete_not_sent, and nothing checked after it', async () => {
    const refusedConnection = new FakeFailure('could not reach the Offer Library', {
      attempts: [failedAttempt('ECONNREFUSED'), failedAttempt('ECONNREFUSED')],
    });
    const { request, calls, outcome } = await carryOut({ gets: [found()], deleted: refusedConnection });
    expect(calls).toEqual(['GET', 'DELETE']);
    expect(request?.state).toBe('failed');
    expect(outcome).toMatchObject({ reason: 'delete_not_sent', failure: { message: 'could not reach the Offer Library' } });
  });

  it('a deletion resumed in state deleting sends no DELETE; a 404 confirms it (deleted, resumed)', async () => {
    const s = await scene({ gets: [notFound()] });
    const approved = await approvedRequest(s);
    const started = await s.core.apply(approved, { type: 'start_delete' }, { lease: true });
    if (!started.ok) throw new Error('could not start');
    await createCarryOut(s.core, createVerify(s.core))(started.request);
    expect(s.calls).toEqual(['GET']);
    expect((await s.store.getRequest(approved.id))?.outcome).toMatchObject({ reason: 'deleted', resumed: true });
  });

  it('owes the thread reply and then the message update when it ends', async () => {
    const { deliveries } = await carryOut({ gets: [found(), notFound()] });
    expect(deliveries.count).toBe(1);
  });
});

describe('verifying after the DELETE', () => {
  it('GETs at once, then backs off doubling from the first wait up to the cap, within the window', async () => {
    const { clock } = await carryOut({ gets: [found()] });
    expect(clock.waits[0]).toBe(VERIFY_FIRST_WAIT_MS);
    expect(clock.waits[1]).toBe(VERIFY_FIRST_WAIT_MS * 2);
    expect(Math.max(...clock.waits)).toBe(VERIFY_MAX_WAIT_MS);
  });

  it('stops at the first 404', async () => {
    const { calls, clock } = await carryOut({ gets: [found(), found(), found(), notFound()] });
    expect(calls).toEqual(['GET', 'DELETE', 'GET', 'GET', 'GET']);
    expect(clock.waits).toEqual([VERIFY_FIRST_WAIT_MS, VERIFY_FIRST_WAIT_MS * 2]);
  });

  it('a check that fails is the last thing seen, with its facts and request id', async () => {
    const checkFailed = new FakeFailure('the Offer Library answered HTTP 502', { status: 502, requestId: 'get-502' });
    const { request, outcome } = await carryOut({ gets: [found(), checkFailed], deleted: accepted() });
    expect(request?.state).toBe('unverified');
    expect(outcome?.lastCheck).toEqual({ failure: { message: 'the Offer Library answered HTTP 502', status: 502, adobeMessage: null, requestId: 'get-502' } });
    expect(outcome?.adobeRequestIds).toContain('get-502');
  });
});
