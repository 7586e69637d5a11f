// Delivers the Slack writes the store says are owed: in order per request, once, with retries that survive restarts.
import type { DeletionRequest } from '../deletion/request.js';
import type { Logger } from '../log.js';
import { crashPoint } from '../crash-points.js';
import type { OutboxItem, Store } from '../store/store.js';
import { SlackCallError, type Announcer } from './announcer.js';

/** How long one delivery attempt holds its item before another worker may try it. */
export const OUTBOX_LEASE_MS = 60_000;
/** Items claimed per round. */
export const OUTBOX_BATCH = 20;
/** After this many failed attempts an item is given up on (about an hour of backing off). */
export const OUTBOX_MAX_ATTEMPTS = 12;
export const OUTBOX_RETRY_FIRST_MS = 1_000;
export const OUTBOX_RETRY_MAX_MS = 10 * 60_000;
const RETRY_TIMER_SLACK_MS = 25;

/** Slack errors that no retry will cure. */
const PERMANENT = new Set([
  'not_in_channel',
  'channel_not_found',
  'is_archived',
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'missing_scope',
  'no_permission',
  'restricted_action',
  'message_not_found',
  'cant_update_message',
  'thread_not_found',
  'msg_too_long',
  'invalid_blocks',
  'invalid_blocks_format',
  'invalid_metadata_format',
  'invalid_metadata_schema',
  'invalid_arguments',
]);

export type ConfirmationResult = { posted: true } | { posted: false; slackError: string };

export interface DeliveryEvents {
  /** The confirmation went out (or never will): the workflow answers the requester and, on failure, closes the request. */
  confirmation(request: DeletionRequest, result: ConfirmationResult): Promise<void>;
  /** A later write was given up on: the audit trail in Slack has a gap, and the requester must hear of it. */
  givenUp(request: DeletionRequest, item: OutboxItem, slackError: string): Promise<void>;
}

export interface DeliveryDeps {
  store: Store;
  announcer: Announcer;
  log: Logger;
  owner: string;
  now: () => number;
  events: DeliveryEvents;
}

export function createDelivery({ store, announcer, log, owner, now, events }: DeliveryDeps) {
  /** Items this process is delivering right now (a guard: the claim already skips this run's own leases). */
  const inFlight = new Set<number>();
  /** Leases of this owner ending before this are an earlier run's (a restarted single replica): ours to take back. */
  const earlierRunLeasesBefore = now() + OUTBOX_LEASE_MS;
  let retryTimer: NodeJS.Timeout | undefined;
  let retryDue = 0;
  let stopped = false;

  async function deliver(item: OutboxItem): Promise<void> {
    const request = await store.getRequest(item.requestId);
    if (!request) {
      await store.settleOutbox(item.id, now(), { delivered: false, error: 'request_missing' });
      return;
    }
    try {
      if (item.kind === 'confirmation') {
        // An attempt cut off by a crash may have posted it already: look before posting again.
        const messageTs = (item.inDoubt ? await announcer.findConfirmation(request) : null) ?? (await announcer.postConfirmation(request));
        crashPoint('after_confirmation_posted');
        await store.settleOutbox(item.id, now(), { delivered: true, messageTs });
        await events.confirmation({ ...request, messageTs }, { posted: true });
        return;
      }
      if (!request.messageTs) {
        // The confirmation never went out: there is no message to update or thread to reply in.
        await store.settleOutbox(item.id, now(), { delivered: false, error: 'no_confirmation_message' });
        return;
      }
      // An update can be repeated; a thread reply cannot, so an interrupted one is looked for first.
      if (item.kind === 'message') await announcer.showState(request);
      else if (!(item.inDoubt && (await announcer.hasOutcome(request)))) {
        await announcer.postOutcome(request);
        crashPoint('after_thread_reply');
      }
      await store.settleOutbox(item.id, now(), { delivered: true });
    } catch (error) {
      await failed(item, request, error);
    }
  }

  async function failed(item: OutboxItem, request: DeletionRequest, error: unknown): Promise<void> {
    const slackError = error instanceof SlackCallError ? error.slackError : 'internal_error';
    if (!(error instanceof SlackCallError)) log.error({ err: error, requestId: request.id }, 'delivering a Slack message failed');
    if (PERMANENT.has(slackError) || item.attempts + 1 >= OUTBOX_MAX_ATTEMPTS) {
      await store.settleOutbox(item.id, now(), { delivered: false, error: slackError });
      log.error({ audit: true, requestId: request.id, offerId: request.offer.id, kind: item.kind, slackError }, 'gave up delivering a Slack message');
      if (item.kind === 'confirmation') await events.confirmation(request, { posted: false, slackError });
      else await events.givenUp(request, item, slackError);
      return;
    }
    const backoff = Math.min(OUTBOX_RETRY_FIRST_MS * 2 ** item.attempts, OUTBOX_RETRY_MAX_MS);
    const wait = error instanceof SlackCallError && error.retryAfterMs !== null ? error.retryAfterMs : backoff;
    log.warn({ requestId: request.id, kind: item.kind, slackError, retryInMs: wait }, 'Slack message not delivered yet; will retry');
    // No clear answer (connection lost, 5xx): Slack may have posted it, so the next attempt looks first.
    const inDoubt = !(error instanceof SlackCallError && error.definite);
    await store.postponeOutbox(item.id, now() + wait, slackError, inDoubt);
    retryIn(wait);
  }

  /** Delivery rounds until nothing is due; concurrent rounds never take the same item. */
  async function drain(): Promise<void> {
    for (;;) {
      if (stopped) return;
      const at = now();
      const claimed = await store.claimOutbox(owner, at, at + OUTBOX_LEASE_MS, OUTBOX_BATCH, earlierRunLeasesBefore);
      const mine = claimed.filter((item) => !inFlight.has(item.id));
      if (mine.length === 0) return;
      for (const item of mine) inFlight.add(item.id);
      await Promise.all(
        mine.map((item) =>
          deliver(item)
            .catch((error: unknown) => log.error({ err: error, outboxId: item.id }, 'could not record a Slack delivery'))
            .finally(() => inFlight.delete(item.id)),
        ),
      );
    }
  }

  /** One timer, for the earliest retry due; the periodic sweep also delivers whatever is due. */
  function retryIn(wait: number) {
    // A little late rather than early: a round that finds the item not yet due would leave it to the sweep.
    const ms = wait + RETRY_TIMER_SLACK_MS;
    const due = Date.now() + ms;
    if (stopped || (retryTimer && retryDue <= due)) return;
    if (retryTimer) clearTimeout(retryTimer);
    retryDue = due;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void drain().catch((error: unknown) => log.error({ err: error }, 'Slack delivery round failed'));
    }, ms);
    retryTimer.unref();
  }

  return {
    /** Delivers what is due now; resolves when this round has nothing more to do. */
    deliverDue: drain,
    stop() {
      stopped = true;
      if (retryTimer) clearTimeout(retryTimer);
    },
  };
}

export type Delivery = ReturnType<typeof createDelivery>;
