// Use case: `/offer delete` — who asks, whether they may, the offer as Adobe has it, the stored request, its confirmation.
import { randomUUID } from 'node:crypto';
import { mayRequest, maySupersede, type Person } from './approval-policy.js';
import { approvalRules, FINAL_WRITES, OWN_ENDING_WRITES, requiredApprovalsIn, type Core } from './core.js';
import { failureFacts, type Offer } from './ports.js';
import { replyReliably, type Reply } from './reply.js';
import type { DeletionRequest, OfferSnapshot } from './request.js';
import { chooseSandbox } from './sandboxes.js';

/** Who asked, where, and how to answer them privately (Slack's response_url). */
export interface CommandContext {
  teamId: string;
  /** The Enterprise Grid organisation, when the workspace is part of one. */
  enterpriseId: string | null;
  channelId: string;
  userId: string;
  reply: Reply;
}

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

export function createRequestDeletion(core: Core) {
  const { settings, ports, apply } = core;
  const { store, offers, people, channels, clock, log } = ports;

  async function refuseOverLimit(context: CommandContext, open: number): Promise<void> {
    log.warn({ userId: context.userId, open, max: settings.maxOpenPerUser }, 'per-user limit on open requests reached');
    await context.reply({ type: 'over_limit', open });
  }

  /** Names the other request's channel and requester only to someone who can see that channel. */
  async function refuseExisting(context: CommandContext, existing: DeletionRequest): Promise<void> {
    let visible = existing.channelId === context.channelId || existing.channelPrivate === false;
    if (!visible) visible = (await channels.privateChannelsOf(context.userId).catch(() => [] as string[])).includes(existing.channelId);
    await context.reply({ type: 'already_requested', existing, visible });
  }

  return async function requestDeletion(asked: CommandContext, offerId: string, reason: string, requestedSandbox?: string): Promise<void> {
    const context = { ...asked, reply: replyReliably(asked.reply, clock.sleep) };
    // First of all: a sandbox the channel may not use must not cost a look-up in Slack or Adobe, nor store anything.
    const choice = chooseSandbox(settings.sandboxes, context.channelId, requestedSandbox);
    if (!choice.ok) {
      log.warn({ userId: context.userId, channelId: context.channelId, requested: choice.requested, refusal: choice.refusal }, 'sandbox refused');
      await context.reply({ type: 'sandbox_refused', refusal: choice.refusal, requested: choice.requested, allowed: choice.allowed });
      return;
    }
    const { sandbox } = choice;
    // Who asks, how many they have open and whether the offer is free are settled before Adobe is asked anything,
    // so the shared credential cannot be spent on look-ups that would be refused anyway.
    let person: Person;
    try {
      person = await people.describe(context.userId);
    } catch (error) {
      log.warn({ err: error, userId: context.userId }, 'could not look the requester up in Slack');
      await context.reply({ type: 'request_refused', refusal: 'people_unavailable' });
      return;
    }
    const allowed = mayRequest(person, { teamId: context.teamId, enterpriseId: context.enterpriseId }, { allowGuestRequests: settings.allowGuestRequests });
    if (!allowed.ok) {
      log.warn({ userId: context.userId, refusal: allowed.refusal }, 'request refused by the policy');
      await context.reply({ type: 'request_refused', refusal: allowed.refusal });
      return;
    }
    const open = await store.countOpen(context.userId);
    if (open >= settings.maxOpenPerUser) return refuseOverLimit(context, open);
    const existing = await store.openRequestFor(sandbox, offerId);
    let superseding: DeletionRequest | null = null;
    if (existing) {
      const rules = await approvalRules(core, existing.sandbox).catch(() => null);
      // Only from another channel: in this one the person can simply decide the request in front of them.
      if (rules && existing.channelId !== context.channelId && maySupersede(existing, person, rules)) superseding = existing;
      else return refuseExisting(context, existing);
    }
    let lookup;
    try {
      lookup = await offers.getOffer(sandbox, offerId);
    } catch (error) {
      log.warn({ err: error, offerId, sandbox }, 'offer look-up failed');
      await context.reply({ type: 'lookup_failed', offerId, sandbox, failure: failureFacts(error) });
      return;
    }
    if (!lookup.found) {
      await context.reply({ type: 'offer_not_found', offerId, sandbox });
      return;
    }
    ports.failpoints('after_lookup');
    const createdAt = clock.now();
    const id = randomUUID();
    if (superseding) {
      // Parked elsewhere (perhaps in a private channel): an entitled person takes the offer's request over, on the record.
      await apply(
        superseding,
        { type: 'cancel', actor: context.userId, outcome: { reason: 'superseded', adobeRequestIds: [] } },
        {
          requireUnexpired: true,
          detail: { reason: 'superseded', supersededBy: id },
          tell: superseding.requesterId === context.userId ? OWN_ENDING_WRITES : FINAL_WRITES,
        },
      );
    }
    const created = await store.createRequest({
      id,
      teamId: context.teamId,
      enterpriseId: context.enterpriseId,
      channelId: context.channelId,
      channelPrivate: await channels.isPrivate(context.channelId),
      sandbox,
      offer: snapshot(lookup.offer, lookup.json),
      requesterId: context.userId,
      reason,
      createdAt,
      expiresAt: createdAt + settings.ttlMs,
      requiredApprovals: requiredApprovalsIn(settings, sandbox),
      maxOpenPerRequester: settings.maxOpenPerUser,
    });
    if (!created.ok) {
      if ('limitReached' in created) return refuseOverLimit(context, created.limitReached);
      return refuseExisting(context, created.existing);
    }
    const request = created.request;
    log.info({ audit: true, requestId: request.id, offerId, sandbox, actor: context.userId, from: null, to: 'pending' }, 'audit');
    // Listening starts before the delivery does, so a quick confirmation cannot be missed.
    const confirmed = ports.outbox.confirmationOf(request.id);
    core.deliver(request);
    const result = await confirmed;
    if (result === null) await context.reply({ type: 'confirmation_slow', offerId });
    else if (result.posted) await context.reply({ type: 'confirmation_posted', offerId });
    else await context.reply({ type: 'confirmation_refused', offerId, slackError: result.slackError });
  };
}
