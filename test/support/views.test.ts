// The modal and Home tab stand-in refuses what Slack refuses, and the view driver's signed payloads reach a Bolt app.
import type { AddressInfo } from 'node:net';
import { App, LogLevel, webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startBot } from './bot.js';
import { startSlackApi, TRIGGER_TTL_MS, type SlackApi } from './slack-api.js';
import { sendSlashCommand } from './slack-requests.js';
import { viewDriver } from './view-driver.js';

const BOT = 'xoxb-test-bot';
const SIGNING_SECRET = 'views-test-signing-secret';
const TEAM = 'T024BE7LD';
const BOT_USER = 'U07QX4M1B2C';
const ALICE = 'U024BE7LH';
const BOB = 'U0G9QF9C6';

let api: SlackApi;
let clock: number;
let client: webApi.WebClient;

const quiet: webApi.Logger = { debug() {}, info() {}, warn() {}, error() {}, setLevel() {}, getLevel: () => webApi.LogLevel.ERROR, setName() {} };

/** Slack's error code for a call, or 'ok'. */
async function outcome(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return 'ok';
  } catch (error) {
    const e = error as { code?: string; data?: { error?: string } };
    return e.data?.error ?? e.code ?? String(error);
  }
}

const title = (text: string) => ({ type: 'plain_text' as const, text });
const modal = (extra: Record<string, unknown> = {}) => ({
  type: 'modal' as const,
  callback_id: 'pick_offer',
  title: title('Delete an offer'),
  submit: title('Delete'),
  blocks: [{ type: 'input', block_id: 'offer', label: title('Offer id'), element: { type: 'plain_text_input', action_id: 'id' } }],
  ...extra,
});

beforeEach(async () => {
  clock = Date.now();
  api = await startSlackApi({ botToken: BOT, teamId: TEAM, botUserId: BOT_USER, botId: 'B07QX4LCA9D', now: () => clock });
  client = new webApi.WebClient(BOT, { slackApiUrl: api.url, retryConfig: { retries: 0 }, logger: quiet });
});
afterEach(() => api.close());

describe('views.open', () => {
  it('opens a modal for the trigger’s user once, within 3 s, and refuses triggers it never issued', async () => {
    expect(await outcome(client.views.open({ trigger_id: '12345.98765.abcd2358fdea', view: modal() }))).toBe('invalid_trigger_id');

    const trigger = api.issueTrigger(ALICE);
    expect(trigger).toMatch(/^\d+\.\d+\.[0-9a-f]+$/);
    const opened = await client.views.open({ trigger_id: trigger, view: modal({ private_metadata: 'r-1' }) });
    expect(opened.view).toMatchObject({ type: 'modal', callback_id: 'pick_offer', private_metadata: 'r-1', state: { values: {} } });
    expect(opened.view?.id).toMatch(/^V[A-Z0-9]{10}$/);
    expect(api.views).toEqual([expect.objectContaining({ id: opened.view?.id, user: ALICE, via: 'views.open' })]);

    expect(await outcome(client.views.open({ trigger_id: trigger, view: modal() }))).toBe('exchanged_trigger_id');

    const late = api.issueTrigger(ALICE);
    clock += TRIGGER_TTL_MS + 1;
    expect(await outcome(client.views.open({ trigger_id: late, view: modal() }))).toBe('expired_trigger_id');
  });

  it('checks the view as Slack does: title and buttons ≤ 24 characters, ≤ 100 blocks, an input needs a submit', async () => {
    const refusal = async (view: Record<string, unknown>) => {
      try {
        await client.views.open({ trigger_id: api.issueTrigger(ALICE), view: view as never });
        return 'ok';
      } catch (error) {
        const data = (error as { data: { error: string; response_metadata?: { messages?: string[] } } }).data;
        return `${data.error} ${data.response_metadata?.messages?.join(' ') ?? ''}`.trim();
      }
    };
    expect(await refusal(modal({ title: title('x'.repeat(24)) }))).toBe('ok');
    expect(await refusal(modal({ title: title('x'.repeat(25)) }))).toMatch(/^invalid_arguments .*json-pointer:\/view\/title\/text/);
    expect(await refusal(modal({ submit: title('x'.repeat(25)) }))).toMatch(/json-pointer:\/view\/submit\/text/);
    expect(await refusal(modal({ submit: undefined }))).toMatch(/json-pointer:\/view\/submit/);
    expect(await refusal(modal({ private_metadata: 'x'.repeat(3001) }))).toMatch(/json-pointer:\/view\/private_metadata/);
    const sections = (n: number) => Array.from({ length: n }, (_, i) => ({ type: 'section', text: { type: 'mrkdwn', text: `line ${i}` } }));
    expect(await refusal(modal({ blocks: sections(100) }))).toBe('ok');
    expect(await refusal(modal({ blocks: sections(101) }))).toMatch(/no more than 100 items/);
    expect(await refusal({ ...modal(), type: 'home' })).toMatch(/json-pointer:\/view\/type/);
  });
});

