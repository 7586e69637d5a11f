// Use case: restore a deleted offer — the Restore click makes a request of its own (same approvals), then one POST, verified.
import { randomUUID } from 'node:crypto';
import { belongsTo, mayRequest } from './approval-policy.js';
import { FINAL_WRITES, requiredApprovalsIn, type Core } from './core.js';
import { auditedAttempts } from './delete-outcome.js';
import type { LifecycleEvent } from './lifecycle.js';
import type { ClickerNews, RestoreRefusal } from './news.js';
import { failureFacts, isCatalogueFailure, neverSent, type Attempt, type CreatedOffer } from './ports.js';
import type { DeletionRequest, FailureFacts, Outcome } from './request.js';
import { VERIFY_FIRST_WAIT_MS, VERIFY_MAX_WAIT_MS } from './verify.js';

/**
 * Fields the Offer Library sets itself (the reference: id, etag, created, modified, createdBy, lastModifiedBy, sandboxId;
 * and what its answers carry about the stored object: `repo:…` fields, `_links`, `_instance`): never sent in a create.
 */
export const SERVER_SET_FIELDS = ['id', 'etag', 'created', 'modified', 'createdBy', 'lastModifiedBy', 'sandboxId', '_links', '_instance', '@id'];
const SERVER_SET_PREFIXES = ['repo:'];

/** The body of the POST that re-creates an offer from its stored JSON: everything but the server-set fields. */
export function restoreBody(offerJson: string): Record<string, unknown> {
  const stored = JSON.parse(offerJson) as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(stored).filter(([field]) => !SERVER_SET_FIELDS.includes(field) && !SERVER_SET_PREFIXES.some((prefix) => field.startsWith(prefix))),
  );
}

export interface RestoreClick {
  /** The deleted request whose outcome reply carried the button (its value: a hint only). */
  requestId: string;
  teamId: string | null;
  enterpriseId: string | null;
  channelId: string;
  /** The thread the clicked message is in: it must be the deletion's own. */
  threadTs: string | null;
  userId: string;
  userTeamId: string | null;
  userEnterpriseId: string | null;
}

const CLIENT_ERROR = { min: 400, max: 499 };

/** How the POST settled, before any check: created (with its id), refused, never sent, or unclear (perhaps created). */
type CreateAnswer =
  | { kind: 'created'; created: CreatedOffer }
  | { kind: 'refused'; error: unknown }
  | { kind: 'not_sent'; error: unknown }
  | { kind: 'unclear'; error: unknown };

function createAnswer(settled: { created: CreatedOffer } | { error: unknown }): CreateAnswer {
  if ('created' in settled) return { kind: 'created', created: settled.created };
  const { error } = settled;
  const attempts = isCatalogueFailure(error) ? error.attempts : [];
  // No attempt at all (no token could be had) or none that reached Adobe: nothing was created.
  if (attempts.every(neverSent)) return { kind: 'not_sent', error };
  // Every attempt that reached Adobe was answered with a 4xx: Adobe said it created nothing (a 429 included).
  const answeredNo = (attempt: Attempt) =>
    neverSent(attempt) || (attempt.status !== null && attempt.status >= CLIENT_ERROR.min && attempt.status <= CLIENT_ERROR.max);
  if (attempts.every(answeredNo) && isCatalogueFailure(error) && error.status !== null && error.status >= CLIENT_ERROR.min) {
    return { kind: 'refused', error };
  }
  return { kind: 'unclear', error };
}

