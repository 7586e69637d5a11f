// Who may ask and decide: Slack Connect outsiders, guests, Enterprise Grid, requests parked in private channels,
// a history that keeps private channels private, and the per-user limit, end to end through the real app.
import { afterEach, describe, expect, it } from 'vitest';
import { anOffer, seedOffers, startAdobeStandins, TEST_CREDENTIALS } from '../support/adobe.js';
import { postgresAvailable, withPostgres, type TestDatabase } from '../support/databases.js';
import { blockActionPayload, sendBlockAction, sendSlashCommand, type SlashCommandInput } from '../support/slack-requests.js';
import { ALICE, BOB, CAROL, CHANNEL, OFFER_ID, SECRETS, startBot, TEAM, type Bot } from '../support/bot.js';
import type { PostedMessage } from '../support/slack-api.js';

const available = await postgresAvailable();

let bot: Bot;
let database: TestDatabase | undefined;
afterEach(async () => {
  await bot?.stop();
  await database?.drop();
  database = undefined;
});

const FOREIGN_TEAM = 'T0FOREIGN1';
const OUTSIDER = 'U0OUTSIDE1';
const GUEST = 'U0GUEST001';
const SINGLE_CHANNEL_GUEST = 'U0GUEST002';
const PRIVATE_CHANNEL = 'C0PRIVATE1';
const ENTERPRISE = 'E0GRID0001';
const SIBLING_TEAM = 'T0SIBLING1';
const GRID_MEMBER = 'W0SIBLING1';
const SECOND_OFFER = 'personalizedOffer1234';

const deletesSent = (b: Bot) => b.adobe.requestsTo('offers').filter((r) => r.method === 'DELETE');
const offerLookups = (b: Bot) => b.adobe.requestsTo('offers').filter((r) => r.method === 'GET');
const usersInfoCalls = (b: Bot, user: string) => b.slack.calls.filter((call) => call.method === 'users.info' && call.args.user === user);

/** A slash command with payload fields bot.command does not set (enterprise_id, another team). */
function commandWith(b: Bot, fields: SlashCommandInput) {
  return sendSlashCommand(b.url, SECRETS.signingSecret, {
    team_id: TEAM,
    command: '/offer',
    response_url: b.slack.responseUrl(`custom-${Math.random()}`, { channel: fields.channel_id, userId: fields.user_id }),
    ...fields,
  });
}

async function askAndWait(b: Bot, user = ALICE, channel = CHANNEL, offer = OFFER_ID): Promise<PostedMessage> {
  await b.command(`delete ${offer} campaign ended`, { user, channel });
  return b.nextConfirmation();
}

describe('Slack Connect: people of another organisation', () => {
  it('a click by someone whose user.team_id is another organisation changes nothing and tells them why', async () => {
    bot = await startBot({ users: { [OUTSIDER]: { team_id: FOREIGN_TEAM, is_stranger: true } } });
    const confirmation = await askAndWait(bot);
    // team.id is the channel owner's workspace (ours); user.team_id is the clicker's own organisation.
    const click = blockActionPayload({
      user_id: OUTSIDER,
      action_id: 'offer_deletion_approve',
      message: confirmation,
      team_id: TEAM,
      user_team_id: FOREIGN_TEAM,
    });
    expect((await sendBlockAction(bot.url, SECRETS.signingSecret, click)).status).toBe(200);
    expect(await bot.nextEphemeral(OUTSIDER)).toMatch(/another Slack organisation.*nothing was changed/);
    await bot.settled();
    expect((await bot.request(confirmation)).state).toBe('pending');
    expect(deletesSent(bot)).toHaveLength(0);
  });

  it('a click whose payload names our workspace is still refused when Slack says the person is from another organisation', async () => {
    bot = await startBot({ users: { [OUTSIDER]: { team_id: FOREIGN_TEAM, is_stranger: true } } });
    const confirmation = await askAndWait(bot);
    await bot.click('reject', confirmation, OUTSIDER);
    expect(await bot.nextEphemeral(OUTSIDER)).toMatch(/another Slack organisation/);
    await bot.settled();
    expect((await bot.request(confirmation)).state).toBe('pending');
  });

  it('a command from someone of another organisation is refused before anything is looked up or stored', async () => {
    bot = await startBot({ users: { [OUTSIDER]: { team_id: FOREIGN_TEAM, is_stranger: true } } });
    await bot.command(`delete ${OFFER_ID}`, { user: OUTSIDER });
    expect(await bot.nextResponse((text) => /organisation/.test(text))).toMatch(/another Slack organisation.*Nothing was done/);
    await bot.settled();
    expect(bot.adobe.requests).toHaveLength(0);
    expect(bot.slack.messages).toHaveLength(0);
    expect(await bot.store.countOpen(OUTSIDER)).toBe(0);
  });
});

