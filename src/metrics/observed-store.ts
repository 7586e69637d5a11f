// The request store as the workflow sees it, reporting to the metrics what it applied: final states, decisions, lease takeovers.
import type { RequestStore } from '../deletion/ports.js';
import type { Metrics } from './metrics.js';

/** Every call goes to `store`; only what the store actually applied is counted (a lost compare-and-set counts nothing). */
export function observedStore(store: RequestStore, metrics: Pick<Metrics, 'transitioned' | 'leaseTakenOver'>): RequestStore {
  return {
    sharedByReplicas: store.sharedByReplicas,
    createRequest: (request) => store.createRequest(request),
    createRestore: (restore) => store.createRestore(restore),
    restoresOf: (requestId) => store.restoresOf(requestId),
    openRequestFor: (sandbox, offerId) => store.openRequestFor(sandbox, offerId),
    getRequest: (id) => store.getRequest(id),
    async transition(id, change, at, options) {
      const updated = await store.transition(id, change, at, options);
      if (updated) metrics.transitioned(updated, change, at);
      return updated;
    },
    transitions: (id) => store.transitions(id),
    countOpen: (requesterId) => store.countOpen(requesterId),
    expiredPending: (now, limit) => store.expiredPending(now, limit),
    markRemindersDue: (now, limit) => store.markRemindersDue(now, limit),
    unfinished: (now, limit) => store.unfinished(now, limit),
    // Only the sweep claims a lease, and only on a deletion whose worker's lease ran out (or its own, after a restart).
    async claim(id, owner, now, until) {
      const taken = await store.claim(id, owner, now, until);
      if (taken) metrics.leaseTakenOver();
      return taken;
    },
    claimOutbox: (owner, now, until, limit, ownLeaseBefore) => store.claimOutbox(owner, now, until, limit, ownLeaseBefore),
    claimNextOf: (requestId, owner, now, until, ownLeaseBefore) => store.claimNextOf(requestId, owner, now, until, ownLeaseBefore),
    settleOutbox: (id, at, result, next) => store.settleOutbox(id, at, result, next),
    postponeOutbox: (id, retryAt, error, inDoubt) => store.postponeOutbox(id, retryAt, error, inDoubt),
  };
}
