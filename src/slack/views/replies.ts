// What a person alone is told: answers to a command, refusals of a click, notes sent directly, and the usage text.
import type { RequestRefusal } from '../../deletion/approval-policy.js';
import type { ClickerNews, ClickRefusal, RequesterNews } from '../../deletion/news.js';
import type { OutboxKind } from '../../deletion/ports.js';
import type { DeletionRequest } from '../../deletion/request.js';
import { OFFER_COMMAND } from '../constants.js';
import { stateLine } from './confirmation.js';
import { channel, code, plainCode, slackDate, user } from './mrkdwn.js';
import { describeAdobeFailure } from './outcome.js';

/** Slack errors that mean offer-bot is not in the channel it was asked to post in. */
const NOT_IN_CHANNEL = ['not_in_channel', 'channel_not_found'];

/** The answer to the requester, through their command's response_url. */
export function requesterText(news: RequesterNews): string {
  switch (news.type) {
    case 'request_refused':
      return requestRefusalText(news.refusal);
    case 'over_limit':
      return limitText(news.open);
    case 'already_requested':
      return existingRequestText(news.existing, news.visible);
    case 'lookup_failed':
      return `I could not look up offer ${plainCode(news.offerId)} in sandbox ${plainCode(news.sandbox)}: ${describeAdobeFailure(news.failure)}. Nothing was posted.`;
    case 'offer_not_found':
      return `Sandbox ${plainCode(news.sandbox)} has no personalized offer ${plainCode(news.offerId)}. Nothing was posted.`;
    case 'confirmation_slow':
      return `Your request to delete ${plainCode(news.offerId)} is recorded; Slack is slow to take the confirmation, which will appear in the channel shortly.`;
    case 'confirmation_posted':
      return `Posted your request to delete ${plainCode(news.offerId)}. Someone else must approve it before it expires.`;
    case 'confirmation_refused':
      return NOT_IN_CHANNEL.includes(news.slackError)
        ? 'I am not a member of this channel, so I could not post the request. Invite me with `/invite @offer-bot`, then ask again. Nothing was posted.'
        : `Slack refused the confirmation message (${news.slackError}); nothing was posted and nothing will be deleted.`;
    case 'internal_failure':
      return `offer-bot could not handle this request (${news.code}); nothing was deleted. Try again shortly.`;
  }
}

/** What the clicker alone is told. */
export function clickerText(news: ClickerNews): string {
  return news.type === 'click_refused' ? refusalText(news.refusal, news.request) : `offer-bot could not record your click (${news.code}). Try again shortly.`;
}

/** A direct message to the requester when a later write to the channel was given up on. */
export function gapText(request: DeletionRequest, kind: Exclude<OutboxKind, 'confirmation'>, slackError: string): string {
  const what = kind === 'outcome' ? 'the outcome in its thread' : 'the update of its message';
  return `offer-bot could not post ${what} in <#${request.channelId}> (${slackError}). Your request to delete \`${request.offer.id}\` is ${request.state}.`;
}

/** What the requester alone is told when the policy refuses a command. */
function requestRefusalText(refusal: RequestRefusal | 'people_unavailable'): string {
  switch (refusal) {
    case 'foreign_user':
      return 'You belong to another Slack organisation than this workspace, so offer-bot takes no requests from you here. Nothing was done.';
    case 'guest_requests_off':
      return 'Guests cannot ask for offer deletions in this workspace (OFFER_ALLOW_GUEST_REQUESTS=false). Nothing was done.';
    case 'people_unavailable':
      return 'I could not check your Slack account just now; nothing was done. Try again in a moment.';
  }
}

function limitText(open: number): string {
  return (
    `You already have ${open} open deletion ${open === 1 ? 'request' : 'requests'}, the most one person may have at once (OFFER_MAX_OPEN_PER_USER). ` +
    'Wait until one is decided, or cancel one, then ask again; `/offer history` lists them. Nothing was posted.'
  );
}

/**
 * Why a second request for an offer was refused. Names the other request's channel and requester only when
 * `visible` (the reader can see that channel); a private channel's name and people stay private.
 */
function existingRequestText(existing: DeletionRequest, visible: boolean): string {
  if (visible) {
    return `There is already an open request to delete ${code(existing.offer.id)} (by ${user(existing.requesterId)} in ${channel(existing.channelId)}, ${existing.state}). Decide that one first.`;
  }
  const then =
    existing.state === 'pending'
      ? ` It waits for a decision until ${slackDate(existing.expiresAt)}; an approver who asks again here takes it over.`
      : ' Its deletion is under way.';
  return `There is already an open request to delete ${code(existing.offer.id)} in a channel you cannot see.${then} Nothing was posted.`;
}

/** What the clicker alone is told when a click changes nothing. */
function refusalText(refusal: ClickRefusal, request: DeletionRequest | null): string {
  switch (refusal) {
    case 'own_request':
      return 'You cannot approve your own request: someone else must approve it.';
    case 'not_an_approver':
      return 'You are not on the list of people who may approve or reject offer deletions (OFFER_APPROVERS).';
    case 'not_the_requester':
      return 'Only the person who asked for this deletion can cancel it.';
    case 'foreign_user':
      return 'You belong to another Slack organisation than this request, so you cannot decide it; nothing was changed.';
    case 'guest':
      return 'Guests cannot approve or reject offer deletions; nothing was changed. Ask a full member of the workspace.';
    case 'expired':
      return 'This request has expired; nothing was deleted. Ask again with `/offer delete` if it is still needed.';
    case 'already_decided':
    case 'invalid_transition':
      return request ? `This request was already decided: ${stateLine(request).replace(/^:[a-z_]+: /, '')}` : 'This request was already decided.';
    case 'unknown_request':
      return 'This button does not belong to a deletion request I know; nothing was changed.';
    case 'approvers_unavailable':
      return 'I could not check with Slack who you are or who may approve just now; nothing was changed. Try again in a moment.';
  }
}

export const usageText = [
  `*${OFFER_COMMAND}* deletes a personalized offer from Adobe Journey Optimizer's Offer Library, after a second person approves.`,
  `• \`${OFFER_COMMAND} delete <offer-id> [reason]\` asks for the deletion; the request is posted here for approval.`,
  `• \`${OFFER_COMMAND} history [offer-id]\` shows you the latest requests (or one offer's): who asked, when, how each ended and a link to its thread.`,
  `• \`${OFFER_COMMAND} help\` shows this.`,
  'Offer ids look like `dps:personalized-offer:1a4c514f745dbd7c`.',
].join('\n');

/** Acks of a command refused before any work (the payload, the workspace, the channel), and the look-up's first answer. */
export const commandText = {
  malformed: 'Slack sent this command without the fields offer-bot needs; nothing was done.',
  otherWorkspace: 'This offer-bot serves another Slack workspace, so it takes no commands from this one. Nothing was done.',
  onlyIn: (channels: readonly string[]) => `${OFFER_COMMAND} works only in ${channels.map((id) => `<#${id}>`).join(', ')}. Nothing was done.`,
  invalid: (problem: string) => `${problem}\n\n${usageText}`,
  lookingUp: (offerId: string, sandbox: string) => `Looking up offer ${plainCode(offerId)} in sandbox ${plainCode(sandbox)}…`,
  historyFailed: (errorCode: string) => `offer-bot could not read the history just now (${errorCode}). Try again shortly.`,
};
