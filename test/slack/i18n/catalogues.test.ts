// The catalogues stay in step (same ids, same placeholders) and every view stays within Block Kit's limits in every language.
import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it } from 'vitest';
import type { DeletionRequest, Outcome, OutcomeReason } from '../../../src/deletion/request.js';
import { CHANNEL_LANGUAGES } from '../../../src/config.js';
import { MAX_REASON_LENGTH, MAX_SEARCH_TEXT, parseCommand } from '../../../src/deletion/command.js';
import type { FindResult } from '../../../src/deletion/find-offers.js';
import type { OfferSummary } from '../../../src/deletion/ports.js';
import type { MessageId } from '../../../src/slack/i18n/en.js';
import { CATALOGUES, LANGUAGES, languageOf, translator } from '../../../src/slack/i18n/translator.js';
import { confirmationMessage, decidedMessage } from '../../../src/slack/views/confirmation.js';
import { deleteForm, FORM_OPTIONS_MAX, offerOptions } from '../../../src/slack/views/delete-form.js';
import { FIND_LIMIT, findMessage } from '../../../src/slack/views/find.js';
import { HISTORY_LIMIT, historyMessage } from '../../../src/slack/views/history.js';
import { HOME_OWN_LIMIT, HOME_WAITING_LIMIT, homeView } from '../../../src/slack/views/home.js';
import { outcomeDm, REMINDER_MENTIONS, reminderReply } from '../../../src/slack/views/notices.js';
import { outcomeReply } from '../../../src/slack/views/outcome.js';
import { clickerText, commandTexts, gapText, requesterText, usage } from '../../../src/slack/views/replies.js';
import { decisionModal } from '../../../src/slack/views/decision-modal.js';
import { MAX_COMMENT_LENGTH } from '../../../src/slack/views/decisions.js';
import { blockProblems, optionsProblems, viewProblems } from '../../support/slack-api/block-kit.js';
import { LIMITS } from '../../support/slack-api/limits.js';
import { aRequest, T0 } from '../../support/requests.js';

/** The placeholders a message uses, found in its ICU syntax tree (plural and select branches included). */
function placeholders(message: string): string[] {
  const names = new Set<string>();
  const walk = (elements: unknown[]) => {
    for (const element of elements as Array<{ type: number; value?: unknown; options?: Record<string, { value: unknown[] }> }>) {
      if (typeof element.value === 'string' && element.type !== 0) names.add(element.value);
      for (const option of Object.values(element.options ?? {})) walk(option.value);
    }
  };
  walk(new IntlMessageFormat(message, 'en', undefined, { ignoreTag: true }).getAst());
  return [...names].sort();
}