describe('views.update and views.push', () => {
  it('refuses an update based on a stale hash, and keeps the view id', async () => {
    const { view } = await client.views.open({ trigger_id: api.issueTrigger(ALICE), view: modal() });
    const first = String(view?.hash);
    const updated = await client.views.update({ view_id: String(view?.id), hash: first, view: modal({ title: title('Deleting…') }) });
    expect(updated.view?.id).toBe(view?.id);
    expect(updated.view?.hash).not.toBe(first);
    expect(await outcome(client.views.update({ view_id: String(view?.id), hash: first, view: modal() }))).toBe('hash_conflict');
    expect(await outcome(client.views.update({ view_id: 'VNOTOPEN01', view: modal() }))).toBe('not_found');
    expect(api.views.map((v) => v.via)).toEqual(['views.open', 'views.update']);
  });

  it('pushes onto the user’s open modal, at most three deep', async () => {
    expect(await outcome(client.views.push({ trigger_id: api.issueTrigger(BOB), view: modal() }))).toBe('not_found');
    const { view: root } = await client.views.open({ trigger_id: api.issueTrigger(ALICE), view: modal() });
    const pushed = await client.views.push({ trigger_id: api.issueTrigger(ALICE), view: modal() });
    expect(pushed.view).toMatchObject({ root_view_id: root?.id, previous_view_id: root?.id });
    await client.views.push({ trigger_id: api.issueTrigger(ALICE), view: modal() });
    expect(await outcome(client.views.push({ trigger_id: api.issueTrigger(ALICE), view: modal() }))).toBe('push_limit_reached');
  });
});

