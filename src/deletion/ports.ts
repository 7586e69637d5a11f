// What the deletion core needs from the world, declared by the core: the edges (store/, adobe/, slack/, outbox/) implement it.
import type { Person } from './approval-policy.js';
import type { Change } from './lifecycle.js';
import type { DeletionRequest, FailureFacts, OfferSnapshot, TransitionRecord } from './request.js';
import type { ClickerNews } from './news.js';

// ---- the offer catalogue (Adobe's Offer Library) -------------------------------------------------

export interface Offer {
  id: string;
  name: string;
  status: string;
  modified?: string | undefined;
  etag?: number | string | undefined;
  lastModifiedBy?: string | undefined;
  [field: string]: unknown;
}

export type LookupResult =
  | { found: true; offer: Offer /** the body exactly as received */; json: string; requestId: string | null }
  | { found: false; requestId: string | null };

/** One attempt of a call, for the record: what came back (a status, or the failure's code), Adobe's request id, when. */
export interface Attempt {
  /** Epoch milliseconds when the answer or the failure came. */
  at: number;
  status: number | null;
  /** The network failure's code (ECONNREFUSED, UND_ERR_HEADERS_TIMEOUT, …) when no answer came. */
  error: string | null;
  requestId: string | null;
}

export interface DeleteResult {
  /** True when Adobe answered 404: the offer was not there (any more) when this DELETE arrived. */
  alreadyGone: boolean;
  status: number;
  requestId: string | null;
  /** Every DELETE sent or tried, in order; the last one is this answer. */
  attempts: Attempt[];
}

/** What Adobe answered a create (POST) with: the new offer's id (from the body, or the Location header). */
export interface CreatedOffer {
  id: string;
  status: number;
  requestId: string | null;
  /** Every POST sent or tried, in order; the last one is this answer. */
  attempts: Attempt[];
}

/** Offers with exactly this name, as a list call finds them now. */
export interface NameLookup {
  ids: string[];
  requestId: string | null;
}

/** One offer as a search lists it: enough to recognise it and to ask for its deletion by id. */
export interface OfferSummary {
  id: string;
  name: string;
  status: string;
  modified?: string | undefined;
  lastModifiedBy?: string | undefined;
}

/** How much a search returns, and how long the person waiting may wait. */
export interface OfferSearch {
  /** At most this many offers (the catalogue follows its own pages until it has them). */
  limit: number;
  /** Give up after this long (a Slack options request must be answered within 3 s). */
  timeoutMs: number;
}

export interface OfferSearchPage {
  /** The matches, most recently modified first. */
  offers: OfferSummary[];
  /** Whether the catalogue has more matches than `limit`. */
  more: boolean;
}

/** Every method names the sandbox first: an offer lives in one sandbox, and the same id in another is another offer (or none). */
export interface OfferCatalogue {
  /** The personalized offers whose name contains `text` (any case, taken literally); a failure or the deadline throws a CatalogueFailure. */
  searchOffers(sandbox: string, text: string, search: OfferSearch): Promise<OfferSearchPage>;
  /** The offer, or found: false when there is none; any other failure throws a CatalogueFailure. */
  getOffer(sandbox: string, offerId: string): Promise<LookupResult>;
  /** Deletes the offer; found or already gone resolves, anything else throws a CatalogueFailure (its attempts: the DELETEs tried). */
  deleteOffer(sandbox: string, offerId: string): Promise<DeleteResult>;
  /**
   * Creates an offer from `body` (no server-set fields); sent again only when it provably never reached Adobe (or got a 429).
   * Anything but a 2xx with the new id throws a CatalogueFailure (its attempts: the POSTs tried).
   */
  createOffer(sandbox: string, body: Record<string, unknown>): Promise<CreatedOffer>;
  /** The ids of the offers named exactly `name` (a list filtered by name); a failure throws a CatalogueFailure. */
  offersNamed(sandbox: string, name: string): Promise<NameLookup>;
}

/** What the catalogue throws when it fails: the facts a person needs, and every attempt made. */
export interface CatalogueFailure extends Error {
  /** HTTP status, when the catalogue answered. */
  readonly status: number | null;
  /** The catalogue's own words, when it gave any. */
  readonly adobeMessage: string | null;
  readonly requestId: string | null;
  readonly attempts: readonly Attempt[];
}

export function isCatalogueFailure(error: unknown): error is CatalogueFailure {
  return error instanceof Error && 'attempts' in error && Array.isArray(error.attempts) && 'status' in error && 'adobeMessage' in error && 'requestId' in error;
}

/**
 * Failures before a byte of the request was written (name resolution, connecting): the request never reached Adobe.
 * Every other failure (a reset, a timeout waiting for the answer) may come after Adobe acted on it.
 */
export const NOT_SENT_ERROR_CODES = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT'];

