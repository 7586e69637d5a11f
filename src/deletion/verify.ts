// Use case: after the DELETE (or on resuming one), the GETs that tell whether the offer is gone, and the outcome they make.
import type { Core } from './core.js';
import { deletionEnd, outcomeOf, resultOf, type Check, type DeleteAnswer } from './delete-outcome.js';
import type { LifecycleEvent } from './lifecycle.js';
import { isCatalogueFailure } from './ports.js';
import type { DeletionRequest } from './request.js';

/** Verification polls: the first GET at once, then waits that double from this up to the cap. */
export const VERIFY_FIRST_WAIT_MS = 200;
export const VERIFY_MAX_WAIT_MS = 2_000;

export function createVerify({ settings, ports }: Core) {
  const { offers, clock } = ports;

  /** One GET: gone (404), still there, or the check failed. Adobe's request ids go to `ids`. */
  async function check(request: DeletionRequest, ids: string[]): Promise<Check> {
    try {
      const found = await offers.getOffer(request.sandbox, request.offer.id);
      if (found.requestId) ids.push(found.requestId);
      return found.found ? { gone: false, last: { found: true } } : { gone: true };
    } catch (error) {
      if (isCatalogueFailure(error) && error.requestId) ids.push(error.requestId);
      return { gone: false, last: { error } };
    }
  }

  /** GETs until 404 within the verification window: the first at once, then backing off. */
  async function untilGone(request: DeletionRequest, ids: string[]): Promise<Check> {
    const deadline = clock.now() + settings.verifyTimeoutMs;
    let wait = VERIFY_FIRST_WAIT_MS;
    for (;;) {
      const seen = await check(request, ids);
      const left = deadline - clock.now();
      if (seen.gone || left <= 0) return seen;
      await clock.sleep(Math.min(wait, left));
      wait = Math.min(wait * 2, VERIFY_MAX_WAIT_MS);
    }
  }

  /** Checks what the DELETE's answer calls for; the finishing event, with the outcome's facts. */
  return async function verify(request: DeletionRequest, answer: DeleteAnswer, ids: string[]): Promise<LifecycleEvent> {
    const end = await deletionEnd(answer, { untilGone: () => untilGone(request, ids), once: () => check(request, ids) }, settings.verifyTimeoutMs);
    return { type: 'finish', result: resultOf(end), outcome: outcomeOf(end, ids) };
  };
}

export type Verify = ReturnType<typeof createVerify>;
