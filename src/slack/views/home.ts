// The App Home tab: the requests waiting for the reader's decision, and their own recent requests, each linking to its thread.
import type { types } from '@slack/bolt';
import type { DeletionRequest } from '../../deletion/request.js';
import { OFFER_COMMAND } from '../constants.js';
import { english, type Translate } from '../i18n/translator.js';
import { historyState, threadLink } from './history.js';
import { channel, clip, code, escapeText, MAX_SECTION_TEXT, slackDate, user, verbatim } from './mrkdwn.js';

/** How many of each list the tab shows: with a header, two headings, a divider and a hint, well under Slack's 100 blocks. */
export const HOME_WAITING_LIMIT = 20;
export const HOME_OWN_LIMIT = 10;
const HOME_NAME_CHARS = 150;
/** Slack's limit on a header block's text. */
const MAX_HEADER_TEXT = 150;

export interface HomeView {
  type: 'home';
  blocks: types.KnownBlock[];
}

/** What the tab knows of the waiting requests: the list, or that Slack could not say who may decide. */
export type Waiting = { requests: readonly DeletionRequest[] } | { unavailable: true };

function entry(request: DeletionRequest, t: Translate): types.KnownBlock {
  // A restore's confirmation is a reply in its deletion's thread: link the thread, as the history does.
  const url = threadLink(request.channelId, request.threadTs ?? request.messageTs);
  const lines = [
    t('history.offer', { name: escapeText(clip(request.offer.name, HOME_NAME_CHARS)), offerId: code(request.offer.id), sandbox: code(request.sandbox) }),
    t('history.asked', {
      requester: user(request.requesterId),
      when: slackDate(request.createdAt, t),
      channel: channel(request.channelId),
      link: url ? t('history.threadLink', { url }) : '',
    }),
    historyState(request, t),
  ];
  return { type: 'section', text: verbatim(clip(lines.join('\n'), MAX_SECTION_TEXT)) };
}

const heading = (text: string): types.KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });
const note = (text: string): types.KnownBlock => ({ type: 'context', elements: [{ type: 'mrkdwn', text }] });

/** The Home tab for one reader, in their language. */
export function homeView(waiting: Waiting, own: readonly DeletionRequest[], t: Translate = english): HomeView {
  const waitingBlocks =
    'unavailable' in waiting
      ? [note(t('home.waitingUnavailable'))]
      : waiting.requests.length === 0
        ? [note(t('home.waitingEmpty'))]
        : waiting.requests.slice(0, HOME_WAITING_LIMIT).map((request) => entry(request, t));
  const ownBlocks = own.length === 0 ? [note(t('home.ownEmpty'))] : own.slice(0, HOME_OWN_LIMIT).map((request) => entry(request, t));
  return {
    type: 'home',
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: clip(t('home.title'), MAX_HEADER_TEXT) } },
      heading(t('home.waitingHeading')),
      ...waitingBlocks,
      { type: 'divider' },
      heading(t('home.ownHeading')),
      ...ownBlocks,
      note(t('home.hint', { command: OFFER_COMMAND })),
    ],
  };
}
