// Finding offers by name, end to end through the real Bolt app: `/offer find`, and the delete form with its menu that searches as one types.
import { afterEach, describe, expect, it } from 'vitest';
import { DELETE_FORM } from '../../src/slack/constants.js';
import { anOffer, startAdobeStandins, TEST_CREDENTIALS, type AdobeStandins, type StoredOffer } from '../support/adobe.js';
import { ALICE, BOB, CHANNEL, OFFER_ID, SECRETS, startBot, TEAM, type Bot } from '../support/bot.js';
import { optionsOf, pick, reason, sandbox } from '../support/delete-form.js';
import type { OpenedView } from '../support/slack-api.js';
import { blockSuggestionPayload, sendInteraction, type StateValues } from '../support/slack-requests.js';

const OPS_CHANNEL = 'C0OPS0001';
const SANDBOXES = `${OPS_CHANNEL}=stage|dev`;
/** Slack drops an options answer after 3 s. */
const SLACK_OPTIONS_DEADLINE_MS = 3_000;

let bot: Bot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

const spring = (count: number): StoredOffer[] =>
  Array.from({ length: count }, (_, i) =>
    anOffer(`dps:personalized-offer:5${String(i).padStart(15, '0')}`, {
      name: `Spring promo ${String(i).padStart(2, '0')}`,
      modified: new Date(Date.UTC(2026, 10, 1, 8, i)).toISOString(),
    }),
  );

async function organisation(): Promise<AdobeStandins> {
  return startAdobeStandins({
    ...TEST_CREDENTIALS,
    sandboxes: {
      stage: [anOffer('dps:personalized-offer:57a9e0000000aaaa', { name: 'Winter sale (stage)' })],
      dev: [anOffer(OFFER_ID, { name: 'Winter sale (dev)' })],
    },
  });
}

const lists = (b: Bot) => b.adobe.requestsTo('offers').filter((request) => request.path.endsWith('/offers'));
const responseBlocks = (b: Bot, text: string) => JSON.stringify(b.slack.responses.findLast((response) => response.body.text === text)?.body.blocks);

/** Nothing stored, posted or sent to Adobe but look-ups. */
async function nothingChanged(b: Bot): Promise<void> {
  await b.settled();
  expect(b.slack.messages.filter((m) => m.via === 'chat.postMessage')).toHaveLength(0);
  expect(await b.store.recentRequests({ teamId: TEAM, limit: 10, privateChannelsVisible: [] })).toHaveLength(0);
  expect(b.adobe.requestsTo('offers').filter((request) => request.method !== 'GET')).toHaveLength(0);
}

