// Use case: an approved request — look the offer up again, stop if it changed or is gone, send one DELETE, verify.
import type { Core } from './core.js';
import { FINAL_WRITES } from './core.js';
import { attemptsOf, auditedAttempts, deleteAnswer, type DeleteSettled } from './delete-outcome.js';
import type { LifecycleEvent } from './lifecycle.js';
import { failureFacts, isCatalogueFailure, type Offer } from './ports.js';
import type { DeletionRequest, OfferChange, OfferSnapshot } from './request.js';
import type { Verify } from './verify.js';

/** What changed since the request (etag, modified), or null when the offer is as approved. */
function offerChange(before: OfferSnapshot, after: Offer): OfferChange | null {
  const etag = after.etag === undefined ? null : String(after.etag);
  const modified = after.modified ?? null;
  if (etag === before.etag && modified === before.modified) return null;
  return {
    ...(etag !== before.etag ? { etag: { before: before.etag, after: etag } } : {}),
    ...(modified !== before.modified ? { modified: { after: modified, by: after.lastModifiedBy ?? null } } : {}),
  };
}

export function createCarryOut(core: Core, verify: Verify) {
  const { ports, apply } = core;
  const { offers, log, failpoints } = ports;

  async function finish(request: DeletionRequest, event: LifecycleEvent, detail?: Record<string, unknown>) {
    const result = await apply(request, event, { lease: true, tell: FINAL_WRITES, ...(detail ? { detail } : {}) });
    if (!result.ok) log.warn({ requestId: request.id, refusal: result.refusal }, 'lost the request to another worker');
  }

  /** From approved: the look-up, then (unless it stops there) the one DELETE and its verification. */
  async function deleteApproved(approved: DeletionRequest, ids: string[]): Promise<void> {
    let lookup;
    try {
      lookup = await offers.getOffer(approved.sandbox, approved.offer.id);
    } catch (error) {
      if (isCatalogueFailure(error) && error.requestId) ids.push(error.requestId);
      const status = isCatalogueFailure(error) ? error.status : null;
      const outcome = { reason: 'lookup_failed' as const, adobeRequestIds: ids, failure: failureFacts(error), ...(status !== null ? { status } : {}) };
      await finish(approved, { type: 'abort', outcome });
      return;
    }
    if (lookup.requestId) ids.push(lookup.requestId);
    const change = lookup.found ? offerChange(approved.offer, lookup.offer) : null;
    if (change) {
      await finish(approved, { type: 'abort', outcome: { reason: 'offer_changed', adobeRequestIds: ids, change } });
      return;
    }
    const started = await apply(approved, { type: 'start_delete' }, { lease: true });
    if (!started.ok) return;
    const request = started.request;
    if (!lookup.found) {
      await finish(request, {
        type: 'finish',
        result: 'deleted',
        outcome: { reason: 'already_gone', adobeRequestIds: ids, alreadyGone: true, deleteSent: false },
      });
      return;
    }
    let settled: DeleteSettled;
    try {
      settled = { result: await offers.deleteOffer(request.sandbox, request.offer.id) };
      failpoints('after_delete_answered');
    } catch (error) {
      log.warn({ err: error, requestId: request.id }, 'DELETE failed');
      settled = { error };
    }
    const attempts = attemptsOf(settled);
    for (const attempt of attempts) if (attempt.requestId) ids.push(attempt.requestId);
    const ended = await verify(request, deleteAnswer(settled), ids);
    failpoints('after_verification');
    await finish(request, ended, { deleteAttempts: auditedAttempts(attempts) });
  }

  return async function carryOut(request: DeletionRequest): Promise<void> {
    const ids: string[] = [];
    if (request.state === 'approved') return deleteApproved(request, ids);
    // A deletion left in flight (state deleting): the DELETE may have been sent, so never send another; verify.
    await finish(request, await verify(request, { kind: 'resumed' }, ids));
  };
}
