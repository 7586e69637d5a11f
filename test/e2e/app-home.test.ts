// The App Home tab end to end: app_home_opened over signed HTTP, views.publish as the Slack stand-in checks it.
import { afterEach, describe, expect, it } from 'vitest';
import { SEEDED_OFFER_IDS } from '../support/adobe.js';
import { reject } from '../support/decisions.js';
import { ALICE, BOB, CAROL, CHANNEL, OFFER_ID, SECRETS, startBot, TEAM, type Bot } from '../support/bot.js';
import type { JsonObject, PostedMessage } from '../support/slack-api.js';
import { appHomeOpenedPayload, sendEvent } from '../support/slack-requests.js';

let bot: Bot;
afterEach(async () => {
  await bot?.stop();
});

const PRIVATE = 'G0PRIVATE1';
const DAVE = 'U0DAVE4PX';

const textOf = (home: JsonObject) => JSON.stringify(home.blocks);
const threadUrl = (channel: string, confirmation: PostedMessage) => `https://slack.com/archives/${channel}/p${confirmation.ts.replace('.', '')}`;

async function home(user: string): Promise<JsonObject> {
  const ack = await bot.openHome(user);
  expect(ack.status).toBe(200);
  const view = await bot.nextHome(user);
  expect(view.type).toBe('home');
  return view;
}

async function requested(offerId: string, user: string, channel = CHANNEL): Promise<PostedMessage> {
  await bot.command(`delete ${offerId} campaign ended`, { user, channel });
  return bot.nextConfirmation();
}

describe('the Home tab', () => {
  it('with nothing asked for yet, both lists say so', async () => {
    bot = await startBot();
    const text = textOf(await home(BOB));
    expect(text).toContain('Offer deletions');
    expect(text).toContain('Nothing is waiting for your decision.');
    expect(text).toContain('You have not asked for any offer deletions yet.');
  });

  it('shows what waits for the reader’s decision (not their own, not from a private channel they are not in) and their own recent requests, each linking to its thread', async () => {
    bot = await startBot({ privateChannels: { [PRIVATE]: [CAROL, ALICE] } });
    const alices = await requested(OFFER_ID, ALICE);
    const carols = await requested(SEEDED_OFFER_IDS[1], CAROL, PRIVATE);
    const decided = await requested(SEEDED_OFFER_IDS[2], ALICE);
    await reject(bot, decided, CAROL);
    await bot.nextThreadReply(decided);

    const bobs = textOf(await home(BOB));
    const [waiting, own] = bobs.split('Your recent requests');
    expect(waiting).toContain(`\`${OFFER_ID}\``);
    expect(waiting).toContain(threadUrl(CHANNEL, alices));
    expect(waiting).toContain(`Asked by <@${ALICE}>`);
    expect(waiting).not.toContain(SEEDED_OFFER_IDS[1]);
    expect(waiting).not.toContain(SEEDED_OFFER_IDS[2]);
    expect(own).toContain('You have not asked for any offer deletions yet.');

    const alicesHome = textOf(await home(ALICE));
    const [aliceWaiting, aliceOwn] = alicesHome.split('Your recent requests');
    // Carol's request is in a private channel Alice is in; Alice's own pending one is not hers to decide.
    expect(aliceWaiting).toContain(SEEDED_OFFER_IDS[1]);
    expect(aliceWaiting).toContain(threadUrl(PRIVATE, carols));
    expect(aliceWaiting).not.toContain(`\`${OFFER_ID}\``);
    // Newest first, with where each stands.
    expect(aliceOwn!.indexOf(SEEDED_OFFER_IDS[2])).toBeLessThan(aliceOwn!.indexOf(OFFER_ID));
    expect(aliceOwn).toContain(`:no_entry_sign: rejected by <@${CAROL}>`);
    expect(aliceOwn).toContain(':hourglass: waiting for approval until');
    expect(aliceOwn).toContain(threadUrl(CHANNEL, decided));
  });

  it('lists a request as waiting only for those its sandbox’s approvers name, never for a guest', async () => {
    bot = await startBot({ env: { OFFER_APPROVERS: `${CAROL},${DAVE}` }, users: { [DAVE]: { is_restricted: true } } });
    await requested(OFFER_ID, ALICE);
    expect(textOf(await home(BOB))).toContain('Nothing is waiting for your decision.');
    expect(textOf(await home(DAVE))).toContain('Nothing is waiting for your decision.');
    const carols = textOf(await home(CAROL));
    expect(carols).toContain(`\`${OFFER_ID}\``);
    expect(carols).not.toContain('Nothing is waiting for your decision.');
  });

  it('an expired request no longer waits, even before the sweep marks it', async () => {
    bot = await startBot();
    await requested(OFFER_ID, ALICE);
    bot.advanceClock(31 * 60_000);
    expect(textOf(await home(BOB))).toContain('Nothing is waiting for your decision.');
  });

  it('is in the reader’s Slack language', async () => {
    bot = await startBot({ users: { [BOB]: { locale: 'sv-SE', tz: 'Europe/Stockholm' } } });
    await requested(OFFER_ID, ALICE);
    const text = textOf(await home(BOB));
    expect(text).toContain('Väntar på ditt beslut');
    expect(text).toContain('Du har inte bett om att ta bort några erbjudanden ännu.');
    expect(text).toContain(`Begärd av <@${ALICE}>`);
  });
});

