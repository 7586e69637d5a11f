// How a request ended: the sentence (thread, history, audit export) from the outcome's facts, and the thread reply.
import { SYSTEM_ACTOR } from '../../deletion/lifecycle.js';
import type { Attempt } from '../../deletion/ports.js';
import type { DeletionRequest, FailureFacts, LastCheck, OfferChange, Outcome } from '../../deletion/request.js';
import { EVENT_TYPE } from '../constants.js';
import { clip, code, escapeText, MAX_SECTION_TEXT, slackDate, user, verbatim, type MessageView } from './mrkdwn.js';
import { requestMetadata } from './metadata.js';
import { english, type Translate } from '../i18n/translator.js';

const SERVER_ERROR_MIN = 500;
const MS_PER_SECOND = 1_000;

/** One sentence about what Adobe said, for a person: status, Adobe's words, request id. */
export function describeAdobeFailure(failure: FailureFacts | null | undefined): string {
  if (!failure) return 'an unexpected error occurred';
  const facts = [
    failure.status !== null ? `HTTP ${failure.status}` : null,
    failure.adobeMessage,
    failure.requestId ? `request id ${failure.requestId}` : null,
  ].filter(Boolean);
  return facts.length > 0 ? `${failure.message} (${facts.join('; ')})` : failure.message;
}

const seconds = (ms: number | undefined) => `${Math.round((ms ?? 0) / MS_PER_SECOND)}s`;

/** What the last GET saw, as the start of a sentence. */
const lastCheck = (last: LastCheck | undefined) =>
  !last || 'found' in last ? 'a GET still found the offer' : `the check failed: ${describeAdobeFailure(last.failure)}`;

const capitalised = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;

/** A DELETE whose answer does not say whether it was applied: a server error, or no answer at all. */
function unclear(attempt: Attempt | undefined, failure: FailureFacts | null | undefined): string {
  const status = attempt?.status ?? null;
  const said = failure !== undefined ? describeAdobeFailure(failure) : status !== null ? `HTTP ${status}` : `no answer: ${attempt?.error}`;
  return status !== null && status >= SERVER_ERROR_MIN
    ? `Adobe answered the DELETE with a server error (${said}), which does not say whether it was applied`
    : `Adobe did not answer the DELETE (${said})`;
}

function changed(change: OfferChange | undefined): string {
  const parts = [
    change?.etag ? `etag ${change.etag.before ?? 'none'} → ${change.etag.after ?? 'none'}` : null,
    change?.modified ? `modified ${change.modified.after ?? 'unknown'}${change.modified.by ? ` by ${change.modified.by}` : ''}` : null,
  ].filter(Boolean);
  return parts.join(', ');
}

/** The outcome's sentence, from its facts; an outcome stored by an earlier version keeps the sentence it stored. */
export function outcomeSentence(outcome: Outcome): string {
  if (outcome.summary !== undefined) return outcome.summary;
  const { failure } = outcome;
  switch (outcome.reason) {
    case 'superseded':
      return 'superseded by a new request';
    case 'lookup_failed':
      return `offer-bot could not look the offer up again before deleting: ${describeAdobeFailure(failure)}. No DELETE was sent.`;
    case 'offer_changed':
      return `the offer changed after the request (${changed(outcome.change)}), so it was not deleted. Ask again if it should still go.`;
    case 'deleted':
      return outcome.resumed
        ? 'offer-bot had stopped after sending the DELETE, before recording its answer; on resuming, a GET confirmed the offer is gone (404).'
        : 'Adobe accepted the DELETE and a GET confirmed the offer is gone (404).';
    case 'already_gone':
      return outcome.deleteSent === false
        ? 'Someone else deleted the offer before the approval; offer-bot sent no DELETE.'
        : 'The DELETE answered 404: someone else had deleted the offer before this request’s DELETE arrived. A GET confirmed it is gone.';
    case 'deleted_despite_error':
      return outcome.deleteAnswer === 'refused'
        ? `Adobe refused the DELETE (${describeAdobeFailure(failure)}), yet a GET then found the offer gone (404).`
        : `${unclear(outcome.unclearAttempt, failure)}, but a GET then confirmed the offer is gone (404): this request deleted it.`;
    case 'not_confirmed':
      return `${lastCheck(outcome.lastCheck)} ${seconds(outcome.waitedMs)} after the DELETE. Check the offer in Journey Optimizer.`;
    case 'delete_unanswered':
      return (
        `${unclear(outcome.unclearAttempt, failure)}, so offer-bot did not send it again. ${capitalised(lastCheck(outcome.lastCheck))} ${seconds(outcome.waitedMs)} later: ` +
        'check the offer in Journey Optimizer, and ask again if it should still go.'
      );
    case 'delete_refused': {
      const last = outcome.lastCheck;
      return `Adobe refused the DELETE: ${describeAdobeFailure(failure)}. ${
        !last || 'found' in last ? 'The offer is still there.' : `Nothing was deleted (checking afterwards failed: ${describeAdobeFailure(last.failure)}).`
      }`;
    }
    case 'offer_in_use': {
      const said = failure ? `“${failure.adobeMessage}” (HTTP ${failure.status})` : describeAdobeFailure(failure);
      return `Adobe would not delete it because a collection or a decision still uses it: remove it from those first, then ask again. Adobe said: ${said}.`;
    }
    case 'delete_not_sent':
      return `offer-bot could not send the DELETE (${describeAdobeFailure(failure)}), so nothing was deleted. Ask again shortly.`;
    default:
      return '';
  }
}

/** The thread reply that records how the request ended: the audit trail. */
export function outcomeReply(request: DeletionRequest, t: Translate = english): MessageView {
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
      return {
        text,
        blocks: [{ type: 'section', text: verbatim(text) }],
        metadata: requestMetadata(request, eventType, { outcome: request.state, decided_by: request.decidedBy ?? SYSTEM_ACTOR }),
      };
    }
    case 'deleted':
    case 'failed':
    case 'unverified': {
      const outcome = request.outcome;
      const sentence = outcome ? outcomeSentence(outcome) : '';
      const headline = t(`outcome.${request.state}`, { name: escapeText(request.offer.name), offerId: code(request.offer.id), sandbox: code(request.sandbox) });
      const lines = [
        headline,
        sentence ? escapeText(sentence) : null,
        t('outcome.timeline', {
          requester: user(request.requesterId),
          requested: date(request.createdAt),
          decider: user(request.decidedBy ?? ''),
          decided: date(when),
          finished: date(request.updatedAt),
        }),
        request.state !== 'failed' ? t('outcome.auditHint', { command: code(`npm run audit -- --request ${request.id}`) }) : null,
        outcome && outcome.adobeRequestIds.length > 0 ? t('outcome.adobeRequestIds', { ids: outcome.adobeRequestIds.map(code).join(', ') }) : null,
      ].filter((line): line is string => line !== null);
      const text = clip(lines.join('\n'), MAX_SECTION_TEXT);
      return {
        text,
        blocks: [{ type: 'section', text: verbatim(text) }],
        metadata: requestMetadata(request, EVENT_TYPE.completed, {
          outcome: request.state,
          approver: request.decidedBy ?? '',
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
