// Who decided a request and what they wrote: the approvers so far, and each comment as quoted, inert mrkdwn.
import type { DeletionRequest } from '../../deletion/request.js';
import { english, type Translate } from '../i18n/translator.js';
import { clip, escapeText, user } from './mrkdwn.js';

/** The longest comment a decision's modal takes (and the views show). */
export const MAX_COMMENT_LENGTH = 500;

/** Text someone wrote, as a mrkdwn quote: escaped (no mention, link or markup of theirs becomes live) and `>` on every line. */
export function quote(text: string): string {
  return clip(text, MAX_COMMENT_LENGTH)
    .split(/\r?\n/)
    .map((line) => `>${escapeText(line)}`)
    .join('\n');
}

/** Who approved it (everyone, in order, when several had to), or who decided otherwise. */
export function deciders(request: DeletionRequest): string {
  const approved = ['approved', 'deleting', 'deleted', 'failed', 'unverified'].includes(request.state);
  if (approved && request.approvals.length > 0) return request.approvals.map((approval) => user(approval.by)).join(', ');
  return user(request.decidedBy ?? '');
}

/** "Approved by <@A> (1 of 2)." while more approvals are needed; null before the first, or when one is all it takes. */
export function approvalsSoFar(request: DeletionRequest, t: Translate = english): string | null {
  if (request.approvals.length === 0 || request.requiredApprovals <= 1) return null;
  return t('approvals.soFar', {
    approvers: request.approvals.map((approval) => user(approval.by)).join(', '),
    count: request.approvals.length,
    required: request.requiredApprovals,
  });
}

/** Every comment given with the request's decisions, each under the name of who wrote it (oldest first). */
export function decisionComments(request: DeletionRequest, t: Translate = english): string[] {
  const said = (who: string, comment: string) => `${t('approvals.said', { who: user(who) })}\n${quote(comment)}`;
  const comments = request.approvals.flatMap((approval) => (approval.comment ? [said(approval.by, approval.comment)] : []));
  if (request.state === 'rejected' && request.decisionComment && request.decidedBy) comments.push(said(request.decidedBy, request.decisionComment));
  return comments;
}
