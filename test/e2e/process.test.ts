// offer-bot as a user runs it: its own process, start-up checks, graceful stop, and a restart that loses nothing.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EVENT_TYPE, OFFER_COMMAND } from '../../src/slack/constants.js';
import { startAdobeStandins, TEST_CREDENTIALS, type AdobeStandins } from '../support/adobe.js';
import { ALICE, BOB, CHANNEL, OFFER_ID, SECRETS, TEAM } from '../support/bot.js';
import { sqliteUrl } from '../support/databases.js';
import { botEnv, startBotProcess, type BotProcess } from '../support/process.js';
import { startSlackApi, type PostedMessage, type SlackApi } from '../support/slack-api.js';
import { blockActionPayload, sendBlockAction, sendSlashCommand } from '../support/slack-requests.js';

const PROCESS_TEST_MS = 60_000;
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

const eventsUrl = (bot: BotProcess) => `http://127.0.0.1:${bot.port}/slack/events`;
const command = (bot: BotProcess, text: string) =>
  sendSlashCommand(eventsUrl(bot), SECRETS.signingSecret, {
    text,
    user_id: ALICE,
    channel_id: CHANNEL,
    team_id: TEAM,
    command: OFFER_COMMAND,
    response_url: slack.responseUrl(`cmd-${Date.now()}`, { channel: CHANNEL, userId: ALICE }),
  });
const approve = (bot: BotProcess, message: PostedMessage) =>
  sendBlockAction(eventsUrl(bot), SECRETS.signingSecret, blockActionPayload({ user_id: BOB, action_id: 'offer_deletion_approve', message, team_id: TEAM }));
const confirmation = () => slack.waitFor(() => slack.messages.find((m) => m.metadata?.event_type === EVENT_TYPE.requested), 10_000);
const outcomes = (parent: PostedMessage) => slack.messages.filter((m) => m.thread_ts === parent.ts);

describe('offer-bot as a process', () => {
  it(
    'a bad configuration stops it with one clear line per problem, exit status 1, and no secret echoed',
    async () => {
      const bot = await startBotProcess({ SLACK_BOT_TOKEN: 'xoxp-Zq9Leak-user-token', ADOBE_CLIENT_SECRET: 'has a Zq9Leak space', OFFER_APPROVAL_TTL: 'forever' });
      processes.push(bot);
      expect(await bot.exited).toBe(1);
      const output = bot.stderr.join('\n');
      expect(output).toMatch(/SLACK_BOT_TOKEN: .*xoxb-/);
      expect(output).toMatch(/SLACK_SIGNING_SECRET: is required/);
      expect(output).toMatch(/ADOBE_ORG_ID: /);
      expect(output).toMatch(/OFFER_APPROVAL_TTL: /);
      expect(output).not.toContain('Zq9Leak');
    },
    PROCESS_TEST_MS,
  );

  it(
    'a Slack token Slack refuses stops it with a clear message',
    async () => {
      const bot = await startBotProcess({ ...botEnv(slack, adobe, sqliteUrl()), SLACK_BOT_TOKEN: 'xoxb-revoked-or-wrong' });
      processes.push(bot);
      expect(await bot.exited).toBe(1);
      expect(bot.stderr.join('\n')).toMatch(/Slack refused SLACK_BOT_TOKEN \(auth\.test: invalid_auth\)/);
      expect(bot.stderr.join('\n')).not.toContain('xoxb-revoked-or-wrong');
    },
    PROCESS_TEST_MS,
  );

  it(
    'a pending request survives a restart and can be approved afterwards; SIGTERM exits cleanly',
    async () => {
      const env = botEnv(slack, adobe, sqliteUrl());
      const first = await start(env);
      await command(first, `delete ${OFFER_ID}`);
      const message = await confirmation();
      expect(await first.kill('SIGTERM')).toBe(0);
      const second = await start(env);
      await approve(second, message);
      const reply = await slack.waitFor(() => outcomes(message)[0], 10_000);
      expect(reply.metadata?.event_payload).toMatchObject({ outcome: 'deleted', approver: BOB });
      expect(second.stdout.some((line) => line.includes('"audit":true') && line.includes('"to":"deleted"'))).toBe(true);
    },
    PROCESS_TEST_MS,
  );

  it(
    'a deletion in flight when the process is killed is verified and reported after the restart, with no second DELETE',
    async () => {
      const env = botEnv(slack, adobe, sqliteUrl());
      const first = await start(env);
      await command(first, `delete ${OFFER_ID}`);
      const message = await confirmation();
      // Adobe takes the DELETE and deletes the offer, but its answer never comes back.
      adobe.inject({ service: 'offers', method: 'DELETE', respond: 'hang' });
      await approve(first, message);
      await slack.waitFor(() => adobe.requestsTo('offers').find((r) => r.method === 'DELETE'), 10_000);
      adobe.offers.delete(OFFER_ID);
      await first.kill('SIGKILL');
      expect(outcomes(message)).toHaveLength(0);

      const second = await start(env);
      const reply = await slack.waitFor(() => outcomes(message)[0], 15_000);
      expect(reply.metadata?.event_payload).toMatchObject({ outcome: 'deleted', approver: BOB });
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(outcomes(message)).toHaveLength(1);
      expect(adobe.requestsTo('offers').filter((r) => r.method === 'DELETE')).toHaveLength(1);
      await second.kill('SIGTERM');
    },
    PROCESS_TEST_MS,
  );
});
