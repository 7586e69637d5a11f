// Fault matrix, the restore's POST: refused, rate-limited, never sent, lost after it took effect, a server error, no answer.
import { describe, expect } from 'vitest';
import { EVENT_TYPE } from '../../src/slack/constants.js';
import { offersCollection } from '../support/adobe-create.js';
import { FAST_HTTP, OFFER_API_PATH, type RecordedRequest } from '../support/adobe.js';
import { CAROL, requestIdOf } from '../support/bot.js';
import { refusingConnector } from '../support/refusals.js';
import type { PostedMessage } from '../support/slack-api.js';
import { BOB, faultCase, type Scene } from './harness.js';

const WAIT_MS = 10_000;
const problem = (status: number, title: string, detail: string) => ({ type: `https://ns.adobe.com/aep/errors/DPS-${status}`, title, status, detail });
const isPost = (r: RecordedRequest) => r.service === 'offers' && r.method === 'POST';
const posts = (scene: Scene) => scene.bot.adobe.requests.filter(isPost);

interface Restored {
  /** The restore's outcome, a reply in the deletion's thread. */
  reply: PostedMessage;
  restoreId: string;
  states: string[];
}

/** Alice's deletion, approved by Bob; then Carol asks to restore it (`beforeApproval` runs then) and Bob approves. */
async function restoreAfterDeletion(scene: Scene, beforeApproval: () => void = () => {}): Promise<Restored> {
  const { bot } = scene;
  const confirmation = await scene.request();
  const deleted = await scene.approve(confirmation);
  expect(deleted.metadata?.event_payload).toMatchObject({ outcome: 'deleted' });
  await bot.click('restore', deleted, CAROL);
  expect(await bot.nextEphemeral(CAROL, WAIT_MS)).toMatch(/^Posted your request to restore/);
  const ask = await bot.slack.waitFor(() => bot.slack.messages.find((m) => m.metadata?.event_type === EVENT_TYPE.restoreRequested), WAIT_MS);
  beforeApproval();
  await bot.click('approve', ask, BOB);
  const reply = await bot.slack.waitFor(() => bot.slack.messages.find((m) => m.metadata?.event_type === EVENT_TYPE.restoreCompleted), WAIT_MS);
  await scene.finalMessage(ask, reply.at);
  const restoreId = requestIdOf(ask);
  return { reply, restoreId, states: (await bot.store.transitions(restoreId)).map((t) => t.to) };
}

/** The next POST creates the offer as Adobe would, and then its answer is lost to the fault injected for it. */
function postTakesEffect(scene: Scene): void {
  const { adobe } = scene.bot;
  scene.onAdobeRequest(isPost, (request) => {
    offersCollection(request, `${OFFER_API_PATH}/offers`, 'prod', adobe.offers, adobe.created, adobe.requests.indexOf(request));
  });
}

const DONE = ['pending', 'approved', 'restoring'];

