// The App Home tab: the requests waiting for the reader's decision, and their own recent requests, each linking to its thread.
import type { types } from '@slack/bolt';
import type { DeletionRequest } from '../../deletion/request.js';
import { OFFER_COMMAND } from '../constants.js';
import { english, type Translate } from '../i18n/translator.js';
import { requestLines } from './history.js';
import { clip, MAX_SECTION_TEXT, verbatim } from './mrkdwn.js';

/** How many of each list the tab shows: with a header, two headings, a divider and a hint, well under Slack's 100 blocks. */
export const HOME_WAITING_LIMIT = 20;
export const HOME_OWN_LIMIT = 10;
/** Slack's limit on a header block's text. */
const MAX_HEADER_TEXT = 150;

export interface HomeView {
  type: 'home';
  blocks: types.KnownBlock[];
}

/** What the tab knows of the waiting requests: the list, or that Slack could not say who may decide. */
export type Waiting = { requests: readonly DeletionRequest[] } | { unavailable: true };

function entry(request: DeletionRequest, t: Translate): types.KnownBlock {
  // The same lines as /offer history (a restore links its deletion's thread), without the request id.
  const lines = requestLines(request, t);
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