describe('/offer find', () => {
  it('lists the matches privately with name, id, status and last change, searching the name as typed', async () => {
    bot = await startBot();
    const ack = await bot.command('find WINTER');
    expect(ack.status).toBe(200);
    const text = await bot.nextResponse((t) => t.startsWith('Personalized offers'));
    expect(text).toBe('Personalized offers in sandbox `prod` whose name contains `WINTER`, most recently changed first:');
    const shown = responseBlocks(bot, text);
    expect(shown).toContain('*Winter sale 20% off* `dps:personalized-offer:1a4c514f745dbd7c`');
    expect(shown).toContain('approved · last changed <!date^');
    expect(shown).not.toContain('Free shipping');
    expect(bot.slack.responses.at(-1)?.body.response_type).toBe('ephemeral');
    const [request] = lists(bot);
    expect(request?.params.get('property')).toBe('name~.*[wW][iI][nN][tT][eE][rR].*');
    expect(request?.headers['x-sandbox-name']).toBe('prod');
    await nothingChanged(bot);
  });

  it('follows Adobe’s pages to 20 matches and says there are more', async () => {
    const adobe = await startAdobeStandins({ ...TEST_CREDENTIALS, offers: spring(25) });
    adobe.listPageSize = 8;
    bot = await startBot({ adobe });
    await bot.command('find spring promo');
    const text = await bot.nextResponse((t) => t.startsWith('Personalized offers'));
    const shown = responseBlocks(bot, text);
    expect(shown.match(/\*Spring promo \d+\*/g)).toHaveLength(20);
    expect(shown.indexOf('Spring promo 24')).toBeLessThan(shown.indexOf('Spring promo 23'));
    expect(shown).toContain('Only the first 20 are shown');
    expect(lists(bot).map((request) => request.params.get('start') !== null)).toEqual([false, true, true]);
  });

  it('no match says so', async () => {
    bot = await startBot();
    await bot.command('find nothing-like-this');
    expect(await bot.nextResponse()).toBe('No personalized offer in sandbox `prod` has a name containing `nothing-like-this`.');
  });

  it('a search Adobe fails is answered privately with Adobe’s words; nothing changes', async () => {
    bot = await startBot();
    bot.adobe.inject({
      service: 'offers',
      method: 'GET',
      times: Infinity,
      respond: { status: 503, body: { error_code: '503000', message: 'Service Unavailable' } },
    });
    await bot.command('find winter');
    const text = await bot.nextResponse();
    expect(text).toMatch(/^I could not search the offers of sandbox `prod`: .*HTTP 503.*Service Unavailable.*Nothing was changed\.$/);
    await nothingChanged(bot);
  });

  it('an unknown sandbox, and one the channel may not use, are refused before Adobe is asked', async () => {
    bot = await startBot({ adobe: await organisation(), env: { OFFER_SANDBOXES: SANDBOXES } });
    await bot.command('find winter --sandbox qa', { user: ALICE, channel: OPS_CHANNEL });
    expect(await bot.nextResponse()).toBe('offer-bot knows no sandbox `qa`. From this channel you can use `stage`, `dev`. Nothing was done.');
    await bot.command('find winter --sandbox stage', { user: ALICE, channel: CHANNEL });
    expect(await bot.nextResponse()).toMatch(/^Sandbox `stage` cannot be used from this channel \(OFFER_SANDBOXES\): here you can use `prod`/);
    expect(lists(bot)).toHaveLength(0);
    await bot.command('find winter --sandbox dev', { user: ALICE, channel: OPS_CHANNEL });
    expect(await bot.nextResponse((t) => t.startsWith('Personalized'))).toContain('sandbox `dev`');
    expect(lists(bot).map((request) => request.headers['x-sandbox-name'])).toEqual(['dev']);
  });

  it('no text, or too much, gets the reason and the usage', async () => {
    bot = await startBot();
    expect((await bot.command('find')).body).toMatch(/^Find which offers\?/);
    expect((await bot.command(`find ${'w'.repeat(101)}`)).body).toMatch(/too long to search for: at most 100 characters/);
    expect(lists(bot)).toHaveLength(0);
  });
});

