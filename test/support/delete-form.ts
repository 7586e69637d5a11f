// Filling in the delete form as a person does: its menu's answer as option pairs, and the state its fields submit.
import { DELETE_FORM } from '../../src/slack/constants.js';
import type { StateValues } from './slack-requests.js';

/** An options answer as [text, value] pairs, in the order the menu shows them. */
export const optionsOf = (json: unknown): string[][] =>
  ((json as { options?: Array<{ text: { text: string }; value: string }> }).options ?? []).map((o) => [o.text.text, o.value]);

/** The offer menu with the option `text`/`value` picked. */
export const pick = (text: string, value: string) => ({ type: 'external_select', selected_option: { text: { type: 'plain_text' as const, text }, value } });

export const reason = (value: string): StateValues => ({ [DELETE_FORM.reason]: { [DELETE_FORM.reason]: { type: 'plain_text_input' as const, value } } });

export const sandbox = (name: string): StateValues => ({
  [DELETE_FORM.sandbox]: {
    [DELETE_FORM.sandbox]: { type: 'static_select', selected_option: { text: { type: 'plain_text' as const, text: name }, value: name } },
  },
});

/** The whole form: the offer picked from the menu, a reason and a sandbox. */
export const filledIn = (offer: { text: string; value: string }, why: string, inSandbox: string): StateValues => ({
  [DELETE_FORM.offer]: { [DELETE_FORM.offer]: pick(offer.text, offer.value) },
  ...reason(why),
  ...sandbox(inSandbox),
});
