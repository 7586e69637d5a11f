// Delivers the writes the store says are owed: in order per request, once, with retries that survive restarts.
import type { ConfirmationResult, Failpoints, OutboxItem, OutboxResult, RequestStore } from '../deletion/ports.js';
import type { DeletionRequest } from '../deletion/request.js';
import type { Logger } from '../log.js';
import { createConfirmationWait } from './confirmation-wait.js';
import type { Courier } from './courier.js';

/** How the outbox paces itself: leases, batches, and backing off from failures (about an hour before giving up). */
const OUTBOX = {
  /** How long one delivery attempt holds its item before another worker may try it. */
  leaseMs: 60_000,
  /** Items claimed per round. */
  batch: 20,
  /** After this many failed attempts an item is given up on. */
  maxAttempts: 12,
  retryFirstMs: 1_000,
  retryMaxMs: 10 * 60_000,
  /** A retry timer fires this much late rather than early. */
  timerSlackMs: 25,
};

interface OutboxDeps {
  store: RequestStore;
  courier: Courier;
  log: Logger;
  /** This process as a lease holder. */
  owner: string;
  now: () => number;
  failpoints: Failpoints;
  /** The confirmation went out (or never will): the workflow closes a request whose confirmation never will. */
  confirmationSettled(request: DeletionRequest, result: ConfirmationResult): Promise<void>;
}

