// Fault matrix, Slack: ratelimited, 5xx, invalid_auth and network errors, on the confirmation, the message updates and the
// thread reply; and a network error after Slack took the message (the answer lost on the way back).
import { describe, expect } from 'vitest';
import { EVENT_TYPE } from '../../src/slack/constants.js';
import { ours, requestIdOf, type Bot } from '../support/bot.js';
import { reject } from '../support/decisions.js';
import type { ApiCall, PostedMessage } from '../support/slack-api.js';
import { ALICE, auditLines, BOB, CHANNEL, expectAudit, faultCase, OFFER_ID, requestIds, type Scene } from './harness.js';

const DELETED = ['pending', 'approved', 'deleting', 'deleted'];

const confirmationAttempts = (bot: Bot): ApiCall[] =>
  bot.slack.calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === CHANNEL && !c.args.thread_ts);
const replyAttempts = (bot: Bot): ApiCall[] => bot.slack.calls.filter((c) => c.method === 'chat.postMessage' && c.args.thread_ts);
const updateAttempts = (bot: Bot): ApiCall[] => bot.slack.calls.filter((c) => c.method === 'chat.update');
const outcomeReplies = (bot: Bot, ts: string) =>
  bot.slack.messages.filter((m) => ours(m) && m.thread_ts === ts && m.metadata?.event_type === EVENT_TYPE.completed);
/** The requester's direct messages about a gap in the channel's trail (not the DM on how the request ended). */
const directMessages = (bot: Bot) => bot.slack.directMessages(ALICE).filter((m) => m.metadata?.event_type !== EVENT_TYPE.dm);
/** What reached the requester through response URLs (the posts Slack took). */
const okResponses = (bot: Bot) => bot.slack.responses.filter((r) => r.status === 200).map((r) => String(r.body.text));
const answered = (call: ApiCall) => (call.status === 0 ? 'reset' : call.answer?.ok === false ? String(call.answer.error) : 'ok');

/** The whole workflow under a Slack fault: requested, approved, deleted once, one reply, the message final. */
async function deletedDespite(scene: Scene) {
  const confirmation = await scene.request();
  return { confirmation, ...(await approved(scene, confirmation)) };
}

async function approved(scene: Scene, confirmation: Awaited<ReturnType<Scene['request']>>) {
  const reply = await scene.approve(confirmation);
  expect(reply.metadata?.event_payload).toMatchObject({ outcome: 'deleted', reason: 'deleted' });
  const final = await scene.finalMessage(confirmation, reply.at);
  expect(JSON.stringify(final.blocks)).toContain('Deleted. Approved by');
  expect(outcomeReplies(scene.bot, confirmation.ts), 'outcome replies in the thread').toHaveLength(1);
  expect(scene.offerRequests('DELETE')).toHaveLength(1);
  await expectAudit(scene.bot, confirmation, { states: DELETED, outcome: { reason: 'deleted' } });
  return { reply, final };
}

const dmAttempts = (bot: Bot): ApiCall[] => bot.slack.calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === ALICE);
const outcomeDms = (bot: Bot) => bot.slack.directMessages(ALICE).filter((m) => ours(m) && m.metadata?.event_type === EVENT_TYPE.dm);

/** Approved and deleted; the requester's DM lands once, after the thread reply, its attempts as Slack answered them (`statuses`). */
async function approvedWithDm(scene: Scene, confirmation: Awaited<ReturnType<Scene['request']>>, statuses: number[]) {
  // The DM is the last write owed: the first chat.postMessage to the requester is the one a fault hits.
  const { reply } = await approved(scene, confirmation);
  const [dm] = await scene.bot.slack.waitFor(() => (outcomeDms(scene.bot).length > 0 ? outcomeDms(scene.bot) : undefined), 10_000);
  expect(dm!.at).toBeGreaterThanOrEqual(reply.at);
  await scene.bot.settled();
  expect(outcomeDms(scene.bot)).toHaveLength(1);
  expect(dmAttempts(scene.bot).map((c) => c.status)).toEqual(statuses);
}

/** The gap between the failed attempt and the one that went through. */
const gap = (attempts: ApiCall[]) => attempts[1]!.at - attempts[0]!.at;

