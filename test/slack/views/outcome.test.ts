// The outcome sentences: each way a deletion ends says what happened, and only that (facts from the core, words from the view, in its language).
import { describe, expect, it } from 'vitest';
import { AdobeError } from '../../../src/adobe/errors.js';
import type { Attempt } from '../../../src/adobe/retry.js';
import { outcomeOf, type DeletionEnd } from '../../../src/deletion/delete-outcome.js';
import type { FinalState, Outcome, OutcomeReason } from '../../../src/deletion/request.js';
import { english, translator } from '../../../src/slack/i18n/translator.js';
import { escapeText } from '../../../src/slack/views/mrkdwn.js';
import { outcomeReply, outcomeSentence } from '../../../src/slack/views/outcome.js';
import { aRequest, T0 } from '../../support/requests.js';

/** The sentence the thread shows for a deletion that ended so: the stored facts, worded by the view. */
const deletionSummary = (end: DeletionEnd) => outcomeSentence(outcomeOf(end, []));

const T = Date.parse('2026-11-28T10:00:00Z');
const status503: Attempt = { at: T, status: 503, error: null, requestId: 'r-503' };
const timedOut: Attempt = { at: T, status: null, error: 'UND_ERR_HEADERS_TIMEOUT', requestId: null };
const serverError = new AdobeError('ADOBE_HTTP', 'the Offer Library answered HTTP 503: Service Unavailable (request id r-503)', {
  status: 503,
  adobeMessage: 'Service Unavailable',
  requestId: 'r-503',
});
const noAnswer = new AdobeError('ADOBE_UNREACHABLE', 'could not reach the Offer Library at platform.adobe.io: timed out after 10s waiting for an answer');
const forbidden = new AdobeError('ADOBE_HTTP', 'the Offer Library answered HTTP 403: Forbidden', { status: 403, adobeMessage: 'Forbidden' });
const inUse = new AdobeError('ADOBE_HTTP', 'the Offer Library answered HTTP 409', {
  status: 409,
  adobeMessage: "Conflict: Offer 'x' is referenced by collection 'Winter' and cannot be deleted.",
});
const refusedConnection = new AdobeError('ADOBE_UNREACHABLE', 'could not reach the Offer Library at platform.adobe.io: connection refused (4 attempts)');