describe('guests', () => {
  it('neither a multi-channel nor a single-channel guest may approve or reject, even when listed as an approver', async () => {
    bot = await startBot({
      env: { OFFER_APPROVERS: `${GUEST},${SINGLE_CHANNEL_GUEST},${BOB}` },
      users: { [GUEST]: { is_restricted: true }, [SINGLE_CHANNEL_GUEST]: { is_restricted: true, is_ultra_restricted: true } },
    });
    const confirmation = await askAndWait(bot);
    await bot.click('approve', confirmation, GUEST);
    expect(await bot.nextEphemeral(GUEST)).toMatch(/Guests cannot approve or reject/);
    await bot.click('reject', confirmation, SINGLE_CHANNEL_GUEST);
    expect(await bot.nextEphemeral(SINGLE_CHANNEL_GUEST)).toMatch(/Guests cannot approve or reject/);
    await bot.settled();
    expect((await bot.request(confirmation)).state).toBe('pending');
    expect(deletesSent(bot)).toHaveLength(0);
    // A full member on the list still decides.
    await bot.click('approve', confirmation, BOB);
    expect((await bot.nextThreadReply(confirmation)).metadata?.event_payload).toMatchObject({ outcome: 'deleted' });
  });

  it('what users.info says is kept briefly: two clicks by one person ask Slack once', async () => {
    bot = await startBot({ users: { [GUEST]: { is_restricted: true } } });
    const confirmation = await askAndWait(bot);
    await bot.click('approve', confirmation, GUEST);
    await bot.nextEphemeral(GUEST);
    await bot.click('approve', confirmation, GUEST);
    await bot.nextEphemeral(GUEST);
    expect(usersInfoCalls(bot, GUEST)).toHaveLength(1);
  });

  it('a guest may ask for a deletion, which a member then approves', async () => {
    bot = await startBot({ users: { [GUEST]: { is_restricted: true } } });
    const confirmation = await askAndWait(bot, GUEST);
    await bot.click('approve', confirmation, BOB);
    expect((await bot.nextThreadReply(confirmation)).metadata?.event_payload).toMatchObject({ outcome: 'deleted', requester: GUEST });
  });

  it('with OFFER_ALLOW_GUEST_REQUESTS=false a guest is refused before anything is looked up', async () => {
    bot = await startBot({ env: { OFFER_ALLOW_GUEST_REQUESTS: 'false' }, users: { [GUEST]: { is_restricted: true } } });
    await bot.command(`delete ${OFFER_ID}`, { user: GUEST });
    expect(await bot.nextResponse((text) => /Guests/.test(text))).toMatch(/Guests cannot ask for offer deletions.*Nothing was done/);
    await bot.settled();
    expect(bot.adobe.requests).toHaveLength(0);
    expect(bot.slack.messages).toHaveLength(0);
  });
});

