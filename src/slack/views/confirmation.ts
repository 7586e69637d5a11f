// The confirmation message: posted while the request waits for a decision, then updated to show where it stands.
import type { types } from '@slack/bolt';
import type { DeletionRequest } from '../../deletion/request.js';
import { ACTION, EVENT_TYPE } from '../constants.js';
import { clip, code, escapeText, MAX_FIELD_TEXT, MAX_SECTION_TEXT, slackDate, user, verbatim, type MessageView } from './mrkdwn.js';
import { requestMetadata } from './metadata.js';
import { outcomeSentence } from './outcome.js';

/** The confirm dialog's text is capped shorter than a section's. */
const MAX_CONFIRM_TEXT = 300;

function offerFields(request: DeletionRequest): types.KnownBlock {
  const { offer } = request;
  const modified = offer.modified
    ? `${Number.isNaN(Date.parse(offer.modified)) ? escapeText(offer.modified) : slackDate(Date.parse(offer.modified))}${
        offer.lastModifiedBy ? ` by ${escapeText(offer.lastModifiedBy)}` : ''
      }`
    : 'unknown';
  const fields = [
    `*Offer id*\n${code(offer.id)}`,
    `*Status*\n${escapeText(offer.status)}`,
    `*Sandbox*\n${code(request.sandbox)}`,
    `*Last modified*\n${modified}`,
    `*Requested by*\n${user(request.requesterId)}`,
    `*Reason*\n${request.reason ? escapeText(request.reason) : '_none given_'}`,
  ];
  return { type: 'section', fields: fields.map((text) => verbatim(clip(text, MAX_FIELD_TEXT))) };
}

const title = (request: DeletionRequest, prefix: string) => clip(`${prefix} *${escapeText(request.offer.name)}*`, MAX_SECTION_TEXT);

/** The confirmation posted in the channel while the request waits for a decision. */
export function confirmationMessage(request: DeletionRequest): MessageView {
  return {
    text: `${user(request.requesterId)} asks to delete personalized offer ${escapeText(request.offer.name)} (${request.offer.id}) in sandbox ${request.sandbox}.`,
    blocks: [
      { type: 'section', text: verbatim(title(request, ':warning: Delete personalized offer')) },
      offerFields(request),
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: `Needs approval by someone other than the requester. Expires ${slackDate(request.expiresAt)}.` }],
      },
      {
        type: 'actions',
        block_id: 'offer_deletion_decision',
        elements: [
          {
            type: 'button',
            action_id: ACTION.approve,
            text: { type: 'plain_text', text: 'Approve' },
            style: 'danger',
            value: request.id,
            confirm: {
              title: { type: 'plain_text', text: 'Delete this offer?' },
              text: verbatim(
                clip(`This deletes *${escapeText(request.offer.name)}* from sandbox ${code(request.sandbox)}. It cannot be undone.`, MAX_CONFIRM_TEXT),
              ),
              confirm: { type: 'plain_text', text: 'Delete it' },
              deny: { type: 'plain_text', text: 'Keep it' },
              style: 'danger',
            },
          },
          { type: 'button', action_id: ACTION.reject, text: { type: 'plain_text', text: 'Reject' }, value: request.id },
          { type: 'button', action_id: ACTION.cancel, text: { type: 'plain_text', text: 'Cancel (requester)' }, value: request.id },
        ],
      },
    ],
    metadata: requestMetadata(request, EVENT_TYPE.requested, { expires_at: Math.floor(request.expiresAt / 1000) }),
  };
}

const outcomeOr = (request: DeletionRequest, otherwise: string) => escapeText(request.outcome ? outcomeSentence(request.outcome) : otherwise);

const STATE_LINE: Record<DeletionRequest['state'], (request: DeletionRequest) => string> = {
  pending: () => 'Waiting for approval.',
  approved: (r) => `:hourglass_flowing_sand: Approved by ${user(r.decidedBy ?? '')} — deleting…`,
  deleting: (r) => `:hourglass_flowing_sand: Approved by ${user(r.decidedBy ?? '')} — deleting…`,
  deleted: (r) => `:white_check_mark: Deleted. Approved by ${user(r.decidedBy ?? '')}.`,
  failed: (r) => `:x: Not deleted: ${outcomeOr(r, 'the deletion failed')}`,
  unverified: (r) => `:grey_question: Deletion not confirmed: ${outcomeOr(r, 'Adobe still showed the offer')}`,
  rejected: (r) => `:no_entry_sign: Rejected by ${user(r.decidedBy ?? '')}.`,
  cancelled: (r) => `:leftwards_arrow_with_hook: Cancelled by ${user(r.decidedBy ?? '')}.`,
  expired: (r) => `:alarm_clock: Expired ${slackDate(r.expiresAt)} without a decision.`,
};

/** Where the request stands, in one line (with its emoji). */
export const stateLine = (request: DeletionRequest): string => STATE_LINE[request.state](request);

/** The confirmation message once decided: same facts, no buttons, the state in words. */
export function decidedMessage(request: DeletionRequest): MessageView {
  if (request.state === 'pending') return confirmationMessage(request);
  const line = stateLine(request);
  return {
    text: `Personalized offer ${escapeText(request.offer.name)} (${request.offer.id}): ${line}`,
    blocks: [
      { type: 'section', text: verbatim(title(request, 'Delete personalized offer')) },
      offerFields(request),
      { type: 'section', text: verbatim(clip(line, MAX_SECTION_TEXT)) },
    ],
    metadata: requestMetadata(request, EVENT_TYPE.requested, { state: request.state }),
  };
}