describe('the outcome of a deletion, in words', () => {
  it('a refused DELETE says Adobe refused it, with Adobe’s words, and that the offer is still there', () => {
    const text = deletionSummary({ reason: 'delete_refused', error: forbidden, last: { found: true } });
    expect(text).toMatch(/^Adobe refused the DELETE: the Offer Library answered HTTP 403: Forbidden/);
    expect(text).toMatch(/The offer is still there\.$/);
  });

  it('a DELETE answered with a server error says the answer does not tell, not that Adobe refused', () => {
    const text = deletionSummary({
      reason: 'delete_unanswered',
      answer: { kind: 'unanswered', attempt: status503, error: serverError },
      last: { found: true },
      waitedMs: 30_000,
    });
    expect(text).toMatch(/^Adobe answered the DELETE with a server error \(the Offer Library answered HTTP 503: Service Unavailable/);
    expect(text).toMatch(/does not say whether it was applied, so offer-bot did not send it again\. A GET still found the offer 30s later/);
    expect(text).not.toMatch(/refused/);
  });

  it('a DELETE that got no answer says Adobe did not answer', () => {
    const text = deletionSummary({
      reason: 'delete_unanswered',
      answer: { kind: 'unanswered', attempt: timedOut, error: noAnswer },
      last: { error: serverError },
      waitedMs: 1_000,
    });
    expect(text).toMatch(
      /^Adobe did not answer the DELETE \(could not reach the Offer Library at platform\.adobe\.io: timed out after 10s waiting for an answer\)/,
    );
    expect(text).toMatch(/The check failed: the Offer Library answered HTTP 503: Service Unavailable .* 1s later: check the offer in Journey Optimizer/);
  });

  it('an offer that a collection or a decision uses says to remove it from those first, and what Adobe said', () => {
    const text = deletionSummary({ reason: 'offer_in_use', error: inUse, last: { found: true } });
    expect(text).toBe(
      'Adobe would not delete it because a collection or a decision still uses it: remove it from those first, then ask again. ' +
        "Adobe said: “Conflict: Offer 'x' is referenced by collection 'Winter' and cannot be deleted.” (HTTP 409).",
    );
  });

  it('an unclear answer and then a 404 is this request’s deletion, never someone else’s', () => {
    const ends: DeletionEnd[] = [
      { reason: 'deleted_despite_error', answer: { kind: 'unanswered', attempt: status503, error: serverError } },
      { reason: 'deleted_despite_error', answer: { kind: 'unanswered', attempt: status503, error: null } },
    ];
    for (const end of ends) {
      const text = deletionSummary(end);
      expect(text).toMatch(/HTTP 503.*but a GET then confirmed the offer is gone \(404\): this request deleted it\.$/);
      expect(text).not.toMatch(/someone else|already/);
    }
  });

  it('a 404 at the only DELETE is someone else’s deletion', () => {
    expect(deletionSummary({ reason: 'already_gone' })).toMatch(/someone else had deleted the offer before this request’s DELETE arrived/);
  });

  it('a DELETE that never reached Adobe says nothing was deleted', () => {
    expect(deletionSummary({ reason: 'delete_not_sent', error: refusedConnection })).toBe(
      'offer-bot could not send the DELETE (could not reach the Offer Library at platform.adobe.io: connection refused (4 attempts)), so nothing was deleted. Ask again shortly.',
    );
  });

  it('a resumed deletion does not claim Adobe accepted a DELETE whose answer it never saw', () => {
    expect(deletionSummary({ reason: 'deleted', resumed: true })).not.toMatch(/accepted/);
    expect(deletionSummary({ reason: 'deleted', resumed: false })).toBe('Adobe accepted the DELETE and a GET confirmed the offer is gone (404).');
  });
});

/** One stored outcome per reason (the type makes the table complete), with the facts its sentence uses. */
const adobeFailure = {
  message: 'the Offer Library answered HTTP 503: Service Unavailable',
  status: 503,
  adobeMessage: 'Service Unavailable',
  requestId: 'r-503',
};
const EVERY_REASON: Record<OutcomeReason, { state: FinalState; outcome: Outcome }> = {
  deleted: { state: 'deleted', outcome: outcomeOf({ reason: 'deleted', resumed: false }, ['r-1']) },
  already_gone: { state: 'deleted', outcome: outcomeOf({ reason: 'already_gone' }, []) },
  deleted_despite_error: {
    state: 'deleted',
    outcome: outcomeOf({ reason: 'deleted_despite_error', answer: { kind: 'unanswered', attempt: status503, error: serverError } }, []),
  },
  not_confirmed: { state: 'unverified', outcome: outcomeOf({ reason: 'not_confirmed', last: { found: true }, waitedMs: 30_000 }, []) },
  delete_unanswered: {
    state: 'unverified',
    outcome: outcomeOf(
      { reason: 'delete_unanswered', answer: { kind: 'unanswered', attempt: timedOut, error: noAnswer }, last: { error: serverError }, waitedMs: 1_000 },
      [],
    ),
  },
  delete_refused: { state: 'failed', outcome: outcomeOf({ reason: 'delete_refused', error: forbidden, last: { found: true } }, []) },
  offer_in_use: { state: 'failed', outcome: outcomeOf({ reason: 'offer_in_use', error: inUse, last: { found: true } }, []) },
  delete_not_sent: { state: 'failed', outcome: outcomeOf({ reason: 'delete_not_sent', error: refusedConnection }, []) },
  offer_changed: {
    state: 'failed',
    outcome: {
      reason: 'offer_changed',
      adobeRequestIds: [],
      change: { etag: { before: '7', after: '8' }, modified: { after: '2026-11-28T10:01:00.000Z', by: 'marketer@example.com' } },
    },
  },
  lookup_failed: { state: 'failed', outcome: { reason: 'lookup_failed', adobeRequestIds: [], failure: adobeFailure } },
  superseded: { state: 'cancelled', outcome: { reason: 'superseded', adobeRequestIds: [] } },
  restored: { state: 'restored', outcome: { reason: 'restored', adobeRequestIds: [], restoredId: 'dps:personalized-offer:9f00' } },
  restore_refused: { state: 'failed', outcome: { reason: 'restore_refused', adobeRequestIds: [], failure: adobeFailure } },
  restore_not_sent: { state: 'failed', outcome: { reason: 'restore_not_sent', adobeRequestIds: [], failure: adobeFailure } },
  restore_unanswered: {
    state: 'unverified',
    outcome: { reason: 'restore_unanswered', adobeRequestIds: [], failure: adobeFailure, byName: { ids: [] }, offerName: 'Winter sale 20% off' },
  },
  restore_not_confirmed: {
    state: 'unverified',
    outcome: { reason: 'restore_not_confirmed', adobeRequestIds: [], restoredId: 'dps:personalized-offer:9f00', waitedMs: 30_000 },
  },
};

/** The sentence for each reason in Swedish, as the thread shows it with OFFER_CHANNEL_LANGUAGE=sv. */
const SWEDISH: Record<OutcomeReason, RegExp> = {
  deleted: /^Adobe godtog DELETE och en GET bekräftade att erbjudandet är borta \(404\)\.$/,
  already_gone: /^DELETE svarade 404: någon annan hade tagit bort erbjudandet innan den här begärans DELETE kom fram\. En GET bekräftade att det är borta\.$/,
  deleted_despite_error:
    /^Adobe svarade på DELETE med ett serverfel \(the Offer Library answered HTTP 503: Service Unavailable \(request id r-503\) \(HTTP 503; Service Unavailable; request-id r-503\)\), som inte säger om den utfördes, men en GET bekräftade sedan att erbjudandet är borta \(404\): den här begäran tog bort det\.$/,
  not_confirmed: /^En GET hittade fortfarande erbjudandet 30\s?s efter DELETE\. Kontrollera erbjudandet i Journey Optimizer\.$/,
  delete_unanswered:
    /^Adobe svarade inte på DELETE \(could not reach .*\), så offer-bot skickade den inte igen\. Kontrollen misslyckades: .*\(HTTP 503; Service Unavailable; request-id r-503\) 1\s?s senare: kontrollera erbjudandet i Journey Optimizer, och fråga igen om det fortfarande ska tas bort\.$/,
  delete_refused: /^Adobe avvisade DELETE: the Offer Library answered HTTP 403: Forbidden \(HTTP 403; Forbidden\)\. Erbjudandet finns kvar\.$/,
  offer_in_use:
    /^Adobe ville inte ta bort det eftersom en samling eller ett beslut fortfarande använder det: ta bort det därifrån först och fråga sedan igen\. Adobe svarade: ”Conflict: .*” \(HTTP 409\)\.$/,
  delete_not_sent: /^offer-bot kunde inte skicka DELETE \(could not reach .*\), så inget togs bort\. Försök igen om en stund\.$/,
  offer_changed:
    /^erbjudandet ändrades efter begäran \(etag 7 → 8, ändrat 28 nov\. 2026 10:01 UTC av marketer@example\.com\), så det togs inte bort\. Fråga igen om det fortfarande ska tas bort\.$/,
  lookup_failed:
    /^offer-bot kunde inte slå upp erbjudandet igen före borttagningen: the Offer Library answered HTTP 503: Service Unavailable \(HTTP 503; Service Unavailable; request-id r-503\)\. Ingen DELETE skickades\.$/,
  superseded: /^ersatt av en ny begäran$/,
  restored: /^Adobe skapade det \(POST\) och en GET hittade det\.$/,
  restore_refused:
    /^Adobe avvisade POST-anropet: the Offer Library answered HTTP 503: Service Unavailable \(HTTP 503; Service Unavailable; request-id r-503\)\. Inget skapades\.$/,
  restore_not_sent: /^offer-bot kunde inte skicka POST-anropet \(the Offer Library answered .*\), så inget skapades\. Försök igen med Återställ\.$/,
  restore_unanswered:
    /^Adobe gav inget tydligt svar på POST-anropet \(.*\), så offer-bot skickade det inte igen, och inget nytt erbjudande med det namnet dök upp\. Leta efter ett erbjudande med namnet ”Winter sale 20% off” i Journey Optimizer innan du skapar det igen\.$/,
  restore_not_confirmed:
    /^Adobe skapade det med id dps:personalized-offer:9f00, men en GET hittade det inte inom 30\s?s\. Kontrollera erbjudandet i Journey Optimizer\.$/,
};

/** Words of the English sentences that no Swedish one has: any of them means a fragment stayed English. */
const ENGLISH_WORDS =
  /\b(the offer|was|were|deleted|answered the|did not|could not|someone|again|shortly|still|superseded|request id|modified|none|unknown|found)\b/;

describe('the outcome of a deletion, in the channel’s language', () => {
  const sv = translator('sv');

  it.each(Object.keys(EVERY_REASON) as OutcomeReason[])('%s is worded in Swedish, from the same stored facts', (reason) => {
    const { outcome } = EVERY_REASON[reason];
    const swedish = outcomeSentence(outcome, sv);
    expect(swedish).toMatch(SWEDISH[reason]);
    expect(swedish.replace(/\([^()]*(\([^()]*\)[^()]*)*\)/g, '').replace(/”[^”]*”/g, '')).not.toMatch(ENGLISH_WORDS);
    expect(swedish).not.toBe(outcomeSentence(outcome, english));
  });

  it.each(Object.keys(EVERY_REASON) as OutcomeReason[])('the thread reply for %s with OFFER_CHANNEL_LANGUAGE=sv says it in Swedish', (reason) => {
    const { state, outcome } = EVERY_REASON[reason];
    const action = reason.startsWith('restore') ? 'restore' : 'delete';
    const request = aRequest({ state, outcome, action, decidedBy: 'U0G9QF9C6', decidedAt: T0, updatedAt: T0 });
    const reply = outcomeReply(request, sv).text;
    if (reason === 'superseded') expect(reply).toContain(', som bad om den igen i en annan kanal');
    else expect(reply).toContain(escapeText(outcomeSentence(outcome, sv)));
    expect(reply).not.toContain(escapeText(outcomeSentence(outcome, english)));
  });

  it('a sentence stored by an earlier version is shown as it was stored, in any language', () => {
    const legacy: Outcome = { reason: 'delete_refused', summary: 'Adobe refused the DELETE: HTTP 403', adobeRequestIds: [] };
    expect(outcomeSentence(legacy, sv)).toBe('Adobe refused the DELETE: HTTP 403');
  });

  it('a modification time is written in the reader’s own time zone, and kept as Adobe wrote it when it is no date', () => {
    const change = (after: string) => ({ ...EVERY_REASON.offer_changed.outcome, change: { modified: { after, by: null } } });
    expect(outcomeSentence(change('2026-11-28T10:01:00.000Z'), translator('sv-SE', 'Europe/Stockholm'))).toContain('(ändrat 28 nov. 2026 11:01 CET)');
    expect(outcomeSentence(change('2026-11-28T10:01:00.000Z'), translator('en-US', 'America/New_York'))).toContain('(modified Nov 28, 2026, 05:01 AM EST)');
    expect(outcomeSentence(change('last Tuesday'), translator('sv'))).toContain('(ändrat last Tuesday)');
  });
});