describe('Enterprise Grid', () => {
  async function gridRequest(b: Bot): Promise<PostedMessage> {
    await commandWith(b, { text: `delete ${OFFER_ID}`, user_id: ALICE, channel_id: CHANNEL, enterprise_id: ENTERPRISE, is_enterprise_install: 'true' });
    return b.nextConfirmation();
  }
  const gridUsers = {
    [ALICE]: { enterprise_id: ENTERPRISE },
    [GRID_MEMBER]: { team_id: SIBLING_TEAM, enterprise_id: ENTERPRISE },
    [OUTSIDER]: { team_id: FOREIGN_TEAM, enterprise_id: 'E0OTHER001' },
  };

  it('a member of another workspace of the same organisation approves on an org-wide install, where team is null', async () => {
    bot = await startBot({ users: gridUsers });
    const confirmation = await gridRequest(bot);
    expect((await bot.request(confirmation)).enterpriseId).toBe(ENTERPRISE);
    const click = blockActionPayload({
      user_id: GRID_MEMBER,
      action_id: 'offer_deletion_approve',
      message: confirmation,
      team_id: null,
      enterprise_id: ENTERPRISE,
      user_team_id: SIBLING_TEAM,
      user_enterprise_id: ENTERPRISE,
    });
    await sendBlockAction(bot.url, SECRETS.signingSecret, click);
    expect((await bot.nextThreadReply(confirmation)).metadata?.event_payload).toMatchObject({ outcome: 'deleted', approver: GRID_MEMBER });
  });

  it('someone of another organisation clicking in a channel shared with it is refused, team null or not', async () => {
    bot = await startBot({ users: gridUsers });
    const confirmation = await gridRequest(bot);
    const foreign = (teamId: string | null) =>
      blockActionPayload({
        user_id: OUTSIDER,
        action_id: 'offer_deletion_approve',
        message: confirmation,
        team_id: teamId,
        enterprise_id: ENTERPRISE,
        user_team_id: FOREIGN_TEAM,
        user_enterprise_id: 'E0OTHER001',
      });
    await sendBlockAction(bot.url, SECRETS.signingSecret, foreign(null));
    expect(await bot.nextEphemeral(OUTSIDER)).toMatch(/another Slack organisation/);
    await sendBlockAction(bot.url, SECRETS.signingSecret, foreign(TEAM));
    expect(await bot.nextEphemeral(OUTSIDER)).toMatch(/another Slack organisation/);
    await bot.settled();
    expect((await bot.request(confirmation)).state).toBe('pending');
    expect(deletesSent(bot)).toHaveLength(0);
  });

  it('a click with team null on a message of another organisation matches no request', async () => {
    bot = await startBot({ users: gridUsers });
    const confirmation = await gridRequest(bot);
    const click = blockActionPayload({
      user_id: GRID_MEMBER,
      action_id: 'offer_deletion_approve',
      message: confirmation,
      team_id: null,
      enterprise_id: 'E0OTHER001',
      user_team_id: SIBLING_TEAM,
    });
    await sendBlockAction(bot.url, SECRETS.signingSecret, click);
    expect(await bot.nextEphemeral(GRID_MEMBER)).toMatch(/does not belong to a deletion request I know/);
    expect((await bot.request(confirmation)).state).toBe('pending');
  });
});

describe('a request parked in a private channel', () => {
  const parked = { privateChannels: { [PRIVATE_CHANNEL]: [ALICE] }, env: { OFFER_APPROVERS: BOB } };

  it('someone who may not decide it is refused without learning the private channel or its requester, and nothing is looked up', async () => {
    bot = await startBot(parked);
    await askAndWait(bot, ALICE, PRIVATE_CHANNEL);
    await bot.settled();
    const lookups = offerLookups(bot).length;
    await bot.command(`delete ${OFFER_ID}`, { user: CAROL, channel: CHANNEL });
    const answer = await bot.nextResponse((text) => /already an open request/.test(text));
    expect(answer).toMatch(/in a channel you cannot see.*an approver who asks again here takes it over/);
    expect(answer).not.toContain(PRIVATE_CHANNEL);
    expect(answer).not.toContain(ALICE);
    await bot.settled();
    expect(offerLookups(bot)).toHaveLength(lookups);
  });

  it('a member of that channel is told where it is and who asked', async () => {
    bot = await startBot({ ...parked, privateChannels: { [PRIVATE_CHANNEL]: [ALICE, CAROL] } });
    await askAndWait(bot, ALICE, PRIVATE_CHANNEL);
    await bot.command(`delete ${OFFER_ID}`, { user: CAROL, channel: CHANNEL });
    expect(await bot.nextResponse((text) => /already an open request/.test(text))).toContain(`by <@${ALICE}> in <#${PRIVATE_CHANNEL}>`);
  });

  it('an approver asking from an allowed channel supersedes it: the old one is closed in its thread, the new one posted here', async () => {
    bot = await startBot(parked);
    const old = await askAndWait(bot, ALICE, PRIVATE_CHANNEL);
    await bot.command(`delete ${OFFER_ID} still needed`, { user: BOB, channel: CHANNEL });
    const fresh = await bot.nextConfirmation();
    expect(fresh.channel).toBe(CHANNEL);
    expect(fresh.metadata?.event_payload).toMatchObject({ offer_id: OFFER_ID, requester: BOB });
    const closed = await bot.nextThreadReply(old);
    expect(closed.metadata?.event_payload).toMatchObject({ outcome: 'cancelled', decided_by: BOB });
    expect(closed.text).toMatch(/asked for it again in another channel/);
    const oldRequest = await bot.request(old);
    expect(oldRequest.state).toBe('cancelled');
    expect((await bot.transitions(old)).at(-1)?.detail).toMatchObject({ reason: 'superseded', supersededBy: (await bot.request(fresh)).id });
    // The new request is the offer's one open request, and it is decided as any other.
    await bot.click('approve', fresh, CAROL);
    expect(await bot.nextEphemeral(CAROL)).toMatch(/not on the list/);
  });
});

