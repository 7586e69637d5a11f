// The Web API stand-in refuses what Slack refuses, so a test that passes against it means something.
import { webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ANOTHER_APP, blockProblems, optionsProblems, startSlackApi, type SlackApi } from './slack-api.js';

const BOT = 'xoxb-test-bot';
const APP = 'xapp-1-test-app';
const CHANNEL = 'C024BE91L';

let api: SlackApi;
let client: webApi.WebClient;

/** The SDK logs Slack's `[ERROR]` lines for refused blocks; these tests provoke them on purpose. */
const quiet: webApi.Logger = { debug() {}, info() {}, warn() {}, error() {}, setLevel() {}, getLevel: () => webApi.LogLevel.ERROR, setName() {} };
const clientFor = (token: string | undefined, options: webApi.WebClientOptions = {}) =>
  new webApi.WebClient(token, { slackApiUrl: api.url, retryConfig: { retries: 0 }, logger: quiet, ...options });

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const button = (text: string, action_id = 'go') => ({ type: 'actions', elements: [{ type: 'button', action_id, text: { type: 'plain_text', text } }] });

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

beforeEach(async () => {
  api = await startSlackApi({
    botToken: BOT,
    appToken: APP,
    teamId: 'T024BE7LD',
    botUserId: 'U07QX4M1B2C',
    botId: 'B07QX4LCA9D',
    usergroups: { S0614TZR7: ['U1', 'U2'] },
  });
  client = clientFor(BOT);
});
afterEach(() => api.close());

describe('tokens', () => {
  it('refuses a wrong token, no token, and a token of the wrong kind', async () => {
    const as = (token?: string) => clientFor(token);
    expect(await outcome(as('xoxb-wrong').chat.postMessage({ channel: CHANNEL, text: 'hi' }))).toBe('invalid_auth');
    expect(await outcome(as().chat.postMessage({ channel: CHANNEL, text: 'hi' }))).toBe('not_authed');
    expect(await outcome(as(APP).chat.postMessage({ channel: CHANNEL, text: 'hi' }))).toBe('not_allowed_token_type');
    expect(await outcome(client.apps.connections.open())).toBe('not_allowed_token_type');
    expect(api.messages).toEqual([]);
  });

  it('auth.test answers with the bot identity', async () => {
    expect(await client.auth.test()).toMatchObject({ ok: true, team_id: 'T024BE7LD', user_id: 'U07QX4M1B2C', bot_id: 'B07QX4LCA9D' });
  });
});

describe("direct messages (the app's Messages tab)", () => {
  const USER = 'U024BE7LH';

  it('a user id as the channel posts in a D… channel of that person, the same one each time and the one conversations.open gives', async () => {
    const first = await client.chat.postMessage({ channel: USER, text: 'hi' });
    expect(first.channel).toMatch(/^D[A-Z0-9]+$/);
    expect((await client.chat.postMessage({ channel: USER, text: 'again' })).channel).toBe(first.channel);
    expect((await client.conversations.open({ users: USER })).channel?.id).toBe(first.channel);
    expect(api.dmChannelOf(USER)).toBe(first.channel);
    expect(api.directMessages(USER).map((m) => m.text)).toEqual(['hi', 'again']);
    const history = await client.conversations.history({ channel: String(first.channel) });
    expect(history.messages?.map((m) => m.text)).toEqual(['again', 'hi']);
  });

  it('refuses a DM to the bot itself, a DM channel the app has none of, and a group DM through conversations.open', async () => {
    expect(await outcome(client.chat.postMessage({ channel: 'U07QX4M1B2C', text: 'hi' }))).toBe('cannot_dm_bot');
    expect(await outcome(client.chat.postMessage({ channel: 'D0NOTOURS1', text: 'hi' }))).toBe('channel_not_found');
    expect(await outcome(client.conversations.history({ channel: 'D0NOTOURS1' }))).toBe('channel_not_found');
    expect(await outcome(client.conversations.open({ users: `${USER},U0G9QF9C6` }))).toBe('user_not_found');
    expect(api.messages).toEqual([]);
  });
});