/** The longest the views receive: Adobe's names are unbounded (the views clip them), reasons stop at the parser's limit. */
const LONGEST = aRequest({
  offer: { ...aRequest().offer, id: `dps:${'a'.repeat(124)}`, name: '&'.repeat(5_000), status: 'approved'.repeat(50), lastModifiedBy: '<'.repeat(500) },
  reason: '>'.repeat(MAX_REASON_LENGTH),
  sandbox: 's'.repeat(100),
  decidedBy: 'U0G9QF9C6',
  decidedAt: T0,
  outcome: { reason: 'delete_refused', summary: '&'.repeat(5_000), adobeRequestIds: [] },
});
/** A stored outcome of every reason, each fact as long as Adobe could make it (its words are unbounded; the views clip). */
const longFailure = { message: 'm'.repeat(2_000), status: 503, adobeMessage: '<'.repeat(2_000), requestId: 'r'.repeat(200) };
const LONGEST_OUTCOMES: Outcome[] = (
  [
    'superseded',
    'lookup_failed',
    'offer_changed',
    'deleted',
    'already_gone',
    'deleted_despite_error',
    'not_confirmed',
    'delete_unanswered',
    'delete_refused',
    'offer_in_use',
    'delete_not_sent',
  ] satisfies OutcomeReason[]
).map((reason) => ({
  reason,
  adobeRequestIds: ['r'.repeat(200)],
  failure: longFailure,
  lastCheck: { failure: longFailure },
  unclearAttempt: { at: T0, status: null, error: 'e'.repeat(200), requestId: null },
  waitedMs: 10 ** 12,
  change: { etag: { before: '1'.repeat(200), after: '2'.repeat(200) }, modified: { after: '&'.repeat(500), by: '>'.repeat(500) } },
}));
const STATES: DeletionRequest['state'][] = ['pending', 'approved', 'deleting', 'deleted', 'failed', 'unverified', 'rejected', 'cancelled', 'expired'];
/** A restore of the longest deletion: a reply in its thread, with the states a restore goes through. */
const LONGEST_RESTORE: DeletionRequest = { ...LONGEST, action: 'restore', restoreOf: 'r'.repeat(64), threadTs: '1764324000.000100' };
const RESTORE_STATES: DeletionRequest['state'][] = ['pending', 'approved', 'restored', 'failed', 'unverified', 'rejected', 'cancelled', 'expired'];
/** The longest sandbox name Adobe (and OFFER_SANDBOXES) allows, and offers as long as Adobe's search can answer them. */
const LONGEST_SANDBOX = `s${'-'.repeat(63)}`;
const longestOffers = (count: number): OfferSummary[] =>
  Array.from({ length: count }, (_, i) => ({
    id: `dps:${String(i).padStart(124, 'a')}`,
    name: `&<>${'n'.repeat(5_000)}`,
    status: 'approved'.repeat(50),
    modified: '2026-11-20T09:12:44.000Z',
    lastModifiedBy: '<'.repeat(500),
  }));
/** Every outcome of a search, at its longest: more matches than any list shows, Adobe's longest failure, a long list of sandboxes. */
const LONGEST_SEARCHES: FindResult[] = [
  { type: 'found', sandbox: LONGEST_SANDBOX, offers: longestOffers(FORM_OPTIONS_MAX + 5), more: true },
  { type: 'found', sandbox: LONGEST_SANDBOX, offers: [], more: false },
  { type: 'search_failed', sandbox: LONGEST_SANDBOX, failure: longFailure },
  { type: 'search_failed', sandbox: LONGEST_SANDBOX, failure: null },
  { type: 'sandbox_refused', refusal: 'sandbox_unknown', requested: LONGEST_SANDBOX, allowed: Array.from({ length: 50 }, () => LONGEST_SANDBOX) },
  { type: 'sandbox_refused', refusal: 'sandbox_not_allowed', requested: LONGEST_SANDBOX, allowed: [LONGEST_SANDBOX] },
];
/** What `/offer find` can be asked for; the form's menu sends whatever was typed. */
const LONGEST_FIND_TEXT = '<'.repeat(MAX_SEARCH_TEXT);
const LONGEST_TYPED = '<'.repeat(2_000);