describe('/offer history and private channels', () => {
  it("shows a private channel's requests only to its members", async () => {
    bot = await startBot({ privateChannels: { [PRIVATE_CHANNEL]: [ALICE] } });
    await askAndWait(bot, ALICE, PRIVATE_CHANNEL);
    await askAndWait(bot, ALICE, CHANNEL, SECOND_OFFER);
    await bot.command('history', { user: BOB });
    const outsider = await bot.nextResponse((text) => /offer deletion request/.test(text));
    expect(outsider).toMatch(/Latest offer deletion request,/);
    const outsiderView = JSON.stringify(bot.slack.responses.at(-1)?.body);
    expect(outsiderView).toContain(SECOND_OFFER);
    expect(outsiderView).not.toContain(PRIVATE_CHANNEL);
    expect(outsiderView).not.toContain(OFFER_ID);
    await bot.command('history', { user: ALICE });
    await bot.nextResponse((text) => /offer deletion requests/.test(text));
    const memberView = JSON.stringify(bot.slack.responses.at(-1)?.body);
    expect(memberView).toContain(PRIVATE_CHANNEL);
    expect(memberView).toContain(OFFER_ID);
  });
});

describe('the per-user limit, before anything is looked up', () => {
  it('a person at the limit is refused without a look-up in the Offer Library', async () => {
    bot = await startBot({ env: { OFFER_MAX_OPEN_PER_USER: '1' } });
    await askAndWait(bot);
    await bot.settled();
    const lookups = offerLookups(bot).length;
    await bot.command(`delete ${SECOND_OFFER}`, { user: ALICE });
    expect(await bot.nextResponse((text) => /open deletion request/.test(text))).toMatch(/You already have 1 open deletion request/);
    await bot.settled();
    expect(offerLookups(bot)).toHaveLength(lookups);
  });

  it('a second request for an offer that already has one is refused without a look-up', async () => {
    bot = await startBot();
    await askAndWait(bot);
    await bot.settled();
    const lookups = offerLookups(bot).length;
    await bot.command(`delete ${OFFER_ID}`, { user: CAROL });
    await bot.nextResponse((text) => /already an open request/.test(text));
    await bot.settled();
    expect(offerLookups(bot)).toHaveLength(lookups);
  });
});

describe.skipIf(!available)('the per-user limit on PostgreSQL', () => {
  it('holds under concurrent commands: six at once with a limit of two store two', async () => {
    database = await withPostgres();
    const ids = Array.from({ length: 6 }, (_, i) => `dps:personalized-offer:00000000000000${String(i).padStart(2, '0')}`);
    // Slow look-ups widen the gap between the count and the insert, where a check-then-insert race lives.
    const adobe = await startAdobeStandins({ ...TEST_CREDENTIALS, offers: [...seedOffers(), ...ids.map((id) => anOffer(id))], latencyMs: 50 });
    bot = await startBot({ databaseUrl: database.url, adobe, env: { OFFER_MAX_OPEN_PER_USER: '2' } });
    await Promise.all(ids.map((id) => bot.command(`delete ${id}`, { user: ALICE })));
    await bot.settled();
    await bot.settled();
    expect(await bot.store.countOpen(ALICE)).toBe(2);
    const refusals = bot.slack.responses.filter((r) => /You already have 2 open deletion requests/.test(String(r.body.text)));
    expect(refusals).toHaveLength(4);
    await adobe.close();
  });
});
