// Several sandboxes end to end: OFFER_SANDBOXES picks a channel's sandbox, --sandbox another it may use, each with its approvers.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { EVENT_TYPE } from '../../src/slack/constants.js';
import { anOffer, startAdobeStandins, TEST_CREDENTIALS, type AdobeStandins } from '../support/adobe.js';
import { ALICE, BOB, CAROL, CHANNEL, OFFER_ID, startBot, type Bot } from '../support/bot.js';
import { sqliteUrl } from '../support/databases.js';
import { reject } from '../support/decisions.js';

const STAGE_CHANNEL = 'C0STAGE01';
const OPS_CHANNEL = 'C0OPS0001';
const SANDBOXES = `${STAGE_CHANNEL}=stage,${OPS_CHANNEL}=stage|dev`;
const AUDIT_SCRIPT = fileURLToPath(new URL('../../scripts/audit.ts', import.meta.url));

let bot: Bot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

/** An organisation with the same offer id in three sandboxes, each copy named after its sandbox. */
async function organisation(): Promise<AdobeStandins> {
  return startAdobeStandins({
    ...TEST_CREDENTIALS,
    sandboxes: { stage: [anOffer(OFFER_ID, { name: 'Winter sale (stage copy)' })], dev: [anOffer(OFFER_ID, { name: 'Winter sale (dev copy)' })] },
  });
}

const offerCalls = (b: Bot) => b.adobe.requestsTo('offers').map((request) => `${request.method} ${request.headers['x-sandbox-name']}`);

function audit(databaseUrl: string): Promise<Array<Record<string, unknown>>> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', AUDIT_SCRIPT, '--format', 'json'],
      { env: { ...process.env, DATABASE_URL: databaseUrl }, timeout: 30_000 },
      (error, stdout) => (error ? reject(error) : resolve(JSON.parse(stdout) as Array<Record<string, unknown>>)),
    );
  });
}

describe('a channel mapped to another sandbox', () => {
  it("deletes in the channel's sandbox, naming it on every Adobe call (the token refresh too) and in every message, the history and the export", async () => {
    const adobe = await organisation();
    const databaseUrl = sqliteUrl();
    bot = await startBot({ adobe, databaseUrl, env: { OFFER_SANDBOXES: SANDBOXES } });
    const ack = await bot.command(`delete ${OFFER_ID} campaign ended`, { user: ALICE, channel: STAGE_CHANNEL });
    expect(ack.body).toContain('in sandbox `stage`');
    const confirmation = await bot.nextConfirmation();
    expect(confirmation.channel).toBe(STAGE_CHANNEL);
    expect(confirmation.metadata).toMatchObject({
      event_type: EVENT_TYPE.requested,
      event_payload: { sandbox: 'stage', offer_name: 'Winter sale (stage copy)' },
    });
    expect(confirmation.text).toContain('in sandbox stage');
    expect(JSON.stringify(confirmation.blocks)).toContain('*Sandbox*\\n`stage`');

    // The organisation's token is refused once: the new one is fetched, and the retried call still goes to stage.
    adobe.revokeTokens();
    await bot.click('approve', confirmation, BOB);
    const reply = await bot.nextThreadReply(confirmation);
    expect(reply.text).toContain('from sandbox `stage`');
    expect(reply.metadata).toMatchObject({ event_type: EVENT_TYPE.completed, event_payload: { sandbox: 'stage', outcome: 'deleted' } });
    await bot.settled();
    const updated = bot.slack.updates.at(-1)!;
    expect(updated.metadata).toMatchObject({ event_payload: { sandbox: 'stage', state: 'deleted' } });
    expect(JSON.stringify(updated.blocks)).toContain('*Sandbox*\\n`stage`');

    const calls = offerCalls(bot);
    expect(calls).toContain('DELETE stage');
    expect(calls.filter((call) => call === 'GET stage').length).toBeGreaterThanOrEqual(3);
    expect(calls.every((call) => call.endsWith(' stage'))).toBe(true);
    expect(adobe.tokensIssued).toHaveLength(2);
    expect(adobe.offersIn('stage').has(OFFER_ID)).toBe(false);
    expect(adobe.offers.has(OFFER_ID)).toBe(true);
    expect(adobe.offersIn('dev').has(OFFER_ID)).toBe(true);

    await bot.command('history', { user: ALICE, channel: STAGE_CHANNEL });
    const history = await bot.nextResponse((text) => /offer deletion request/.test(text));
    const shown = JSON.stringify(bot.slack.responses.findLast((response) => response.body.text === history)?.body.blocks);
    expect(shown).toContain('in sandbox `stage`');

    const events = await audit(databaseUrl);
    expect(events.length).toBeGreaterThanOrEqual(4);
    expect(events.every((event) => event.sandbox === 'stage')).toBe(true);
  });

  it('a channel not listed still uses ADOBE_SANDBOX_NAME', async () => {
    const adobe = await organisation();
    bot = await startBot({ adobe, env: { OFFER_SANDBOXES: SANDBOXES } });
    await bot.command(`delete ${OFFER_ID}`, { user: ALICE, channel: CHANNEL });
    const confirmation = await bot.nextConfirmation();
    expect(confirmation.metadata).toMatchObject({ event_payload: { sandbox: 'prod', offer_name: 'Winter sale 20% off' } });
    await reject(bot, confirmation, BOB);
    const reply = await bot.nextThreadReply(confirmation);
    expect(reply.text).toContain('from sandbox `prod` rejected by');
    expect(offerCalls(bot)).toEqual(['GET prod']);
  });

  it('the same offer id is one open request per sandbox: asked again in stage it is refused naming stage, asked in prod it is posted', async () => {
    const adobe = await organisation();
    bot = await startBot({ adobe, env: { OFFER_SANDBOXES: SANDBOXES } });
    await bot.command(`delete ${OFFER_ID}`, { user: ALICE, channel: STAGE_CHANNEL });
    const staged = await bot.nextConfirmation();
    await bot.command(`delete ${OFFER_ID}`, { user: BOB, channel: STAGE_CHANNEL });
    expect(await bot.nextResponse((text) => text.includes('already an open request'))).toContain(`delete \`${OFFER_ID}\` from sandbox \`stage\``);
    await bot.command(`delete ${OFFER_ID}`, { user: BOB, channel: CHANNEL });
    const inProd = await bot.nextConfirmation();
    expect(inProd.metadata).toMatchObject({ event_payload: { sandbox: 'prod' } });
    expect((await bot.request(staged)).state).toBe('pending');
  });
});

