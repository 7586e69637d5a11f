// What every view shares: escaping and verbatim mrkdwn, clipping to Block Kit's limits, people, channels and dates.
import type { types } from '@slack/bolt';
import { SYSTEM_ACTOR } from '../../deletion/lifecycle.js';
import { english, type Translate } from '../i18n/translator.js';

export interface MessageView {
  text: string;
  blocks: types.KnownBlock[];
  metadata?: types.MessageMetadata;
}

export const MAX_SECTION_TEXT = 3000;
export const MAX_FIELD_TEXT = 2000;
const MS_PER_SECOND = 1_000;

/** Escapes what Adobe or a user wrote, so it cannot become a mention (`<!channel>`) or a link. */
export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * A mrkdwn text object for text that carries what people or Adobe wrote. `verbatim` keeps Slack from turning bare
 * URLs, #channel names and @mentions in it into links and mentions (escapeText keeps `<`, `>` and `&` inert); the
 * mentions, channels and dates offer-bot writes itself in `<…>` form still render.
 */
export const verbatim = (text: string): types.MrkdwnElement => ({ type: 'mrkdwn', text, verbatim: true });

export const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
/** Inline code, escaped, for ids and names in the views. */
export const code = (text: string) => `\`${escapeText(text).replace(/`/g, "'")}\``;
/** Inline code as the private replies always wrote it: ids there have passed the offer id rule. */
export const plainCode = (text: string) => `\`${text}\``;
export const user = (id: string) => (id === SYSTEM_ACTOR ? 'offer-bot' : `<@${id}>`);
/** A Slack channel id's shape: anything else stored is shown as code, never as a link. */
export const SLACK_CHANNEL_ID = /^[CGD][A-Z0-9]+$/;
export const channel = (id: string) => (SLACK_CHANNEL_ID.test(id) ? `<#${id}>` : code(id));

/** Adobe's status of an offer (draft, approved, archived) in the text's language; any other as given (escaped or clipped by the caller). */
export const offerStatus = (status: string, t: Translate = english): string => t('offer.status', { status });

/** A time in each reader's own time zone (Slack renders it), worded in the text's language, with an ISO fallback. */
export function slackDate(ms: number, t: Translate = english): string {
  const pattern = t('date.at', { date: '{date_short_pretty}', time: '{time}' });
  return `<!date^${Math.floor(ms / MS_PER_SECOND)}^${pattern}|${new Date(ms).toISOString()}>`;
}