describe('restores in the Home tab', () => {
  it('a pending restore waits for the reader as a restore, and is among its requester’s own as one, each linking to the deletion’s thread', async () => {
    bot = await startBot();
    const deletion = await requested(OFFER_ID, ALICE);
    await bot.click('approve', deletion, BOB);
    const outcome = await bot.nextThreadReply(deletion);
    await bot.settled();
    await bot.click('restore', outcome, CAROL);
    await bot.nextEphemeral(CAROL);
    const ask = await bot.nextThreadReply(deletion);
    const restoreId = (await bot.request(ask)).id;

    const bobs = textOf(await home(BOB));
    const [waiting] = bobs.split('Your recent requests');
    expect(waiting).toContain(`Restore of \`${OFFER_ID}\`: :hourglass: waiting for approval`);
    expect(waiting).toContain(`Asked by <@${CAROL}>`);
    // The restore's confirmation is a reply: the link opens the deletion's thread, where it is.
    expect(waiting).toContain(`${threadUrl(CHANNEL, deletion)}|`);
    expect(waiting).not.toContain(ask.ts.replace('.', ''));

    const [, carolsOwn] = textOf(await home(CAROL)).split('Your recent requests');
    expect(carolsOwn).toContain(`Restore of \`${OFFER_ID}\`: :hourglass: waiting for approval`);
    expect(carolsOwn).toContain(`${threadUrl(CHANNEL, deletion)}|`);

    await bot.click('approve', ask, BOB);
    await bot.nextThreadReply(deletion);
    await bot.settled();
    expect((await bot.store.getRequest(restoreId))?.state).toBe('restored');
    const [, restoredOwn] = textOf(await home(CAROL)).split('Your recent requests');
    expect(restoredOwn).toContain(`Restore of \`${OFFER_ID}\`: :recycle: restored`);
    expect(restoredOwn).not.toMatch(/deleting|deleted \w/);
  });
});

describe('app_home_opened that is not for the Home tab', () => {
  const publishes = () => bot.slack.calls.filter((c) => c.method === 'views.publish');
  const opened = (overrides: { tab?: string; team_id?: string }) => {
    const payload = appHomeOpenedPayload({ user_id: BOB, team_id: overrides.team_id ?? TEAM, bot_user_id: 'U07QX4M1B2C' });
    const event = { ...(payload.event as Record<string, unknown>), ...(overrides.tab ? { tab: overrides.tab } : {}) };
    return sendEvent(bot.url, SECRETS.signingSecret, { ...payload, event });
  };

  it('opening the Messages tab (where the DMs are) publishes nothing', async () => {
    bot = await startBot();
    expect((await opened({ tab: 'messages' })).status).toBe(200);
    await bot.settled();
    expect(publishes()).toEqual([]);
  });

  it('with SLACK_TEAM_ID set, another workspace’s event publishes nothing', async () => {
    bot = await startBot({ env: { SLACK_TEAM_ID: TEAM } });
    expect((await opened({ team_id: 'T0OTHER001' })).status).toBe(200);
    await bot.settled();
    expect(publishes()).toEqual([]);
    expect(bot.logs.some((line) => line.includes('App Home opened from another workspace'))).toBe(true);
  });
});