describe('/offer delete --sandbox', () => {
  it('asks in another sandbox the channel may use, wherever the flag stands', async () => {
    const adobe = await organisation();
    bot = await startBot({ adobe, env: { OFFER_SANDBOXES: SANDBOXES } });
    const ack = await bot.command(`delete ${OFFER_ID} campaign --sandbox dev ended`, { user: ALICE, channel: OPS_CHANNEL });
    expect(ack.body).toContain('in sandbox `dev`');
    const confirmation = await bot.nextConfirmation();
    expect(confirmation.metadata).toMatchObject({ event_payload: { sandbox: 'dev', offer_name: 'Winter sale (dev copy)' } });
    expect((await bot.request(confirmation)).reason).toBe('campaign ended');
    await bot.click('approve', confirmation, BOB);
    await bot.nextThreadReply(confirmation);
    expect(offerCalls(bot).every((call) => call.endsWith(' dev'))).toBe(true);
    expect(adobe.offersIn('dev').has(OFFER_ID)).toBe(false);
    expect(adobe.offersIn('stage').has(OFFER_ID)).toBe(true);
  });

  it.each([
    ['prod', /^Sandbox `prod` cannot be used from this channel \(OFFER_SANDBOXES\): here you can use `stage`, `dev`\./],
    ['qa', /^offer-bot knows no sandbox `qa`\. From this channel you can use `stage`, `dev`\./],
  ])('refuses --sandbox %s privately, and asks Adobe nothing, stores nothing and posts nothing', async (sandbox, answer) => {
    const adobe = await organisation();
    bot = await startBot({ adobe, env: { OFFER_SANDBOXES: SANDBOXES } });
    const ack = await bot.command(`delete ${OFFER_ID} --sandbox ${sandbox}`, { user: ALICE, channel: OPS_CHANNEL });
    expect(ack.body).not.toContain('Looking up');
    expect(await bot.nextResponse()).toMatch(answer);
    await bot.settled();
    expect(bot.slack.responses.every((response) => response.body.response_type === 'ephemeral')).toBe(true);
    expect(adobe.requests).toEqual([]);
    expect(bot.slack.messages).toEqual([]);
    expect(await bot.store.recentRequests({ teamId: 'T024BE7LD', limit: 10, privateChannelsVisible: [] })).toEqual([]);
  });

  it('a channel with a choice of sandboxes shows --sandbox in its help, a channel without one does not', async () => {
    bot = await startBot({ env: { OFFER_SANDBOXES: SANDBOXES } });
    expect((await bot.command('help', { channel: OPS_CHANNEL })).body).toContain(
      '--sandbox <name>` asks in another sandbox this channel may use: `stage`, `dev`',
    );
    expect((await bot.command('help', { channel: STAGE_CHANNEL })).body).not.toContain('--sandbox');
  });
});

describe('approvers per sandbox', () => {
  it('OFFER_APPROVERS_STAGE decides in stage; OFFER_APPROVERS still decides in prod', async () => {
    const adobe = await organisation();
    bot = await startBot({ adobe, env: { OFFER_SANDBOXES: SANDBOXES, OFFER_APPROVERS: CAROL, OFFER_APPROVERS_STAGE: BOB } });
    await bot.command(`delete ${OFFER_ID}`, { user: ALICE, channel: STAGE_CHANNEL });
    const staged = await bot.nextConfirmation();
    await bot.click('approve', staged, CAROL);
    expect(await bot.nextEphemeral(CAROL)).toMatch(/not on the list of people who may approve/);
    expect((await bot.request(staged)).state).toBe('pending');
    await bot.click('approve', staged, BOB);
    await bot.nextThreadReply(staged);
    expect((await bot.request(staged)).state).toBe('deleted');

    await bot.command(`delete ${OFFER_ID}`, { user: ALICE, channel: CHANNEL });
    const inProd = await bot.nextConfirmation();
    await bot.click('reject', inProd, BOB);
    expect(await bot.nextEphemeral(BOB)).toMatch(/not on the list of people who may approve/);
    await reject(bot, inProd, CAROL);
    await bot.nextThreadReply(inProd);
    expect((await bot.request(inProd)).state).toBe('rejected');
    expect(adobe.offers.has(OFFER_ID)).toBe(true);
  });
});
