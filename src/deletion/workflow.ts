// The deletion workflow: drives a request from the command to its outcome through the store, Adobe and Slack.
import { randomUUID } from 'node:crypto';
import { AdobeError } from '../adobe/errors.js';
import type { Offer, OfferLibrary } from '../adobe/offer-library.js';
import type { Logger } from '../log.js';
import type { Announcer } from '../slack/announcer.js';
import { createDelivery, type ConfirmationResult } from '../slack/delivery.js';
import type { ApproverDirectory } from '../slack/approvers.js';
import type { ChannelDirectory } from '../slack/channels.js';
import type { PeopleDirectory } from '../slack/people.js';
import { deletionSummary, describeAdobeFailure } from '../slack/outcome-text.js';
import { existingRequestText, limitText, requestRefusalText, refusalText } from '../slack/views.js';
import { pruneOutbox } from '../store/outbox-retention.js';
import type { OutboxKind, Store } from '../store/store.js';
import { crashPoint } from '../crash-points.js';
import { belongsTo, mayDecide, mayRequest, maySupersede, type ApprovalRules, type Decision, type Person, type PolicyRefusal } from './approval-policy.js';
import {
  attemptsOf,
  auditedAttempts,
  deleteAnswer,
  deletionEnd,
  outcomeFacts,
  resultOf,
  type Check,
  type DeleteAnswer,
  type DeleteSettled,
} from './delete-outcome.js';
import { next, SYSTEM_ACTOR, type LifecycleEvent } from './lifecycle.js';
import type { DeletionRequest, OfferSnapshot, Outcome } from './request.js';

/** Verification polls: the first GET at once, then waits that double from this up to the cap. */
export const VERIFY_FIRST_WAIT_MS = 200;
export const VERIFY_MAX_WAIT_MS = 2_000;
/** The lease holder of the one replica a SQLite store serves. */
export const SINGLE_REPLICA_OWNER = 'single-replica';
/** Tries of one answer to the requester, and the pause before each retry (times the attempt). */
export const REPLY_ATTEMPTS = 3;
export const REPLY_RETRY_MS = 200;
/** How long the requester's "posted" answer waits for Slack to take the confirmation. */
export const CONFIRMATION_WAIT_MS = 10_000;
/** How often that wait looks in a shared store for a confirmation another replica delivered. */
export const CONFIRMATION_POLL_MS = 250;
/** Requests handled per sweep, so a backlog cannot stall one pass. */
export const SWEEP_BATCH = 50;

export interface WorkflowSettings {
  sandbox: string;
  ttlMs: number;
  verifyTimeoutMs: number;
  /** A lease covers the verification window plus this much for the look-up, the DELETE and their retries. */
  workLeaseMs: number;
  allowSelfApproval: boolean;
  /** Guests may ask for deletions (never decide them) unless OFFER_ALLOW_GUEST_REQUESTS=false. */
  allowGuestRequests: boolean;
  /** Open requests one person may have at once (OFFER_MAX_OPEN_PER_USER). */
  maxOpenPerUser: number;
  /** Settled Slack outbox items older than this are deleted by the sweep (OFFER_OUTBOX_RETENTION). */
  outboxRetentionMs: number;
}

export interface WorkflowDeps {
  store: Store;
  offers: OfferLibrary;
  announcer: Announcer;
  approvers: ApproverDirectory;
  people: PeopleDirectory;
  channels: ChannelDirectory;
  log: Logger;
  now?: () => number;
  /** Identifies this process as a lease holder. */
  owner?: string;
}

/** Who asked, where, and how to answer them privately (Slack's response_url). */
export interface CommandContext {
  teamId: string;
  /** The Enterprise Grid organisation, when the workspace is part of one. */
  enterpriseId: string | null;
  channelId: string;
  userId: string;
  reply: (text: string) => Promise<void>;
}

