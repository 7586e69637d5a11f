// The requester's direct message on how a request ended, and the one reminder in its thread halfway to expiry, end to end.
import { afterEach, describe, expect, it } from 'vitest';
import { next } from '../../src/deletion/lifecycle.js';
import { EVENT_TYPE } from '../../src/slack/constants.js';
import { ALICE, BOB, CAROL, CHANNEL, OFFER_ID, ours, requestIdOf, startBot, type Bot } from '../support/bot.js';
import { SEEDED_OFFER_IDS } from '../support/adobe.js';
import { reject } from '../support/decisions.js';
import { postgresAvailable, withPostgres, type TestDatabase } from '../support/databases.js';
import type { PostedMessage } from '../support/slack-api.js';

let bot: Bot;
let replica: Bot | undefined;
let database: TestDatabase | undefined;
afterEach(async () => {
  await replica?.stopApp();
  await bot?.stop();
  await database?.drop();
  replica = undefined;
  database = undefined;
});

const postgres = await postgresAvailable();

const TTL_MS = 30 * 60_000;
const HALFWAY_MS = TTL_MS / 2;

const outcomeDms = (user: string) => bot.slack.directMessages(user).filter((m) => ours(m) && m.metadata?.event_type === EVENT_TYPE.dm);
const remindersIn = (confirmation: PostedMessage) =>
  bot.slack.messages.filter((m) => ours(m) && m.thread_ts === confirmation.ts && m.metadata?.event_type === EVENT_TYPE.reminded);
const threadUrl = (confirmation: PostedMessage) => `https://slack.com/archives/${CHANNEL}/p${confirmation.ts.replace('.', '')}`;

async function requested(user = ALICE): Promise<PostedMessage> {
  await bot.command(`delete ${OFFER_ID} campaign ended`, { user });
  return bot.nextConfirmation();
}

describe('the requester hears the outcome directly', () => {
  it('after the thread reply, a DM in their Messages tab says how it ended, in their language, linking to the thread', async () => {
    bot = await startBot({ users: { [ALICE]: { locale: 'sv-SE', tz: 'Europe/Stockholm' } } });
    const confirmation = await requested();
    await bot.click('approve', confirmation, BOB);
    const reply = await bot.nextThreadReply(confirmation);
    const dm = await bot.slack.waitFor(() => outcomeDms(ALICE)[0], 5_000);
    expect(dm.channel).toMatch(/^D/);
    expect(dm.channel).toBe(bot.slack.dmChannelOf(ALICE));
    expect(dm.text).toContain('Din begäran om att ta bort det personaliserade erbjudandet');
    expect(dm.text).toContain(`\`${OFFER_ID}\``);
    expect(dm.text).toContain(`:white_check_mark: Borttaget. Godkänt av <@${BOB}>.`);
    expect(dm.text).toContain(`<${threadUrl(confirmation)}|Öppna tråden> i <#${CHANNEL}>`);
    expect(dm.metadata).toEqual({
      event_type: EVENT_TYPE.dm,
      event_payload: expect.objectContaining({ request_id: requestIdOf(confirmation), outcome: 'deleted' }),
    });
    expect(dm.at).toBeGreaterThanOrEqual(reply.at);
    await bot.settled();
    expect(outcomeDms(ALICE)).toHaveLength(1);
    // The channel's messages stay in OFFER_CHANNEL_LANGUAGE.
    expect(reply.text).toContain(':white_check_mark: Deleted personalized offer');
  });

  it('a rejection by someone else and an expiry are told; a requester who cancels or rejects their own request is not told what they did', async () => {
    bot = await startBot();
    const rejected = await requested();
    await reject(bot, rejected, BOB);
    const dm = await bot.slack.waitFor(() => outcomeDms(ALICE)[0], 5_000);
    expect(dm.text).toContain(`:no_entry_sign: Rejected by <@${BOB}>.`);
    expect(dm.text).toContain(`<${threadUrl(rejected)}|Open its thread> in <#${CHANNEL}> for the details.`);

    const cancelled = await requested();
    await bot.click('cancel', cancelled, ALICE);
    await bot.nextThreadReply(cancelled);
    const ownReject = await requested();
    await reject(bot, ownReject, ALICE);
    await bot.nextThreadReply(ownReject);
    await bot.settled();
    expect(outcomeDms(ALICE)).toHaveLength(1);

    const expiring = await requested();
    bot.advanceClock(TTL_MS + 1_000);
    await bot.sweep();
    await bot.slack.waitFor(() => outcomeDms(ALICE)[1], 5_000);
    expect(outcomeDms(ALICE)[1]!.text).toContain(':alarm_clock: Expired');
    expect(outcomeDms(ALICE)[1]!.metadata?.event_payload).toMatchObject({ request_id: requestIdOf(expiring), outcome: 'expired' });
  });
});

