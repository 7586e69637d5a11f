// The delete form (`/offer delete` without an id): a modal with the sandbox, a menu that finds the offer by name, and the reason.
import type { types } from '@slack/bolt';
import { MAX_REASON_LENGTH } from '../../deletion/command.js';
import type { FindResult } from '../../deletion/find-offers.js';
import type { OfferSummary } from '../../deletion/ports.js';
import { DELETE_FORM } from '../constants.js';
import { english, type Translate } from '../i18n/translator.js';
import { clip, offerStatus, verbatim } from './mrkdwn.js';

/** Slack's limits: an option's text 75 characters, a menu at most 100 options, a modal's title 24. */
const OPTION_TEXT_MAX = 75;
export const FORM_OPTIONS_MAX = 100;
/** The value of an option that is no offer (no match, search failed): not an offer id, so a submission of it is refused. */
export const NO_OFFER_VALUE = '-';

/** What the form carries from the command to its submission (Slack hands private_metadata back as given). */
export interface FormContext {
  channelId: string;
  /** The sandbox preselected: the one `--sandbox` named, or the channel's default. */
  sandbox: string;
}

export const formMetadata = (context: FormContext): string => JSON.stringify({ c: context.channelId, s: context.sandbox });

export function formContext(metadata: string): FormContext | null {
  try {
    const parsed: unknown = JSON.parse(metadata);
    if (typeof parsed !== 'object' || parsed === null) return null;
    const { c, s } = parsed as { c?: unknown; s?: unknown };
    return typeof c === 'string' && typeof s === 'string' ? { channelId: c, sandbox: s } : null;
  } catch {
    return null;
  }
}

const plain = (text: string): types.PlainTextElement => ({ type: 'plain_text', text });
const sandboxOption = (sandbox: string): types.PlainTextOption => ({ text: plain(sandbox), value: sandbox });

export function deleteForm(context: FormContext, sandboxes: readonly string[], t: Translate = english): types.ModalView {
  return {
    type: 'modal',
    callback_id: DELETE_FORM.callbackId,
    private_metadata: formMetadata(context),
    title: plain(t('form.title')),
    submit: plain(t('form.submit')),
    close: plain(t('form.close')),
    blocks: [
      { type: 'section', text: verbatim(t('form.intro', { channel: `<#${context.channelId}>` })) },
      {
        type: 'input',
        block_id: DELETE_FORM.sandbox,
        label: plain(t('form.sandbox')),
        element: {
          type: 'static_select',
          action_id: DELETE_FORM.sandbox,
          options: sandboxes.slice(0, FORM_OPTIONS_MAX).map(sandboxOption),
          initial_option: sandboxOption(context.sandbox),
        },
      },
      {
        type: 'input',
        block_id: DELETE_FORM.offer,
        label: plain(t('form.offer')),
        element: { type: 'external_select', action_id: DELETE_FORM.offer, min_query_length: 1, placeholder: plain(t('form.offerPlaceholder')) },
      },
      {
        type: 'input',
        block_id: DELETE_FORM.reason,
        label: plain(t('form.reason')),
        element: {
          type: 'plain_text_input',
          action_id: DELETE_FORM.reason,
          max_length: MAX_REASON_LENGTH,
          placeholder: plain(t('form.reasonPlaceholder')),
        },
      },
    ],
  };
}

/** One option per offer: its name, status and last change (plain text, so the time in the reader's zone), its id as the value. */
function offerOption(offer: OfferSummary, t: Translate): types.PlainTextOption {
  const ms = offer.modified === undefined ? Number.NaN : Date.parse(offer.modified);
  const facts = { status: offerStatus(clip(offer.status, 20), t), modified: Number.isNaN(ms) ? t('field.modifiedUnknown') : t.formatDateTime(ms) };
  const room = OPTION_TEXT_MAX - t('form.option', { name: '', ...facts }).length;
  return { text: plain(clip(t('form.option', { name: clip(offer.name, Math.max(room, 1)), ...facts }), OPTION_TEXT_MAX)), value: offer.id };
}

const lone = (text: string): types.PlainTextOption[] => [{ text: plain(clip(text, OPTION_TEXT_MAX)), value: NO_OFFER_VALUE }];

/** The menu's answer to what was typed: the matches, or one option saying there are none or the search failed. */
export function offerOptions(result: FindResult, text: string, t: Translate = english): { options: types.PlainTextOption[] } {
  if (result.type === 'sandbox_refused') return { options: lone(t('form.sandboxRefused')) };
  if (result.type === 'search_failed') return { options: lone(t('form.searchFailed')) };
  if (result.offers.length === 0) return { options: lone(t('form.noMatch', { text: clip(text, 40) })) };
  return { options: result.offers.slice(0, FORM_OPTIONS_MAX).map((offer) => offerOption(offer, t)) };
}
