// The whole workflow as Slack drives it: signed HTTP requests into the real Bolt app, stand-ins for Slack and Adobe.
import { afterEach, describe, expect, it } from 'vitest';
import { EVENT_TYPE } from '../../src/slack/constants.js';
import { ALICE, BOB, CAROL, CHANNEL, OFFER_ID, startBot, type Bot } from '../support/bot.js';
import { reject } from '../support/decisions.js';

let bot: Bot;
afterEach(async () => {
  await bot?.stop();
});

const offerRequests = (b: Bot, method: string) => b.adobe.requestsTo('offers').filter((r) => r.method === method);

describe('/offer delete, end to end', () => {
  it('the happy path: request, approval by someone else, exact DELETE, 404 check, thread reply naming both people', async () => {
    bot = await startBot();
    const ack = await bot.command(`delete ${OFFER_ID} campaign ended`, { user: ALICE });
    expect(ack.status).toBe(200);
    const confirmation = await bot.nextConfirmation();
    expect(confirmation.channel).toBe(CHANNEL);
    expect(confirmation.metadata).toMatchObject({
      event_type: EVENT_TYPE.requested,
      event_payload: { offer_id: OFFER_ID, sandbox: 'prod', requester: ALICE },
    });
    expect(JSON.stringify(confirmation.blocks)).toContain('campaign ended');

    expect((await bot.click('approve', confirmation, BOB)).status).toBe(200);
    const reply = await bot.nextThreadReply(confirmation);
    expect(reply.metadata).toMatchObject({
      event_type: EVENT_TYPE.completed,
      event_payload: { outcome: 'deleted', approver: BOB, requester: ALICE, offer_id: OFFER_ID },
    });
    expect(reply.text).toContain(`<@${BOB}>`);
    expect(reply.text).toContain(`<@${ALICE}>`);

    const deletes = offerRequests(bot, 'DELETE');
    expect(deletes).toHaveLength(1);
    const del = deletes[0]!;
    expect(del.path).toBe(`/data/core/dps/offers/${OFFER_ID}`);
    expect(del.query).toEqual({ 'offer-type': 'personalized' });
    expect(del.headers.authorization).toMatch(/^Bearer .+/);
    expect(del.headers['x-api-key']).toBe(bot.config.adobe.clientId);
    expect(del.headers['x-gw-ims-org-id']).toBe(bot.config.adobe.orgId);
    expect(del.headers['x-sandbox-name']).toBe('prod');
    // The GET after the DELETE is what proves the deletion.
    const getsAfter = offerRequests(bot, 'GET').filter((r) => r.at >= del.at);
    expect(getsAfter.length).toBeGreaterThanOrEqual(1);
    expect(bot.adobe.offers.has(OFFER_ID)).toBe(false);

    await bot.settled();
    const final = bot.slack.updates.at(-1)!;
    expect(final.ts).toBe(confirmation.ts);
    expect(JSON.stringify(final.blocks)).not.toContain('offer_deletion_approve');
    expect((await bot.request(confirmation)).state).toBe('deleted');
  });

  it('the message is updated to "Approved by … deleting" before the DELETE goes out', async () => {
    bot = await startBot();
    await bot.command(`delete ${OFFER_ID}`, { user: ALICE });
    const confirmation = await bot.nextConfirmation();
    await bot.click('approve', confirmation, BOB);
    await bot.nextThreadReply(confirmation);
    const approvedUpdate = bot.slack.updates.find((u) => JSON.stringify(u.blocks).includes('deleting…'));
    expect(approvedUpdate).toBeDefined();
    expect(approvedUpdate!.at).toBeLessThanOrEqual(offerRequests(bot, 'DELETE')[0]!.at);
  });

  it('reject: nothing is deleted, the thread and the message name who rejected', async () => {
    bot = await startBot();
    await bot.command(`delete ${OFFER_ID}`, { user: ALICE });
    const confirmation = await bot.nextConfirmation();
    await reject(bot, confirmation, BOB);
    const reply = await bot.nextThreadReply(confirmation);
    expect(reply.metadata).toMatchObject({ event_type: EVENT_TYPE.rejected, event_payload: { decided_by: BOB } });
    expect(offerRequests(bot, 'DELETE')).toHaveLength(0);
    await bot.settled();
    expect(JSON.stringify(bot.slack.updates.at(-1)!.blocks)).toContain(`Rejected by <@${BOB}>`);
  });

  it('cancel: only the requester may cancel; then nothing is deleted', async () => {
    bot = await startBot();
    await bot.command(`delete ${OFFER_ID}`, { user: ALICE });
    const confirmation = await bot.nextConfirmation();
    await bot.click('cancel', confirmation, BOB);
    expect(await bot.nextEphemeral(BOB)).toMatch(/Only the person who asked/);
    expect((await bot.request(confirmation)).state).toBe('pending');
    await bot.click('cancel', confirmation, ALICE);
    const reply = await bot.nextThreadReply(confirmation);
    expect(reply.metadata).toMatchObject({ event_type: EVENT_TYPE.cancelled, event_payload: { decided_by: ALICE } });
    expect(offerRequests(bot, 'DELETE')).toHaveLength(0);
  });

  it('self-approval is refused, to the clicker alone, and changes nothing', async () => {
    bot = await startBot();
    await bot.command(`delete ${OFFER_ID}`, { user: ALICE });
    const confirmation = await bot.nextConfirmation();
    await bot.click('approve', confirmation, ALICE);
    expect(await bot.nextEphemeral(ALICE)).toMatch(/cannot approve your own request/);
    await bot.settled();
    expect((await bot.request(confirmation)).state).toBe('pending');
    expect(offerRequests(bot, 'DELETE')).toHaveLength(0);
    expect(bot.slack.messages.filter((m) => m.thread_ts === confirmation.ts)).toHaveLength(0);
  });

  it('self-approval works when OFFER_ALLOW_SELF_APPROVAL=true', async () => {
    bot = await startBot({ env: { OFFER_ALLOW_SELF_APPROVAL: 'true' } });
    await bot.command(`delete ${OFFER_ID}`, { user: ALICE });
    const confirmation = await bot.nextConfirmation();
    await bot.click('approve', confirmation, ALICE);
    expect((await bot.nextThreadReply(confirmation)).metadata?.event_payload).toMatchObject({ outcome: 'deleted', approver: ALICE });
  });

  it('OFFER_APPROVERS: a user not on the list is refused; a member of a listed user group may approve', async () => {
    bot = await startBot({ env: { OFFER_APPROVERS: `${CAROL},S0614TZR7` }, usergroups: { S0614TZR7: [BOB] } });
    await bot.command(`delete ${OFFER_ID}`, { user: ALICE });
    const confirmation = await bot.nextConfirmation();
    await bot.click('approve', confirmation, 'U0NOTLISTED');
    expect(await bot.nextEphemeral('U0NOTLISTED')).toMatch(/not on the list/);
    await bot.click('reject', confirmation, 'U0NOTLISTED');
    await bot.settled();
    expect((await bot.request(confirmation)).state).toBe('pending');
    await bot.click('approve', confirmation, BOB);
    expect((await bot.nextThreadReply(confirmation)).metadata?.event_payload).toMatchObject({ outcome: 'deleted', approver: BOB });
    expect(bot.slack.calls.filter((c) => c.method === 'usergroups.users.list')).not.toHaveLength(0);
  });

  it('a double click and two approvers at the same moment give exactly one DELETE and one outcome', async () => {
    bot = await startBot({ env: { OFFER_APPROVERS: `${BOB},${CAROL}` } });
    await bot.command(`delete ${OFFER_ID}`, { user: ALICE });
    const confirmation = await bot.nextConfirmation();
    const clicks = await Promise.all([
      bot.click('approve', confirmation, BOB),
      bot.click('approve', confirmation, BOB),
      bot.click('approve', confirmation, CAROL),
      bot.click('approve', confirmation, CAROL),
      bot.click('reject', confirmation, CAROL),
    ]);
    expect(clicks.map((c) => c.status)).toEqual([200, 200, 200, 200, 200]);
    await bot.nextThreadReply(confirmation);
    await bot.settled();
    expect(offerRequests(bot, 'DELETE')).toHaveLength(1);
    expect(bot.slack.messages.filter((m) => m.thread_ts === confirmation.ts)).toHaveLength(1);
    const store = await bot.transitions(confirmation);
    expect(store.filter((t) => t.to === 'approved' || t.to === 'rejected')).toHaveLength(1);
  });

  it('an expired request cannot be approved; the sweep marks it and says so in the thread', async () => {
    bot = await startBot();
    await bot.command(`delete ${OFFER_ID}`, { user: ALICE });
    const confirmation = await bot.nextConfirmation();
    bot.advanceClock(31 * 60_000);
    await bot.click('approve', confirmation, BOB);
    expect(await bot.nextEphemeral(BOB)).toMatch(/expired/);
    const reply = await bot.nextThreadReply(confirmation);
    expect(reply.metadata).toMatchObject({ event_type: EVENT_TYPE.expired });
    expect(offerRequests(bot, 'DELETE')).toHaveLength(0);
    expect((await bot.request(confirmation)).state).toBe('expired');
  });

  it('the periodic sweep expires a request nobody clicked', async () => {
    bot = await startBot();
    await bot.command(`delete ${OFFER_ID}`, { user: ALICE });
    const confirmation = await bot.nextConfirmation();
    bot.advanceClock(31 * 60_000);
    await bot.sweep();
    expect((await bot.nextThreadReply(confirmation)).metadata).toMatchObject({ event_type: EVENT_TYPE.expired });
    await bot.settled();
    expect(JSON.stringify(bot.slack.updates.at(-1)!.blocks)).toContain('Expired');
  });

  it('an offer changed between request and approval is not deleted, and the thread says why', async () => {
    bot = await startBot();
    await bot.command(`delete ${OFFER_ID}`, { user: ALICE });
    const confirmation = await bot.nextConfirmation();
    bot.adobe.modifyOffer(OFFER_ID);
    await bot.click('approve', confirmation, BOB);
    const reply = await bot.nextThreadReply(confirmation);
    expect(reply.metadata?.event_payload).toMatchObject({ outcome: 'failed', reason: 'offer_changed' });
    expect(reply.text).toMatch(/changed/);
    expect(offerRequests(bot, 'DELETE')).toHaveLength(0);
    expect(bot.adobe.offers.has(OFFER_ID)).toBe(true);
  });

  it('lookup 404: the requester alone is told, nothing is posted in the channel', async () => {
    bot = await startBot();
    await bot.command('delete dps:personalized-offer:doesnotexist0000', { user: ALICE });
    expect(await bot.nextResponse()).toMatch(/Sandbox `prod` has no personalized offer `dps:personalized-offer:doesnotexist0000`/);
    await bot.settled();
    expect(bot.slack.messages).toHaveLength(0);
  });

  it('lookup failure: the requester is told the status, Adobe message and request id; nothing is posted', async () => {
    bot = await startBot();
    bot.adobe.inject({ service: 'offers', method: 'GET', respond: { status: 403, body: { error_code: '403025', message: 'Profile is not valid' } } });
    await bot.command(`delete ${OFFER_ID}`, { user: ALICE });
    const text = await bot.nextResponse();
    expect(text).toMatch(/403/);
    expect(text).toMatch(/Profile is not valid/);
    expect(text).toMatch(/request id/);
    expect(bot.slack.messages).toHaveLength(0);
  });

  it('a DELETE refused by Adobe ends as failed: "Adobe refused the DELETE", with status and message in the thread', async () => {
    bot = await startBot();
    await bot.command(`delete ${OFFER_ID}`, { user: ALICE });
    const confirmation = await bot.nextConfirmation();
    bot.adobe.inject({
      service: 'offers',
      method: 'DELETE',
      respond: {
        status: 403,
        headers: { 'content-type': 'application/problem+json' },
        body: { type: 'about:blank', title: 'Forbidden', status: 403, detail: 'The credential may not delete offers in this sandbox' },
      },
    });
    await bot.click('approve', confirmation, BOB);
    const reply = await bot.nextThreadReply(confirmation);
    expect(reply.metadata?.event_payload).toMatchObject({ outcome: 'failed', reason: 'delete_refused', status: 403 });
    expect(reply.text).toMatch(/Adobe refused the DELETE: .*Forbidden: The credential may not delete offers in this sandbox/);
    expect(bot.adobe.offers.has(OFFER_ID)).toBe(true);
  });

  it('an offer a collection still uses is not deleted, and the thread says to remove it from the collection first, with Adobe’s words', async () => {
    bot = await startBot();
    bot.adobe.usedBy.set(OFFER_ID, [{ kind: 'collection', name: 'Winter collection' }]);
    await bot.command(`delete ${OFFER_ID}`, { user: ALICE });
    const confirmation = await bot.nextConfirmation();
    await bot.click('approve', confirmation, BOB);
    const reply = await bot.nextThreadReply(confirmation);
    expect(reply.metadata?.event_payload).toMatchObject({ outcome: 'failed', reason: 'offer_in_use', status: 409 });
    expect(reply.text).toContain(':x: Did not delete personalized offer *Winter sale 20% off*');
    expect(reply.text).toContain('Adobe would not delete it because a collection or a decision still uses it: remove it from those first, then ask again.');
    expect(reply.text).toContain("referenced by collection 'Winter collection'");
    expect(offerRequests(bot, 'DELETE')).toHaveLength(1);
    expect(bot.adobe.offers.has(OFFER_ID)).toBe(true);
  });

  it('an offer that never answers 404 ends as unverified when the window closes', async () => {
    bot = await startBot({ env: { OFFER_VERIFY_TIMEOUT: '1s' } });
    bot.adobe.verifyLag = 1_000;
    await bot.command(`delete ${OFFER_ID}`, { user: ALICE });
    const confirmation = await bot.nextConfirmation();
    await bot.click('approve', confirmation, BOB);
    const reply = await bot.nextThreadReply(confirmation, 10_000);
    expect(reply.metadata?.event_payload).toMatchObject({ outcome: 'unverified' });
    expect(offerRequests(bot, 'DELETE')).toHaveLength(1);
  });

  it('a slow 404 after the DELETE is waited for, with backing-off GETs', async () => {
    bot = await startBot();
    bot.adobe.verifyLag = 2;
    await bot.command(`delete ${OFFER_ID}`, { user: ALICE });
    const confirmation = await bot.nextConfirmation();
    await bot.click('approve', confirmation, BOB);
    expect((await bot.nextThreadReply(confirmation)).metadata?.event_payload).toMatchObject({ outcome: 'deleted' });
  });

  it('a 429 on the DELETE is retried (Adobe did not apply it); a 503 is not sent again, but verified', async () => {
    bot = await startBot({ env: { OFFER_VERIFY_TIMEOUT: '1s' } });
    await bot.command(`delete ${OFFER_ID}`, { user: ALICE });
    const confirmation = await bot.nextConfirmation();
    bot.adobe.inject(
      { service: 'offers', method: 'DELETE', respond: { status: 429, headers: { 'retry-after': '0' }, body: { title: 'Too Many Requests' } } },
      { service: 'offers', method: 'DELETE', respond: { status: 503, body: { title: 'Service Unavailable' } } },
    );
    await bot.click('approve', confirmation, BOB);
    expect((await bot.nextThreadReply(confirmation, 10_000)).metadata?.event_payload).toMatchObject({ outcome: 'unverified', reason: 'delete_unanswered' });
    expect(offerRequests(bot, 'DELETE')).toHaveLength(2);
    expect(bot.adobe.offers.has(OFFER_ID)).toBe(true);
  });

  it('a 401 from the Offer Library gets one new token and one retry', async () => {
    bot = await startBot();
    await bot.command(`delete ${OFFER_ID}`, { user: ALICE });
    const confirmation = await bot.nextConfirmation();
    const tokensBefore = bot.adobe.tokensIssued.length;
    bot.adobe.revokeTokens();
    await bot.click('approve', confirmation, BOB);
    expect((await bot.nextThreadReply(confirmation)).metadata?.event_payload).toMatchObject({ outcome: 'deleted' });
    expect(bot.adobe.tokensIssued.length).toBe(tokensBefore + 1);
  });

  it('a second request for an offer that already has an open one is refused', async () => {
    bot = await startBot();
    await bot.command(`delete ${OFFER_ID}`, { user: ALICE });
    await bot.nextConfirmation();
    await bot.command(`delete ${OFFER_ID} again`, { user: CAROL });
    expect(await bot.nextResponse((text) => text.includes('already an open request'))).toMatch(/already an open request/);
    await bot.settled();
    expect(bot.slack.messages.filter((m) => m.metadata?.event_type === EVENT_TYPE.requested)).toHaveLength(1);
  });

  it('the bot not being in the channel is explained to the requester and leaves no approvable request', async () => {
    bot = await startBot();
    bot.slack.setNotInChannel(CHANNEL);
    await bot.command(`delete ${OFFER_ID}`, { user: ALICE });
    expect(await bot.nextResponse((text) => text.includes('/invite'))).toMatch(/\/invite @offer-bot/);
    await bot.settled();
    expect(bot.slack.messages).toHaveLength(0);
    // A new request is possible once the bot is invited: the failed one is not left open.
    expect(bot.logs.some((line) => line.includes('"to":"cancelled"'))).toBe(true);
  });

  it('help, a bare command and an unknown verb answer the usage to the caller alone', async () => {
    bot = await startBot();
    for (const text of ['help', '', 'purge everything']) {
      const ack = await bot.command(text, { user: ALICE });
      expect(ack.status).toBe(200);
      expect(ack.body).toMatch(/\/offer delete <offer-id>/);
    }
    await bot.settled();
    expect(bot.slack.messages).toHaveLength(0);
    expect(bot.adobe.requests).toHaveLength(0);
  });

  it('OFFER_ALLOWED_CHANNELS: the command elsewhere is refused and reaches nothing', async () => {
    bot = await startBot({ env: { OFFER_ALLOWED_CHANNELS: 'C0OTHER01' } });
    const ack = await bot.command(`delete ${OFFER_ID}`, { user: ALICE, channel: CHANNEL });
    expect(ack.body).toMatch(/works only in <#C0OTHER01>/);
    await bot.settled();
    expect(bot.adobe.requests).toHaveLength(0);
    expect(bot.slack.messages).toHaveLength(0);
  });
});