describe('one reminder halfway to expiry', () => {
  it('halfway to expiry the thread gets one reminder naming who may decide, in the channel language, never @channel; later sweeps add none', async () => {
    bot = await startBot({ env: { OFFER_APPROVERS: `${BOB},S0614TZR7`, OFFER_CHANNEL_LANGUAGE: 'sv' }, usergroups: { S0614TZR7: [CAROL, ALICE] } });
    const confirmation = await requested();
    bot.advanceClock(HALFWAY_MS - 5_000);
    await bot.sweep();
    await bot.settled();
    expect(remindersIn(confirmation)).toEqual([]);

    bot.advanceClock(5_000);
    await bot.sweep();
    const reminder = await bot.nextThreadReply(confirmation);
    expect(reminder.metadata).toMatchObject({ event_type: EVENT_TYPE.reminded, event_payload: { request_id: requestIdOf(confirmation) } });
    expect(reminder.text).toContain(':bell: Väntar fortfarande på ett beslut');
    expect(reminder.text).toContain(`begärd av <@${ALICE}>`);
    // The approvers the list resolves to, the requester left out (she may not approve her own request).
    expect(reminder.text).toContain(`<@${BOB}>, <@${CAROL}> kan godkänna eller avvisa den ovan.`);
    expect(reminder.text).not.toMatch(/<!channel>|<!here>|<!everyone>/);

    bot.advanceClock(60_000);
    await bot.sweep();
    await bot.sweep();
    await bot.settled();
    expect(remindersIn(confirmation)).toHaveLength(1);
    expect((await bot.request(confirmation)).state).toBe('pending');
  });

  it('without OFFER_APPROVERS the reminder says anyone but the requester may decide; a request decided before halfway is never reminded', async () => {
    bot = await startBot();
    const waiting = await requested();
    await bot.command(`delete ${SEEDED_OFFER_IDS[1]}`, { user: CAROL });
    const decided = await bot.nextConfirmation();
    await reject(bot, decided, BOB);
    await bot.nextThreadReply(decided);
    bot.advanceClock(HALFWAY_MS);
    await bot.sweep();
    const reminder = await bot.nextThreadReply(waiting);
    expect(reminder.text).toContain(`Anyone in this workspace but <@${ALICE}> may approve or reject it above.`);
    await bot.settled();
    expect(remindersIn(decided)).toEqual([]);
  });

  it('a reminder owed when the request is decided first is not posted: it would ask for what is done', async () => {
    bot = await startBot();
    const confirmation = await requested();
    // Owed by a sweep (the store's own step, at the bot's halfway mark), and before this bot delivers it, the request is
    // rejected elsewhere (as by another replica: the store's compare-and-set, with the writes it owes).
    bot.advanceClock(HALFWAY_MS);
    const at = Date.now() + HALFWAY_MS;
    expect(await bot.store.markRemindersDue(at, 10)).toHaveLength(1);
    const step = next(await bot.request(confirmation), { type: 'reject', actor: BOB, comment: 'not now' }, at);
    if (!step.ok) throw new Error('expected the rejection');
    await bot.store.transition(requestIdOf(confirmation), step.change, at, { outbox: ['outcome', 'message', 'dm'] });
    await bot.sweep();
    const reply = await bot.nextThreadReply(confirmation);
    expect(reply.metadata?.event_type).toBe(EVENT_TYPE.rejected);
    await bot.settled();
    expect(remindersIn(confirmation)).toEqual([]);
  });
});

describe.skipIf(!postgres)('two replicas on one PostgreSQL database', () => {
  it('sweeping together, they post one reminder; delivering together, they send one DM', async () => {
    database = await withPostgres();
    bot = await startBot({ databaseUrl: database.url });
    replica = await startBot({ databaseUrl: database.url, slack: bot.slack, adobe: bot.adobe });
    const confirmation = await requested();
    bot.advanceClock(HALFWAY_MS);
    replica.advanceClock(HALFWAY_MS);
    for (let round = 0; round < 5; round += 1) await Promise.all([bot.sweep(), replica.sweep(), bot.sweep(), replica.sweep()]);
    await bot.slack.waitFor(() => remindersIn(confirmation)[0], 5_000);

    await reject(replica, confirmation, BOB);
    await Promise.all([bot.sweep(), replica.sweep(), bot.sweep(), replica.sweep()]);
    await bot.slack.waitFor(() => outcomeDms(ALICE)[0], 5_000);
    await Promise.all([bot.sweep(), replica.sweep()]);
    await Promise.all([bot.settled(), replica.settled()]);
    expect(remindersIn(confirmation)).toHaveLength(1);
    expect(outcomeDms(ALICE)).toHaveLength(1);
    expect(bot.slack.calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === ALICE)).toHaveLength(1);
  });
});
