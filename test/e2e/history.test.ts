// `/offer history` end to end: the caller alone sees the latest requests, how each ended and where its thread is.
import { afterEach, describe, expect, it } from 'vitest';
import { ALICE, BOB, CAROL, OFFER_ID, requestIdOf, startBot, type Bot } from '../support/bot.js';
import { reject } from '../support/decisions.js';

let bot: Bot;
afterEach(async () => {
  await bot?.stop();
});

const SECOND_OFFER = 'personalizedOffer1234';
const permalink = (message: { channel: string; ts: string }) => `https://slack.com/archives/${message.channel}/p${message.ts.replace('.', '')}`;

/** The history the caller was sent through response_url: its text and its blocks as one string. */
async function nextHistory(b: Bot): Promise<{ text: string; blocks: string; body: Record<string, unknown> }> {
  const text = await b.nextResponse((t) => /offer deletion request/.test(t));
  const post = b.slack.responses.findLast((r) => r.body.text === text)!;
  return { text, blocks: JSON.stringify(post.body.blocks), body: post.body };
}

describe('/offer history, end to end', () => {
  it('shows the caller alone the latest requests, newest first: who, which offer, when, how it ended, who decided, the thread', async () => {
    bot = await startBot();
    await bot.command(`delete ${OFFER_ID} campaign ended`, { user: ALICE });
    const rejected = await bot.nextConfirmation();
    await reject(bot, rejected, BOB);
    await bot.nextThreadReply(rejected);
    await bot.command(`delete ${SECOND_OFFER}`, { user: ALICE });
    const deleted = await bot.nextConfirmation();
    await bot.click('approve', deleted, CAROL);
    await bot.nextThreadReply(deleted);
    await bot.settled();
    const posted = bot.slack.messages.length;

    const ack = await bot.command('history', { user: CAROL });
    expect(ack.status).toBe(200);
    expect(ack.body).toBe('');
    const history = await nextHistory(bot);
    expect(history.body.response_type).toBe('ephemeral');
    expect(history.text).toMatch(/Latest 2 offer deletion requests/);
    const newest = history.blocks.indexOf(SECOND_OFFER);
    const oldest = history.blocks.indexOf(OFFER_ID);
    expect(newest).toBeGreaterThan(-1);
    expect(oldest).toBeGreaterThan(newest);
    for (const fact of [
      `<@${ALICE}>`,
      `<@${BOB}>`,
      `<@${CAROL}>`,
      'rejected by',
      'deleted',
      'Winter sale 20% off',
      permalink(rejected),
      permalink(deleted),
      requestIdOf(deleted),
    ]) {
      expect(history.blocks).toContain(fact);
    }
    // Nothing in the channel: the history is the caller's alone.
    expect(bot.slack.messages).toHaveLength(posted);
  });

  it("with an offer id, shows only that offer's requests", async () => {
    bot = await startBot();
    await bot.command(`delete ${OFFER_ID}`, { user: ALICE });
    const first = await bot.nextConfirmation();
    await bot.command(`delete ${SECOND_OFFER}`, { user: ALICE });
    await bot.nextConfirmation();
    await bot.command(`history ${OFFER_ID}`, { user: BOB });
    const history = await nextHistory(bot);
    expect(history.text).toMatch(/Latest offer deletion request for/);
    expect(history.blocks).toContain(requestIdOf(first));
    expect(history.blocks).toContain('waiting for approval');
    expect(history.blocks).not.toContain(SECOND_OFFER);
  });

  it('says so when there is nothing yet, and refuses an id that breaks the rule before reading anything', async () => {
    bot = await startBot();
    await bot.command('history', { user: BOB });
    expect(await bot.nextResponse()).toMatch(/No offer deletion requests yet/);
    const refused = await bot.command('history ../../offers', { user: BOB });
    expect(refused.body).toMatch(/not an offer id/);
    await bot.settled();
    expect(bot.adobe.requests).toHaveLength(0);
    expect(bot.slack.messages).toHaveLength(0);
  });

  it("the deletion's thread reply says how to get the offer's JSON as approved", async () => {
    bot = await startBot();
    await bot.command(`delete ${OFFER_ID}`, { user: ALICE });
    const confirmation = await bot.nextConfirmation();
    await bot.click('approve', confirmation, BOB);
    const reply = await bot.nextThreadReply(confirmation);
    expect(reply.text).toContain(`npm run audit -- --request ${requestIdOf(confirmation)}`);
    expect((await bot.request(confirmation)).offer.json).toContain(OFFER_ID);
  });
});
