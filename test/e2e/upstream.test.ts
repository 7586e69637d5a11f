// What Adobe's answers cannot do to a deletion, end to end: echo a secret into Slack, the logs or the store,
// or hold it for ever by trickling in.
import { afterEach, describe, expect, it } from 'vitest';
import { EXCERPT_LENGTH } from '../../src/adobe/http.js';
import { EVENT_TYPE } from '../../src/slack/constants.js';
import { secretPiecesIn } from '../support/adobe.js';
import { ALICE, BOB, OFFER_ID, SECRETS, startBot, type Bot } from '../support/bot.js';

let bot: Bot;
afterEach(async () => {
  await bot?.stop();
});

/** Everything a person or an operator could ever read: logs, every Slack call and response, what was stored. */
async function everythingSaid(b: Bot, requestId: string): Promise<string> {
  const stored = JSON.stringify([await b.store.getRequest(requestId), await b.store.transitions(requestId)]);
  return [...b.logs, ...b.slack.calls.map((c) => JSON.stringify(c.args)), ...b.slack.responses.map((r) => JSON.stringify(r.body)), stored].join('\n');
}

describe('an Adobe answer that echoes secrets', () => {
  it('a refused DELETE quoting the token and, across the cut, the client secret reaches Slack, logs and store redacted', async () => {
    bot = await startBot({ env: { LOG_LEVEL: 'debug' } });
    await bot.command(`delete ${OFFER_ID}`, { user: ALICE });
    const confirmation = await bot.nextConfirmation();
    const token = bot.adobe.tokensIssued[0]!;
    // "Conflict: ", the token, then the client secret starting ten characters before the excerpt's cut.
    const echoed = `sent with Bearer ${token} by `;
    const detail = `${echoed}${'x'.repeat(EXCERPT_LENGTH - 'Conflict: '.length - echoed.length - 10)}${SECRETS.clientSecret} ${'y'.repeat(EXCERPT_LENGTH)}`;
    bot.adobe.inject({ service: 'offers', method: 'DELETE', respond: { status: 409, body: { title: 'Conflict', detail } } });

    await bot.click('approve', confirmation, BOB);
    const reply = await bot.nextThreadReply(confirmation);
    expect(reply.metadata).toMatchObject({ event_type: EVENT_TYPE.completed, event_payload: { outcome: 'failed' } });
    expect(reply.text).toContain('[redacted]');
    await bot.settled();
    const everything = await everythingSaid(bot, String(confirmation.metadata?.event_payload.request_id));
    for (const secret of [SECRETS.clientSecret, ...bot.adobe.tokensIssued]) expect(secretPiecesIn(everything, secret)).toEqual([]);
  });
});

describe('an Adobe answer that never completes', () => {
  it('a DELETE whose answer trickles in for ever still ends the deletion with an outcome', async () => {
    // Each byte well within the body timeout: only the call deadline can end it.
    bot = await startBot({ http: { bodyTimeoutMs: 5_000, callTimeoutMs: 1_000 } });
    await bot.command(`delete ${OFFER_ID}`, { user: ALICE });
    const confirmation = await bot.nextConfirmation();
    bot.adobe.inject({ service: 'offers', method: 'DELETE', respond: 'trickle' });

    await bot.click('approve', confirmation, BOB);
    const reply = await bot.nextThreadReply(confirmation);
    // The stand-in deleted the offer before trickling, so the GET after the cut-off finds it gone.
    expect(reply.metadata).toMatchObject({ event_type: EVENT_TYPE.completed, event_payload: { outcome: 'deleted' } });
    expect(reply.text).toContain('no complete answer from the Offer Library');
    await bot.settled();
    expect(await bot.request(confirmation)).toMatchObject({ state: 'deleted', outcome: { reason: 'deleted_despite_error' } });
    expect(bot.adobe.requestsTo('offers').filter((r) => r.method === 'DELETE')).toHaveLength(1);
  });
});
