// How a request ended: the sentence (thread, history, audit export) from the outcome's facts in the reader's language, and the thread reply.
import { SYSTEM_ACTOR } from '../../deletion/lifecycle.js';
import type { Attempt } from '../../deletion/ports.js';
import type { DeletionRequest, FailureFacts, LastCheck, OfferChange, Outcome } from '../../deletion/request.js';
import type { types } from '@slack/bolt';
import { ACTION, EVENT_TYPE } from '../constants.js';
import { clip, code, escapeText, MAX_SECTION_TEXT, slackDate, user, verbatim, type MessageView } from './mrkdwn.js';
import { deciders, decisionComments } from './decisions.js';
import { requestMetadata } from './metadata.js';
import { english, type Translate } from '../i18n/translator.js';

const SERVER_ERROR_MIN = 500;
const MS_PER_SECOND = 1_000;

/** What the client said of a failed call, with its facts (status, Adobe's words, request id), in the reader's language. */
export function describeAdobeFailure(failure: FailureFacts | null | undefined, t: Translate = english): string {
  if (!failure) return t('outcome.failure.unexpected');
  const facts = [
    failure.status !== null ? t('outcome.failure.status', { status: String(failure.status) }) : null,
    failure.adobeMessage,
    failure.requestId ? t('outcome.failure.requestId', { requestId: failure.requestId }) : null,
  ].filter((fact): fact is string => Boolean(fact));
  // A list of facts, each worded whole: their order does not depend on the language.
  return facts.length > 0 ? t('outcome.failure.withFacts', { message: failure.message, facts: facts.join('; ') }) : failure.message;
}

const seconds = (ms: number | undefined) => Math.round((ms ?? 0) / MS_PER_SECOND);

/** What the last GET saw, as the values of a message's `check` select. */
const lastCheck = (last: LastCheck | undefined, t: Translate) =>
  !last || 'found' in last ? { check: 'found', failure: '' } : { check: 'failed', failure: describeAdobeFailure(last.failure, t) };

/** A DELETE whose answer does not say whether it was applied: a server error, or no answer at all. */
function unclear(attempt: Attempt | undefined, failure: FailureFacts | null | undefined, t: Translate) {
  const status = attempt?.status ?? null;
  const said =
    failure !== undefined
      ? describeAdobeFailure(failure, t)
      : status !== null
        ? t('outcome.failure.status', { status: String(status) })
        : t('outcome.failure.noAnswer', { error: attempt?.error ?? '' });
  return { answer: status !== null && status >= SERVER_ERROR_MIN ? 'serverError' : 'noAnswer', said };
}

/** Adobe's modification time as plain text in the reader's zone; kept as Adobe wrote it when it is not a date. */
function changed(change: OfferChange | undefined, t: Translate): string {
  const when = (iso: string | null) => {
    if (iso === null) return t('outcome.change.unknown');
    const ms = Date.parse(iso);
    return Number.isNaN(ms) ? iso : t.formatDateTime(ms);
  };
  const parts = [
    change?.etag
      ? t('outcome.change.etag', { before: change.etag.before ?? t('outcome.change.none'), after: change.etag.after ?? t('outcome.change.none') })
      : null,
    change?.modified
      ? change.modified.by
        ? t('outcome.change.modifiedBy', { after: when(change.modified.after), by: change.modified.by })
        : t('outcome.change.modified', { after: when(change.modified.after) })
      : null,
  ].filter((part): part is string => part !== null);
  return parts.join(', ');
}

/**
 * The outcome's sentence (plain text), worded from its facts in `t`'s language; an outcome stored by an earlier
 * version keeps the sentence it stored, as it stored it.
 */
