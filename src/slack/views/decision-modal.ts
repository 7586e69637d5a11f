// The decision modal: a comment with an approval (optional) or a Reject (required), opened from the confirmation's buttons.
import type { types } from '@slack/bolt';
import { z } from 'zod';
import type { ClickContext } from '../../deletion/decide.js';
import type { DeletionRequest } from '../../deletion/request.js';
import { DECISION_MODAL } from '../constants.js';
import type { MessageId } from '../i18n/en.js';
import { english, type Translate } from '../i18n/translator.js';
import { MAX_COMMENT_LENGTH } from './decisions.js';
import { clip, code, escapeText, MAX_SECTION_TEXT, user, verbatim } from './mrkdwn.js';

/** A modal decision: an approval or a Reject (a Cancel needs no words). */
export type ModalDecision = 'approve' | 'reject';

/**
 * What the modal carries back on submission (private_metadata): the click it came from, ids only, no words. Slack
 * returns it as we wrote it; the submission is still checked against the store as a click is.
 */
const modalClick = z.object({
  requestId: z.string().min(1).max(64),
  teamId: z.string().min(1).max(32).nullable(),
  enterpriseId: z.string().min(1).max(32).nullable(),
  channelId: z.string().min(1).max(32),
  messageTs: z.string().min(1).max(32),
  decision: z.enum(['approve', 'reject']),
});
export type ModalClick = z.infer<typeof modalClick>;

export const modalMetadata = (click: ClickContext & { decision: ModalDecision }): string =>
  JSON.stringify({
    requestId: click.requestId,
    teamId: click.teamId,
    enterpriseId: click.enterpriseId,
    channelId: click.channelId,
    messageTs: click.messageTs,
    decision: click.decision,
  } satisfies ModalClick);

/** The click a submitted modal stands for, or null when its metadata is not one offer-bot wrote. */
export function parseModalMetadata(text: string): ModalClick | null {
  try {
    const parsed = modalClick.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

const DELETE_WORDS = {
  summary: 'modal.summary',
  reject: 'modal.reject',
  approveLast: 'modal.approveLast',
  approvePartial: 'modal.approvePartial',
  rejectTitle: 'modal.rejectTitle',
  approveTitle: 'modal.approveTitle',
} as const satisfies Record<string, MessageId>;
const RESTORE_WORDS = {
  summary: 'restore.modal.summary',
  reject: 'restore.modal.reject',
  approveLast: 'restore.modal.approveLast',
  approvePartial: 'restore.modal.approvePartial',
  rejectTitle: 'restore.modal.rejectTitle',
  approveTitle: 'restore.modal.approveTitle',
} as const satisfies Record<keyof typeof DELETE_WORDS, MessageId>;

/** The modal for `decision` on `request`, in its reader's language. */
export function decisionModal(request: DeletionRequest, decision: ModalDecision, metadata: string, t: Translate = english): types.ModalView {
  const count = request.approvals.length + 1;
  // A restore's modal says what a restore does: re-create the offer under a new id, not delete it.
  const words = request.action === 'restore' ? RESTORE_WORDS : DELETE_WORDS;
  const intro =
    decision === 'reject'
      ? t(words.reject)
      : count >= request.requiredApprovals
        ? t(words.approveLast)
        : t(words.approvePartial, { count, required: request.requiredApprovals });
  const summary = t(words.summary, {
    name: escapeText(request.offer.name),
    offerId: code(request.offer.id),
    sandbox: code(request.sandbox),
    requester: user(request.requesterId),
  });
  return {
    type: 'modal',
    callback_id: DECISION_MODAL.callbackId,
    private_metadata: metadata,
    title: { type: 'plain_text', text: t(decision === 'reject' ? words.rejectTitle : words.approveTitle) },
    submit: { type: 'plain_text', text: t(decision === 'reject' ? 'modal.rejectSubmit' : 'modal.approveSubmit') },
    close: { type: 'plain_text', text: t('modal.close') },
    blocks: [
      { type: 'section', text: verbatim(clip(`${summary}\n${intro}`, MAX_SECTION_TEXT)) },
      {
        type: 'input',
        block_id: DECISION_MODAL.commentBlock,
        optional: decision === 'approve',
        label: { type: 'plain_text', text: t('modal.commentLabel') },
        hint: { type: 'plain_text', text: t('modal.commentHint') },
        element: { type: 'plain_text_input', action_id: DECISION_MODAL.commentAction, multiline: true, max_length: MAX_COMMENT_LENGTH },
      },
    ],
  };
}

export type CommentCheck = { ok: true; comment: string | undefined } | { ok: false; error: string };

/** The comment as submitted: trimmed; required for a Reject; within the length the input allows. */
export function checkComment(value: string | null | undefined, decision: ModalDecision, t: Translate = english): CommentCheck {
  const comment = (value ?? '').trim();
  if (comment.length > MAX_COMMENT_LENGTH) return { ok: false, error: t('modal.commentTooLong', { max: MAX_COMMENT_LENGTH }) };
  if (comment === '') return decision === 'reject' ? { ok: false, error: t('modal.commentRequired') } : { ok: true, comment: undefined };
  return { ok: true, comment };
}
