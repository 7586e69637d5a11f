// Killed at every step of the workflow and started again: at most one DELETE, and every request ends right, once.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CrashPoint } from '../../src/crash-points.js';
import { EVENT_TYPE, OFFER_COMMAND } from '../../src/slack/constants.js';
import { startAdobeStandins, TEST_CREDENTIALS, type AdobeStandins } from '../support/adobe.js';
import { ALICE, BOB, CHANNEL, OFFER_ID, SECRETS, TEAM } from '../support/bot.js';
import { sqliteUrl } from '../support/databases.js';
import { botEnv, startBotProcess, type BotProcess } from '../support/process.js';
import { startSlackApi, type PostedMessage, type SlackApi } from '../support/slack-api.js';
import { blockActionPayload, sendBlockAction, sendSlashCommand } from '../support/slack-requests.js';

const CRASH_TEST_MS = 60_000;
const WAIT_MS = 15_000;
let slack: SlackApi;
let adobe: AdobeStandins;
const processes: BotProcess[] = [];

beforeEach(async () => {
  slack = await startSlackApi({ botToken: SECRETS.botToken, teamId: TEAM, botUserId: 'U07QX4M1B2C', botId: 'B07QX4LCA9D' });
  adobe = await startAdobeStandins({ ...TEST_CREDENTIALS });
});
afterEach(async () => {
  await Promise.all(processes.splice(0).map((p) => p.kill('SIGKILL')));
  await slack.close();
  await adobe.close();
});

async function start(env: Record<string, string>): Promise<BotProcess> {
  const bot = await startBotProcess(env);
  processes.push(bot);
  await bot.waitHealthy();
  return bot;
}

const url = (bot: BotProcess) => `http://127.0.0.1:${bot.port}/slack/events`;
// A process killed mid-answer drops the connection: that is what Slack would see too.
const command = (bot: BotProcess, text: string) =>
  sendSlashCommand(url(bot), SECRETS.signingSecret, {
    text,
    user_id: ALICE,
    channel_id: CHANNEL,
    team_id: TEAM,
    command: OFFER_COMMAND,
    response_url: slack.responseUrl(`cmd-${Math.random()}`, { channel: CHANNEL, userId: ALICE }),
  }).catch(() => null);
const approve = (bot: BotProcess, message: PostedMessage) =>
  sendBlockAction(url(bot), SECRETS.signingSecret, blockActionPayload({ user_id: BOB, action_id: 'offer_deletion_approve', message, team_id: TEAM })).catch(() => null);

const confirmations = () => slack.messages.filter((m) => m.metadata?.event_type === EVENT_TYPE.requested && !m.thread_ts);
const outcomes = (parent: PostedMessage) => slack.messages.filter((m) => m.thread_ts === parent.ts && m.metadata?.event_type === EVENT_TYPE.completed);
const deletes = () => adobe.requestsTo('offers').filter((r) => r.method === 'DELETE');
const settle = () => new Promise((resolve) => setTimeout(resolve, 500));

describe('a crash at every step', () => {
  it.each<CrashPoint>(['after_ack', 'after_lookup'])(
    'killed %s, before anything is stored: nothing is posted or deleted, and asking again works',
    async (point) => {
      const env = { ...botEnv(slack, adobe, sqliteUrl()), OFFER_SWEEP_INTERVAL: '1s' };
      const doomed = await start({ ...env, OFFER_BOT_TEST_CRASH_AT: point });
      await command(doomed, `delete ${OFFER_ID}`);
      await doomed.exited;
      const bot = await start(env);
      await settle();
      expect(confirmations()).toHaveLength(0);
      await command(bot, `delete ${OFFER_ID}`);
      const message = await slack.waitFor(() => confirmations()[0], WAIT_MS);
      await approve(bot, message);
      await slack.waitFor(() => outcomes(message)[0], WAIT_MS);
      expect(deletes()).toHaveLength(1);
    },
    CRASH_TEST_MS,
  );

  it(
    'killed after posting the confirmation, before recording it: the restarted bot finds it instead of posting it again',
    async () => {
      const env = { ...botEnv(slack, adobe, sqliteUrl()), OFFER_SWEEP_INTERVAL: '1s' };
      const doomed = await start({ ...env, OFFER_BOT_TEST_CRASH_AT: 'after_confirmation_posted' });
      await command(doomed, `delete ${OFFER_ID}`);
      await doomed.exited;
      expect(confirmations()).toHaveLength(1);
      const bot = await start(env);
      await slack.waitFor(() => slack.calls.find((c) => c.method === 'conversations.history'), WAIT_MS);
      await settle();
      expect(confirmations()).toHaveLength(1);
      // The buttons of that one message work: its ts was recorded.
      await approve(bot, confirmations()[0]!);
      const reply = await slack.waitFor(() => outcomes(confirmations()[0]!)[0], WAIT_MS);
      expect(reply.metadata?.event_payload).toMatchObject({ outcome: 'deleted', approver: BOB });
      expect(deletes()).toHaveLength(1);
    },
    CRASH_TEST_MS,
  );

  it.each<CrashPoint>(['after_decision', 'after_delete_answered', 'after_verification', 'after_thread_reply'])(
    'killed %s: after the restart the offer is deleted by exactly one DELETE, with exactly one outcome in the thread',
    async (point) => {
      const env = { ...botEnv(slack, adobe, sqliteUrl()), OFFER_SWEEP_INTERVAL: '1s' };
      const doomed = await start({ ...env, OFFER_BOT_TEST_CRASH_AT: point });
      await command(doomed, `delete ${OFFER_ID}`);
      const message = await slack.waitFor(() => confirmations()[0], WAIT_MS);
      await approve(doomed, message);
      await doomed.exited;
      await start(env);
      const reply = await slack.waitFor(() => outcomes(message)[0], WAIT_MS);
      expect(reply.metadata?.event_payload).toMatchObject({ outcome: 'deleted', approver: BOB, requester: ALICE });
      await settle();
      expect(outcomes(message)).toHaveLength(1);
      expect(deletes()).toHaveLength(1);
      expect(adobe.offers.has(OFFER_ID)).toBe(false);
      expect(confirmations()).toHaveLength(1);
      expect(JSON.stringify(slack.message(CHANNEL, message.ts)?.blocks)).toContain(`Deleted. Approved by <@${BOB}>`);
    },
    CRASH_TEST_MS,
  );
});
