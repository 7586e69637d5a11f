// What a person alone is told: answers to a command, refusals of a click, notes sent directly, and the usage text.
import type { RequestRefusal } from '../../deletion/approval-policy.js';
import type { ParseProblem } from '../../deletion/command.js';
import type { ClickerNews, ClickRefusal, RequesterNews } from '../../deletion/news.js';
import type { OutboxKind } from '../../deletion/ports.js';
import type { DeletionRequest } from '../../deletion/request.js';
import { OFFER_COMMAND } from '../constants.js';
import type { MessageId } from '../i18n/en.js';
import { english, type Translate } from '../i18n/translator.js';
import { stateLine } from './confirmation.js';
import { channel, code, escapeText, plainCode, slackDate, user } from './mrkdwn.js';
import { describeAdobeFailure } from './outcome.js';

/** Slack errors that mean offer-bot is not in the channel it was asked to post in. */
const NOT_IN_CHANNEL = ['not_in_channel', 'channel_not_found'];

/** The answer to the requester, through their command's response_url. */
export function requesterText(news: RequesterNews, t: Translate = english): string {
  switch (news.type) {
    case 'request_refused':
      return t(REQUEST_REFUSAL[news.refusal]);
    case 'sandbox_refused':
      return t(news.refusal === 'sandbox_unknown' ? 'sandbox.unknown' : 'sandbox.notAllowed', {
        requested: plainCode(news.requested),
        allowed: news.allowed.map(plainCode).join(', '),
      });
    case 'over_limit':
      return t('reply.overLimit', { open: news.open });
    case 'already_requested':
      return existingRequestText(news.existing, news.visible, t);
    case 'lookup_failed':
      return t('reply.lookupFailed', { offerId: plainCode(news.offerId), sandbox: plainCode(news.sandbox), failure: describeAdobeFailure(news.failure, t) });
    case 'offer_not_found':
      return t('reply.offerNotFound', { offerId: plainCode(news.offerId), sandbox: plainCode(news.sandbox) });
    case 'confirmation_slow':
      return t('reply.confirmationSlow', { offerId: plainCode(news.offerId) });
    case 'confirmation_posted':
      return t('reply.confirmationPosted', { offerId: plainCode(news.offerId) });
    case 'confirmation_refused':
      return NOT_IN_CHANNEL.includes(news.slackError) ? t('reply.notInChannel') : t('reply.confirmationRefused', { slackError: news.slackError });
    case 'internal_failure':
      return t('reply.internalFailure', { code: news.code });
  }
}

/** What the clicker alone is told. */
export function clickerText(news: ClickerNews, t: Translate = english): string {
  switch (news.type) {
    case 'click_refused':
      return refusalText(news.refusal, news.request, t);
    case 'restore_refused':
      return restoreRefusalText(news, t);
    case 'restore_requested':
      return t('restore.requested', { offerId: plainCode(news.request.offer.id) });
    case 'internal_failure':
      return t('click.internalFailure', { code: news.code });
  }
}

/** Why a Restore click made no restore request. */
function restoreRefusalText(news: Extract<ClickerNews, { type: 'restore_refused' }>, t: Translate): string {
  switch (news.refusal) {
    case 'unknown_request':
      return t('click.unknownRequest');
    case 'foreign_user':
      return t('click.foreignUser');
    case 'guest_requests_off':
    case 'people_unavailable':
      return t(REQUEST_REFUSAL[news.refusal]);
    case 'not_deleted':
      return t('restore.refused.notDeleted', { state: t(`requestState.${news.request?.state ?? 'pending'}`) });
    case 'window_closed':
      return t('restore.refused.windowClosed', { until: slackDate(news.until ?? 0, t) });
    case 'already_restoring':
      return t('restore.refused.already', {
        state: t(`requestState.${news.existing?.state ?? 'pending'}`),
        requester: user(news.existing?.requesterId ?? ''),
      });
    case 'over_limit':
      return t('restore.refused.overLimit');
  }
}

/** A direct message to the requester when a later write to the channel was given up on. */
export function gapText(request: DeletionRequest, kind: Extract<OutboxKind, 'message' | 'outcome'>, slackError: string, t: Translate = english): string {
  return t(request.action === 'restore' ? 'restore.gap.text' : 'gap.text', {
    what: t(kind === 'outcome' ? 'gap.outcome' : 'gap.update'),
    channel: `<#${request.channelId}>`,
    slackError,
    offerId: plainCode(request.offer.id),
    state: t(`requestState.${request.state}`),
  });
}

/** What the requester alone is told when the policy refuses a command. */
const REQUEST_REFUSAL: Record<RequestRefusal | 'people_unavailable', MessageId> = {
  foreign_user: 'reply.foreignUser',
  guest_requests_off: 'reply.guestRequestsOff',
  people_unavailable: 'reply.peopleUnavailable',
};

/**
 * Why a second request for an offer was refused. Names the other request's channel and requester only when
 * `visible` (the reader can see that channel); a private channel's name and people stay private.
 */