describe('the delete form', () => {
  async function openForm(b: Bot, channel = CHANNEL, text = 'delete'): Promise<OpenedView> {
    const ack = await b.command(text, { user: ALICE, channel });
    expect(ack.status).toBe(200);
    return b.nextView(ALICE);
  }

  it('opens on /offer delete without an id, with the channel’s sandboxes, a menu that searches names, and a reason', async () => {
    bot = await startBot({ adobe: await organisation(), env: { OFFER_SANDBOXES: SANDBOXES } });
    const view = await openForm(bot, OPS_CHANNEL);
    expect(view.view.callback_id).toBe(DELETE_FORM.callbackId);
    expect(view.view.title).toMatchObject({ type: 'plain_text', text: 'Delete an offer' });
    const shown = JSON.stringify(view.view.blocks);
    const blocks = view.view.blocks as Array<{ block_id?: string; element?: unknown }>;
    const sandboxMenu = blocks.find((block) => block.block_id === DELETE_FORM.sandbox)?.element as {
      options: { value: string }[];
      initial_option: { value: string };
    };
    expect(sandboxMenu.options.map((option) => option.value)).toEqual(['stage', 'dev']);
    expect(sandboxMenu.initial_option.value).toBe('stage');
    expect(shown).toContain('"type":"external_select"');
    expect(JSON.parse(String(view.view.private_metadata))).toEqual({ c: OPS_CHANNEL, s: 'stage' });
  });

  it('searches as the person types, each keystroke answered within Slack’s 3 s, following Adobe’s pages', async () => {
    const adobe = await startAdobeStandins({ ...TEST_CREDENTIALS, offers: spring(7) });
    adobe.listPageSize = 3;
    bot = await startBot({ adobe });
    const view = await openForm(bot);
    for (const typed of ['s', 'sp', 'spr']) {
      const started = Date.now();
      const answer = await bot.suggest(view, ALICE, DELETE_FORM.offer, DELETE_FORM.offer, typed);
      expect(Date.now() - started).toBeLessThan(SLACK_OPTIONS_DEADLINE_MS);
      const options = optionsOf(answer.json);
      expect(options).toHaveLength(7);
      expect(options[0]?.[0]).toMatch(/^Spring promo 06 · approved · Nov 1, 2026/);
      expect(options[0]?.[1]).toBe('dps:personalized-offer:5000000000000006');
    }
    const typedFilters = lists(bot)
      .filter((request) => request.params.get('start') === null)
      .map((request) => request.params.get('property'));
    expect(typedFilters).toEqual(['name~.*[sS].*', 'name~.*[sS][pP].*', 'name~.*[sS][pP][rR].*']);
    expect(lists(bot)).toHaveLength(9);
  });

  it('answers one “no match” option, and one “search failed” option in time when Adobe hangs; neither can be submitted', async () => {
    bot = await startBot();
    const view = await openForm(bot);
    expect(optionsOf((await bot.suggest(view, ALICE, DELETE_FORM.offer, DELETE_FORM.offer, 'zzz')).json)).toEqual([['No offer name contains “zzz”', '-']]);
    bot.adobe.inject({ service: 'offers', method: 'GET', times: Infinity, respond: 'hang' });
    const started = Date.now();
    const failed = optionsOf((await bot.suggest(view, ALICE, DELETE_FORM.offer, DELETE_FORM.offer, 'winter')).json);
    expect(Date.now() - started).toBeLessThan(SLACK_OPTIONS_DEADLINE_MS);
    expect(failed).toEqual([['Search failed: try again in a moment', '-']]);
    const answer = await bot.submitView(view, ALICE, {
      [DELETE_FORM.offer]: { [DELETE_FORM.offer]: pick('Search failed', '-') },
      ...reason('campaign ended'),
      ...sandbox('prod'),
    });
    expect(answer.json).toEqual({ response_action: 'errors', errors: { [DELETE_FORM.offer]: 'Pick an offer from the list.' } });
    await nothingChanged(bot);
  });

  it('searches the sandbox chosen in the form right now', async () => {
    bot = await startBot({ adobe: await organisation(), env: { OFFER_SANDBOXES: SANDBOXES } });
    const view = await openForm(bot, OPS_CHANNEL);
    // What Slack sends once dev is picked in the sandbox menu: the form's state says so.
    const changed = { ...view.view, id: view.id, state: { values: sandbox('dev') } };
    const payload = blockSuggestionPayload(
      changed,
      { user_id: ALICE, team_id: TEAM },
      { action_id: DELETE_FORM.offer, block_id: DELETE_FORM.offer, value: 'win' },
    );
    const answer = await sendInteraction(bot.url, SECRETS.signingSecret, payload);
    expect(optionsOf(answer.json).map((option) => option[0]?.split(' · ')[0])).toEqual(['Winter sale (dev)']);
    const unchanged = await bot.suggest(view, ALICE, DELETE_FORM.offer, DELETE_FORM.offer, 'win');
    expect(optionsOf(unchanged.json).map((option) => option[0]?.split(' · ')[0])).toEqual(['Winter sale (stage)']);
    expect(lists(bot).map((request) => request.headers['x-sandbox-name'])).toEqual(['dev', 'stage']);
  });

  it('a submission posts the same confirmation as the command, and tells the requester in the channel', async () => {
    bot = await startBot();
    const view = await openForm(bot);
    const [[text = '', value = ''] = []] = optionsOf((await bot.suggest(view, ALICE, DELETE_FORM.offer, DELETE_FORM.offer, 'winter')).json);
    const answer = await bot.submitView(view, ALICE, {
      [DELETE_FORM.offer]: { [DELETE_FORM.offer]: pick(text, value) },
      ...reason('  campaign ended '),
      ...sandbox('prod'),
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toBe('');
    const confirmation = await bot.nextConfirmation();
    expect(confirmation.channel).toBe(CHANNEL);
    expect(confirmation.metadata?.event_payload).toMatchObject({ offer_id: OFFER_ID, sandbox: 'prod', requester: ALICE });
    expect(JSON.stringify(confirmation.blocks)).toContain('*Reason*\\ncampaign ended');
    expect((await bot.request(confirmation)).reason).toBe('campaign ended');
    expect(await bot.nextEphemeral(ALICE)).toBe(`Posted your request to delete \`${OFFER_ID}\`. Someone else must approve it before it expires.`);
    await bot.click('approve', confirmation, BOB);
    expect((await bot.nextThreadReply(confirmation)).text).toContain('Deleted personalized offer');
  });

  it('a submission re-checks every field: a missing reason and a sandbox the channel may not use are field errors; nothing changes', async () => {
    bot = await startBot({ adobe: await organisation(), env: { OFFER_SANDBOXES: SANDBOXES } });
    const view = await openForm(bot, OPS_CHANNEL);
    const values: StateValues = { [DELETE_FORM.offer]: { [DELETE_FORM.offer]: pick('Winter sale', OFFER_ID) }, ...reason('   '), ...sandbox('prod') };
    const answer = await bot.submitView(view, ALICE, values);
    expect(answer.json).toEqual({
      response_action: 'errors',
      errors: {
        [DELETE_FORM.sandbox]: 'Sandbox prod cannot be used from this channel: pick one of the list.',
        [DELETE_FORM.reason]: 'Say why the offer should be deleted.',
      },
    });
    await nothingChanged(bot);
  });

  it('the workflow’s refusals reach the person alone in the channel, as the command’s do', async () => {
    bot = await startBot();
    await bot.command(`delete ${OFFER_ID} first`, { user: BOB, channel: CHANNEL });
    await bot.nextConfirmation();
    const view = await openForm(bot);
    await bot.submitView(view, ALICE, { [DELETE_FORM.offer]: { [DELETE_FORM.offer]: pick('Winter sale', OFFER_ID) }, ...reason('again'), ...sandbox('prod') });
    expect(await bot.nextEphemeral(ALICE)).toMatch(/^There is already an open request to delete `dps:personalized-offer:1a4c514f745dbd7c` from sandbox `prod`/);
    await bot.settled();
    expect(bot.slack.messages.filter((m) => m.via === 'chat.postMessage')).toHaveLength(1);
  });

  it('a form Slack will not open (an expired trigger) is explained privately, with the command to use instead', async () => {
    bot = await startBot();
    bot.slack.inject({ method: 'views.open', respond: { error: 'expired_trigger_id' } });
    await bot.command('delete', { user: ALICE, channel: CHANNEL });
    expect(await bot.nextResponse()).toBe(
      "I could not open the form (expired_trigger_id). Give the offer's id instead: `/offer delete <offer-id> [reason]`; `/offer find <text>` finds it by name.",
    );
    await nothingChanged(bot);
  });

  it('/offer delete --sandbox names the preselected sandbox; an unknown one is refused without a form', async () => {
    bot = await startBot({ adobe: await organisation(), env: { OFFER_SANDBOXES: SANDBOXES } });
    const view = await openForm(bot, OPS_CHANNEL, 'delete --sandbox dev');
    expect(JSON.parse(String(view.view.private_metadata))).toEqual({ c: OPS_CHANNEL, s: 'dev' });
    const ack = await bot.command('delete --sandbox qa', { user: ALICE, channel: OPS_CHANNEL });
    expect(ack.body).toBe('offer-bot knows no sandbox `qa`. From this channel you can use `stage`, `dev`. Nothing was done.');
    await expect(bot.nextView(ALICE, 500)).rejects.toThrow();
  });
});
