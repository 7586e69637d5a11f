// The find list and the delete form, in every language, with the longest values Adobe could send: within Slack's limits.
import { describe, expect, it } from 'vitest';
import type { FindResult } from '../../../src/deletion/find-offers.js';
import type { OfferSummary } from '../../../src/deletion/ports.js';
import { DELETE_FORM } from '../../../src/slack/constants.js';
import { LANGUAGES, translator } from '../../../src/slack/i18n/translator.js';
import { deleteForm, FORM_OPTIONS_MAX, formContext, formMetadata, NO_OFFER_VALUE, offerOptions } from '../../../src/slack/views/delete-form.js';
import { FIND_LIMIT, findMessage } from '../../../src/slack/views/find.js';
import { blockProblems } from '../../support/slack-api/block-kit.js';
import { LIMITS } from '../../support/slack-api/limits.js';

const LONG: OfferSummary = { id: `dps:${'a'.repeat(124)}`, name: '<&>'.repeat(2_000), status: 'approved'.repeat(50), modified: '2026-11-20T09:12:44.000Z' };
const found = (count: number, more = false): FindResult => ({
  type: 'found',
  sandbox: 's'.repeat(64),
  offers: Array.from({ length: count }, (_, i) => ({ ...LONG, id: `${LONG.id.slice(0, 120)}${i}` })),
  more,
});
const OPTION_TEXT_MAX = 75;

describe.each(LANGUAGES)('in %s', (language) => {
  const t = translator(language, 'Europe/Stockholm');

  it('the find list of the most offers, with the longest names, passes Slack’s block checks and escapes names', () => {
    const view = findMessage(found(100, true), 'x'.repeat(100), t);
    expect(blockProblems(view.blocks)).toEqual([]);
    expect(view.blocks).toHaveLength(FIND_LIMIT + 2);
    expect(JSON.stringify(view.blocks)).not.toContain('<&>');
    expect(view.text.length).toBeLessThanOrEqual(LIMITS.messageText);
  });

  it('the menu answers at most 100 options, each text within 75 characters, each value the offer id', () => {
    const { options } = offerOptions(found(150), 'x', t);
    expect(options).toHaveLength(FORM_OPTIONS_MAX);
    for (const option of options) {
      expect(option.text.text.length).toBeLessThanOrEqual(OPTION_TEXT_MAX);
      expect(option.value?.length).toBeLessThanOrEqual(150);
    }
    // The reader’s zone (Stockholm: 10:12 for 09:12 UTC), in plain text.
    expect(options[0]?.text.text).toMatch(/(Nov 20, 2026, 10:12 AM|20 nov. 2026 10:12)/);
  });

  it('no match, a failed search and a refused sandbox each answer one option that is no offer', () => {
    for (const result of [
      found(0),
      { type: 'search_failed', sandbox: 'prod', failure: null },
      { type: 'sandbox_refused', refusal: 'sandbox_unknown', requested: 'qa', allowed: ['prod'] },
    ] satisfies FindResult[]) {
      const { options } = offerOptions(result, 'w'.repeat(100), t);
      expect(options).toHaveLength(1);
      expect(options[0]?.value).toBe(NO_OFFER_VALUE);
      expect(options[0]?.text.text.length).toBeLessThanOrEqual(OPTION_TEXT_MAX);
    }
  });

  it('the form keeps Slack’s modal limits and carries the channel and sandbox in its metadata', () => {
    const view = deleteForm({ channelId: 'C0PROD', sandbox: 'stage' }, ['stage', 'dev'], t);
    expect(view.title.text.length).toBeLessThanOrEqual(24);
    expect(view.submit?.text.length).toBeLessThanOrEqual(24);
    expect(view.close?.text.length).toBeLessThanOrEqual(24);
    expect(blockProblems(view.blocks)).toEqual([]);
    expect(view.blocks.map((block) => block.block_id).filter(Boolean)).toEqual([DELETE_FORM.sandbox, DELETE_FORM.offer, DELETE_FORM.reason]);
    expect(formContext(view.private_metadata ?? '')).toEqual({ channelId: 'C0PROD', sandbox: 'stage' });
  });
});

it('metadata that is not the form’s reads as none', () => {
  expect(formContext('not json')).toBeNull();
  expect(formContext('{"c":1}')).toBeNull();
  expect(formContext(formMetadata({ channelId: 'C1', sandbox: 'prod' }))).toEqual({ channelId: 'C1', sandbox: 'prod' });
});