function existingRequestText(existing: DeletionRequest, visible: boolean, t: Translate): string {
  const offerId = code(existing.offer.id);
  const sandbox = code(existing.sandbox);
  if (visible) {
    return t('reply.alreadyRequested', {
      offerId,
      sandbox,
      requester: user(existing.requesterId),
      channel: channel(existing.channelId),
      state: t(`requestState.${existing.state}`),
    });
  }
  const then = existing.state === 'pending' ? t('reply.hiddenPending', { expires: slackDate(existing.expiresAt, t) }) : t('reply.hiddenUnderWay');
  return t('reply.alreadyRequestedHidden', { offerId, sandbox, then });
}

/** What the clicker alone is told when a click changes nothing, by refusal (the decided ones name the state). */
const CLICK_REFUSAL: Record<Exclude<ClickRefusal, 'already_decided' | 'invalid_transition' | 'already_approved'>, MessageId> = {
  own_request: 'click.ownRequest',
  not_an_approver: 'click.notAnApprover',
  not_the_requester: 'click.notTheRequester',
  foreign_user: 'click.foreignUser',
  guest: 'click.guest',
  expired: 'click.expired',
  unknown_request: 'click.unknownRequest',
  approvers_unavailable: 'click.approversUnavailable',
  form_unavailable: 'click.formUnavailable',
};

function refusalText(refusal: ClickRefusal, request: DeletionRequest | null, t: Translate): string {
  if (refusal === 'already_approved')
    return t('click.alreadyApproved', { remaining: request ? Math.max(request.requiredApprovals - request.approvals.length, 1) : 1 });
  if (refusal !== 'already_decided' && refusal !== 'invalid_transition') return t(CLICK_REFUSAL[refusal]);
  return request ? t('click.alreadyDecidedAs', { state: stateLine(request, t).replace(/^:[a-z_]+: /, '') }) : t('click.alreadyDecided');
}

/** Why the parser could not read a command, from its code and facts, in the reader's language. */
export function parseProblemText(problem: ParseProblem, t: Translate = english): string {
  switch (problem.code) {
    case 'unknown_verb':
      return t('parse.unknownVerb', { verb: escapeText(problem.verb), command: OFFER_COMMAND });
    case 'missing_offer_id':
      return t('parse.missingOfferId', { command: OFFER_COMMAND });
    case 'offer_id_too_long':
      return t('parse.offerIdTooLong', { max: problem.maxLength });
    case 'not_an_offer_id':
      return t('parse.notAnOfferId');
    case 'reason_too_long':
      return t('parse.reasonTooLong', { max: problem.maxLength });
    case 'history_extra_words':
      return t('parse.historyExtraWords', { command: OFFER_COMMAND });
    case 'sandbox_twice':
      return t('parse.sandboxTwice');
    case 'sandbox_name_missing':
      return t('parse.sandboxNameMissing');
    case 'not_a_sandbox_name':
      return t('parse.notASandboxName', { name: escapeText(problem.name) });
    case 'missing_search_text':
      return t('parse.missingSearchText', { command: OFFER_COMMAND });
    case 'search_text_too_long':
      return t('parse.searchTextTooLong', { max: problem.maxLength });
  }
}

/** `/offer help`, and what follows a command offer-bot could not read; `--sandbox` is shown where the channel has a choice. */
export const usage = (t: Translate = english, sandboxes: readonly string[] = []): string =>
  [
    t('usage.intro', { command: OFFER_COMMAND }),
    t('usage.delete', { command: OFFER_COMMAND }),
    ...(sandboxes.length > 1 ? [t('sandbox.usage', { command: OFFER_COMMAND, allowed: sandboxes.map(plainCode).join(', ') })] : []),
    t('usage.find', { command: OFFER_COMMAND }),
    t('usage.history', { command: OFFER_COMMAND }),
    t('usage.help', { command: OFFER_COMMAND }),
    t('usage.offerIds'),
  ].join('\n');

export const usageText = usage();

/**
 * Acks of a command refused before any work (the payload, the workspace, the channel), and the look-up's first answer.
 * `malformed` and `otherWorkspace` are only ever English (`commandText`): they are written before a reader is known.
 */
export const commandTexts = (t: Translate = english) => ({
  malformed: t('command.malformed'),
  otherWorkspace: t('command.otherWorkspace'),
  onlyIn: (channels: readonly string[]) => t('command.onlyIn', { command: OFFER_COMMAND, channels: channels.map((id) => `<#${id}>`).join(', ') }),
  invalid: (problem: ParseProblem, sandboxes: readonly string[] = []) => `${parseProblemText(problem, t)}\n\n${usage(t, sandboxes)}`,
  lookingUp: (offerId: string, sandbox: string) => t('command.lookingUp', { offerId: plainCode(offerId), sandbox: plainCode(sandbox) }),
  historyFailed: (errorCode: string) => t('command.historyFailed', { code: errorCode }),
  formOpenFailed: (errorCode: string) => t('form.openFailed', { code: errorCode, command: OFFER_COMMAND }),
});

export const commandText = commandTexts();
