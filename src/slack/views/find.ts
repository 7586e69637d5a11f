// `/offer find`: the offers whose name contains the text, with id, status and last change, shown to the caller alone.
import type { types } from '@slack/bolt';
import type { FindResult } from '../../deletion/find-offers.js';
import type { OfferSummary } from '../../deletion/ports.js';
import { OFFER_COMMAND } from '../constants.js';
import { english, type Translate } from '../i18n/translator.js';
import { clip, code, escapeText, MAX_SECTION_TEXT, offerStatus, slackDate, verbatim, type MessageView } from './mrkdwn.js';
import { describeAdobeFailure } from './outcome.js';
import { requesterText } from './replies.js';

/** Offers `/offer find` lists; more get a hint to type more of the name. */
export const FIND_LIMIT = 20;
const FIND_NAME_CHARS = 150;
const FIND_STATUS_CHARS = 30;
/** What was searched for, as the answer repeats it. */
const quoted = (text: string) => code(clip(text, 100));

function modifiedOf(offer: OfferSummary, t: Translate): string {
  const ms = offer.modified === undefined ? Number.NaN : Date.parse(offer.modified);
  return Number.isNaN(ms) ? t('field.modifiedUnknown') : slackDate(ms, t);
}

/** An answer that is one sentence; Adobe's words in a failure are unbounded, so its section is clipped. */
const sentence = (text: string): MessageView => ({ text, blocks: [{ type: 'section', text: verbatim(clip(text, MAX_SECTION_TEXT)) }] });

/** What `/offer find <text>` answers, for each outcome of the search. */
export function findMessage(result: FindResult, text: string, t: Translate = english): MessageView {
  if (result.type === 'sandbox_refused') return sentence(requesterText(result, t));
  const sandbox = code(result.sandbox);
  if (result.type === 'search_failed') return sentence(t('find.failed', { sandbox, failure: escapeText(describeAdobeFailure(result.failure, t)) }));
  if (result.offers.length === 0) return sentence(t('find.none', { sandbox, text: quoted(text) }));
  const heading = t('find.heading', { sandbox, text: quoted(text) });
  const entries = result.offers.slice(0, FIND_LIMIT).map(
    (offer): types.KnownBlock => ({
      type: 'section',
      text: verbatim(
        clip(
          t('find.entry', {
            name: escapeText(clip(offer.name, FIND_NAME_CHARS)),
            offerId: code(offer.id),
            status: offerStatus(escapeText(clip(offer.status, FIND_STATUS_CHARS)), t),
            modified: modifiedOf(offer, t),
          }),
          MAX_SECTION_TEXT,
        ),
      ),
    }),
  );
  const hints = [...(result.more ? [t('find.more', { count: FIND_LIMIT })] : []), t('find.hint', { command: OFFER_COMMAND })];
  return {
    text: heading,
    blocks: [
      { type: 'section', text: verbatim(heading) },
      ...entries,
      { type: 'context', elements: hints.map((hint): types.MrkdwnElement => ({ type: 'mrkdwn', text: hint })) },
    ],
  };
}
