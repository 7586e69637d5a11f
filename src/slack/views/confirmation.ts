// The confirmation message: posted while the request waits for a decision, then updated to show where it stands.
import type { types } from '@slack/bolt';
import type { DeletionRequest } from '../../deletion/request.js';
import { ACTION, EVENT_TYPE } from '../constants.js';
import { clip, code, escapeText, MAX_FIELD_TEXT, MAX_SECTION_TEXT, offerStatus, slackDate, user, verbatim, type MessageView } from './mrkdwn.js';
import { approvalsSoFar, deciders, decisionComments } from './decisions.js';
import { requestMetadata } from './metadata.js';
import { outcomeSentence } from './outcome.js';
import { english, type Translate } from '../i18n/translator.js';

/** The confirm dialog's text is capped shorter than a section's. */
const MAX_CONFIRM_TEXT = 300;

function offerFields(request: DeletionRequest, t: Translate): types.KnownBlock {
  const { offer } = request;
  const when = offer.modified && (Number.isNaN(Date.parse(offer.modified)) ? escapeText(offer.modified) : slackDate(Date.parse(offer.modified), t));
  const modified = when ? (offer.lastModifiedBy ? t('field.modifiedBy', { when, who: escapeText(offer.lastModifiedBy) }) : when) : t('field.modifiedUnknown');
  const fields = [
    [t('field.offerId'), code(offer.id)],
    [t('field.status'), offerStatus(escapeText(offer.status), t)],
    [t('field.sandbox'), code(request.sandbox)],
    [t('field.lastModified'), modified],
    [t('field.requestedBy'), user(request.requesterId)],
    [t('field.reason'), request.reason ? escapeText(request.reason) : t('field.noReason')],
  ];
  return { type: 'section', fields: fields.map(([label, value]) => verbatim(clip(`*${label}*\n${value}`, MAX_FIELD_TEXT))) };
}

const title = (request: DeletionRequest, t: Translate, id: 'confirmation.title' | 'confirmation.decidedTitle') =>
  clip(t(id, { name: escapeText(request.offer.name) }), MAX_SECTION_TEXT);

/** A restore's confirmation, a reply in the deletion's thread: the offer as it was deleted, who asks, the buttons. */
function restoreConfirmation(request: DeletionRequest, t: Translate): MessageView {
  const name = escapeText(request.offer.name);
  return {
    text: clip(t('restore.text', { requester: user(request.requesterId), name, offerId: request.offer.id, sandbox: request.sandbox }), MAX_SECTION_TEXT),
    blocks: [
      { type: 'section', text: verbatim(clip(t('restore.title', { name }), MAX_SECTION_TEXT)) },
      offerFields(request, t),
      { type: 'context', elements: [{ type: 'mrkdwn', text: t('restore.needsApproval', { expires: slackDate(request.expiresAt, t) }) }] },
      {
        type: 'actions',
        block_id: 'offer_restore_decision',
        elements: [
          {
            type: 'button',
            action_id: ACTION.approve,
            text: { type: 'plain_text', text: t('button.approve') },
            style: 'primary',
            value: request.id,
            confirm: {
              title: { type: 'plain_text', text: t('restore.approve.title') },
              text: verbatim(clip(t('restore.approve.text', { name, sandbox: code(request.sandbox) }), MAX_CONFIRM_TEXT)),
              confirm: { type: 'plain_text', text: t('restore.approve.yes') },
              deny: { type: 'plain_text', text: t('confirm.no') },
            },
          },
          { type: 'button', action_id: ACTION.reject, text: { type: 'plain_text', text: t('button.reject') }, value: request.id },
          { type: 'button', action_id: ACTION.cancel, text: { type: 'plain_text', text: t('button.cancel') }, value: request.id },
        ],
      },
    ],
    metadata: requestMetadata(request, EVENT_TYPE.restoreRequested, { expires_at: Math.floor(request.expiresAt / 1000), restore_of: request.restoreOf ?? '' }),
  };
}

