// Socket Mode: the same workflow over a WebSocket, through local stand-ins for apps.connections.open and the socket.
import { afterEach, describe, expect, it } from 'vitest';
import { EVENT_TYPE, OFFER_COMMAND } from '../../src/slack/constants.js';
import { ALICE, BOB, CHANNEL, OFFER_ID, startBot, TEAM, type Bot } from '../support/bot.js';
import { blockActionPayload } from '../support/slack-requests.js';

let bot: Bot;
afterEach(async () => {
  await bot?.stop();
});

describe('Socket Mode', () => {
  it('a command and an approval over the socket delete the offer and report in the thread', async () => {
    bot = await startBot({ socketMode: true });
    const socket = bot.socket!;
    expect(socket.connections).toBe(1);
    const ack = await socket.sendSlashCommand({
      text: `delete ${OFFER_ID} over the socket`,
      user_id: ALICE,
      channel_id: CHANNEL,
      team_id: TEAM,
      command: OFFER_COMMAND,
      response_url: bot.slack.responseUrl('socket-command', { channel: CHANNEL, userId: ALICE }),
    });
    expect(JSON.stringify(ack.payload)).toContain('Looking up offer');
    const confirmation = await bot.nextConfirmation();
    const click = blockActionPayload({ user_id: BOB, action_id: 'offer_deletion_approve', message: confirmation, team_id: TEAM });
    await socket.sendBlockAction(click);
    const reply = await bot.nextThreadReply(confirmation);
    expect(reply.metadata).toMatchObject({ event_type: EVENT_TYPE.completed, event_payload: { outcome: 'deleted', approver: BOB } });
    expect(bot.adobe.requestsTo('offers').filter((r) => r.method === 'DELETE')).toHaveLength(1);
  });
});