describe('fault matrix: the restore’s POST', () => {
  faultCase('POST: 400 (Adobe refuses the body) → failed, nothing created, not sent again; the thread quotes Adobe', async (scene) => {
    scene.bot.adobe.inject({ service: 'offers', method: 'POST', respond: { status: 400, body: problem(400, 'Bad Request', "The field 'rank' is invalid.") } });
    const { reply, states } = await restoreAfterDeletion(scene);
    expect(posts(scene)).toHaveLength(1);
    expect(scene.bot.adobe.created).toHaveLength(0);
    expect(states).toEqual([...DONE, 'failed']);
    expect(reply.metadata?.event_payload).toMatchObject({ outcome: 'failed', reason: 'restore_refused' });
    expect(reply.text).toMatch(/Adobe refused the POST: .*HTTP 400.*The field 'rank' is invalid\..*Nothing was created\./);
  });

  faultCase('POST: 429 with Retry-After, then created → sent again (Adobe said it did nothing), created once', async (scene) => {
    scene.bot.adobe.inject({
      service: 'offers',
      method: 'POST',
      respond: { status: 429, headers: { 'retry-after': '0' }, body: { error_code: '429050', message: 'Too Many Requests' } },
    });
    const { reply, states } = await restoreAfterDeletion(scene);
    expect(posts(scene)).toHaveLength(2);
    expect(scene.bot.adobe.created).toHaveLength(1);
    expect(states).toEqual([...DONE, 'restored']);
    expect(reply.metadata?.event_payload).toMatchObject({ outcome: 'restored', new_offer_id: scene.bot.adobe.created[0]!.id });
  });

  const refusedOnce = refusingConnector(FAST_HTTP.connectTimeoutMs ?? 0);
  faultCase(
    'POST: connection refused (it never reached Adobe), then created → sent again, created once; both attempts in the audit',
    async (scene) => {
      // Every answer closes its connection (no idle one is left to reuse), so the POST needs a new one, which is refused.
      scene.bot.adobe.keepAlive = false;
      const { states, restoreId } = await restoreAfterDeletion(scene, () => {
        scene.onAdobeRequest(
          (r) => r.method === 'GET' && r.path === `${OFFER_API_PATH}/offers`,
          () => refusedOnce.refuse(Number(new URL(scene.bot.adobe.offerApiUrl).port), 1),
        );
      });
      expect(refusedOnce.refused).toBe(1);
      expect(posts(scene)).toHaveLength(1);
      expect(scene.bot.adobe.created).toHaveLength(1);
      expect(states).toEqual([...DONE, 'restored']);
      const detail = (await scene.bot.store.transitions(restoreId)).at(-1)?.detail;
      expect(detail?.createAttempts).toEqual([
        { at: expect.any(String), error: 'ECONNREFUSED', requestId: null },
        { at: expect.any(String), status: 201, requestId: expect.any(String) },
      ]);
    },
    { http: { connect: refusedOnce.connect } },
  );

  faultCase('POST: created, then the connection reset before the answer → not sent again; found by exact name → restored', async (scene) => {
    const { reply, states } = await restoreAfterDeletion(scene, () => {
      postTakesEffect(scene);
      scene.bot.adobe.inject({ service: 'offers', method: 'POST', respond: 'reset' });
    });
    expect(posts(scene)).toHaveLength(1);
    expect(scene.bot.adobe.created).toHaveLength(1);
    expect(states).toEqual([...DONE, 'restored']);
    expect(reply.metadata?.event_payload).toMatchObject({ outcome: 'restored', new_offer_id: scene.bot.adobe.created[0]!.id });
    expect(reply.text).toMatch(/did not send it again; a look-up by name then found the one new offer named like it/);
    const byName = scene.bot.adobe.requests.filter((r) => r.method === 'GET' && r.path === `${OFFER_API_PATH}/offers`);
    expect(byName.at(-1)?.query.property).toBe('name~^Winter sale 20% off$');
  });

  faultCase('POST: created, but answered 500 → not sent again; found by exact name → restored', async (scene) => {
    const { states } = await restoreAfterDeletion(scene, () => {
      postTakesEffect(scene);
      scene.bot.adobe.inject({ service: 'offers', method: 'POST', respond: { status: 500, body: { error_code: '500050', message: 'Internal Server Error' } } });
    });
    expect(posts(scene)).toHaveLength(1);
    expect(scene.bot.adobe.created).toHaveLength(1);
    expect(states).toEqual([...DONE, 'restored']);
  });

  faultCase('POST: 503 and nothing created → not sent again; no new offer by that name → unverified, saying what to check', async (scene) => {
    scene.bot.adobe.inject({ service: 'offers', method: 'POST', respond: { status: 503, body: { error_code: '503050', message: 'Service Unavailable' } } });
    const { reply, states } = await restoreAfterDeletion(scene);
    expect(posts(scene)).toHaveLength(1);
    expect(scene.bot.adobe.created).toHaveLength(0);
    expect(states).toEqual([...DONE, 'unverified']);
    expect(reply.metadata?.event_payload).toMatchObject({ outcome: 'unverified', reason: 'restore_unanswered' });
    expect(reply.text).toMatch(
      /no new offer named like it appeared\. Look in Journey Optimizer for an offer named “Winter sale 20% off” before creating it again\./,
    );
  });

  faultCase('POST: no answer (timeout) → not sent again; no new offer by that name → unverified', async (scene) => {
    scene.bot.adobe.inject({ service: 'offers', method: 'POST', respond: 'hang' });
    const { reply, states } = await restoreAfterDeletion(scene);
    expect(posts(scene)).toHaveLength(1);
    expect(states).toEqual([...DONE, 'unverified']);
    expect(reply.metadata?.event_payload).toMatchObject({ outcome: 'unverified', reason: 'restore_unanswered' });
  });

  faultCase('POST: someone else has an offer of the same name → it is not taken for ours; after a lost answer, ours is the new one', async (scene) => {
    scene.bot.adobe.seed('prod', {
      ...structuredClone(scene.bot.adobe.offers.get('dps:personalized-offer:1a4c514f745dbd7c')!),
      id: 'dps:personalized-offer:00000000000000aa',
    });
    const { reply, states } = await restoreAfterDeletion(scene, () => {
      postTakesEffect(scene);
      scene.bot.adobe.inject({ service: 'offers', method: 'POST', respond: 'reset' });
    });
    expect(states).toEqual([...DONE, 'restored']);
    expect(reply.metadata?.event_payload.new_offer_id).toBe(scene.bot.adobe.created[0]!.id);
  });
});