/** The confirmation posted in the channel while the request waits for a decision (a restore's: in the deletion's thread). */
export function confirmationMessage(request: DeletionRequest, t: Translate = english): MessageView {
  if (request.action === 'restore') return restoreConfirmation(request, t);
  return {
    text: clip(
      t('confirmation.text', {
        requester: user(request.requesterId),
        name: escapeText(request.offer.name),
        offerId: request.offer.id,
        sandbox: request.sandbox,
      }),
      MAX_SECTION_TEXT,
    ),
    blocks: [
      { type: 'section', text: verbatim(title(request, t, 'confirmation.title')) },
      offerFields(request, t),
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text:
              request.requiredApprovals > 1
                ? t('approvals.needed', { required: request.requiredApprovals, expires: slackDate(request.expiresAt, t) })
                : t('confirmation.needsApproval', { expires: slackDate(request.expiresAt, t) }),
          },
        ],
      },
      ...approvalBlocks(request, t),
      {
        type: 'actions',
        block_id: 'offer_deletion_decision',
        elements: [
          {
            type: 'button',
            action_id: ACTION.approve,
            text: { type: 'plain_text', text: t('button.approve') },
            style: 'danger',
            value: request.id,
            confirm: {
              title: { type: 'plain_text', text: t('confirm.title') },
              text: verbatim(clip(t('confirm.text', { name: escapeText(request.offer.name), sandbox: code(request.sandbox) }), MAX_CONFIRM_TEXT)),
              confirm: { type: 'plain_text', text: t('confirm.yes') },
              deny: { type: 'plain_text', text: t('confirm.no') },
              style: 'danger',
            },
          },
          // Both open a modal for the comment (a Reject needs one), which asks for the decision again: no confirm dialog.
          { type: 'button', action_id: ACTION.approveWithComment, text: { type: 'plain_text', text: t('button.approveWithComment') }, value: request.id },
          { type: 'button', action_id: ACTION.reject, text: { type: 'plain_text', text: t('button.reject') }, value: request.id },
          { type: 'button', action_id: ACTION.cancel, text: { type: 'plain_text', text: t('button.cancel') }, value: request.id },
        ],
      },
    ],
    metadata: requestMetadata(request, EVENT_TYPE.requested, {
      expires_at: Math.floor(request.expiresAt / 1000),
      ...(request.requiredApprovals > 1 ? { required_approvals: request.requiredApprovals, approvals: request.approvals.length } : {}),
    }),
  };
}

/** While several approvals are needed and some are in: who approved so far, and what they wrote. */
function approvalBlocks(request: DeletionRequest, t: Translate): types.KnownBlock[] {
  const soFar = approvalsSoFar(request, t);
  if (soFar === null) return [];
  const remaining = request.requiredApprovals - request.approvals.length;
  const lines = [`${soFar} ${t('approvals.waiting', { remaining })}`, ...decisionComments(request, t)];
  return [{ type: 'section', text: verbatim(clip(lines.join('\n'), MAX_SECTION_TEXT)) }];
}

const outcomeOr = (request: DeletionRequest, otherwise: string, t: Translate) => escapeText(request.outcome ? outcomeSentence(request.outcome, t) : otherwise);

const STATE_LINE: Record<DeletionRequest['state'], (request: DeletionRequest, t: Translate) => string> = {
  pending: (_, t) => t('state.pending'),
  approved: (r, t) => t('state.deleting', { decider: deciders(r) }),
  deleting: (r, t) => t('state.deleting', { decider: deciders(r) }),
  restoring: (r, t) => t('state.restoring', { decider: deciders(r) }),
  restored: (r, t) => t('state.restored', { decider: deciders(r) }),
  deleted: (r, t) => t('state.deleted', { decider: deciders(r) }),
  failed: (r, t) => t('state.failed', { outcome: outcomeOr(r, t('state.failedUnknown'), t) }),
  unverified: (r, t) => t('state.unverified', { outcome: outcomeOr(r, t('state.unverifiedUnknown'), t) }),
  rejected: (r, t) => t('state.rejected', { decider: user(r.decidedBy ?? '') }),
  cancelled: (r, t) => t('state.cancelled', { decider: user(r.decidedBy ?? '') }),
  expired: (r, t) => t('state.expired', { expires: slackDate(r.expiresAt, t) }),
};

/** Where the request stands, in one line (with its emoji). */
export function stateLine(request: DeletionRequest, t: Translate = english): string {
  if (request.action === 'restore') {
    if (request.state === 'approved') return STATE_LINE.restoring(request, t);
    if (request.state === 'failed') return t('restore.state.failed', { outcome: outcomeOr(request, t('state.failedUnknown'), t) });
    if (request.state === 'unverified') return t('restore.state.unverified', { outcome: outcomeOr(request, t('state.unverifiedUnknown'), t) });
  }
  return STATE_LINE[request.state](request, t);
}

/** The confirmation message once decided: same facts, no buttons, the state in words. */
export function decidedMessage(request: DeletionRequest, t: Translate = english): MessageView {
  if (request.state === 'pending') return confirmationMessage(request, t);
  const line = stateLine(request, t);
  return {
    text: clip(t('confirmation.decidedText', { name: escapeText(request.offer.name), offerId: request.offer.id, line }), MAX_SECTION_TEXT),
    blocks: [
      {
        type: 'section',
        text: verbatim(
          request.action === 'restore'
            ? clip(t('restore.decidedTitle', { name: escapeText(request.offer.name) }), MAX_SECTION_TEXT)
            : title(request, t, 'confirmation.decidedTitle'),
        ),
      },
      offerFields(request, t),
      { type: 'section', text: verbatim(clip(line, MAX_SECTION_TEXT)) },
    ],
    metadata: requestMetadata(request, request.action === 'restore' ? EVENT_TYPE.restoreRequested : EVENT_TYPE.requested, { state: request.state }),
  };
}
