// Restore a deleted offer, end to end: the Restore button on the deletion's outcome, a second person's approval, one POST.
import { afterEach, describe, expect, it } from 'vitest';
import { EVENT_TYPE } from '../../src/slack/constants.js';
import { SERVER_SET_FIELDS } from '../support/adobe-create.js';
import { anOffer } from '../support/adobe.js';
import { ALICE, BOB, CAROL, CHANNEL, OFFER_ID, ours, startBot, type Bot } from '../support/bot.js';
import { reject } from '../support/decisions.js';
import type { PostedMessage } from '../support/slack-api.js';

let bot: Bot;
afterEach(async () => {
  await bot?.stop();
});

const offerRequests = (b: Bot, method: string) => b.adobe.requestsTo('offers').filter((r) => r.method === method);
const outcomeDms = (b: Bot, user: string) => b.slack.directMessages(user).filter((m) => ours(m) && m.metadata?.event_type === EVENT_TYPE.dm);
const hasButton = (message: Pick<PostedMessage, 'blocks'>, actionId: string) => JSON.stringify(message.blocks).includes(`"action_id":"${actionId}"`);

/** Alice asks to delete OFFER_ID, Bob approves; returns the confirmation and the deletion's outcome reply. */
async function deleted(b: Bot): Promise<{ confirmation: PostedMessage; outcome: PostedMessage }> {
  await b.command(`delete ${OFFER_ID} campaign ended`, { user: ALICE });
  const confirmation = await b.nextConfirmation();
  await b.click('approve', confirmation, BOB);
  const outcome = await b.nextThreadReply(confirmation);
  expect(outcome.metadata?.event_payload).toMatchObject({ outcome: 'deleted' });
  await b.settled();
  return { confirmation, outcome };
}