export function outcomeSentence(outcome: Outcome, t: Translate = english): string {
  if (outcome.summary !== undefined) return outcome.summary;
  const failure = describeAdobeFailure(outcome.failure, t);
  switch (outcome.reason) {
    case 'superseded':
      return t('outcome.because.superseded');
    case 'lookup_failed':
      return t('outcome.because.lookupFailed', { failure });
    case 'offer_changed':
      return t('outcome.because.offerChanged', { changes: changed(outcome.change, t) });
    case 'deleted':
      return t('outcome.because.deleted', { resumed: outcome.resumed ? 'yes' : 'no' });
    case 'already_gone':
      return t('outcome.because.alreadyGone', { deleteSent: outcome.deleteSent === false ? 'no' : 'yes' });
    case 'deleted_despite_error': {
      const { answer, said } = outcome.deleteAnswer === 'refused' ? { answer: 'refused', said: failure } : unclear(outcome.unclearAttempt, outcome.failure, t);
      return t('outcome.because.deletedDespiteError', { answer, said });
    }
    case 'not_confirmed':
      return t('outcome.because.notConfirmed', { ...lastCheck(outcome.lastCheck, t), seconds: seconds(outcome.waitedMs) });
    case 'delete_unanswered':
      return t('outcome.because.deleteUnanswered', {
        ...unclear(outcome.unclearAttempt, outcome.failure, t),
        ...lastCheck(outcome.lastCheck, t),
        seconds: seconds(outcome.waitedMs),
      });
    case 'delete_refused': {
      const { check, failure: checkFailure } = lastCheck(outcome.lastCheck, t);
      return t('outcome.because.deleteRefused', { failure, check, checkFailure });
    }
    case 'offer_in_use': {
      const words = outcome.failure?.adobeMessage;
      return t('outcome.because.offerInUse', {
        quoted: words ? 'yes' : 'no',
        adobeMessage: words ?? '',
        status: String(outcome.failure?.status ?? ''),
        failure,
      });
    }
    case 'delete_not_sent':
      return t('outcome.because.deleteNotSent', { failure });
    case 'restored':
      return t('restore.because.restored', { found: outcome.resumed ? 'resumed' : outcome.byName ? 'name' : 'post', failure });
    case 'restore_not_sent':
      return t('restore.because.notSent', { failure });
    case 'restore_refused':
      return t('restore.because.refused', { failure });
    case 'restore_unanswered': {
      const seen = outcome.byName;
      const check = !seen || !('ids' in seen) ? 'failed' : seen.ids.length === 0 ? 'none' : 'several';
      return t('restore.because.unanswered', {
        resumed: outcome.resumed ? 'yes' : 'no',
        failure,
        check,
        ids: seen && 'ids' in seen ? seen.ids.join(', ') : '',
        lookupFailure: seen && 'failure' in seen ? describeAdobeFailure(seen.failure, t) : '',
        name: outcome.offerName ?? '',
      });
    }
    case 'restore_not_confirmed':
      return t('restore.because.notConfirmed', { newId: outcome.restoredId ?? '', seconds: seconds(outcome.waitedMs) });
    default:
      return '';
  }
}

/** The Restore button and until when it works, under a deletion's outcome. */
function restoreBlocks(request: DeletionRequest, until: number, t: Translate): types.KnownBlock[] {
  const name = escapeText(request.offer.name);
  return [
    { type: 'context', elements: [{ type: 'mrkdwn', text: t('restore.window', { until: slackDate(until, t) }) }] },
    {
      type: 'actions',
      block_id: 'offer_restore',
      elements: [
        {
          type: 'button',
          action_id: ACTION.restore,
          text: { type: 'plain_text', text: t('restore.button') },
          value: request.id,
          confirm: {
            title: { type: 'plain_text', text: t('restore.confirm.title') },
            text: verbatim(clip(t('restore.confirm.text', { name, sandbox: code(request.sandbox) }), MAX_CONFIRM_TEXT)),
            confirm: { type: 'plain_text', text: t('restore.confirm.yes') },
            deny: { type: 'plain_text', text: t('restore.confirm.no') },
          },
        },
      ],
    },
  ];
}

/** The confirm dialog's text is capped shorter than a section's. */
const MAX_CONFIRM_TEXT = 300;

/** A restore's outcome, a reply in the deletion's thread: the new id when it worked; what to check when it is unclear. */
function restoreOutcomeReply(request: DeletionRequest, t: Translate): MessageView {
  const date = (ms: number) => slackDate(ms, t);
  const when = request.decidedAt ?? request.updatedAt;
  const outcome = request.outcome;
  const facts = { name: escapeText(request.offer.name), offerId: code(request.offer.id), sandbox: code(request.sandbox) };
  let lines: string[];
  if (request.state === 'rejected' || request.state === 'cancelled' || request.state === 'expired') {
    lines = [
      t('restore.outcome.ended', {
        ...facts,
        how: request.state,
        decider: user(request.decidedBy ?? ''),
        decided: date(when),
        expires: date(request.expiresAt),
        requester: user(request.requesterId),
        requested: date(request.createdAt),
      }),
      // As a rejected deletion's reply does: the rejecter's comment, quoted.
      ...decisionComments(request, t),
    ];
  } else {
    const headline =
      request.state === 'restored'
        ? t('restore.outcome.restored', { ...facts, newId: code(outcome?.restoredId ?? '') })
        : t(request.state === 'failed' ? 'restore.outcome.failed' : 'restore.outcome.unverified', facts);
    const sentence = outcome ? outcomeSentence({ ...outcome, offerName: request.offer.name }, t) : '';
    lines = [
      headline,
      sentence ? escapeText(sentence) : '',
      t('outcome.timeline', {
        requester: user(request.requesterId),
        requested: date(request.createdAt),
        decider: user(request.decidedBy ?? ''),
        decided: date(when),
        finished: date(request.updatedAt),
      }),
      outcome && outcome.adobeRequestIds.length > 0 ? t('outcome.adobeRequestIds', { ids: outcome.adobeRequestIds.map(code).join(', ') }) : '',
    ].filter((line) => line !== '');
  }
  const text = clip(lines.join('\n'), MAX_SECTION_TEXT);
  return {
    text,
    blocks: [{ type: 'section', text: verbatim(text) }],
    metadata: requestMetadata(request, EVENT_TYPE.restoreCompleted, {
      outcome: request.state,
      restore_of: request.restoreOf ?? '',
      decided_by: request.decidedBy ?? SYSTEM_ACTOR,
      reason: outcome?.reason ?? '',
      new_offer_id: outcome?.restoredId ?? '',
      adobe_request_ids: (outcome?.adobeRequestIds ?? []).join(','),
      ...(request.state === 'rejected' && request.decisionComment ? { comment: request.decisionComment } : {}),
    }),
  };
}