export function createOutbox({ store, courier, log, owner, now, failpoints, confirmationSettled }: OutboxDeps) {
  const wait = createConfirmationWait(store);
  /** Items this process is delivering right now (a guard: the claim already skips this run's own leases). */
  const inFlight = new Set<number>();
  /** Leases of this owner ending before this are an earlier run's (a restarted single replica): ours to take back. */
  const earlierRunLeasesBefore = now() + OUTBOX.leaseMs;
  let retryTimer: NodeJS.Timeout | undefined;
  let retryDue = 0;
  let stopped = false;

  /** Settles the item, then claims its request's next one (unless stopping), to be delivered next; see RequestStore.settleOutbox. */
  function settle(item: OutboxItem, result: OutboxResult): Promise<OutboxItem | null> {
    const at = now();
    const next = stopped ? undefined : { requestId: item.requestId, owner, until: at + OUTBOX.leaseMs, ownLeaseBefore: earlierRunLeasesBefore };
    return store.settleOutbox(item.id, at, result, next);
  }

  /**
   * One attempt at one item, from `written` (its request as just stored) or the request read now; resolves to the
   * request's next item when this one settled and that one was claimed.
   */
  async function deliver(item: OutboxItem, written?: DeletionRequest): Promise<OutboxItem | null> {
    const request = written ?? (await store.getRequest(item.requestId));
    if (!request) return settle(item, { delivered: false, error: 'request_missing' });
    try {
      if (item.kind === 'confirmation') {
        // An attempt cut off by a crash may have posted it already: look before posting again.
        const messageTs = (item.inDoubt ? await courier.findConfirmation(request) : null) ?? (await courier.postConfirmation(request));
        failpoints('after_confirmation_posted');
        const next = await settle(item, { delivered: true, messageTs });
        await confirmed({ ...request, messageTs }, { posted: true });
        return next;
      }
      if (!request.messageTs) {
        // The confirmation never went out: there is no message to update or thread to reply in.
        return await settle(item, { delivered: false, error: 'no_confirmation_message' });
      }
      if (item.kind === 'reminder' && request.state !== 'pending') {
        // Decided (or expired) before its reminder went out: a reminder now would ask for what is done.
        return await settle(item, { delivered: false, error: 'no_longer_pending' });
      }
      // An update can be repeated; a post cannot, so an interrupted one is looked for first.
      if (item.kind === 'message') await courier.showState(request);
      else if (item.kind === 'outcome') {
        if (!(item.inDoubt && (await courier.hasOutcome(request)))) {
          await courier.postOutcome(request);
          failpoints('after_thread_reply');
        }
      } else if (item.kind === 'dm') {
        if (!(item.inDoubt && (await courier.hasOutcomeDm(request)))) await courier.postOutcomeDm(request);
      } else if (!(item.inDoubt && (await courier.hasReminder(request)))) await courier.postReminder(request);
      return await settle(item, { delivered: true });
    } catch (error) {
      return failed(item, request, error);
    }
  }

  /**
   * Delivers `first`, then each next item of its request that its settling claimed, until one waits or none is left.
   * The next ones read the request again: a later write owed them, and may have changed it since `written`.
   */
  async function deliverFrom(first: OutboxItem, written?: DeletionRequest): Promise<void> {
    for (let item: OutboxItem | null = first, known = written; item; known = undefined) {
      const current: OutboxItem = item;
      inFlight.add(current.id);
      item = await deliver(current, known)
        .catch((error: unknown) => {
          log.error({ err: error, outboxId: current.id }, 'could not record a Slack delivery');
          return null;
        })
        .finally(() => inFlight.delete(current.id));
    }
  }

  /** The workflow hears first (it may close the request), then the requester waiting in this process. */
  async function confirmed(request: DeletionRequest, result: ConfirmationResult): Promise<void> {
    await confirmationSettled(request, result);
    wait.settled(request.id, result);
  }

  /** A failed attempt: given up on (settled, so the request's next item follows) or postponed (nothing follows yet). */
  async function failed(item: OutboxItem, request: DeletionRequest, error: unknown): Promise<OutboxItem | null> {
    const failure = courier.failureOf(error);
    const slackError = failure?.code ?? 'internal_error';
    if (!failure) log.error({ err: error, requestId: request.id }, 'delivering a Slack message failed');
    if (failure?.permanent || item.attempts + 1 >= OUTBOX.maxAttempts) {
      const next = await settle(item, { delivered: false, error: slackError });
      log.error({ audit: true, requestId: request.id, offerId: request.offer.id, kind: item.kind, slackError }, 'gave up delivering a Slack message');
      if (item.kind === 'confirmation') await confirmed(request, { posted: false, slackError });
      // The audit trail in the channel has a gap: the requester must hear of it. (A lost DM or reminder leaves none.)
      else if (item.kind === 'message' || item.kind === 'outcome')
        await courier
          .reportGap(request, item.kind, slackError)
          .catch((failure: unknown) => log.error({ err: failure, requestId: request.id }, 'could not tell the requester directly either'));
      return next;
    }
    const backoff = Math.min(OUTBOX.retryFirstMs * 2 ** item.attempts, OUTBOX.retryMaxMs);
    const retryWait = failure?.retryAfterMs ?? backoff;
    log.warn({ requestId: request.id, kind: item.kind, slackError, retryInMs: retryWait }, 'Slack message not delivered yet; will retry');
    // No clear answer (connection lost, 5xx): it may have been posted, so the next attempt looks first.
    const inDoubt = !failure?.definite;
    await store.postponeOutbox(item.id, now() + retryWait, slackError, inDoubt);
    retryIn(retryWait);
    return null;
  }

  /** Delivery rounds until nothing is due; concurrent rounds never take the same item. */
  async function deliverRounds(): Promise<void> {
    for (;;) {
      if (stopped) return;
      const at = now();
      const claimed = await store.claimOutbox(owner, at, at + OUTBOX.leaseMs, OUTBOX.batch, earlierRunLeasesBefore);
      const mine = claimed.filter((item) => !inFlight.has(item.id));
      if (mine.length === 0) return;
      // Each item's request goes on with its next items as they settle, not waiting for the rest of the round.
      await Promise.all(mine.map((item) => deliverFrom(item)));
    }
  }

  /** What one request owes now: its first due item, then the next as each settles (the usual path after a write). */
  async function deliverFor(request: DeletionRequest): Promise<void> {
    if (stopped) return;
    const at = now();
    const item = await store.claimNextOf(request.id, owner, at, at + OUTBOX.leaseMs, earlierRunLeasesBefore);
    if (item && !inFlight.has(item.id)) await deliverFrom(item, request);
  }

  /** One timer, for the earliest retry due; the periodic sweep also delivers whatever is due. */
  function retryIn(wait: number) {
    // A little late rather than early: a round that finds the item not yet due would leave it to the sweep.
    const ms = wait + OUTBOX.timerSlackMs;
    const due = Date.now() + ms;
    if (stopped || (retryTimer && retryDue <= due)) return;
    if (retryTimer) clearTimeout(retryTimer);
    retryDue = due;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void deliverRounds().catch((error: unknown) => log.error({ err: error }, 'Slack delivery round failed'));
    }, ms);
    retryTimer.unref();
  }

  return {
    /** Delivers what is due now; resolves when this round has nothing more to do. */
    deliverDue: deliverRounds,
    deliverFor,
    confirmationOf: wait.confirmationOf,
    /** Stops starting delivery rounds (before shutdown); owed writes stay in the outbox for the next start. */
    stop() {
      stopped = true;
      if (retryTimer) clearTimeout(retryTimer);
    },
  };
}