export function createRestore(core: Core) {
  const { settings, ports, apply } = core;
  const { store, offers, people, notifier, clock, log, failpoints } = ports;

  async function requestRestore(click: RestoreClick): Promise<void> {
    const refuse = (refusal: RestoreRefusal, request: DeletionRequest | null, existing?: DeletionRequest) => {
      log.warn({ requestId: click.requestId, userId: click.userId, refusal }, 'restore refused');
      const until = request ? request.updatedAt + settings.restoreWindowMs : undefined;
      return notifier
        .tellClicker(click, { type: 'restore_refused', refusal, request, ...(existing ? { existing } : {}), ...(until !== undefined ? { until } : {}) })
        .catch((error: unknown) => log.warn({ err: error }, 'could not tell the clicker'));
    };
    const deleted = await store.getRequest(click.requestId);
    const sameWorkspace =
      deleted !== null &&
      (click.teamId !== null ? deleted.teamId === click.teamId : deleted.enterpriseId !== null && deleted.enterpriseId === click.enterpriseId);
    // Only a deletion's own thread, in its own channel, carries its Restore button.
    if (!deleted || !sameWorkspace || deleted.action !== 'delete' || deleted.channelId !== click.channelId || deleted.messageTs !== click.threadTs) {
      return refuse('unknown_request', null);
    }
    const claimsForeign =
      (click.userTeamId !== null || click.userEnterpriseId !== null) &&
      !belongsTo({ teamId: click.userTeamId, enterpriseId: click.userEnterpriseId, external: false }, deleted);
    if (claimsForeign) return refuse('foreign_user', deleted);
    try {
      const person = await people.describe(click.userId);
      const allowed = mayRequest(person, deleted, { allowGuestRequests: settings.allowGuestRequests });
      if (!allowed.ok) return refuse(allowed.refusal, deleted);
    } catch (error) {
      log.warn({ err: error }, 'could not look the clicker up in Slack');
      return refuse('people_unavailable', deleted);
    }
    if (deleted.state !== 'deleted') return refuse('not_deleted', deleted);
    const now = clock.now();
    if (now >= deleted.updatedAt + settings.restoreWindowMs) return refuse('window_closed', deleted);
    const open = await store.countOpen(click.userId);
    if (open >= settings.maxOpenPerUser) return refuse('over_limit', deleted);
    const created = await store.createRestore({
      id: randomUUID(),
      restoreOf: deleted,
      requesterId: click.userId,
      createdAt: now,
      expiresAt: now + settings.ttlMs,
      requiredApprovals: requiredApprovalsIn(settings, deleted.sandbox),
    });
    if (!created.ok)
      return refuse('limitReached' in created ? 'over_limit' : 'already_restoring', deleted, 'existing' in created ? created.existing : undefined);
    log.info(
      {
        audit: true,
        requestId: created.request.id,
        restoreOf: deleted.id,
        offerId: deleted.offer.id,
        sandbox: deleted.sandbox,
        actor: click.userId,
        from: null,
        to: 'pending',
      },
      'audit',
    );
    // "Posted" only once it is: listen for the confirmation before delivering it (a slow Slack still gets the same answer, late).
    const confirmation = ports.outbox.confirmationOf(created.request.id);
    core.deliver(created.request);
    const posted = await confirmation;
    const news: ClickerNews =
      posted && !posted.posted ? { type: 'internal_failure', code: posted.slackError } : { type: 'restore_requested', request: created.request };
    await notifier.tellClicker(click, news).catch((error: unknown) => log.warn({ err: error }, 'could not tell the clicker'));
  }

  /** The ids of the offers named like the deleted one, or the failure of the look-up. */
  async function named(request: DeletionRequest, ids: string[]): Promise<{ ids: string[] } | { failure: FailureFacts | null }> {
    try {
      const found = await offers.offersNamed(request.sandbox, request.offer.name);
      if (found.requestId) ids.push(found.requestId);
      return { ids: found.ids };
    } catch (error) {
      if (isCatalogueFailure(error) && error.requestId) ids.push(error.requestId);
      return { failure: failureFacts(error) };
    }
  }

  /** Polls until `seen` holds or the verification window ends: the first check at once, then backing off. */
  async function until<T>(check: () => Promise<T>, seen: (value: T) => boolean): Promise<T> {
    const deadline = clock.now() + settings.verifyTimeoutMs;
    let wait = VERIFY_FIRST_WAIT_MS;
    for (;;) {
      const value = await check();
      const left = deadline - clock.now();
      if (seen(value) || left <= 0) return value;
      await clock.sleep(Math.min(wait, left));
      wait = Math.min(wait * 2, VERIFY_MAX_WAIT_MS);
    }
  }

  /** After an unclear answer (or a resumed restore): an offer of that name that was not there before is ours; else unverified. */
  async function byName(request: DeletionRequest, before: readonly string[], ids: string[], base: Partial<Outcome>): Promise<LifecycleEvent> {
    const fresh = (found: { ids: string[] } | { failure: FailureFacts | null }) =>
      'ids' in found ? { ids: found.ids.filter((id) => !before.includes(id)) } : found;
    const seen = await until(
      async () => fresh(await named(request, ids)),
      (found) => 'ids' in found && found.ids.length > 0,
    );
    const outcome = (reason: Outcome['reason'], extra: Partial<Outcome> = {}): Outcome => ({ reason, adobeRequestIds: ids, ...base, byName: seen, ...extra });
    const [only, ...others] = 'ids' in seen ? seen.ids : [];
    if (only !== undefined && others.length === 0) return { type: 'finish_restore', result: 'restored', outcome: outcome('restored', { restoredId: only }) };
    return { type: 'finish_restore', result: 'unverified', outcome: outcome('restore_unanswered', { offerName: request.offer.name }) };
  }

  async function finish(request: DeletionRequest, event: LifecycleEvent, detail?: Record<string, unknown>) {
    const result = await apply(request, event, { lease: true, tell: FINAL_WRITES, ...(detail ? { detail } : {}) });
    if (!result.ok) log.warn({ requestId: request.id, refusal: result.refusal }, 'lost the restore to another worker');
  }

  /** From approved: what already has the name, then the one POST, then its check. */
  async function restoreApproved(approved: DeletionRequest, ids: string[]): Promise<void> {
    const before = await named(approved, ids);
    if (!('ids' in before)) {
      const outcome: Outcome = { reason: 'restore_not_sent', adobeRequestIds: ids, failure: before.failure };
      await finish(approved, { type: 'abort', outcome });
      return;
    }
    // The names seen before the POST go with the transition: a resumed restore needs them to tell its offer from others.
    const started = await apply(approved, { type: 'start_restore' }, { lease: true, detail: { namedBefore: before.ids } });
    if (!started.ok) return;
    const request = started.request;
    let settled: { created: CreatedOffer } | { error: unknown };
    try {
      settled = { created: await offers.createOffer(request.sandbox, restoreBody(request.offer.json)) };
      failpoints('after_create_answered');
    } catch (error) {
      log.warn({ err: error, requestId: request.id }, 'POST (create) failed');
      settled = { error };
    }
    const attempts = 'created' in settled ? settled.created.attempts : isCatalogueFailure(settled.error) ? settled.error.attempts : [];
    for (const attempt of attempts) if (attempt.requestId) ids.push(attempt.requestId);
    const detail = { createAttempts: auditedAttempts(attempts) };
    const answer = createAnswer(settled);
    const failed = (reason: 'restore_refused' | 'restore_not_sent', error: unknown): LifecycleEvent => ({
      type: 'finish_restore',
      result: 'failed',
      outcome: {
        reason,
        adobeRequestIds: ids,
        failure: failureFacts(error),
        ...(isCatalogueFailure(error) && error.status !== null ? { status: error.status } : {}),
        ...(isCatalogueFailure(error) && error.adobeMessage ? { adobeMessage: error.adobeMessage } : {}),
      },
    });
    switch (answer.kind) {
      case 'not_sent':
        return finish(request, failed('restore_not_sent', answer.error), detail);
      case 'refused':
        return finish(request, failed('restore_refused', answer.error), detail);
      case 'unclear':
        return finish(request, await byName(request, before.ids, ids, { failure: failureFacts(answer.error) }), detail);
      case 'created': {
        const newId = answer.created.id;
        const found = await until(
          async () => {
            try {
              const seen = await offers.getOffer(request.sandbox, newId);
              if (seen.requestId) ids.push(seen.requestId);
              return seen.found;
            } catch (error) {
              if (isCatalogueFailure(error) && error.requestId) ids.push(error.requestId);
              return false;
            }
          },
          (seen) => seen,
        );
        const result = found ? 'restored' : 'unverified';
        return finish(
          request,
          {
            type: 'finish_restore',
            result,
            outcome: {
              reason: found ? 'restored' : 'restore_not_confirmed',
              adobeRequestIds: ids,
              restoredId: newId,
              ...(found ? {} : { waitedMs: settings.verifyTimeoutMs }),
            },
          },
          detail,
        );
      }
    }
  }

  async function carryOut(request: DeletionRequest): Promise<void> {
    const ids: string[] = [];
    if (request.state === 'approved') return restoreApproved(request, ids);
    // A restore left in flight: the POST may have reached Adobe, so never send another; look for it by name.
    const started = (await store.transitions(request.id)).find((t) => t.to === 'restoring');
    const before = Array.isArray(started?.detail?.namedBefore) ? (started.detail.namedBefore as string[]) : [];
    await finish(request, await byName(request, before, ids, { resumed: true }));
  }

  return { requestRestore, carryOut };
}
