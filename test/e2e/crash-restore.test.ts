// Killed right after Adobe answered the restore's POST, and started again: the offer is re-created once, found by name.
import { describe, expect, it } from 'vitest';
import { EVENT_TYPE } from '../../src/slack/constants.js';
import { BOB, CAROL, OFFER_ID, SECRETS, TEAM } from '../support/bot.js';
import { processScene } from '../support/process.js';
import { blockActionPayload, sendBlockAction } from '../support/slack-requests.js';

const CRASH_TEST_MS = 60_000;
const WAIT_MS = 15_000;
const scene = processScene();

describe('a crash in a restore', () => {
  it(
    'killed after_create_answered: after the restart one POST stands, the new offer is found by name, and one outcome is posted',
    async () => {
      const env = scene.env({ OFFER_SWEEP_INTERVAL: '1s', OFFER_VERIFY_TIMEOUT: '2s' });
      const doomed = await scene.start({ ...env, OFFER_BOT_TEST_CRASH_AT: 'after_create_answered' });
      await scene.command(doomed, `delete ${OFFER_ID}`);
      const confirmation = await scene.slack.waitFor(() => scene.confirmations()[0], WAIT_MS);
      await scene.approve(doomed, confirmation);
      const deleted = await scene.slack.waitFor(() => scene.outcomes(confirmation)[0], WAIT_MS);
      const url = `http://127.0.0.1:${doomed.port}/slack/events`;
      await sendBlockAction(url, SECRETS.signingSecret, blockActionPayload({ user_id: CAROL, action_id: 'offer_restore', message: deleted, team_id: TEAM }));
      const ask = await scene.slack.waitFor(() => scene.slack.messages.find((m) => m.metadata?.event_type === EVENT_TYPE.restoreRequested), WAIT_MS);
      await scene.approve(doomed, ask);
      await doomed.exited;
      expect(scene.adobe.created).toHaveLength(1);

      await scene.start(env);
      const restored = await scene.slack.waitFor(() => scene.slack.messages.find((m) => m.metadata?.event_type === EVENT_TYPE.restoreCompleted), WAIT_MS);
      expect(restored.metadata?.event_payload).toMatchObject({ outcome: 'restored', new_offer_id: scene.adobe.created[0]!.id, decided_by: BOB });
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(scene.adobe.requestsTo('offers').filter((r) => r.method === 'POST')).toHaveLength(1);
      expect(scene.slack.messages.filter((m) => m.metadata?.event_type === EVENT_TYPE.restoreCompleted)).toHaveLength(1);
    },
    CRASH_TEST_MS,
  );
});