/** Whether an attempt provably never reached Adobe (it failed before the request was written). */
export function neverSent(attempt: Attempt): boolean {
  return attempt.status === null && attempt.error !== null && NOT_SENT_ERROR_CODES.includes(attempt.error);
}

// ---- the request store ---------------------------------------------------------------------------

export interface NewRequest {
  id: string;
  teamId: string;
  enterpriseId?: string | null;
  channelId: string;
  /** Whether the channel is private; null or absent when Slack could not tell (read as private). */
  channelPrivate?: boolean | null;
  sandbox: string;
  offer: OfferSnapshot;
  requesterId: string;
  reason: string;
  createdAt: number;
  expiresAt: number;
  /** How many different people must approve it; 1 when absent. */
  requiredApprovals?: number;
  /** Refuse the request when its requester already has this many open ones (checked atomically with the insert). */
  maxOpenPerRequester?: number;
}

/** A restore of a deleted request: its offer (the stored snapshot), sandbox, channel and thread are the deletion's. */
export interface NewRestore {
  id: string;
  restoreOf: DeletionRequest;
  requesterId: string;
  createdAt: number;
  expiresAt: number;
  /** How many different people must approve it: the sandbox's number now, as for a new deletion. */
  requiredApprovals?: number;
}

export type CreateResult =
  | { ok: true; request: DeletionRequest }
  /** An open request for the same offer exists. */
  | { ok: false; existing: DeletionRequest }
  /** The requester already has `open` open requests, at least `maxOpenPerRequester`. */
  | { ok: false; limitReached: number };

/**
 * A write the workflow owes people for a request: the confirmation, an update of it to the current state,
 * the outcome reply in its thread, the outcome told to the requester directly (`dm`), or the one reminder in the
 * thread halfway to expiry. Rendered from the request as it is when delivered.
 */
export type OutboxKind = 'confirmation' | 'message' | 'outcome' | 'dm' | 'reminder';

export interface OutboxItem {
  id: number;
  requestId: string;
  kind: OutboxKind;
  /** Failed attempts so far. */
  attempts: number;
  /** An earlier attempt was cut off (its worker died): the message may already be out. */
  inDoubt: boolean;
}

/** Who claims a request's next outbox item as the one before it settles, and until when. */
export interface NextClaim {
  requestId: string;
  owner: string;
  until: number;
  ownLeaseBefore?: number;
}

export type OutboxResult = { delivered: true; messageTs?: string } | { delivered: false; error: string };

export interface TransitionOptions {
  /** Compare-and-set also requires `expiresAt > at` (human decisions on pending requests). */
  requireUnexpired?: boolean;
  /** Extra facts for the audit record of this transition. */
  detail?: Record<string, unknown>;
  /**
   * Lease on the background work this transition starts (approved, deleting): who holds it and until when.
   * A transition out of approved/deleting with a lease given also requires that owner to hold it.
   */
  lease?: { owner: string; until: number };
  /** Writes this transition owes, recorded in the same transaction. */
  outbox?: OutboxKind[];
}

