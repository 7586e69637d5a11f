// Signed requests reach a real Bolt HTTP app as Slack's would; forged, stale or mislabelled ones do not.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { App, LogLevel } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSlackApi, type SlackApi } from './slack-api.js';
import { blockActionPayload, sendBlockAction, sendSigned, sendSlashCommand } from './slack-requests.js';

const SECRET = 'test-signing-secret';
const CHANNEL = 'C024BE91L';
const command = { text: 'help', user_id: 'U024BE7LH', channel_id: CHANNEL };

let api: SlackApi;
let app: App;
let url: string;
const clicks: Array<{ user: string; value: string; blockId: string; metadataType?: string }> = [];

beforeEach(async () => {
  clicks.length = 0;
  api = await startSlackApi({ botToken: 'xoxb-test-bot', teamId: 'T024BE7LD', botUserId: 'U07QX4M1B2C', botId: 'B07QX4LCA9D' });
  app = new App({
    token: 'xoxb-test-bot',
    signingSecret: SECRET,
    botId: 'B07QX4LCA9D',
    botUserId: 'U07QX4M1B2C',
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl: api.url, retryConfig: { retries: 0 } },
  });
  app.command('/offer', async ({ command: c, ack }) => ack(`you said ${c.text}`));
  app.action('approve', async ({ ack, body }) => {
    await ack();
    if (body.type !== 'block_actions') return;
    const action = body.actions[0];
    clicks.push({
      user: body.user.id,
      value: action && 'value' in action ? String(action.value) : '',
      blockId: action?.block_id ?? '',
      metadataType: (body.message as { metadata?: { event_type?: string } } | undefined)?.metadata?.event_type,
    });
  });
  const server = (await app.start(0)) as Server;
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
});
afterEach(async () => {
  await app.stop();
  await api.close();
});

describe('slash commands', () => {
  it('a signed command is acked with the listener answer (a bare string, which Slack shows as text)', async () => {
    const res = await sendSlashCommand(url, SECRET, command);
    expect(res.status).toBe(200);
    expect(res.body).toBe('you said help');
  });

  it('a forged signature or a stale timestamp is refused with 401', async () => {
    expect((await sendSlashCommand(url, SECRET, command, { forgeSignature: true })).status).toBe(401);
    const sixMinutesAgo = Math.floor(Date.now() / 1000) - 360;
    expect((await sendSlashCommand(url, SECRET, command, { timestamp: sixMinutesAgo })).status).toBe(401);
  });

  it('a body labelled with a charset is not what Slack sends, and Bolt does not take it', async () => {
    const body = new URLSearchParams({ command: '/offer', text: 'help' }).toString();
    const res = await sendSigned(url, SECRET, body, 'application/x-www-form-urlencoded; charset=utf-8');
    expect(res.status).toBe(400);
  });
});

describe('button clicks', () => {
  it('a click on a posted message carries the button as Slack shows it, and the message metadata', async () => {
    await app.client.chat.postMessage({
      channel: CHANNEL,
      text: 'confirm?',
      blocks: [{ type: 'actions', elements: [{ type: 'button', action_id: 'approve', text: { type: 'plain_text', text: 'Approve' }, value: 'req-1' }] }],
      metadata: { event_type: 'offer_deletion_requested', event_payload: { request_id: 'req-1' } },
    });
    const message = api.messages[0]!;
    const payload = blockActionPayload({ user_id: 'U0G9QF9C6', action_id: 'approve', message, response_url: api.responseUrl('click') });
    expect(payload.container).toEqual({ type: 'message', message_ts: message.ts, channel_id: CHANNEL, is_ephemeral: false });
    const res = await sendBlockAction(url, SECRET, payload);
    expect(res.status).toBe(200);
    expect(clicks).toEqual([{ user: 'U0G9QF9C6', value: 'req-1', blockId: message.blocks?.[0]?.block_id, metadataType: 'offer_deletion_requested' }]);
  });

  it('a forged click is refused before any listener runs', async () => {
    const payload = blockActionPayload({ user_id: 'U0G9QF9C6', action_id: 'approve', value: 'req-1', message: { ts: '1764324000.000100' } });
    expect((await sendBlockAction(url, SECRET, payload, { forgeSignature: true })).status).toBe(401);
    expect(clicks).toEqual([]);
  });
});