describe('fault matrix: Slack', () => {
  faultCase('confirmation: ratelimited (Retry-After 1) → posted once after the wait; the requester is told it is posted', async (scene) => {
    scene.bot.slack.inject({ method: 'chat.postMessage', respond: { error: 'ratelimited', retryAfter: 1 } });
    await deletedDespite(scene);
    const attempts = confirmationAttempts(scene.bot);
    expect(attempts.map(answered)).toEqual(['ratelimited', 'ok']);
    expect(gap(attempts)).toBeGreaterThanOrEqual(1_000);
  });

  faultCase('confirmation: 503 → retried after a 1 s backoff, posted once', async (scene) => {
    scene.bot.slack.inject({ method: 'chat.postMessage', respond: { status: 503 } });
    await deletedDespite(scene);
    const attempts = confirmationAttempts(scene.bot);
    expect(attempts.map((c) => c.status)).toEqual([503, 200]);
    expect(gap(attempts)).toBeGreaterThanOrEqual(1_000);
  });

  faultCase('confirmation: network error (reset before Slack took it) → retried, posted once', async (scene) => {
    scene.bot.slack.inject({ method: 'chat.postMessage', respond: 'reset' });
    await deletedDespite(scene);
    expect(confirmationAttempts(scene.bot).map(answered)).toEqual(['reset', 'ok']);
  });

  faultCase('confirmation: invalid_auth → the request is closed, the requester told; nothing posted, nothing deleted; in the audit', async (scene) => {
    scene.bot.slack.inject({ method: 'chat.postMessage', respond: { error: 'invalid_auth' } });
    await scene.command(`delete ${OFFER_ID} campaign ended`);
    expect(await scene.bot.nextResponse(undefined, 10_000)).toBe(
      'Slack refused the confirmation message (invalid_auth); nothing was posted and nothing will be deleted.',
    );
    await scene.bot.settled();
    expect(scene.bot.slack.messages).toHaveLength(0);
    expect(scene.offerRequests('DELETE')).toHaveLength(0);
    const [requestId, ...others] = requestIds(scene.bot);
    expect(others).toEqual([]);
    const { transitions } = await expectAudit(scene.bot, requestId!, { states: ['pending', 'cancelled'] });
    expect(transitions[1]!.detail).toEqual({ reason: 'confirmation_not_posted', slackError: 'invalid_auth' });
    expect(auditLines(scene.bot, requestId).filter((line) => line.slackError)).toMatchObject([{ kind: 'confirmation', slackError: 'invalid_auth' }]);
  });

  faultCase(
    'confirmation: network error after Slack took it (answer lost) → the retry finds it: one confirmation in the channel',
    async (scene) => {
      await scene.command(`delete ${OFFER_ID} campaign ended`);
      expect(await scene.bot.nextResponse(undefined, 10_000)).toMatch(/^Posted your request to delete/);
      const [requestId] = requestIds(scene.bot);
      const stored = await scene.bot.store.getRequest(requestId!);
      // Bob approves the confirmation the bot knows of; then every write must have happened once.
      await approved(scene, scene.bot.slack.message(CHANNEL, stored!.messageTs!)!);
      const confirmations = scene.bot.slack.messages.filter((m) => m.metadata?.event_type === EVENT_TYPE.requested && !m.thread_ts);
      expect(confirmations, 'confirmations in the channel').toHaveLength(1);
    },
    {
      loseSlackAnswer: (method, args) => method === 'chat.postMessage' && args.get('channel') === CHANNEL && !args.has('thread_ts'),
    },
  );

  faultCase(
    "confirmation: network error (reset) as another app posts a look-alike with the confirmation's metadata → not taken for ours: ours is posted",
    async (scene) => {
      const { slack } = scene.bot;
      slack.inject({
        method: 'chat.postMessage',
        respond: 'reset',
        onStrike: (args) =>
          slack.postAsAnotherApp(String(args.channel), { text: 'look-alike', metadata: JSON.parse(String(args.metadata)) as PostedMessage['metadata'] }),
      });
      const { confirmation } = await deletedDespite(scene);
      const [lookAlike, ...more] = slack.messages.filter((m) => !ours(m));
      expect(more).toEqual([]);
      expect(lookAlike!.metadata?.event_type).toBe(EVENT_TYPE.requested);
      expect(requestIdOf(lookAlike!)).toBe(requestIdOf(confirmation));
      expect(confirmationAttempts(scene.bot).map(answered)).toEqual(['reset', 'ok']);
      // The retry looked, since Slack might have taken the first attempt, and found only the look-alike.
      expect(slack.calls.filter((c) => c.method === 'conversations.history')).toHaveLength(1);
    },
  );

  faultCase('approved update: ratelimited (Retry-After 1) → retried; the outcome waits its turn; everything once, in order', async (scene) => {
    const confirmation = await scene.request();
    scene.bot.slack.inject({ method: 'chat.update', respond: { error: 'ratelimited', retryAfter: 1 } });
    const { reply } = await approved(scene, confirmation);
    const updates = updateAttempts(scene.bot);
    expect(updates.map(answered)).toEqual(['ratelimited', 'ok', 'ok']);
    expect(gap(updates)).toBeGreaterThanOrEqual(1_000);
    // In order per request: "deleting…" is shown before the outcome is posted.
    expect(updates[1]!.at).toBeLessThanOrEqual(reply.at);
  });

  faultCase('approved update: 500 → retried after a 1 s backoff; everything once', async (scene) => {
    const confirmation = await scene.request();
    scene.bot.slack.inject({ method: 'chat.update', respond: { status: 500 } });
    await approved(scene, confirmation);
    expect(updateAttempts(scene.bot).map((c) => c.status)).toEqual([500, 200, 200]);
  });

  faultCase('approved update: invalid_auth → given up, in the audit log, the requester told directly; the outcome still lands', async (scene) => {
    const confirmation = await scene.request();
    scene.bot.slack.inject({ method: 'chat.update', respond: { error: 'invalid_auth' } });
    await approved(scene, confirmation);
    const [dm, ...more] = directMessages(scene.bot);
    expect(more).toEqual([]);
    expect(dm!.text).toMatch(
      new RegExp(`offer-bot could not post the update of its message in <#${CHANNEL}> \\(invalid_auth\\)\\. Your request to delete \`${OFFER_ID}\` is`),
    );
    expect(auditLines(scene.bot).filter((line) => line.slackError)).toMatchObject([{ kind: 'message', slackError: 'invalid_auth', offerId: OFFER_ID }]);
  });

  faultCase('outcome reply: ratelimited (Retry-After 1) → posted once after the wait', async (scene) => {
    const confirmation = await scene.request();
    scene.bot.slack.inject({ method: 'chat.postMessage', respond: { error: 'ratelimited', retryAfter: 1 } });
    await approved(scene, confirmation);
    const attempts = replyAttempts(scene.bot);
    expect(attempts.map(answered)).toEqual(['ratelimited', 'ok']);
    expect(gap(attempts)).toBeGreaterThanOrEqual(1_000);
  });

  faultCase('outcome reply: 502 → retried after a 1 s backoff, posted once', async (scene) => {
    const confirmation = await scene.request();
    scene.bot.slack.inject({ method: 'chat.postMessage', respond: { status: 502 } });
    await approved(scene, confirmation);
    expect(replyAttempts(scene.bot).map((c) => c.status)).toEqual([502, 200]);
  });

  faultCase('outcome reply: network error (reset before Slack took it) → retried, posted once', async (scene) => {
    const confirmation = await scene.request();
    scene.bot.slack.inject({ method: 'chat.postMessage', respond: 'reset' });
    await approved(scene, confirmation);
    expect(replyAttempts(scene.bot).map(answered)).toEqual(['reset', 'ok']);
  });

  faultCase(
    'outcome reply: network error (reset) after another app replied in the thread with a look-alike outcome → ours is still posted, once',
    async (scene) => {
      const confirmation = await scene.request();
      scene.bot.slack.postAsAnotherApp(CHANNEL, {
        text: 'Deleted (not really)',
        thread_ts: confirmation.ts,
        metadata: { event_type: EVENT_TYPE.completed, event_payload: { request_id: requestIdOf(confirmation), outcome: 'deleted' } },
      });
      scene.bot.slack.inject({ method: 'chat.postMessage', respond: 'reset' });
      await approved(scene, confirmation);
      expect(replyAttempts(scene.bot).map(answered)).toEqual(['reset', 'ok']);
      expect(scene.bot.slack.calls.filter((c) => c.method === 'conversations.replies')).toHaveLength(1);
    },
  );

  faultCase(
    'outcome reply: invalid_auth → given up, in the audit log, the requester told the outcome directly; the message still ends final',
    async (scene) => {
      const confirmation = await scene.request();
      scene.bot.slack.inject({ method: 'chat.postMessage', respond: { error: 'invalid_auth' } });
      await scene.bot.click('approve', confirmation, BOB);
      const dm = await scene.bot.slack.waitFor(() => directMessages(scene.bot)[0], 10_000);
      expect(dm.text).toBe(
        `offer-bot could not post the outcome in its thread in <#${CHANNEL}> (invalid_auth). Your request to delete \`${OFFER_ID}\` is deleted.`,
      );
      const final = await scene.finalMessage(confirmation, dm.at);
      expect(JSON.stringify(final.blocks)).toContain('Deleted. Approved by');
      expect(outcomeReplies(scene.bot, confirmation.ts)).toHaveLength(0);
      expect(auditLines(scene.bot).filter((line) => line.slackError)).toMatchObject([{ kind: 'outcome', slackError: 'invalid_auth', offerId: OFFER_ID }]);
      await expectAudit(scene.bot, confirmation, { states: DELETED, outcome: { reason: 'deleted' } });
    },
  );

  faultCase(
    'outcome reply: network error after Slack took it (answer lost) → the retry finds it: one outcome in the thread',
    async (scene) => {
      await deletedDespite(scene);
    },
    {
      loseSlackAnswer: (method, args) => method === 'chat.postMessage' && args.has('thread_ts'),
    },
  );
  faultCase(
    'outcome DM: 502 → retried after a 1 s backoff, sent once, after the thread reply',
    async (scene) => {
      scene.bot.slack.inject({ method: 'chat.postMessage', respond: { status: 502 }, match: (args) => args.channel === ALICE });
      const confirmation = await scene.request();
      await approvedWithDm(scene, confirmation, [502, 200]);
    },
    {},
  );

  faultCase(
    'outcome DM: network error after Slack took it (answer lost) → the retry looks in the DM and finds it: one DM',
    async (scene) => {
      const confirmation = await scene.request();
      // Slack answered the one post (200); the bot never got that answer. Its retry (a second later) looks, and finds it.
      await approved(scene, confirmation);
      const history = (c: ApiCall) => c.method === 'conversations.history' && String(c.args.channel).startsWith('D');
      await scene.bot.slack.waitFor(() => scene.bot.slack.calls.find(history), 10_000);
      await scene.bot.settled();
      expect(scene.bot.slack.calls.filter((c) => c.method === 'conversations.open')).toHaveLength(1);
      expect(outcomeDms(scene.bot)).toHaveLength(1);
      expect(dmAttempts(scene.bot).map((c) => c.status)).toEqual([200]);
    },
    { loseSlackAnswer: (method, args) => method === 'chat.postMessage' && args.get('channel') === ALICE },
  );

  faultCase(
    'reminder: network error after Slack took it (answer lost) → the retry looks in the thread and finds it: one reminder',
    async (scene) => {
      const confirmation = await scene.request();
      scene.bot.advanceClock(15 * 60_000);
      await scene.bot.sweep();
      const replies = (c: ApiCall) => c.method === 'conversations.replies';
      await scene.bot.slack.waitFor(() => scene.bot.slack.calls.find(replies), 10_000);
      await scene.bot.settled();
      const reminders = scene.bot.slack.messages.filter((m) => ours(m) && m.thread_ts === confirmation.ts && m.metadata?.event_type === EVENT_TYPE.reminded);
      expect(reminders).toHaveLength(1);
      expect(replyAttempts(scene.bot)).toHaveLength(1);
      // Decided, so the tally finds nothing left open.
      await reject(scene.bot, confirmation, BOB);
      await scene.bot.slack.waitFor(() =>
        scene.bot.slack.messages.find((m) => m.thread_ts === confirmation.ts && m.metadata?.event_type === EVENT_TYPE.rejected),
      );
    },
    { loseSlackAnswer: (method, args) => method === 'chat.postMessage' && (args.get('metadata') ?? '').includes(EVENT_TYPE.reminded) },
  );

  faultCase(
    'response_url: 503 on "Posted your request" → the requester is never told "nothing was posted" about a posted request',
    async (scene) => {
      scene.bot.slack.inject({ method: 'response_url', respond: { status: 503 } });
      await scene.command(`delete ${OFFER_ID} campaign ended`);
      const confirmation = await scene.bot.nextConfirmation(10_000);
      await scene.bot.slack.waitFor(() => okResponses(scene.bot).length > 0 || undefined, 10_000);
      await approved(scene, confirmation);
      const told = okResponses(scene.bot);
      expect(
        told.filter((text) => /nothing was posted/.test(text)),
        'false "nothing was posted" told to the requester',
      ).toEqual([]);
      expect(told.some((text) => text.startsWith('Posted your request'))).toBe(true);
    },
    {},
  );

  faultCase(
    'response_url: 503 on the look-up failure answer → the requester still hears the status, Adobe message and request id',
    async (scene) => {
      scene.bot.slack.inject({ method: 'response_url', respond: { status: 503 } });
      scene.bot.adobe.inject({ service: 'offers', method: 'GET', respond: { status: 403, body: { error_code: '403025', message: 'Profile is not valid' } } });
      await scene.command(`delete ${OFFER_ID} campaign ended`);
      await scene.bot.slack.waitFor(() => okResponses(scene.bot).length > 0 || undefined, 10_000);
      await scene.bot.settled();
      const told = okResponses(scene.bot).join('\n');
      expect(told, 'what the requester was told').toMatch(/HTTP 403/);
      expect(told).toMatch(/Profile is not valid/);
      expect(told).toContain(`request id ${scene.offerRequests('GET')[0]!.answeredWithId}`);
      expect(scene.bot.slack.messages).toHaveLength(0);
    },
    {},
  );
});