/** The store as the workflow and the outbox use it. */
export interface RequestStore {
  /** Several replicas share this store; false when one replica has it to itself. */
  readonly sharedByReplicas: boolean;
  /**
   * Stores a new pending request, with its `pending` transition record and its `confirmation` outbox item, unless an open request
   * (pending, approved, deleting) exists for the same sandbox and offer: then returns that one.
   */
  createRequest(request: NewRequest): Promise<CreateResult>;
  /**
   * Stores a pending restore of a deleted request, with its `pending` transition and its `confirmation` outbox item, unless
   * that deletion has a restore that is open or done (restored, unverified): then returns that one as `existing`.
   */
  createRestore(restore: NewRestore): Promise<CreateResult>;
  /** The restores asked for a deleted request, newest first. */
  restoresOf(requestId: string): Promise<DeletionRequest[]>;
  /** The open request (pending, approved, deleting) for this sandbox and offer, if any. */
  openRequestFor(sandbox: string, offerId: string): Promise<DeletionRequest | null>;
  getRequest(id: string): Promise<DeletionRequest | null>;
  /**
   * Applies `change` only if the request is still in `change.from` (and the options hold), and records the
   * transition, in one transaction. Returns the updated request, or null when another writer won.
   */
  transition(id: string, change: Change, at: number, options?: TransitionOptions): Promise<DeletionRequest | null>;
  /** The request's transitions, oldest first. */
  transitions(id: string): Promise<TransitionRecord[]>;
  /** How many open (pending, approved, deleting) requests this person asked for. */
  countOpen(requesterId: string): Promise<number>;
  /** Pending requests whose lifetime ended at or before `now`, oldest first. */
  expiredPending(now: number, limit: number): Promise<DeletionRequest[]>;
  /**
   * Marks the pending requests halfway (or further) to expiry and not yet reminded as reminded, and owes each a
   * `reminder`, in one step: however many replicas sweep at once, a request is reminded once. Returns those marked.
   */
  markRemindersDue(now: number, limit: number): Promise<DeletionRequest[]>;
  /** Requests in approved or deleting whose lease ran out at or before `now` (or that have none). */
  unfinished(now: number, limit: number): Promise<DeletionRequest[]>;
  /** Takes the lease on an approved/deleting request whose lease ran out or is already `owner`'s. */
  claim(id: string, owner: string, now: number, until: number): Promise<boolean>;
  /**
   * Leases up to `limit` deliverable outbox items: the oldest unsettled item of each request, due by `now`,
   * with no lease, a lease that ran out, or a lease of `owner`'s that ends before `ownLeaseBefore` (taken by an
   * earlier run of the same owner: a restarted single replica). `owner`'s other leases are in flight: skipped.
   */
  claimOutbox(owner: string, now: number, until: number, limit: number, ownLeaseBefore?: number): Promise<OutboxItem[]>;
  /**
   * Leases `requestId`'s oldest unsettled item when it is due by `now` and free, by claimOutbox's rules; null when that
   * item is not due, is leased, or the request owes nothing.
   */
  claimNextOf(requestId: string, owner: string, now: number, until: number, ownLeaseBefore?: number): Promise<OutboxItem | null>;
  /**
   * Marks an item delivered (storing the confirmation's ts on its request) or given up, atomically; with `next`, it also
   * claims the request's next item (claimNextOf at `at`) and returns it, else null: in the same transaction (SQLite) or
   * statement (PostgreSQL), and on PostgreSQL once more after the commit when that found none (see statements.ts).
   */
  settleOutbox(id: number, at: number, result: OutboxResult, next?: NextClaim): Promise<OutboxItem | null>;
  /** Counts a failed attempt and releases the item until `retryAt`; `inDoubt` when the answer was lost. */
  postponeOutbox(id: number, retryAt: number, error: string, inDoubt?: boolean): Promise<void>;
}

// ---- the outbox ----------------------------------------------------------------------------------

/** Whether the confirmation went out, or why it never will. */
export type ConfirmationResult = { posted: true } | { posted: false; slackError: string };

export interface Outbox {
  /** Delivers the writes that are due now; resolves when this round has nothing more to do. */
  deliverDue(): Promise<void>;
  /**
   * Delivers what one request owes now, in order, without looking at other requests' items. `request` is as its writer
   * just stored it: the first item is delivered from it, without reading it back.
   */
  deliverFor(request: DeletionRequest): Promise<void>;
  /** Waits (bounded) for this request's confirmation to go out or be given up on; null when it takes too long. Listens at once. */
  confirmationOf(requestId: string): Promise<ConfirmationResult | null>;
}

// ---- people, directories, time, failpoints -------------------------------------------------------

export interface PeopleDirectory {
  /** Who `userId` is. Throws when it cannot tell (the caller refuses and changes nothing). */
  describe(userId: string): Promise<Person>;
}

export interface ChannelDirectory {
  /** Whether the channel is private (or a DM); null when it cannot tell, which callers read as private. */
  isPrivate(channelId: string): Promise<boolean | null>;
  /** The private channels `userId` is a member of, among those offer-bot is in. Throws when it cannot tell. */
  privateChannelsOf(userId: string): Promise<string[]>;
}

export interface ApproverDirectory {
  /** The user ids allowed to decide in `sandbox`, or null when anyone (but the requester) may. Throws when it cannot tell. */
  whoMayDecide(sandbox: string): Promise<ReadonlySet<string> | null>;
}

/** What the core tells the person who clicked; the requester hears through their command's own `reply`. */
export interface Notifier {
  tellClicker(click: { channelId: string; userId: string }, news: ClickerNews): Promise<void>;
}

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Named steps where a test may stop the process, to prove a crash there loses nothing and repeats nothing. */
export type Failpoint =
  | 'after_ack'
  | 'after_lookup'
  | 'after_confirmation_posted'
  | 'after_decision'
  | 'after_delete_answered'
  | 'after_create_answered'
  | 'after_verification'
  | 'after_thread_reply';

/** Called at each failpoint; does nothing in every real deployment. */
export type Failpoints = (point: Failpoint) => void;

export const noFailpoints: Failpoints = () => {};

/** The facts of a failure, as an outcome keeps them; null when it is not the catalogue's (a bug, most likely). */
export function failureFacts(error: unknown): FailureFacts | null {
  if (!isCatalogueFailure(error)) return null;
  return { message: error.message, status: error.status, adobeMessage: error.adobeMessage, requestId: error.requestId };
}