describe('views.publish', () => {
  it('keeps each user’s Home tab, refuses a modal there and a stale hash', async () => {
    const home = { type: 'home' as const, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Your requests' } }] };
    expect(await outcome(client.views.publish({ user_id: ALICE, view: modal() as never }))).toBe('invalid_arguments');
    expect(await outcome(client.views.publish({ user_id: 'nobody', view: home }))).toBe('invalid_arguments');
    const first = await client.views.publish({ user_id: ALICE, view: home });
    expect(api.homeOf(ALICE)).toMatchObject({ type: 'home', id: first.view?.id });
    expect(api.homeOf(BOB)).toBeUndefined();
    await client.views.publish({ user_id: ALICE, view: home, hash: String(first.view?.hash) });
    expect(await outcome(client.views.publish({ user_id: ALICE, view: home, hash: String(first.view?.hash) }))).toBe('hash_conflict');
  });
});

describe('signed view payloads reach a Bolt app', () => {
  let app: App;
  let url: string;
  const seen: Record<string, unknown>[] = [];

  beforeEach(async () => {
    seen.length = 0;
    app = new App({
      token: BOT,
      signingSecret: SIGNING_SECRET,
      botId: 'B07QX4LCA9D',
      botUserId: BOT_USER,
      clientOptions: { slackApiUrl: api.url, retryConfig: { retries: 0 } },
      logLevel: LogLevel.ERROR,
    });
    app.command('/offer', async ({ ack, body, client }) => {
      await ack();
      const select = { type: 'external_select', action_id: 'offer', placeholder: title('Search') };
      await client.views.open({
        trigger_id: body.trigger_id,
        view: modal({
          private_metadata: 'from-command',
          blocks: [
            { type: 'input', block_id: 'offer', label: title('Offer'), element: select },
            { type: 'input', block_id: 'reason', label: title('Reason'), optional: true, element: { type: 'plain_text_input', action_id: 'text' } },
          ],
        }),
      });
    });
    app.options({ action_id: 'offer' }, async ({ ack, payload }) => {
      seen.push(payload as unknown as Record<string, unknown>);
      // Bolt types options acks as the legacy dialog's {label, value}; Block Kit options have a text object.
      await ack({ options: [{ text: title(`Winter ${payload.value}`), value: 'dps:offer:1' }] } as never);
    });
    app.view('pick_offer', async ({ ack, view, body }) => {
      seen.push(body as unknown as Record<string, unknown>);
      const chosen = view.state.values.offer?.offer?.selected_option?.value;
      const reason = view.state.values.reason?.text?.value;
      if (chosen !== 'dps:offer:1') await ack({ response_action: 'errors', errors: { offer: 'Pick an offer' } });
      else if (reason === 'update') await ack({ response_action: 'update', view: { type: 'modal', title: title('Done'), blocks: [] } });
      else if (reason === 'bad update') await ack({ response_action: 'update', view: { type: 'modal', title: title('x'.repeat(25)), blocks: [] } });
      else await ack();
    });
    app.event('app_home_opened', async ({ event, client }) => {
      seen.push(event as unknown as Record<string, unknown>);
      await client.views.publish({ user_id: event.user, view: { type: 'home', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Home' } }] } });
    });
    const server = (await app.start(0)) as unknown as { address(): AddressInfo };
    url = `http://127.0.0.1:${server.address().port}/slack/events`;
  });
  afterEach(() => app.stop());

  it('a command opens a modal; the options request and the submission carry it back; Home opens and is published', async () => {
    const driver = viewDriver({ url, signingSecret: SIGNING_SECRET, slack: api, teamId: TEAM, botUserId: BOT_USER });
    const command = await sendSlashCommand(url, SIGNING_SECRET, { text: '', user_id: ALICE, channel_id: 'C024BE91L', trigger_id: api.issueTrigger(ALICE) });
    expect(command.status).toBe(200);
    const view = await driver.nextView(ALICE);
    expect(view.view).toMatchObject({ callback_id: 'pick_offer', private_metadata: 'from-command' });

    const options = await driver.suggest(view, ALICE, 'offer', 'offer', 'sal');
    expect(options.json).toEqual({ options: [{ text: title('Winter sal'), value: 'dps:offer:1' }] });
    expect(seen[0]).toMatchObject({ type: 'block_suggestion', container: { type: 'view', view_id: view.id }, view: { id: view.id } });
    await expect(async () => driver.suggest(view, ALICE, 'offer', 'offer', 'sa')).rejects.toThrow(/3 characters/);

    const option = { text: title('Winter sal'), value: 'dps:offer:1' };
    const refused = await driver.submitView(view, ALICE, { offer: { offer: { type: 'external_select', selected_option: { ...option, value: 'other' } } } });
    expect(refused.json).toEqual({ response_action: 'errors', errors: { offer: 'Pick an offer' } });
    const accepted = await driver.submitView(view, ALICE, { offer: { offer: { type: 'external_select', selected_option: option } } });
    expect(accepted.status).toBe(200);
    expect(seen.at(-1)).toMatchObject({
      type: 'view_submission',
      user: { id: ALICE },
      trigger_id: expect.stringMatching(/^\d+\.\d+\.[0-9a-f]+$/),
      view: {
        id: view.id,
        hash: view.view.hash,
        private_metadata: 'from-command',
        state: { values: { offer: { offer: { selected_option: option } }, reason: { text: { type: 'plain_text_input', value: null } } } },
      },
    });
    await expect(async () => driver.submitView(view, ALICE, {})).rejects.toThrow(/required input offer/);
    const chosen = { offer: { offer: { type: 'external_select' as const, selected_option: option } } };
    await driver.submitView(view, ALICE, { ...chosen, reason: { text: { type: 'plain_text_input', value: 'update' } } });
    expect(await driver.nextView(ALICE)).toMatchObject({ id: view.id, via: 'response_action', view: { title: { text: 'Done' } } });
    await expect(async () => driver.submitView(view, ALICE, {})).rejects.toThrow(/no submit button/);
    await sendSlashCommand(url, SIGNING_SECRET, { text: '', user_id: ALICE, channel_id: 'C024BE91L', trigger_id: api.issueTrigger(ALICE) });
    const again = await driver.nextView(ALICE);
    const badUpdate = driver.submitView(again, ALICE, { ...chosen, reason: { text: { type: 'plain_text_input', value: 'bad update' } } });
    await expect(badUpdate).rejects.toThrow(/response_action view: .*\/view\/title\/text/);
    await expect(async () => driver.submitView(view, BOB, {})).rejects.toThrow(/nobody else/);

    const opened = await driver.openHome(BOB);
    expect(opened.status).toBe(200);
    const home = await driver.nextHome(BOB);
    expect(home).toMatchObject({ type: 'home' });
    expect(seen.at(-1)).toMatchObject({ type: 'app_home_opened', user: BOB, tab: 'home', channel: expect.stringMatching(/^D/) });
  });
});

describe('the bot test driver', () => {
  it('the real bot acks a signed app_home_opened, even before it listens for it', async () => {
    const bot = await startBot();
    try {
      expect((await bot.openHome(ALICE)).status).toBe(200);
    } finally {
      await bot.stop();
    }
  });
});
