// Who may use offer-bot at all, and how much: SLACK_TEAM_ID and the per-user limit on open requests, end to end.
import { afterEach, describe, expect, it } from 'vitest';
import { blockActionPayload, sendBlockAction, sendSlashCommand } from '../support/slack-requests.js';
import { ALICE, BOB, CHANNEL, OFFER_ID, SECRETS, startBot, TEAM, type Bot } from '../support/bot.js';
import { reject } from '../support/decisions.js';

let bot: Bot;
afterEach(async () => {
  await bot?.stop();
});

const FOREIGN_TEAM = 'T0FOREIGN1';
const SECOND_OFFER = 'personalizedOffer1234';
const THIRD_OFFER = 'xcore:personalized-offer:124cc332095cfa74';

describe('SLACK_TEAM_ID', () => {
  it('a command from another workspace is refused with a clear answer, and nothing is looked up, posted or stored', async () => {
    bot = await startBot({ env: { SLACK_TEAM_ID: TEAM } });
    const ack = await sendSlashCommand(bot.url, SECRETS.signingSecret, {
      text: `delete ${OFFER_ID}`,
      user_id: ALICE,
      channel_id: CHANNEL,
      team_id: FOREIGN_TEAM,
    });
    expect(ack.status).toBe(200);
    expect(ack.body).toMatch(/serves another Slack workspace.*Nothing was done/);
    const history = await sendSlashCommand(bot.url, SECRETS.signingSecret, { text: 'history', user_id: ALICE, channel_id: CHANNEL, team_id: FOREIGN_TEAM });
    expect(history.body).toMatch(/serves another Slack workspace/);
    await bot.settled();
    expect(bot.adobe.requests).toHaveLength(0);
    expect(bot.slack.messages).toHaveLength(0);
    expect(bot.slack.responses).toHaveLength(0);
    expect(await bot.store.countOpen(ALICE)).toBe(0);
    expect(bot.logs.some((line) => line.includes('slash command from another workspace refused') && line.includes(FOREIGN_TEAM))).toBe(true);
  });

  it('a command from its own workspace works as before', async () => {
    bot = await startBot({ env: { SLACK_TEAM_ID: TEAM } });
    await bot.command(`delete ${OFFER_ID}`, { user: ALICE });
    expect((await bot.nextConfirmation()).metadata?.event_payload).toMatchObject({ offer_id: OFFER_ID });
  });

  it('a click from another workspace is ignored and logged: no answer, no state change, no DELETE', async () => {
    bot = await startBot({ env: { SLACK_TEAM_ID: TEAM } });
    await bot.command(`delete ${OFFER_ID}`, { user: ALICE });
    const confirmation = await bot.nextConfirmation();
    const foreign = blockActionPayload({ user_id: BOB, action_id: 'offer_deletion_approve', message: confirmation, team_id: FOREIGN_TEAM });
    expect((await sendBlockAction(bot.url, SECRETS.signingSecret, foreign)).status).toBe(200);
    await bot.settled();
    expect((await bot.request(confirmation)).state).toBe('pending');
    expect(bot.slack.ephemerals.filter((m) => m.user === BOB)).toHaveLength(0);
    expect(bot.adobe.requestsTo('offers').filter((r) => r.method === 'DELETE')).toHaveLength(0);
    expect(bot.logs.some((line) => line.includes('click from another workspace ignored') && line.includes(FOREIGN_TEAM))).toBe(true);
    // The same click from the bot's own workspace still counts.
    await bot.click('approve', confirmation, BOB);
    expect((await bot.nextThreadReply(confirmation)).metadata?.event_payload).toMatchObject({ outcome: 'deleted' });
  });
});

describe('the per-user limit on open requests', () => {
  it('a person at OFFER_MAX_OPEN_PER_USER is refused clearly and nothing is posted; others are not held back', async () => {
    bot = await startBot({ env: { OFFER_MAX_OPEN_PER_USER: '2' } });
    await bot.command(`delete ${OFFER_ID}`, { user: ALICE });
    await bot.nextConfirmation();
    await bot.command(`delete ${SECOND_OFFER}`, { user: ALICE });
    await bot.nextConfirmation();
    await bot.settled();
    const posted = bot.slack.messages.length;

    await bot.command(`delete ${THIRD_OFFER}`, { user: ALICE });
    expect(await bot.nextResponse((text) => /open deletion requests/.test(text))).toMatch(/You already have 2 open deletion requests.*Nothing was posted/);
    await bot.settled();
    expect(bot.slack.messages).toHaveLength(posted);
    expect(await bot.store.countOpen(ALICE)).toBe(2);
    expect(bot.adobe.requestsTo('offers').filter((r) => r.method === 'DELETE')).toHaveLength(0);

    await bot.command(`delete ${THIRD_OFFER}`, { user: BOB });
    expect((await bot.nextConfirmation()).metadata?.event_payload).toMatchObject({ offer_id: THIRD_OFFER, requester: BOB });
  });

  it('once one of their requests is decided, the person may ask again', async () => {
    bot = await startBot({ env: { OFFER_MAX_OPEN_PER_USER: '1' } });
    await bot.command(`delete ${OFFER_ID}`, { user: ALICE });
    const first = await bot.nextConfirmation();
    await bot.command(`delete ${SECOND_OFFER}`, { user: ALICE });
    expect(await bot.nextResponse((text) => /open deletion request/.test(text))).toMatch(/You already have 1 open deletion request,/);
    await reject(bot, first, BOB);
    await bot.nextThreadReply(first);
    await bot.command(`delete ${SECOND_OFFER}`, { user: ALICE });
    expect((await bot.nextConfirmation()).metadata?.event_payload).toMatchObject({ offer_id: SECOND_OFFER, requester: ALICE });
  });
});