describe('chat.postMessage', () => {
  it('stores the message with its blocks and metadata, and answers with a unique increasing ts', async () => {
    const metadata = { event_type: 'offer_deletion_requested', event_payload: { request_id: 'r1' } };
    const first = await client.chat.postMessage({ channel: CHANNEL, text: 'one', blocks: [section('*one*')], metadata });
    const second = await client.chat.postMessage({ channel: CHANNEL, text: 'two' });
    expect(first).toMatchObject({ ok: true, channel: CHANNEL, message: { text: 'one', bot_id: 'B07QX4LCA9D', metadata } });
    expect(first.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(Number(second.ts)).toBeGreaterThan(Number(first.ts));
    expect(api.messages.map((m) => m.text)).toEqual(['one', 'two']);
    expect(api.messages[0]?.metadata).toEqual(metadata);
    expect(api.calls.find((c) => c.method === 'chat.postMessage')?.args.blocks).toEqual([section('*one*')]);
  });

  it('refuses blocks Slack refuses, naming the offending field', async () => {
    const tooLong = 'x'.repeat(76);
    expect(await outcome(client.chat.postMessage({ channel: CHANNEL, text: 't', blocks: [button(tooLong)] }))).toBe('invalid_blocks');
    expect(api.calls.at(-1)?.answer?.errors).toEqual(['[ERROR] must be less than 76 characters [json-pointer:/blocks/0/elements/0/text/text]']);
    const fiftyOne = Array.from({ length: 51 }, () => ({ type: 'divider' }));
    expect(await outcome(client.chat.postMessage({ channel: CHANNEL, text: 't', blocks: fiftyOne }))).toBe('invalid_blocks');
    expect(await outcome(client.chat.postMessage({ channel: CHANNEL, text: 't', blocks: [{ type: 'sektion' }] as never }))).toBe('invalid_blocks');
    expect(await outcome(client.chat.postMessage({ channel: CHANNEL, text: 't', blocks: [section('x'.repeat(3001))] }))).toBe('invalid_blocks');
    expect(await outcome(client.chat.postMessage({ channel: CHANNEL, text: 't', blocks: [button('ok', 'a'.repeat(256))] }))).toBe('invalid_blocks');
    expect(api.messages).toEqual([]);
  });

  it('refuses a message without text or blocks, bad metadata, and a channel the bot is not in', async () => {
    expect(await outcome(client.chat.postMessage({ channel: CHANNEL } as never))).toBe('no_text');
    expect(await outcome(client.chat.postMessage({ channel: CHANNEL, text: 't', metadata: { event_type: 'x' } as never }))).toBe('invalid_metadata_schema');
    expect(await outcome(client.chat.postMessage({ text: 't' } as never))).toBe('channel_not_found');
    api.setNotInChannel(CHANNEL);
    expect(await outcome(client.chat.postMessage({ channel: CHANNEL, text: 't' }))).toBe('not_in_channel');
    expect(await outcome(client.chat.postEphemeral({ channel: CHANNEL, user: 'U1', text: 't' }))).toBe('not_in_channel');
  });

  it('threads a reply under an existing message only', async () => {
    const parent = await client.chat.postMessage({ channel: CHANNEL, text: 'parent' });
    const reply = await client.chat.postMessage({ channel: CHANNEL, text: 'reply', thread_ts: parent.ts });
    // A reply to a reply lands in the parent's thread, as in Slack.
    await client.chat.postMessage({ channel: CHANNEL, text: 'reply 2', thread_ts: reply.ts });
    expect(api.messages.slice(1).map((m) => m.thread_ts)).toEqual([parent.ts, parent.ts]);
    expect(await outcome(client.chat.postMessage({ channel: CHANNEL, text: 'x', thread_ts: '1700000000.000100' }))).toBe('thread_not_found');
    expect(await outcome(client.chat.postMessage({ channel: 'C0OTHER00', text: 'x', thread_ts: parent.ts }))).toBe('thread_not_found');
  });
});

describe('reading back, with other apps in the channel', () => {
  const metadata = { event_type: 'offer_deletion_requested', event_payload: { request_id: 'r-1' } };

  it("history and replies carry each message's own bot_id, app_id and bot_profile, and metadata only when asked for", async () => {
    const ours = await client.chat.postMessage({ channel: CHANNEL, text: 'ours', metadata });
    api.postAsAnotherApp(CHANNEL, { text: 'look-alike', metadata });
    api.postAsAnotherApp(CHANNEL, { text: 'look-alike reply', metadata, thread_ts: ours.ts! });
    const history = await client.conversations.history({ channel: CHANNEL, include_all_metadata: true });
    expect(history.messages).toMatchObject([
      {
        text: 'look-alike',
        bot_id: ANOTHER_APP.botId,
        app_id: ANOTHER_APP.appId,
        user: ANOTHER_APP.userId,
        bot_profile: { id: ANOTHER_APP.botId, app_id: ANOTHER_APP.appId },
        metadata,
      },
      { text: 'ours', bot_id: 'B07QX4LCA9D', app_id: 'A07QX4LB8RV', user: 'U07QX4M1B2C', bot_profile: { id: 'B07QX4LCA9D', app_id: 'A07QX4LB8RV' }, metadata },
    ]);
    const replies = await client.conversations.replies({ channel: CHANNEL, ts: ours.ts!, include_all_metadata: true });
    expect(replies.messages?.map((m) => [m.text, m.bot_id])).toEqual([
      ['ours', 'B07QX4LCA9D'],
      ['look-alike reply', ANOTHER_APP.botId],
    ]);
    expect((await client.conversations.history({ channel: CHANNEL })).messages?.some((m) => m.metadata)).toBe(false);
  });

  it('another app cannot reply in a thread that does not exist', () => {
    expect(() => api.postAsAnotherApp(CHANNEL, { text: 'x', thread_ts: '1700000000.000100' })).toThrow(/no message/);
  });

  it("a fault's onStrike runs as it strikes, with the call's arguments", async () => {
    const struck: unknown[] = [];
    api.inject({ method: 'chat.postMessage', respond: 'reset', onStrike: (args) => struck.push(args.text) });
    expect(await outcome(client.chat.postMessage({ channel: CHANNEL, text: 'lost' }))).toBe(webApi.ErrorCode.RequestError);
    expect(struck).toEqual(['lost']);
  });
});

describe('chat.update, chat.postEphemeral, usergroups.users.list', () => {
  it('updates only an existing message in that channel, keeping blocks an update leaves out', async () => {
    const posted = await client.chat.postMessage({ channel: CHANNEL, text: 'before', blocks: [section('before')] });
    const ts = posted.ts!;
    expect(await client.chat.update({ channel: CHANNEL, ts, text: 'after' })).toMatchObject({ ok: true, channel: CHANNEL, ts });
    expect(api.message(CHANNEL, ts)).toMatchObject({ text: 'after', blocks: [{ type: 'section', text: { text: 'before' } }] });
    expect(api.updates).toHaveLength(1);
    expect(await outcome(client.chat.update({ channel: CHANNEL, ts: '1700000000.000100', text: 'x' }))).toBe('message_not_found');
    expect(await outcome(client.chat.update({ channel: 'C0OTHER00', ts, text: 'x' }))).toBe('message_not_found');
  });

  it('posts an ephemeral message and lists a user group, refusing an unknown one', async () => {
    expect(await client.chat.postEphemeral({ channel: CHANNEL, user: 'U024BE7LH', text: 'psst' })).toMatchObject({
      ok: true,
      message_ts: expect.stringMatching(/^\d+\.\d{6}$/),
    });
    expect(api.ephemerals[0]).toMatchObject({ channel: CHANNEL, user: 'U024BE7LH', text: 'psst' });
    expect((await client.usergroups.users.list({ usergroup: 'S0614TZR7' })).users).toEqual(['U1', 'U2']);
    expect(await outcome(client.usergroups.users.list({ usergroup: 'S0NOPE' }))).toBe('no_such_subteam');
  });
});

describe('faults', () => {
  it('answers an injected rate limit with HTTP 429 and Retry-After, then recovers', async () => {
    api.inject({ method: 'chat.postMessage', respond: { error: 'ratelimited', retryAfter: 7 } });
    const limited = clientFor(BOT, { rejectRateLimitedCalls: true });
    const error = await limited.chat.postMessage({ channel: CHANNEL, text: 'x' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: webApi.ErrorCode.RateLimitedError, retryAfter: 7 });
    expect(await outcome(limited.chat.postMessage({ channel: CHANNEL, text: 'x' }))).toBe('ok');
  });

  it('injects an error code, an HTTP 500 and a dropped connection', async () => {
    api.inject({ method: 'chat.update', respond: { error: 'edit_window_closed' } });
    api.inject({ method: 'chat.postMessage', respond: { status: 500 } });
    api.inject({ method: 'chat.postEphemeral', respond: 'reset' });
    expect(await outcome(client.chat.update({ channel: CHANNEL, ts: '1700000000.000100', text: 'x' }))).toBe('edit_window_closed');
    expect(await outcome(client.chat.postMessage({ channel: CHANNEL, text: 'x' }))).toBe(webApi.ErrorCode.HTTPError);
    expect(await outcome(client.chat.postEphemeral({ channel: CHANNEL, user: 'U1', text: 'x' }))).toBe(webApi.ErrorCode.RequestError);
  });
});

describe('requests the SDK would never send', () => {
  it('refuses GET, blocks that are not JSON, and metadata that is not JSON', async () => {
    expect((await fetch(`${api.url}auth.test`, { headers: { authorization: `Bearer ${BOT}` } })).status).toBe(405);
    const form = (fields: Record<string, string>) =>
      fetch(`${api.url}chat.postMessage`, {
        method: 'POST',
        headers: { authorization: `Bearer ${BOT}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields),
      }).then((r) => r.json() as Promise<{ error?: string }>);
    expect((await form({ channel: CHANNEL, text: 't', blocks: '[{"type":' })).error).toBe('invalid_blocks_format');
    expect((await form({ channel: CHANNEL, text: 't', metadata: 'nope' })).error).toBe('invalid_metadata_format');
  });
});

describe('response URLs', () => {
  it('take five JSON posts, then refuse; replace_original edits the message a click came from', async () => {
    const posted = await client.chat.postMessage({ channel: CHANNEL, text: 'confirm?' });
    const url = api.responseUrl('click', { channel: CHANNEL, messageTs: posted.ts!, userId: 'U1' });
    const post = (body: object) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post({ replace_original: true, text: 'done' })).status).toBe(200);
    expect(api.message(CHANNEL, posted.ts!)?.text).toBe('done');
    expect((await post({ text: 'just you' })).status).toBe(200);
    expect(api.ephemerals.at(-1)).toMatchObject({ user: 'U1', text: 'just you', via: 'response_url' });
    expect((await post({ blocks: [button('x'.repeat(80))] })).status).toBe(400);
    expect((await post({ text: '4' })).status).toBe(200);
    expect((await post({ text: '5' })).status).toBe(200);
    expect((await post({ text: '6' })).status).toBe(404);
    expect(api.responses.map((r) => r.error ?? r.status)).toEqual([200, 200, 'invalid_blocks', 200, 200, 'used_url']);
  });
});

describe('blockProblems', () => {
  it('finds nothing wrong in a valid confirmation-like message', () => {
    expect(blockProblems([section('hi'), { type: 'context', elements: [{ type: 'mrkdwn', text: 'x' }] }, button('Approve')])).toEqual([]);
  });

  it('refuses a menu option over 75 characters, more than 100 options, and a placeholder over 150, in a view or an options answer', () => {
    const option = (text: string, value = 'v') => ({ text: { type: 'plain_text', text }, value });
    const menu = (options: unknown[], placeholder = 'Pick') => ({
      type: 'input',
      label: { type: 'plain_text', text: 'Offer' },
      element: { type: 'static_select', action_id: 'pick', placeholder: { type: 'plain_text', text: placeholder }, options },
    });
    expect(blockProblems([menu([option('x'.repeat(75))])])).toEqual([]);
    expect(blockProblems([menu([option('x'.repeat(76))])])).toEqual([
      '[ERROR] must be less than 76 characters [json-pointer:/blocks/0/element/options/0/text/text]',
    ]);
    expect(blockProblems([menu(Array.from({ length: 101 }, () => option('x')))])).toEqual([
      '[ERROR] must provide no more than 100 items [json-pointer:/blocks/0/element/options]',
    ]);
    expect(blockProblems([menu([option('x')], 'p'.repeat(151))])).toEqual([
      '[ERROR] must be less than 151 characters [json-pointer:/blocks/0/element/placeholder/text]',
    ]);
    expect(optionsProblems({ options: [option('x', 'v'.repeat(150))] })).toEqual([]);
    expect(optionsProblems({ options: [option('x', 'v'.repeat(151))] })).toEqual(['[ERROR] must be less than 151 characters [json-pointer:/options/0/value]']);
  });
});