describe('the message catalogues', () => {
  const [reference, ...others] = LANGUAGES;

  it.each(others)('%s has exactly the English ids', (language) => {
    expect(Object.keys(CATALOGUES[language]).sort()).toEqual(Object.keys(CATALOGUES[reference ?? 'en']).sort());
  });

  it.each(others)('every %s message uses the same placeholders as the English one', (language) => {
    for (const id of Object.keys(CATALOGUES.en) as MessageId[]) {
      expect({ id, placeholders: placeholders(CATALOGUES[language][id]) }).toEqual({ id, placeholders: placeholders(CATALOGUES.en[id]) });
    }
  });

  it('OFFER_CHANNEL_LANGUAGE accepts exactly the languages there are catalogues for', () => {
    expect([...CHANNEL_LANGUAGES].sort()).toEqual([...LANGUAGES].sort());
  });

  it('Swedish locales get Swedish, and any other or unknown locale English', () => {
    expect([languageOf('sv-SE'), languageOf('sv_FI'), languageOf('sv'), languageOf('en-GB'), languageOf('de-DE'), languageOf(null), languageOf('')]).toEqual([
      'sv',
      'sv',
      'sv',
      'en',
      'en',
      'en',
      'en',
    ]);
  });

  it('Slack renders dates in each reader’s time zone, worded in the text’s language', () => {
    const context = (language: string) => JSON.stringify(decidedMessage(aRequest(), translator(language)).blocks);
    expect(context('en')).toContain('^{date_short_pretty} at {time}|');
    expect(context('sv')).toContain('^{date_short_pretty} kl. {time}|');
  });

  it('formatDateTime writes plain text in the reader’s locale and time zone, UTC without one, and never throws on what Slack sends', () => {
    const at = Date.parse('2026-11-28T10:01:00Z');
    expect(translator('sv-SE', 'Europe/Stockholm').formatDateTime(at)).toBe('28 nov. 2026 11:01 CET');
    expect(translator('en-US', 'America/New_York').formatDateTime(at)).toBe('Nov 28, 2026, 05:01 AM EST');
    expect(translator('en-GB', 'Europe/London').formatDateTime(at)).toBe('28 Nov 2026, 10:01 GMT');
    expect(translator('sv').formatDateTime(at)).toBe('28 nov. 2026 10:01 UTC');
    expect(translator('sv-SE', 'Mars/Olympus_Mons').formatDateTime(at)).toBe('28 nov. 2026 10:01 UTC');
    expect(translator('en-!!', null).formatDateTime(at)).toBe('Nov 28, 2026, 10:01 AM UTC');
  });

  it('plurals follow the language', () => {
    expect(translator('en')('reply.overLimit', { open: 1 })).toContain('1 open deletion request,');
    expect(translator('en')('reply.overLimit', { open: 3 })).toContain('3 open deletion requests');
    expect(translator('sv')('reply.overLimit', { open: 1 })).toContain('1 öppen begäran');
    expect(translator('sv')('reply.overLimit', { open: 3 })).toContain('3 öppna begäranden');
  });

  it.each(LANGUAGES)('in %s, the channel views for the longest values pass Slack’s block checks in every state', (language) => {
    const t = translator(language);
    for (const state of STATES) {
      const views = [decidedMessage({ ...LONGEST, state }, t)];
      if (!['pending', 'approved', 'deleting'].includes(state)) {
        views.push(outcomeReply({ ...LONGEST, state, outcome: { ...LONGEST.outcome!, adobeRequestIds: ['r'.repeat(200)] } }, t));
        for (const outcome of LONGEST_OUTCOMES) views.push(decidedMessage({ ...LONGEST, state, outcome }, t), outcomeReply({ ...LONGEST, state, outcome }, t));
      }
      for (const view of views) {
        expect({ state, problems: blockProblems(view.blocks) }).toEqual({ state, problems: [] });
        expect(view.text.length).toBeLessThanOrEqual(LIMITS.messageText);
      }
    }
  });

  it.each(LANGUAGES)('in %s, the requester’s DM in every final state and the reminder naming the most approvers pass Slack’s block checks', (language) => {
    const t = translator(language);
    const many = new Set(Array.from({ length: REMINDER_MENTIONS * 20 }, (_, i) => `U${String(i).padStart(10, '0')}`));
    const views = [
      ...STATES.filter((state) => !['pending', 'approved', 'deleting'].includes(state)).flatMap((state) => [
        outcomeDm({ ...LONGEST, state }, t),
        outcomeDm({ ...LONGEST, state, messageTs: null }, t),
      ]),
      reminderReply({ ...LONGEST, state: 'pending' }, { approvers: many, allowSelfApproval: false }, t),
      reminderReply({ ...LONGEST, state: 'pending' }, { approvers: null, allowSelfApproval: true }, t),
      reminderReply({ ...LONGEST, state: 'pending' }, { approvers: new Set([LONGEST.requesterId]), allowSelfApproval: false }, t),
    ];
    for (const view of views) {
      expect(blockProblems(view.blocks)).toEqual([]);
      expect(view.text.length).toBeLessThanOrEqual(LIMITS.messageText);
      expect(view.text).not.toMatch(/<!channel>|<!here>|<!everyone>/);
    }
  });

  it.each(LANGUAGES)('in %s, the Home tab with both lists full of the longest requests stays within 100 blocks and passes Slack’s block checks', (language) => {
    const t = translator(language);
    const all = Array.from({ length: 3 * HOME_WAITING_LIMIT }, (_, i) => ({ ...LONGEST, state: STATES[i % STATES.length] ?? 'pending' }));
    for (const view of [homeView({ requests: all }, all, t), homeView({ unavailable: true }, [], t), homeView({ requests: [] }, [], t)]) {
      expect(view.blocks.length).toBeLessThanOrEqual(100);
      expect(blockProblems(view.blocks)).toEqual([]);
    }
    expect(homeView({ requests: all }, all, t).blocks.length).toBe(HOME_WAITING_LIMIT + HOME_OWN_LIMIT + 5);
  });

  it.each(LANGUAGES)('in %s, five approvals and a Reject with the longest comments, and the decision modal, pass Slack’s checks', (language) => {
    const t = translator(language);
    const approvals = Array.from({ length: 5 }, (_, i) => ({ by: `U0APPROVER${i}`, at: T0, comment: '&\n'.repeat(MAX_COMMENT_LENGTH / 2) }));
    const decided = { ...LONGEST, requiredApprovals: 5, approvals, decisionComment: '<'.repeat(MAX_COMMENT_LENGTH) };
    for (const state of STATES) {
      const request = { ...decided, state, approvals: state === 'pending' ? approvals.slice(0, 4) : approvals };
      const views = [decidedMessage(request, t), ...(['pending', 'approved', 'deleting'].includes(state) ? [] : [outcomeReply(request, t)])];
      for (const view of views) {
        expect({ state, problems: blockProblems(view.blocks) }).toEqual({ state, problems: [] });
        expect(view.text.length).toBeLessThanOrEqual(LIMITS.messageText);
      }
    }
    for (const decision of ['approve', 'reject'] as const) {
      const modal = decisionModal(decided, decision, JSON.stringify({ requestId: LONGEST.id }), t);
      expect(viewProblems(modal as never, 'modal')).toEqual([]);
    }
    expect(clickerText({ type: 'click_refused', refusal: 'already_approved', request: decided }, t).length).toBeLessThanOrEqual(LIMITS.messageText);
  });

  it.each(LANGUAGES)('in %s, the history of the longest requests in every state passes Slack’s block checks', (language) => {
    const requests = Array.from({ length: HISTORY_LIMIT }, (_, i) => ({ ...LONGEST, state: STATES[i % STATES.length] ?? 'failed' }));
    const withOutcomes = LONGEST_OUTCOMES.map((outcome, i) => ({ ...LONGEST, state: i % 2 === 0 ? ('failed' as const) : ('unverified' as const), outcome }));
    for (const shown of [requests, withOutcomes.slice(0, HISTORY_LIMIT), withOutcomes.slice(HISTORY_LIMIT)]) {
      const view = historyMessage(shown, LONGEST.offer.id, translator(language));
      expect(blockProblems(view.blocks)).toEqual([]);
      expect(view.text.length).toBeLessThanOrEqual(LIMITS.messageText);
    }
  });

  it.each(LANGUAGES)('in %s, the private texts for the longest values stay within a message text', (language) => {
    const t = translator(language);
    const texts = [
      requesterText({ type: 'over_limit', open: 1_000 }, t),
      requesterText({ type: 'already_requested', existing: LONGEST, visible: true }, t),
      requesterText({ type: 'already_requested', existing: { ...LONGEST, state: 'pending' }, visible: false }, t),
      requesterText({ type: 'confirmation_refused', offerId: LONGEST.offer.id, slackError: 'e'.repeat(200) }, t),
      clickerText({ type: 'click_refused', refusal: 'already_decided', request: { ...LONGEST, state: 'failed' } }, t),
      gapText(LONGEST, 'outcome', 'e'.repeat(200), t),
      usage(t),
      commandTexts(t).lookingUp(LONGEST.offer.id, LONGEST.sandbox),
      ...[
        'x'.repeat(1_000),
        'find',
        `find ${'f'.repeat(1_000)}`,
        `delete ${'a'.repeat(200)}`,
        'delete a/b',
        `delete a ${'r'.repeat(1_000)}`,
        'history a b',
      ].map((text) => {
        const parsed = parseCommand(text);
        if (parsed.kind !== 'invalid') throw new Error(`${text} parsed`);
        return commandTexts(t).invalid(parsed.problem);
      }),
    ];
    for (const text of texts) expect(text.length).toBeLessThanOrEqual(LIMITS.messageText);
  });

  it('Adobe’s three offer statuses are worded in each language; any other is shown as Adobe wrote it', () => {
    const statuses = (language: string) => ['draft', 'approved', 'archived', 'retired'].map((status) => translator(language)('offer.status', { status }));
    expect(statuses('en')).toEqual(['draft', 'approved', 'archived', 'retired']);
    expect(statuses('sv')).toEqual(['utkast', 'godkänt', 'arkiverat', 'retired']);
    expect(JSON.stringify(decidedMessage(aRequest(), translator('sv')).blocks)).toContain('*Status*\\ngodkänt');
  });

  it.each(LANGUAGES)(
    'in %s, a restore’s confirmation, its updates and its outcome, and a deletion’s Restore button, pass Slack’s block checks for the longest values',
    (language) => {
      const t = translator(language);
      const views = [confirmationMessage(LONGEST_RESTORE, t), outcomeReply({ ...LONGEST, state: 'deleted' }, t, T0)];
      for (const state of RESTORE_STATES) {
        const outcome = { ...LONGEST_OUTCOMES[0]!, reason: 'restore_unanswered' as const, restoredId: 'n'.repeat(128), byName: { ids: ['i'.repeat(128)] } };
        views.push(decidedMessage({ ...LONGEST_RESTORE, state, outcome }, t));
        if (!['pending', 'approved'].includes(state))
          views.push(outcomeReply({ ...LONGEST_RESTORE, state, outcome }, t), outcomeDm({ ...LONGEST_RESTORE, state, outcome }, t));
      }
      views.push(reminderReply({ ...LONGEST_RESTORE, state: 'pending' }, { approvers: null, allowSelfApproval: false }, t));
      for (const view of views) {
        expect(blockProblems(view.blocks)).toEqual([]);
        expect(view.text.length).toBeLessThanOrEqual(LIMITS.messageText);
      }
      for (const decision of ['approve', 'reject'] as const)
        expect(viewProblems(decisionModal(LONGEST_RESTORE, decision, '{}', t) as never, 'modal')).toEqual([]);
    },
  );

  it.each(LANGUAGES)('in %s, the delete form with the most and longest sandboxes passes Slack’s checks for a modal', (language) => {
    const sandboxes = Array.from({ length: FORM_OPTIONS_MAX + 5 }, (_, i) => `${i}${'s'.repeat(63)}`.slice(0, 64));
    const form = deleteForm({ channelId: 'C024BE91L', sandbox: sandboxes[0]! }, sandboxes, translator(language));
    expect(viewProblems(form as never, 'modal')).toEqual([]);
  });

  it.each(LANGUAGES)('in %s, the form menu’s answer to every search, with the longest offers and what was typed, is one Slack shows', (language) => {
    const t = translator(language);
    for (const result of LONGEST_SEARCHES) {
      const answer = offerOptions(result, LONGEST_TYPED, t);
      expect({ result: result.type, problems: optionsProblems(answer) }).toEqual({ result: result.type, problems: [] });
      expect(answer.options.length).toBeGreaterThan(0);
    }
  });

  it.each(LANGUAGES)('in %s, /offer find’s answer to every search, with the longest offers, passes Slack’s block checks', (language) => {
    const t = translator(language);
    for (const result of LONGEST_SEARCHES) {
      const view = findMessage(result, LONGEST_FIND_TEXT, t);
      expect({ result: result.type, problems: blockProblems(view.blocks) }).toEqual({ result: result.type, problems: [] });
      expect(view.text.length).toBeLessThanOrEqual(LIMITS.messageText);
    }
    expect(findMessage(LONGEST_SEARCHES[0]!, LONGEST_FIND_TEXT, t).blocks.length).toBe(FIND_LIMIT + 2);
  });
});