/**
 * The thread reply that records how the request ended: the audit trail. `restorableUntil`: a deletion's reply offers
 * Restore until then (null: not, or no longer).
 */
export function outcomeReply(request: DeletionRequest, t: Translate = english, restorableUntil: number | null = null): MessageView {
  if (request.action === 'restore') return restoreOutcomeReply(request, t);
  const when = request.decidedAt ?? request.updatedAt;
  const date = (ms: number) => slackDate(ms, t);
  switch (request.state) {
    case 'rejected':
    case 'cancelled':
    case 'expired': {
      const eventType = EVENT_TYPE[request.state];
      const text = t(`outcome.${request.state}`, {
        offerId: code(request.offer.id),
        sandbox: code(request.sandbox),
        decider: user(request.decidedBy ?? ''),
        decided: date(when),
        expires: date(request.expiresAt),
        superseded: request.outcome?.reason === 'superseded' ? t('outcome.superseded') : '',
        requester: user(request.requesterId),
        requested: date(request.createdAt),
      });
      const full = clip([text, ...decisionComments(request, t)].join('\n'), MAX_SECTION_TEXT);
      return {
        text: full,
        blocks: [{ type: 'section', text: verbatim(full) }],
        metadata: requestMetadata(request, eventType, {
          outcome: request.state,
          decided_by: request.decidedBy ?? SYSTEM_ACTOR,
          ...(request.state === 'rejected' && request.decisionComment ? { comment: request.decisionComment } : {}),
        }),
      };
    }
    case 'deleted':
    case 'failed':
    case 'unverified': {
      const outcome = request.outcome;
      const sentence = outcome ? outcomeSentence(outcome, t) : '';
      const headline = t(`outcome.${request.state}`, { name: escapeText(request.offer.name), offerId: code(request.offer.id), sandbox: code(request.sandbox) });
      const lines = [
        headline,
        sentence ? escapeText(sentence) : null,
        t('outcome.timeline', {
          requester: user(request.requesterId),
          requested: date(request.createdAt),
          decider: deciders(request),
          decided: date(when),
          finished: date(request.updatedAt),
        }),
        request.state !== 'failed' ? t('outcome.auditHint', { command: code(`npm run audit -- --request ${request.id}`) }) : null,
        outcome && outcome.adobeRequestIds.length > 0 ? t('outcome.adobeRequestIds', { ids: outcome.adobeRequestIds.map(code).join(', ') }) : null,
        // Last: what people wrote can be long, and the facts above must survive the clip.
        ...decisionComments(request, t),
      ].filter((line): line is string => line !== null);
      const text = clip(lines.join('\n'), MAX_SECTION_TEXT);
      const restore = request.state === 'deleted' && restorableUntil !== null ? restoreBlocks(request, restorableUntil, t) : [];
      return {
        text,
        blocks: [{ type: 'section', text: verbatim(text) }, ...restore],
        metadata: requestMetadata(request, EVENT_TYPE.completed, {
          outcome: request.state,
          approver: request.decidedBy ?? '',
          ...(request.requiredApprovals > 1
            ? { approvers: request.approvals.map((approval) => approval.by).join(','), required_approvals: request.requiredApprovals }
            : {}),
          reason: outcome?.reason ?? '',
          adobe_request_ids: (outcome?.adobeRequestIds ?? []).join(','),
          ...(outcome?.status ? { status: outcome.status } : {}),
        }),
      };
    }
    default:
      throw new Error(`no outcome reply for a request in state ${request.state}`);
  }
}
