// offer-bot as a user runs it: its own process, start-up checks, graceful stop, and a restart that loses nothing.
import { describe, expect, it } from 'vitest';
import { BOB, OFFER_ID } from '../support/bot.js';
import { processScene } from '../support/process.js';

const PROCESS_TEST_MS = 60_000;
const scene = processScene();
const { start, command, approve, outcomes, deletes } = scene;
const confirmation = () => scene.slack.waitFor(() => scene.confirmations()[0], 10_000);

describe('offer-bot as a process', () => {
  it(
    'a bad configuration stops it with one clear line per problem, exit status 1, and no secret echoed',
    async () => {
      const bot = await start(
        { SLACK_BOT_TOKEN: 'xoxp-Zq9Leak-user-token', ADOBE_CLIENT_SECRET: 'has a Zq9Leak space', OFFER_APPROVAL_TTL: 'forever' },
        { healthy: false },
      );
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
      const bot = await start(scene.env({ SLACK_BOT_TOKEN: 'xoxb-revoked-or-wrong' }), { healthy: false });
      expect(await bot.exited).toBe(1);
      expect(bot.stderr.join('\n')).toMatch(/Slack refused SLACK_BOT_TOKEN \(auth\.test: invalid_auth\)/);
      expect(bot.stderr.join('\n')).not.toContain('xoxb-revoked-or-wrong');
    },
    PROCESS_TEST_MS,
  );

  it(
    'a pending request survives a restart and can be approved afterwards; SIGTERM exits cleanly',
    async () => {
      const env = scene.env();
      const first = await start(env);
      await command(first, `delete ${OFFER_ID}`);
      const message = await confirmation();
      expect(await first.kill('SIGTERM')).toBe(0);
      const second = await start(env);
      await approve(second, message);
      const reply = await scene.slack.waitFor(() => outcomes(message)[0], 10_000);
      expect(reply.metadata?.event_payload).toMatchObject({ outcome: 'deleted', approver: BOB });
      // The audit line is written before the reply is posted, but its pipe may be read after the reply arrives here.
      const audited = await scene.slack.waitFor(() => second.stdout.find((line) => line.includes('"audit":true') && line.includes('"to":"deleted"')), 5_000);
      expect(audited).toContain('"from":"deleting"');
    },
    PROCESS_TEST_MS,
  );

  it(
    'a deletion in flight when the process is killed is verified and reported after the restart, with no second DELETE',
    async () => {
      const env = scene.env();
      const first = await start(env);
      await command(first, `delete ${OFFER_ID}`);
      const message = await confirmation();
      // Adobe takes the DELETE and deletes the offer, but its answer never comes back.
      scene.adobe.inject({ service: 'offers', method: 'DELETE', respond: 'hang' });
      await approve(first, message);
      await scene.slack.waitFor(() => scene.adobe.requestsTo('offers').find((r) => r.method === 'DELETE'), 10_000);
      scene.adobe.offers.delete(OFFER_ID);
      await first.kill('SIGKILL');
      expect(outcomes(message)).toHaveLength(0);

      const second = await start(env);
      const reply = await scene.slack.waitFor(() => outcomes(message)[0], 15_000);
      expect(reply.metadata?.event_payload).toMatchObject({ outcome: 'deleted', approver: BOB });
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(outcomes(message)).toHaveLength(1);
      expect(deletes()).toHaveLength(1);
      await second.kill('SIGTERM');
    },
    PROCESS_TEST_MS,
  );
});