export interface ClickContext {
  requestId: string;
  /** The workspace that owns the message (`team.id`); null on an Enterprise Grid org-wide install. */
  teamId: string | null;
  /** The organisation that owns the message (`enterprise.id`), when there is one. */
  enterpriseId: string | null;
  channelId: string;
  messageTs: string;
  userId: string;
  /** The clicker's own workspace and organisation as the payload states them (`user.team_id`, `user.enterprise_id`). */
  userTeamId: string | null;
  userEnterpriseId: string | null;
  decision: Decision;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const code = (text: string) => `\`${text}\``;

function snapshot(offer: Offer, json: string): OfferSnapshot {
  return {
    id: offer.id,
    name: offer.name,
    status: offer.status,
    modified: offer.modified ?? null,
    lastModifiedBy: offer.lastModifiedBy ?? null,
    etag: offer.etag === undefined ? null : String(offer.etag),
    json,
  };
}

export function createWorkflow(settings: WorkflowSettings, deps: WorkflowDeps) {
  const { store, offers, announcer, approvers, people, channels, log } = deps;
  const now = deps.now ?? Date.now;
  // SQLite serves one replica: a restarted process is the same worker and takes its leases back at once.
  const owner = deps.owner ?? (store.sharedByReplicas ? `${process.pid}-${randomUUID()}` : SINGLE_REPLICA_OWNER);
  const leaseMs = settings.verifyTimeoutMs + settings.workLeaseMs;
  /** Work started by this process, so shutdown can wait for it and a sweep never runs it twice. */
  const running = new Map<string, Promise<void>>();
  const tasks = new Set<Promise<unknown>>();

  /** Runs background work, remembered until it settles; failures are logged, never thrown at Slack. */
  function track(what: string, work: () => Promise<unknown>): Promise<void> {
    const task = work().then(
      () => undefined,
      (error: unknown) => log.error({ err: error, what }, 'background work failed'),
    );
    tasks.add(task);
    void task.finally(() => tasks.delete(task));
    return task;
  }

  interface ApplyOptions {
    requireUnexpired?: boolean;
    lease?: boolean;
    detail?: Record<string, unknown>;
    /** Slack writes the new state owes; stored with it, then delivered. */
    tell?: OutboxKind[];
  }

  async function apply(request: DeletionRequest, event: LifecycleEvent, options: ApplyOptions = {}) {
    const at = now();
    const step = next(request, event, at);
    if (!step.ok) return { ok: false as const, refusal: step.refusal, request };
    const updated = await store.transition(request.id, step.change, at, {
      ...(options.requireUnexpired ? { requireUnexpired: true } : {}),
      ...(options.lease ? { lease: { owner, until: at + leaseMs } } : {}),
      ...(options.detail ? { detail: options.detail } : {}),
      ...(options.tell ? { outbox: options.tell } : {}),
    });
    if (!updated) {
      // Another click, process or replica moved the request first: report what it is now.
      const current = (await store.getRequest(request.id)) ?? request;
      return { ok: false as const, refusal: 'already_decided' as const, request: current };
    }
    log.info(
      {
        audit: true,
        requestId: updated.id,
        offerId: updated.offer.id,
        actor: step.change.actor,
        from: step.change.from,
        to: step.change.to,
        ...(options.detail ? { detail: options.detail } : {}),
      },
      'audit',
    );
    if (options.tell?.length) deliver();
    return { ok: true as const, request: updated };
  }

  /** What a final state owes Slack: the thread reply first (it is what people wait for), then the message update. */
  const ENDED: OutboxKind[] = ['outcome', 'message'];
  /** Requesters waiting, in this process, to hear whether their confirmation went out. */
  const waitingForConfirmation = new Map<string, (result: ConfirmationResult) => void>();

  const delivery = createDelivery({
    store,
    announcer,
    log,
    owner,
    now,
    events: {
      async confirmation(request, result) {
        // A confirmation that never went out leaves nothing anyone could approve: close the request.
        if (!result.posted)
          await apply(request, { type: 'cancel', actor: SYSTEM_ACTOR }, { detail: { reason: 'confirmation_not_posted', slackError: result.slackError } });
        waitingForConfirmation.get(request.id)?.(result);
      },
      async givenUp(request, item, slackError) {
        const what = item.kind === 'outcome' ? 'the outcome in its thread' : 'the update of its message';
        await announcer
          .tellDirectly(
            request.requesterId,
            `offer-bot could not post ${what} in <#${request.channelId}> (${slackError}). Your request to delete \`${request.offer.id}\` is ${request.state}.`,
          )
          .catch((error: unknown) => log.error({ err: error, requestId: request.id }, 'could not tell the requester directly either'));
      },
    },
  });

  /** Delivers the Slack writes that are due, in the background. */
  function deliver(): void {
    void track('deliver', () => delivery.deliverDue());
  }

  // ---- step 1-2: the command -------------------------------------------------------------------

  async function requestDeletion(asked: CommandContext, offerId: string, reason: string): Promise<void> {
    const context = { ...asked, reply: replyReliably(asked.reply) };
    // Who asks, how many they have open and whether the offer is free are settled before Adobe is asked anything,
    // so the shared credential cannot be spent on look-ups that would be refused anyway.
    let person: Person;
    try {
      person = await people.describe(context.userId);
    } catch (error) {
      log.warn({ err: error, userId: context.userId }, 'could not look the requester up in Slack');
      await context.reply(requestRefusalText('people_unavailable'));
      return;
    }
    const allowed = mayRequest(person, { teamId: context.teamId, enterpriseId: context.enterpriseId }, { allowGuestRequests: settings.allowGuestRequests });
    if (!allowed.ok) {
      log.warn({ userId: context.userId, refusal: allowed.refusal }, 'request refused by the policy');
      await context.reply(requestRefusalText(allowed.refusal));
      return;
    }
    const open = await store.countOpen(context.userId);
    if (open >= settings.maxOpenPerUser) return refuseOverLimit(context, open);
    const existing = await store.openRequestFor(settings.sandbox, offerId);
    let superseding: DeletionRequest | null = null;
    if (existing) {
      const rules = await approvalRules().catch(() => null);
      // Only from another channel: in this one the person can simply decide the request in front of them.
      if (rules && existing.channelId !== context.channelId && maySupersede(existing, person, rules)) superseding = existing;
      else return refuseExisting(context, existing);
    }
    let lookup;
    try {
      lookup = await offers.getOffer(offerId);
    } catch (error) {
      log.warn({ err: error, offerId }, 'offer look-up failed');
      await context.reply(
        `I could not look up offer ${code(offerId)} in sandbox ${code(settings.sandbox)}: ${describeAdobeFailure(error)}. Nothing was posted.`,
      );
      return;
    }
    if (!lookup.found) {
      await context.reply(`Sandbox ${code(settings.sandbox)} has no personalized offer ${code(offerId)}. Nothing was posted.`);
      return;
    }
    crashPoint('after_lookup');
    const createdAt = now();
    const id = randomUUID();
    if (superseding) {
      // Parked elsewhere (perhaps in a private channel): an entitled person takes the offer's request over, on the record.
      await apply(
        superseding,
        { type: 'cancel', actor: context.userId, outcome: { reason: 'superseded', summary: 'superseded by a new request', adobeRequestIds: [] } },
        { requireUnexpired: true, detail: { reason: 'superseded', supersededBy: id }, tell: ENDED },
      );
    }
    const created = await store.createRequest({
      id,
      teamId: context.teamId,
      enterpriseId: context.enterpriseId,
      channelId: context.channelId,
      channelPrivate: await channels.isPrivate(context.channelId),
      sandbox: settings.sandbox,
      offer: snapshot(lookup.offer, lookup.json),
      requesterId: context.userId,
      reason,
      createdAt,
      expiresAt: createdAt + settings.ttlMs,
      maxOpenPerRequester: settings.maxOpenPerUser,
    });
    if (!created.ok) {
      if ('limitReached' in created) return refuseOverLimit(context, created.limitReached);
      return refuseExisting(context, created.existing);
    }
    const request = created.request;
    log.info({ audit: true, requestId: request.id, offerId, actor: context.userId, from: null, to: 'pending' }, 'audit');
    const result = await new Promise<ConfirmationResult | null>((resolve) => {
      let poll: NodeJS.Timeout | undefined;
      let finished = false;
      const done = (outcome: ConfirmationResult | null) => {
        finished = true;
        clearTimeout(timer);
        clearTimeout(poll);
        resolve(outcome);
      };
      const timer = setTimeout(() => done(null), CONFIRMATION_WAIT_MS);
      waitingForConfirmation.set(request.id, done);
      // Every replica delivers whatever is due, so another may post this confirmation: its result is in the shared store.
      if (store.sharedByReplicas) {
        const look = () => {
          if (finished) return;
          poll = setTimeout(() => {
            void confirmationInStore(request.id).then((outcome) => (outcome ? done(outcome) : look()), look);
          }, CONFIRMATION_POLL_MS);
        };
        look();
      }
      deliver();
    }).finally(() => waitingForConfirmation.delete(request.id));
    if (result === null) {
      await context.reply(
        `Your request to delete ${code(offerId)} is recorded; Slack is slow to take the confirmation, which will appear in the channel shortly.`,
      );
    } else if (result.posted) {
      await context.reply(`Posted your request to delete ${code(offerId)}. Someone else must approve it before it expires.`);
    } else {
      await context.reply(
        result.slackError === 'not_in_channel' || result.slackError === 'channel_not_found'
          ? 'I am not a member of this channel, so I could not post the request. Invite me with `/invite @offer-bot`, then ask again. Nothing was posted.'
          : `Slack refused the confirmation message (${result.slackError}); nothing was posted and nothing will be deleted.`,
      );
    }
  }

  async function refuseOverLimit(context: CommandContext, open: number): Promise<void> {
    log.warn({ userId: context.userId, open, max: settings.maxOpenPerUser }, 'per-user limit on open requests reached');
    await context.reply(limitText(open));
  }

  /** Names the other request's channel and requester only to someone who can see that channel. */
  async function refuseExisting(context: CommandContext, existing: DeletionRequest): Promise<void> {
    let visible = existing.channelId === context.channelId || existing.channelPrivate === false;
    if (!visible) visible = (await channels.privateChannelsOf(context.userId).catch(() => [] as string[])).includes(existing.channelId);
    await context.reply(existingRequestText(existing, visible));
  }

  async function refuseClick(request: DeletionRequest, click: ClickContext, refusal: PolicyRefusal, tell: (text: string) => Promise<void>): Promise<void> {
    log.warn({ requestId: request.id, userId: click.userId, userTeamId: click.userTeamId, refusal }, 'click refused by the policy');
    await tell(refusalText(refusal, request));
  }

  async function approvalRules(): Promise<ApprovalRules> {
    return { allowSelfApproval: settings.allowSelfApproval, approvers: await approvers.approvers() };
  }

  /** The confirmation's fate as the store has it: posted (its ts stored), given up (the request closed), or not yet known. */
  async function confirmationInStore(id: string): Promise<ConfirmationResult | null> {
    const stored = await store.getRequest(id);
    if (stored?.messageTs) return { posted: true };
    if (stored?.state !== 'cancelled') return null;
    const detail = (await store.transitions(id)).at(-1)?.detail;
    if (detail?.reason !== 'confirmation_not_posted') return null;
    return { posted: false, slackError: String(detail.slackError) };
  }

  // ---- step 3: a click --------------------------------------------------------------------------

  async function decide(click: ClickContext): Promise<void> {
    const tell = (text: string) =>
      announcer.tellPrivately(click.channelId, click.userId, text).catch((error: unknown) => log.warn({ err: error }, 'could not tell the clicker'));
    const request = await store.getRequest(click.requestId);
    // The button's value is only a hint: the request must be ours, in this very message, of this workspace
    // (or, on an Enterprise Grid org-wide install where `team` is null, of this organisation).
    const sameWorkspace =
      request !== null &&
      (click.teamId !== null ? request.teamId === click.teamId : request.enterpriseId !== null && request.enterpriseId === click.enterpriseId);
    if (!request || !sameWorkspace || request.channelId !== click.channelId || request.messageTs !== click.messageTs) {
      log.warn({ click }, 'click on a button that matches no request');
      await tell(refusalText('unknown_request', null));
      return;
    }
    // The signed payload names the clicker's own organisation: in a Slack Connect channel it can be another one.
    const claimsForeign =
      (click.userTeamId !== null || click.userEnterpriseId !== null) &&
      !belongsTo({ teamId: click.userTeamId, enterpriseId: click.userEnterpriseId, external: false }, request);
    if (claimsForeign) return refuseClick(request, click, 'foreign_user', tell);
    let allowed;
    try {
      const [person, rules] = await Promise.all([people.describe(click.userId), approvalRules()]);
      allowed = mayDecide(request, person, click.decision, rules);
    } catch (error) {
      log.warn({ err: error }, 'could not check the clicker or the approver list with Slack');
      await tell(refusalText('approvers_unavailable', request));
      return;
    }
    if (!allowed.ok) return refuseClick(request, click, allowed.refusal, tell);
    const approving = click.decision === 'approve';
    // "Approved by … deleting…" goes out while the deletion starts: it is not on the way to the outcome.
    const result = await apply(
      request,
      { type: click.decision, actor: click.userId },
      { requireUnexpired: true, lease: approving, tell: approving ? ['message'] : ENDED },
    );
    if (!result.ok) {
      if (result.refusal === 'expired') await expire(result.request);
      await tell(refusalText(result.refusal, result.request));
      return;
    }
    crashPoint('after_decision');
    if (approving) await run(result.request);
  }

  // ---- step 4-5: deleting -----------------------------------------------------------------------

  /** Runs a request this process holds the lease on, once per process. */
  function run(request: DeletionRequest): Promise<void> {
    const existing = running.get(request.id);
    if (existing) return existing;
    const work = track(`delete ${request.id}`, () => carryOut(request)).finally(() => running.delete(request.id));
    running.set(request.id, work);
    return work;
  }

  async function finish(request: DeletionRequest, event: LifecycleEvent, detail?: Record<string, unknown>) {
    const result = await apply(request, event, { lease: true, tell: ENDED, ...(detail ? { detail } : {}) });
    if (!result.ok) log.warn({ requestId: request.id, refusal: result.refusal }, 'lost the request to another worker');
  }

  async function carryOut(approved: DeletionRequest): Promise<void> {
    let request = approved;
    const ids: string[] = [];
    if (request.state === 'approved') {
      let lookup;
      try {
        lookup = await offers.getOffer(request.offer.id);
      } catch (error) {
        if (error instanceof AdobeError && error.requestId) ids.push(error.requestId);
        const outcome: Outcome = {
          reason: 'lookup_failed',
          summary: `offer-bot could not look the offer up again before deleting: ${describeAdobeFailure(error)}. No DELETE was sent.`,
          adobeRequestIds: ids,
          ...(error instanceof AdobeError && error.status !== null ? { status: error.status } : {}),
        };
        await finish(request, { type: 'abort', outcome });
        return;
      }
      if (lookup.requestId) ids.push(lookup.requestId);
      if (lookup.found) {
        const changed = describeChange(request.offer, lookup.offer);
        if (changed) {
          await finish(request, {
            type: 'abort',
            outcome: {
              reason: 'offer_changed',
              summary: `the offer changed after the request (${changed}), so it was not deleted. Ask again if it should still go.`,
              adobeRequestIds: ids,
            },
          });
          return;
        }
      }
      const started = await apply(request, { type: 'start_delete' }, { lease: true });
      if (!started.ok) return;
      request = started.request;
      if (!lookup.found) {
        await finish(request, {
          type: 'finish',
          result: 'deleted',
          outcome: {
            reason: 'already_gone',
            summary: 'Someone else deleted the offer before the approval; offer-bot sent no DELETE.',
            adobeRequestIds: ids,
            alreadyGone: true,
          },
        });
        return;
      }
      let settled: DeleteSettled;
      try {
        settled = { result: await offers.deleteOffer(request.offer.id) };
        crashPoint('after_delete_answered');
      } catch (error) {
        log.warn({ err: error, requestId: request.id }, 'DELETE failed');
        settled = { error };
      }
      const attempts = attemptsOf(settled);
      for (const attempt of attempts) if (attempt.requestId) ids.push(attempt.requestId);
      const ended = await ending(request, deleteAnswer(settled), ids);
      crashPoint('after_verification');
      await finish(request, ended, { deleteAttempts: auditedAttempts(attempts) });
      return;
    }
    // A deletion left in flight (state deleting): the DELETE may have been sent, so never send another; verify.
    await finish(request, await ending(request, { kind: 'resumed' }, ids));
  }

  /** Checks what the DELETE's answer calls for, then words the outcome. */
  async function ending(request: DeletionRequest, answer: DeleteAnswer, ids: string[]): Promise<LifecycleEvent> {
    const end = await deletionEnd(answer, { untilGone: () => verify(request, ids), once: () => check(request, ids) }, settings.verifyTimeoutMs);
    return { type: 'finish', result: resultOf(end), outcome: { ...outcomeFacts(end, ids), summary: deletionSummary(end) } };
  }

  /** One GET: gone (404), still there, or the check failed. */
  async function check(request: DeletionRequest, ids: string[]): Promise<Check> {
    try {
      const found = await offers.getOffer(request.offer.id);
      if (found.requestId) ids.push(found.requestId);
      return found.found ? { gone: false, last: { found: true } } : { gone: true };
    } catch (error) {
      if (error instanceof AdobeError && error.requestId) ids.push(error.requestId);
      return { gone: false, last: { error } };
    }
  }

  /** GETs until 404 within the verification window: the first at once, then backing off. */
  async function verify(request: DeletionRequest, ids: string[]): Promise<Check> {
    const deadline = now() + settings.verifyTimeoutMs;
    let wait = VERIFY_FIRST_WAIT_MS;
    for (;;) {
      const seen = await check(request, ids);
      const left = deadline - now();
      if (seen.gone || left <= 0) return seen;
      await sleep(Math.min(wait, left));
      wait = Math.min(wait * 2, VERIFY_MAX_WAIT_MS);
    }
  }

  // ---- expiry and recovery ----------------------------------------------------------------------

  async function expire(request: DeletionRequest): Promise<void> {
    await apply(request, { type: 'expire' }, { tell: ENDED });
  }

  /** Marks expired requests and finishes deletions whose worker died; safe to run in every replica. */
  async function sweep(options: { startingUp?: boolean } = {}): Promise<void> {
    deliver();
    const at = now();
    for (const request of await store.expiredPending(at, SWEEP_BATCH)) await expire(request);
    // At start a single-replica store may take back its own leases at once: the process that held them is us, restarted.
    const leaseHorizon = options.startingUp && !store.sharedByReplicas ? Number.MAX_SAFE_INTEGER : at;
    for (const request of await store.unfinished(leaseHorizon, SWEEP_BATCH)) {
      if (running.has(request.id)) continue;
      if (!(await store.claim(request.id, owner, now(), now() + leaseMs))) continue;
      const claimed = await store.getRequest(request.id);
      if (claimed) {
        log.info({ requestId: claimed.id, state: claimed.state }, 'resuming a deletion left unfinished');
        void run(claimed);
      }
    }
    await pruneOutbox(store, settings.outboxRetentionMs, at, log);
  }

  return {
    owner,
    // Whatever breaks inside (the database, most likely), the person who acted hears about it.
    requestDeletion: (context: CommandContext, offerId: string, reason: string) =>
      track('request', () =>
        requestDeletion(context, offerId, reason).catch(async (error: unknown) => {
          await replyReliably(context.reply)(`offer-bot could not handle this request (${errorCode(error)}); nothing was deleted. Try again shortly.`);
          throw error;
        }),
      ),
    decide: (click: ClickContext) =>
      track('decide', () =>
        decide(click).catch(async (error: unknown) => {
          await announcer.tellPrivately(click.channelId, click.userId, `offer-bot could not record your click (${errorCode(error)}). Try again shortly.`);
          throw error;
        }),
      ),
    sweep: (options?: { startingUp?: boolean }) => track('sweep', () => sweep(options)),
    /** Stops starting Slack delivery rounds (before shutdown); owed messages stay in the outbox for the next start. */
    stopDelivery: () => delivery.stop(),
    /** Waits for the work in flight, at most `timeoutMs`; says whether everything finished. */
    async drain(timeoutMs: number): Promise<boolean> {
      // Work in flight starts more work (a transition starts a Slack delivery): wait until none is left.
      const deadline = Date.now() + timeoutMs;
      while (tasks.size > 0 && Date.now() < deadline) {
        // An unref'd timer: waiting must not keep a process alive that has nothing else to do.
        await Promise.race([Promise.allSettled([...tasks]), new Promise((resolve) => setTimeout(resolve, deadline - Date.now()).unref())]);
      }
      return tasks.size === 0;
    },
  };
}

export type Workflow = ReturnType<typeof createWorkflow>;

/** Answers through Slack's response_url can fail (it answers 5xx at times): a few tries, then a log line, never an error. */
function replyReliably(reply: (text: string) => Promise<void>): (text: string) => Promise<void> {
  return async (text) => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await reply(text);
        return;
      } catch (error) {
        if (attempt >= REPLY_ATTEMPTS) throw new ReplyError(error);
        await sleep(REPLY_RETRY_MS * attempt);
      }
    }
  };
}

/** The requester could not be answered; what they asked for still happened (or did not) as recorded. */
class ReplyError extends Error {
  readonly code = 'reply_failed';
  constructor(cause: unknown) {
    super('could not answer the requester through Slack', { cause });
  }
}

/** A short, secret-free name for an unexpected failure. */
const errorCode = (error: unknown): string => (error as { code?: unknown }).code?.toString() ?? 'internal error';

function describeChange(before: OfferSnapshot, after: Offer): string | null {
  const etag = after.etag === undefined ? null : String(after.etag);
  const modified = after.modified ?? null;
  if (etag === before.etag && modified === before.modified) return null;
  const parts = [
    etag !== before.etag ? `etag ${before.etag ?? 'none'} → ${etag ?? 'none'}` : null,
    modified !== before.modified ? `modified ${modified ?? 'unknown'}${after.lastModifiedBy ? ` by ${after.lastModifiedBy}` : ''}` : null,
  ].filter(Boolean);
  return parts.join(', ');
}