describe('restoring a deleted offer, end to end', () => {
  it('Restore, then a second person approves: one POST without server-set fields re-creates the offer, and the thread names its new id', async () => {
    bot = await startBot();
    const original = structuredClone(bot.adobe.offers.get(OFFER_ID)!);
    const { confirmation, outcome } = await deleted(bot);
    expect(hasButton(outcome, 'offer_restore')).toBe(true);

    expect((await bot.click('restore', outcome, CAROL)).status).toBe(200);
    expect(await bot.nextEphemeral(CAROL)).toMatch(/^Posted your request to restore `dps:personalized-offer:1a4c514f745dbd7c` in its thread/);
    const ask = await bot.nextThreadReply(confirmation);
    expect(ask.thread_ts).toBe(confirmation.ts);
    expect(ask.metadata).toMatchObject({ event_type: EVENT_TYPE.restoreRequested, event_payload: { offer_id: OFFER_ID, requester: CAROL, sandbox: 'prod' } });
    expect(offerRequests(bot, 'POST')).toHaveLength(0);

    // The same approval policy: the one who asked cannot approve.
    await bot.click('approve', ask, CAROL);
    expect(await bot.nextEphemeral(CAROL)).toMatch(/cannot approve your own request/);
    expect(offerRequests(bot, 'POST')).toHaveLength(0);

    await bot.click('approve', ask, BOB);
    const restored = await bot.nextThreadReply(confirmation);
    const newId = String(restored.metadata?.event_payload.new_offer_id);
    expect(restored.metadata).toMatchObject({
      event_type: EVENT_TYPE.restoreCompleted,
      event_payload: { outcome: 'restored', decided_by: BOB, requester: CAROL, offer_id: OFFER_ID, reason: 'restored' },
    });
    expect(newId).toMatch(/^dps:personalized-offer:[0-9a-f]{16}$/);
    expect(newId).not.toBe(OFFER_ID);
    expect(restored.text).toContain(`its new id is \`${newId}\``);

    const posts = offerRequests(bot, 'POST');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.path).toBe('/data/core/dps/offers');
    expect(posts[0]!.query).toEqual({ 'offer-type': 'personalized' });
    expect(posts[0]!.headers['content-type']).toMatch(/^application\/json/);
    expect(posts[0]!.headers['x-sandbox-name']).toBe('prod');
    const body = JSON.parse(posts[0]!.body) as Record<string, unknown>;
    for (const field of SERVER_SET_FIELDS) expect(body).not.toHaveProperty(field);
    const { id, etag, created, modified, createdBy, lastModifiedBy, ...rest } = original;
    expect(body).toEqual(rest);
    // Verified with a GET of the new id, and the stand-in holds it whole, under its new id.
    expect(offerRequests(bot, 'GET').some((r) => r.path === `/data/core/dps/offers/${newId}` && r.at >= posts[0]!.at)).toBe(true);
    expect(bot.adobe.offers.get(newId)).toMatchObject({ ...rest, id: newId });

    await bot.settled();
    const restore = (await bot.store.restoresOf((await bot.request(confirmation)).id))[0]!;
    expect(restore).toMatchObject({ action: 'restore', state: 'restored', requesterId: CAROL, decidedBy: BOB, outcome: { restoredId: newId } });
    expect((await bot.store.transitions(restore.id)).map((t) => t.to)).toEqual(['pending', 'approved', 'restoring', 'restored']);
    const update = bot.slack.updates.filter((u) => u.ts === ask.ts).at(-1)!;
    expect(JSON.stringify(update.blocks)).toContain('Restored. Approved by');
    expect(hasButton(update, 'offer_deletion_approve')).toBe(false);
  });

  it('a restore after OFFER_RESTORE_WINDOW gets a clear private answer and changes nothing', async () => {
    bot = await startBot({ env: { OFFER_RESTORE_WINDOW: '1m' } });
    const { confirmation, outcome } = await deleted(bot);
    const before = bot.slack.messages.length;
    bot.advanceClock(61_000);
    await bot.click('restore', outcome, CAROL);
    expect(await bot.nextEphemeral(CAROL)).toMatch(/^Restore was possible until .*\(OFFER_RESTORE_WINDOW\); that time has passed\. Nothing was done\.$/);
    await bot.settled();
    expect(bot.slack.messages).toHaveLength(before);
    expect(offerRequests(bot, 'POST')).toHaveLength(0);
    expect(await bot.store.restoresOf((await bot.request(confirmation)).id)).toEqual([]);
  });

  it('an offer is restored once: a second Restore, while one is open or after it worked, is refused clearly', async () => {
    bot = await startBot();
    const { confirmation, outcome } = await deleted(bot);
    await bot.click('restore', outcome, CAROL);
    await bot.nextEphemeral(CAROL);
    const ask = await bot.nextThreadReply(confirmation);
    await bot.click('restore', outcome, ALICE);
    expect(await bot.nextEphemeral(ALICE)).toMatch(/already has a restore request \(pending, asked by <@W012A3CDE>\)/);
    await bot.click('approve', ask, BOB);
    await bot.nextThreadReply(confirmation);
    await bot.settled();
    await bot.click('restore', outcome, ALICE);
    expect(await bot.nextEphemeral(ALICE)).toMatch(/already has a restore request \(restored, asked by <@W012A3CDE>\)/);
    await bot.settled();
    expect(offerRequests(bot, 'POST')).toHaveLength(1);
    expect(bot.adobe.created).toHaveLength(1);
  });

  it('Restore on a message of another thread is refused and changes nothing; a deletion that failed offers no Restore', async () => {
    bot = await startBot();
    const { outcome } = await deleted(bot);
    await bot.click('restore', { ...outcome, thread_ts: '1700000000.000100' }, CAROL);
    expect(await bot.nextEphemeral(CAROL)).toMatch(/does not belong to a deletion request I know/);
    bot.adobe.seed('prod', anOffer('personalizedOffer1234', { name: 'In use' }));
    bot.adobe.usedBy.set('personalizedOffer1234', [{ kind: 'collection', name: 'Winter' }]);
    await bot.command('delete personalizedOffer1234', { user: ALICE });
    const refused = await bot.nextConfirmation();
    await bot.click('approve', refused, BOB);
    const failed = await bot.nextThreadReply(refused);
    expect(failed.metadata?.event_payload).toMatchObject({ outcome: 'failed' });
    expect(hasButton(failed, 'offer_restore')).toBe(false);
    await bot.settled();
    expect(offerRequests(bot, 'POST')).toHaveLength(0);
  });

  /** Carol asks to restore; then, as if a replica approved it, started the POST and died: the restore is left `restoring`. */
  async function leftRestoring(b: Bot): Promise<{ confirmation: PostedMessage; restoreId: string }> {
    const { confirmation, outcome } = await deleted(b);
    await b.click('restore', outcome, CAROL);
    await b.nextThreadReply(confirmation);
    await b.settled();
    const restore = (await b.store.restoresOf((await b.request(confirmation)).id))[0]!;
    const at = Date.now();
    const lease = { owner: 'a-replica-that-died', until: at + 1 };
    await b.store.transition(restore.id, { from: 'pending', to: 'approved', actor: BOB, patch: { decidedBy: BOB, decidedAt: at } }, at, { lease });
    await b.store.transition(restore.id, { from: 'approved', to: 'restoring', actor: 'system', patch: {} }, at, { lease, detail: { namedBefore: [] } });
    b.advanceClock(5_000);
    return { confirmation, restoreId: restore.id };
  }

  it('a restore left restoring by a dead worker is never POSTed again: the sweep finds its offer by exact name', async () => {
    bot = await startBot();
    const { confirmation, restoreId } = await leftRestoring(bot);
    // The dead worker's POST had reached Adobe.
    bot.adobe.seed('prod', anOffer('dps:personalized-offer:0123456789abcdef'));
    await bot.sweep();
    const reply = await bot.nextThreadReply(confirmation);
    expect(reply.metadata?.event_payload).toMatchObject({ outcome: 'restored', new_offer_id: 'dps:personalized-offer:0123456789abcdef' });
    expect(reply.text).toMatch(/on resuming, a look-up by name found the one new offer named like it/);
    expect(offerRequests(bot, 'POST')).toHaveLength(0);
    expect((await bot.store.getRequest(restoreId))?.state).toBe('restored');
  });

  it('a restore left restoring whose offer is nowhere to be found ends unverified, saying what a person must check; no POST', async () => {
    // The look-ups by name go on for the verification window: a short one.
    bot = await startBot({ env: { OFFER_VERIFY_TIMEOUT: '1s' } });
    const { confirmation } = await leftRestoring(bot);
    await bot.sweep();
    const reply = await bot.nextThreadReply(confirmation);
    expect(reply.metadata?.event_payload).toMatchObject({ outcome: 'unverified', reason: 'restore_unanswered' });
    expect(reply.text).toMatch(
      /offer-bot had stopped after sending the POST, so offer-bot did not send it again, and no new offer named like it appeared\. Look in Journey Optimizer/,
    );
    expect(offerRequests(bot, 'POST')).toHaveLength(0);
  });
  it('the requester of a restore is told directly, in their language, that their request to restore ended, with the new id', async () => {
    bot = await startBot({ users: { [CAROL]: { locale: 'sv-SE', tz: 'Europe/Stockholm' } } });
    const { confirmation, outcome } = await deleted(bot);
    await bot.click('restore', outcome, CAROL);
    expect(await bot.nextEphemeral(CAROL)).toBe(
      `Din begäran om att återställa \`${OFFER_ID}\` är postad i dess tråd. Någon annan måste godkänna den innan den löper ut.`,
    );
    const ask = await bot.nextThreadReply(confirmation);
    // The restore's confirmation is in the thread: OFFER_CHANNEL_LANGUAGE, whoever asked.
    expect(ask.text).toContain('asks to restore deleted personalized offer');
    await bot.click('approve', ask, BOB);
    const restored = await bot.nextThreadReply(confirmation);
    const newId = String(restored.metadata?.event_payload.new_offer_id);
    const dm = await bot.slack.waitFor(() => outcomeDms(bot, CAROL)[0], 5_000);
    expect(dm.text).toContain(
      `Din begäran om att återställa det raderade personaliserade erbjudandet *Winter sale 20% off* (\`${OFFER_ID}\`) i sandlådan \`prod\` är avslutad:`,
    );
    expect(dm.text).toContain(`Återställt. Godkänt av <@${BOB}>.`);
    expect(dm.text).toContain(`Dess nya id är \`${newId}\`.`);
    expect(dm.text).not.toMatch(/ta bort/);
    // Its link opens the deletion's thread, where the restore's messages are.
    expect(dm.text).toContain(`https://slack.com/archives/${CHANNEL}/p${confirmation.ts.replace('.', '')}|`);
    expect(dm.metadata?.event_payload).toMatchObject({ outcome: 'restored' });
  });

  it('when the restore’s outcome cannot be posted, the requester’s direct message speaks of their request to restore', async () => {
    bot = await startBot();
    const { confirmation, outcome } = await deleted(bot);
    await bot.click('restore', outcome, CAROL);
    await bot.nextEphemeral(CAROL);
    const ask = await bot.nextThreadReply(confirmation);
    bot.slack.inject({ method: 'chat.postMessage', respond: { error: 'is_archived' } });
    await bot.click('approve', ask, BOB);
    const direct = await bot.slack.waitFor(() => bot.slack.directMessages(CAROL).find((m) => m.text.includes('could not post')), 5_000);
    expect(direct.text).toMatch(
      /^offer-bot could not post the outcome in its thread in <#C\w+> \(is_archived\)\. Your request to restore `dps:personalized-offer:1a4c514f745dbd7c` is restored\.$/,
    );
  });
  it('a restore still pending halfway to expiry is reminded once, in the deletion’s thread, as a restore', async () => {
    bot = await startBot({ env: { OFFER_CHANNEL_LANGUAGE: 'sv' } });
    const { confirmation, outcome } = await deleted(bot);
    await bot.click('restore', outcome, CAROL);
    await bot.nextEphemeral(CAROL);
    const ask = await bot.nextThreadReply(confirmation);
    const restore = await bot.request(ask);
    bot.advanceClock((restore.expiresAt - restore.createdAt) / 2);
    await bot.sweep();
    const reminder = await bot.nextThreadReply(confirmation);
    expect(reminder.thread_ts).toBe(confirmation.ts);
    expect(reminder.metadata).toMatchObject({ event_type: EVENT_TYPE.reminded, event_payload: { request_id: restore.id } });
    expect(reminder.text).toMatch(
      /^:bell: Väntar fortfarande på ett beslut: återställning av det raderade personaliserade erbjudandet \*Winter sale 20% off\* \(`dps:personalized-offer:1a4c514f745dbd7c`\) i sandlådan `prod`, begärd av <@W012A3CDE>\. Den löper ut /,
    );
    expect(reminder.text).not.toMatch(/borttagning/);
    await bot.sweep();
    await bot.settled();
    const reminders = bot.slack.messages.filter((m) => ours(m) && m.metadata?.event_type === EVENT_TYPE.reminded);
    expect(reminders).toHaveLength(1);
  });
  it('Reject on a restore opens a modal worded for the restore, in the rejecter’s language; the thread quotes why, inert', async () => {
    bot = await startBot({ users: { [BOB]: { locale: 'sv-SE', tz: 'Europe/Stockholm' } } });
    const { confirmation, outcome } = await deleted(bot);
    await bot.click('restore', outcome, CAROL);
    await bot.nextEphemeral(CAROL);
    const ask = await bot.nextThreadReply(confirmation);
    const { view, ack } = await reject(bot, ask, BOB, 'still retired\n<!channel> ask Dana');
    expect(ack.status).toBe(200);
    expect(view.view).toMatchObject({ type: 'modal', title: { text: 'Avvisa återställning' }, submit: { text: 'Avvisa' } });
    const shown = JSON.stringify(view.view.blocks);
    expect(shown).toContain('Återställ det raderade personaliserade erbjudandet *Winter sale 20% off*');
    expect(shown).toContain('inget skapas på nytt');
    expect(shown).not.toMatch(/[Bb]orttag|ta bort|tas bort/);

    const rejected = await bot.nextThreadReply(confirmation);
    expect(rejected.metadata).toMatchObject({
      event_type: EVENT_TYPE.restoreCompleted,
      event_payload: { outcome: 'rejected', decided_by: BOB, comment: 'still retired\n<!channel> ask Dana' },
    });
    expect(rejected.text).toContain(`rejected by <@${BOB}>`);
    expect(rejected.text).toContain(`<@${BOB}> wrote:\n>still retired\n>&lt;!channel&gt; ask Dana`);
    await bot.settled();
    expect(offerRequests(bot, 'POST')).toHaveLength(0);
  });
});
