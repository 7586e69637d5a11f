// Killed at every step of the workflow and started again: at most one DELETE, and every request ends right, once.
import { describe, expect, it } from 'vitest';
import type { CrashPoint } from '../../src/crash-points.js';
import { ALICE, BOB, CHANNEL, OFFER_ID } from '../support/bot.js';
import { processScene } from '../support/process.js';

const CRASH_TEST_MS = 60_000;
const WAIT_MS = 15_000;
const scene = processScene();
const { start, command, approve, confirmations, outcomes, deletes } = scene;
const settle = () => new Promise((resolve) => setTimeout(resolve, 500));

describe('a crash at every step', () => {
  it.each<CrashPoint>(['after_ack', 'after_lookup'])(
    'killed %s, before anything is stored: nothing is posted or deleted, and asking again works',
    async (point) => {
      const env = scene.env({ OFFER_SWEEP_INTERVAL: '1s' });
      const doomed = await start({ ...env, OFFER_BOT_TEST_CRASH_AT: point });
      await command(doomed, `delete ${OFFER_ID}`);
      await doomed.exited;
      const bot = await start(env);
      await settle();
      expect(confirmations()).toHaveLength(0);
      await command(bot, `delete ${OFFER_ID}`);
      const message = await scene.slack.waitFor(() => confirmations()[0], WAIT_MS);
      await approve(bot, message);
      await scene.slack.waitFor(() => outcomes(message)[0], WAIT_MS);
      expect(deletes()).toHaveLength(1);
    },
    CRASH_TEST_MS,
  );

  it(
    'killed after posting the confirmation, before recording it: the restarted bot finds it instead of posting it again',
    async () => {
      const env = scene.env({ OFFER_SWEEP_INTERVAL: '1s' });
      const doomed = await start({ ...env, OFFER_BOT_TEST_CRASH_AT: 'after_confirmation_posted' });
      await command(doomed, `delete ${OFFER_ID}`);
      await doomed.exited;
      expect(confirmations()).toHaveLength(1);
      const bot = await start(env);
      await scene.slack.waitFor(() => scene.slack.calls.find((c) => c.method === 'conversations.history'), WAIT_MS);
      await settle();
      expect(confirmations()).toHaveLength(1);
      // The buttons of that one message work: its ts was recorded.
      await approve(bot, confirmations()[0]!);
      const reply = await scene.slack.waitFor(() => outcomes(confirmations()[0]!)[0], WAIT_MS);
      expect(reply.metadata?.event_payload).toMatchObject({ outcome: 'deleted', approver: BOB });
      expect(deletes()).toHaveLength(1);
    },
    CRASH_TEST_MS,
  );

  it(
    'killed after posting the confirmation, then another app posts a look-alike with its metadata: the restarted bot records its own, not the look-alike',
    async () => {
      const env = scene.env({ OFFER_SWEEP_INTERVAL: '1s' });
      const doomed = await start({ ...env, OFFER_BOT_TEST_CRASH_AT: 'after_confirmation_posted' });
      await command(doomed, `delete ${OFFER_ID}`);
      await doomed.exited;
      const [own] = confirmations();
      // Newer than ours, so the first a search by metadata alone would find.
      scene.slack.postAsAnotherApp(CHANNEL, { text: 'look-alike', metadata: own!.metadata });
      const bot = await start(env);
      await scene.slack.waitFor(() => scene.slack.calls.find((c) => c.method === 'conversations.history'), WAIT_MS);
      await settle();
      expect(confirmations()).toEqual([own]);
      // Its buttons work: the ts recorded is that of offer-bot's own message.
      await approve(bot, own!);
      const reply = await scene.slack.waitFor(() => outcomes(own!)[0], WAIT_MS);
      expect(reply.metadata?.event_payload).toMatchObject({ outcome: 'deleted', approver: BOB });
      // The final update follows the outcome reply, onto offer-bot's own message.
      await scene.slack.waitFor(() => JSON.stringify(scene.slack.message(CHANNEL, own!.ts)?.blocks).includes(`Deleted. Approved by <@${BOB}>`), WAIT_MS);
      expect(deletes()).toHaveLength(1);
    },
    CRASH_TEST_MS,
  );

  it.each<CrashPoint>(['after_decision', 'after_delete_answered', 'after_verification', 'after_thread_reply'])(
    'killed %s: after the restart the offer is deleted by exactly one DELETE, with exactly one outcome in the thread',
    async (point) => {
      const env = scene.env({ OFFER_SWEEP_INTERVAL: '1s' });
      const doomed = await start({ ...env, OFFER_BOT_TEST_CRASH_AT: point });
      await command(doomed, `delete ${OFFER_ID}`);
      const message = await scene.slack.waitFor(() => confirmations()[0], WAIT_MS);
      await approve(doomed, message);
      await doomed.exited;
      await start(env);
      const reply = await scene.slack.waitFor(() => outcomes(message)[0], WAIT_MS);
      expect(reply.metadata?.event_payload).toMatchObject({ outcome: 'deleted', approver: BOB, requester: ALICE });
      await settle();
      expect(outcomes(message)).toHaveLength(1);
      expect(deletes()).toHaveLength(1);
      expect(scene.adobe.offers.has(OFFER_ID)).toBe(false);
      expect(confirmations()).toHaveLength(1);
      expect(JSON.stringify(scene.slack.message(CHANNEL, message.ts)?.blocks)).toContain(`Deleted. Approved by <@${BOB}>`);
    },
    CRASH_TEST_MS,
  );
});
