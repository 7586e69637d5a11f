// A real Bolt app in Socket Mode connects through the Web API and Socket Mode stand-ins and acks envelopes.
import { App, LogLevel, SocketModeReceiver } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSlackApi, type SlackApi } from './slack-api.js';
import { blockActionPayload } from './slack-requests.js';
import { startSocketMode, type SocketModeStandIn } from './socket-mode.js';

const TOKENS = { botToken: 'xoxb-test-bot', appToken: 'xapp-1-test-app' };
const IDS = { teamId: 'T024BE7LD', botUserId: 'U07QX4M1B2C', botId: 'B07QX4LCA9D' };

describe('Socket Mode stand-in', () => {
  let api: SlackApi;
  let socket: SocketModeStandIn;
  let app: App;

  beforeEach(async () => {
    api = await startSlackApi({ ...TOKENS, ...IDS });
    socket = await startSocketMode({ api });
    app = new App({
      token: TOKENS.botToken,
      appToken: TOKENS.appToken,
      socketMode: true,
      logLevel: LogLevel.ERROR,
      // Without retryConfig the Socket Mode client would write `{ retries: 100 }` into these shared options.
      clientOptions: { slackApiUrl: api.url, retryConfig: { retries: 0 } },
    });
  });

  afterEach(async () => {
    await app.stop();
    await socket.close();
    await api.close();
  });

  it('a Bolt app connects with a ticket from apps.connections.open and gets its hello', async () => {
    await app.start();
    expect(socket.connections).toBe(1);
    const open = api.calls.find((c) => c.method === 'apps.connections.open');
    expect(open).toMatchObject({ token: 'app', status: 200, answer: { ok: true } });
    expect(String(open?.answer?.url)).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/link\/\?ticket=/);
  });

  it('the app acks a slash command envelope with its response payload', async () => {
    app.command('/offer', async ({ command, ack }) => {
      await ack({ response_type: 'ephemeral', text: `you said ${command.text}` });
    });
    await app.start();
    const ack = await socket.sendSlashCommand({ text: 'help', user_id: 'U024BE7LH', channel_id: 'C024BE91L' });
    expect(ack.envelope_id).toBe(socket.envelopes[0]?.envelope_id);
    expect(ack.payload).toEqual({ response_type: 'ephemeral', text: 'you said help' });
  });

  it('the app acks a button click envelope, and its listener can post through the Web API stand-in', async () => {
    app.action('approve', async ({ ack, body, client }) => {
      await ack();
      const channel = 'container' in body && body.container ? String(body.container.channel_id) : '';
      await client.chat.postMessage({ channel, text: 'clicked' });
    });
    await app.start();
    const payload = blockActionPayload({ user_id: 'U0G9QF9C6', action_id: 'approve', value: 'r1', message: { ts: '1764324000.000100', channel: 'C024BE91L' } });
    const ack = await socket.sendBlockAction(payload);
    expect(ack.payload).toEqual({});
    const posted = await api.waitFor(() => api.messages.find((m) => m.text === 'clicked'));
    expect(posted.channel).toBe('C024BE91L');
  });

  it('an envelope nobody acks times out', async () => {
    await app.start();
    await expect(socket.send({ type: 'interactive', payload: { type: 'nothing_we_handle' } }, { timeoutMs: 300 })).rejects.toThrow(/no ack/);
  });

  it('a connection without a valid ticket is refused', async () => {
    const { WebSocket } = await import('ws');
    const ws = new WebSocket(`${socket.url}?ticket=made-up`);
    const status = await new Promise<number | undefined>((resolve) => {
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode));
      ws.on('open', () => resolve(undefined));
      ws.on('error', () => undefined);
    });
    expect(status).toBe(401);
  });

  it('after a disconnect message the client reconnects with a fresh ticket', async () => {
    // App does not pass clientPingTimeout on, and the reconnect delay is that timeout (5 s by default).
    const clientOptions = { slackApiUrl: api.url, retryConfig: { retries: 0 } };
    const receiver = new SocketModeReceiver({
      appToken: TOKENS.appToken,
      clientPingTimeout: 300,
      logLevel: LogLevel.ERROR,
      installerOptions: { clientOptions },
    });
    app = new App({ token: TOKENS.botToken, receiver, logLevel: LogLevel.ERROR, clientOptions });
    app.command('/offer', async ({ ack }) => ack());
    await app.start();
    socket.disconnect('refresh_requested');
    await api.waitFor(() => api.calls.filter((c) => c.method === 'apps.connections.open').length === 2, 3000);
    await socket.waitForConnection();
    expect((await socket.sendSlashCommand({ text: 'help', user_id: 'U024BE7LH', channel_id: 'C024BE91L' })).payload).toEqual({});
  });
});
