// `/offer history`: the latest requests (or one offer's), each with where it stands and a link to its thread.
import type { types } from '@slack/bolt';
import type { DeletionRequest } from '../../deletion/request.js';
import { OFFER_COMMAND } from '../constants.js';
import { channel, clip, code, escapeText, MAX_SECTION_TEXT, SLACK_CHANNEL_ID, slackDate, user, verbatim, type MessageView } from './mrkdwn.js';
import { outcomeSentence } from './outcome.js';

/** Requests `/offer history` lists, and how much of each it shows. */
export const HISTORY_LIMIT = 10;
const HISTORY_NAME_CHARS = 150;
const HISTORY_SUMMARY_CHARS = 200;
const SLACK_TS = /^\d+\.\d+$/;

/**
 * A link to a request's message and its thread, in Slack's permalink form (each reader lands in their own
 * workspace); null unless the ids have Slack's shape, so nothing stored can become another link.
 */
export function threadLink(channelId: string, messageTs: string | null): string | null {
  if (messageTs === null || !SLACK_CHANNEL_ID.test(channelId) || !SLACK_TS.test(messageTs)) return null;
  return `https://slack.com/archives/${channelId}/p${messageTs.replace('.', '')}`;
}

/** Where a request stands, for the history: the state in words, who decided and when. */
function historyState(request: DeletionRequest): string {
  const by = `${user(request.decidedBy ?? '')} ${request.decidedAt === null ? '' : slackDate(request.decidedAt)}`.trim();
  const summary = escapeText(clip(request.outcome ? outcomeSentence(request.outcome) : '', HISTORY_SUMMARY_CHARS));
  switch (request.state) {
    case 'pending':
      return `:hourglass: waiting for approval until ${slackDate(request.expiresAt)}`;
    case 'approved':
    case 'deleting':
      return `:hourglass_flowing_sand: approved by ${by}, deleting…`;
    case 'deleted':
      return `:white_check_mark: deleted ${slackDate(request.updatedAt)}, approved by ${by}`;
    case 'failed':
      return `:x: not deleted, approved by ${by}: ${summary}`;
    case 'unverified':
      return `:grey_question: deletion not confirmed, approved by ${by}: ${summary}`;
    case 'rejected':
      return `:no_entry_sign: rejected by ${by}`;
    case 'cancelled':
      return `:leftwards_arrow_with_hook: cancelled by ${by}`;
    case 'expired':
      return `:alarm_clock: expired ${slackDate(request.expiresAt)} without a decision`;
  }
}

/** `/offer history`: the latest requests (or one offer's), shown to the caller alone. */
export function historyMessage(requests: readonly DeletionRequest[], offerId: string | null): MessageView {
  const about = offerId === null ? '' : ` for ${code(offerId)}`;
  if (requests.length === 0) {
    const text = `No offer deletion requests${about} yet.`;
    return { text, blocks: [{ type: 'section', text: verbatim(text) }] };
  }
  const heading = `Latest ${requests.length === 1 ? 'offer deletion request' : `${requests.length} offer deletion requests`}${about}, newest first:`;
  const entries = requests.slice(0, HISTORY_LIMIT).map((request): types.KnownBlock => {
    const link = threadLink(request.channelId, request.messageTs);
    const lines = [
      `*${escapeText(clip(request.offer.name, HISTORY_NAME_CHARS))}* ${code(request.offer.id)} in sandbox ${code(request.sandbox)}`,
      `Asked by ${user(request.requesterId)} ${slackDate(request.createdAt)} in ${channel(request.channelId)}${link ? ` · <${link}|thread>` : ''}`,
      historyState(request),
      `Request ${code(request.id)}`,
    ];
    return { type: 'section', text: verbatim(clip(lines.join('\n'), MAX_SECTION_TEXT)) };
  });
  const hint =
    offerId === null
      ? `\`${OFFER_COMMAND} history <offer-id>\` shows one offer's requests.`
      : `\`${OFFER_COMMAND} history\` shows the latest requests for every offer.`;
  return {
    text: heading,
    blocks: [{ type: 'section', text: verbatim(heading) }, ...entries, { type: 'context', elements: [{ type: 'mrkdwn', text: hint }] }],
  };
}
