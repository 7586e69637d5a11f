// `/offer history`: the latest requests (or one offer's), each with where it stands and a link to its thread.
import type { types } from '@slack/bolt';
import type { DeletionRequest } from '../../deletion/request.js';
import { OFFER_COMMAND } from '../constants.js';
import { channel, clip, code, escapeText, MAX_SECTION_TEXT, SLACK_CHANNEL_ID, slackDate, user, verbatim, type MessageView } from './mrkdwn.js';
import { approvalsSoFar, deciders, quote } from './decisions.js';
import { outcomeSentence } from './outcome.js';
import { english, type Translate } from '../i18n/translator.js';

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
export function historyState(request: DeletionRequest, t: Translate): string {
  const date = (ms: number) => slackDate(ms, t);
  const by = `${deciders(request)} ${request.decidedAt === null ? '' : date(request.decidedAt)}`.trim();
  const summary = escapeText(clip(request.outcome ? outcomeSentence(request.outcome, t) : '', HISTORY_SUMMARY_CHARS));
  const restore = request.action === 'restore';
  const state = request.state === 'approved' ? (restore ? 'restoring' : 'deleting') : request.state;
  const line = t(`history.${state}`, { by, summary, when: date(request.updatedAt), expires: date(request.expiresAt) });
  // A request waiting for several approvals says how far it got; a rejected one, why (quoted, clipped).
  const soFar = request.state === 'pending' ? approvalsSoFar(request, t) : null;
  // A restore's failed or unverified line says what its sentence says: about the restore, not a deletion.
  const said = restore ? `${t('history.restoreOf', { offerId: code(request.offer.id) })}: ${line}` : line;
  if (soFar) return `${said} · ${soFar}`;
  if (request.state === 'rejected' && request.decisionComment) return `${said}\n${quote(clip(request.decisionComment, HISTORY_SUMMARY_CHARS))}`;
  return said;
}

/** A request as the history and the Home tab list it: which offer, who asked when and where (linking its thread), where it stands. */
export function requestLines(request: DeletionRequest, t: Translate): string[] {
  // A restore's messages are in its deletion's thread.
  const url = threadLink(request.channelId, request.threadTs ?? request.messageTs);
  return [
    t('history.offer', { name: escapeText(clip(request.offer.name, HISTORY_NAME_CHARS)), offerId: code(request.offer.id), sandbox: code(request.sandbox) }),
    t('history.asked', {
      requester: user(request.requesterId),
      when: slackDate(request.createdAt, t),
      channel: channel(request.channelId),
      link: url ? t('history.threadLink', { url }) : '',
    }),
    historyState(request, t),
  ];
}

/** `/offer history`: the latest requests (or one offer's), shown to the caller alone. */
export function historyMessage(requests: readonly DeletionRequest[], offerId: string | null, t: Translate = english): MessageView {
  const about = offerId === null ? '' : t('history.about', { offerId: code(offerId) });
  if (requests.length === 0) {
    const text = t('history.empty', { about });
    return { text, blocks: [{ type: 'section', text: verbatim(text) }] };
  }
  const heading = t('history.heading', { count: requests.length, about });
  const entries = requests.slice(0, HISTORY_LIMIT).map((request): types.KnownBlock => {
    const lines = [...requestLines(request, t), t('history.request', { requestId: code(request.id) })];
    return { type: 'section', text: verbatim(clip(lines.join('\n'), MAX_SECTION_TEXT)) };
  });
  const hint = t(offerId === null ? 'history.hintAll' : 'history.hintOne', { command: OFFER_COMMAND });
  return {
    text: heading,
    blocks: [{ type: 'section', text: verbatim(heading) }, ...entries, { type: 'context', elements: [{ type: 'mrkdwn', text: hint }] }],
  };
}
