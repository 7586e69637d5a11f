// Several approvals (OFFER_REQUIRED_APPROVALS) and decisions with a comment (the decision modal), end to end: signed
// clicks and view submissions into the real Bolt app, the Slack stand-in checking every modal as Slack does.
import { afterEach, describe, expect, it } from 'vitest';
import { ACTION, EVENT_TYPE } from '../../src/slack/constants.js';
import { ALICE, BOB, CAROL, OFFER_ID, SECRETS, startBot, TEAM, type Bot } from '../support/bot.js';
import { commented, decideInModal, reject } from '../support/decisions.js';
import type { PostedMessage } from '../support/slack-api.js';
import { blockActionPayload, sendBlockAction } from '../support/slack-requests.js';

const DAVE = 'U0DAVE4PX';

let bot: Bot;
afterEach(async () => {
  await bot?.stop();
});

const deletes = (b: Bot) => b.adobe.requestsTo('offers').filter((r) => r.method === 'DELETE');
const viewsOpened = (b: Bot) => b.slack.calls.filter((c) => c.method === 'views.open');
/** The confirmation as its last chat.update left it. */
const latest = (b: Bot, message: PostedMessage) => JSON.stringify(b.slack.updates.filter((u) => u.ts === message.ts).at(-1)?.blocks ?? message.blocks);

async function asked(env: Record<string, string> = {}): Promise<PostedMessage> {
  bot = await startBot({ env: { OFFER_REQUIRED_APPROVALS: '2', ...env } });
  await bot.command(`delete ${OFFER_ID} campaign ended`, { user: ALICE });
  return bot.nextConfirmation();
}

describe('several approvals, end to end', () => {
  it('two approvals: the first (double-clicked) counts once and deletes nothing, the message shows it; the second sends one DELETE', async () => {
    const confirmation = await asked();
    expect(JSON.stringify(confirmation.blocks)).toContain('Needs approval by 2 different people other than the requester');

    const clicks = await Promise.all([bot.click('approve', confirmation, BOB), bot.click('approve', confirmation, BOB)]);
    expect(clicks.map((c) => c.status)).toEqual([200, 200]);
    expect(await bot.nextEphemeral(BOB)).toBe('You already approved this request: it needs one more approval, from someone else.');
    await bot.settled();
    expect(await bot.request(confirmation)).toMatchObject({ state: 'pending', approvals: [{ by: BOB }] });
    expect(latest(bot, confirmation)).toContain(`Approved by <@${BOB}> (1 of 2). Waiting for one more approval.`);
    // Still open for the second approval: the buttons stay.
    expect(latest(bot, confirmation)).toContain('offer_deletion_approve');
    expect(deletes(bot)).toHaveLength(0);
    expect(bot.slack.messages.filter((m) => m.thread_ts === confirmation.ts)).toHaveLength(0);

    await bot.click('approve', confirmation, CAROL);
    const reply = await bot.nextThreadReply(confirmation);
    expect(reply.metadata).toMatchObject({
      event_type: EVENT_TYPE.completed,
      event_payload: { outcome: 'deleted', approver: CAROL, approvers: `${BOB},${CAROL}`, required_approvals: 2 },
    });
    expect(reply.text).toContain(`approved by <@${BOB}>, <@${CAROL}>`);
    await bot.settled();
    expect(deletes(bot)).toHaveLength(1);
    expect((await bot.transitions(confirmation)).map((t) => [t.from, t.to, t.actor])).toEqual([
      [null, 'pending', ALICE],
      ['pending', 'pending', BOB],
      ['pending', 'approved', CAROL],
      ['approved', 'deleting', 'system'],
      ['deleting', 'deleted', 'system'],
    ]);
  });

  it('three approvers double-clicking at the same moment: two approvals count, one DELETE, one outcome, the other clicks told', async () => {
    const confirmation = await asked();
    const clicks = await Promise.all(
      [BOB, CAROL, DAVE].flatMap((user) => [bot.click('approve', confirmation, user), bot.click('approve', confirmation, user)]),
    );
    expect(clicks.every((c) => c.status === 200)).toBe(true);
    await bot.nextThreadReply(confirmation);
    await bot.settled();
    expect(deletes(bot)).toHaveLength(1);
    expect(bot.slack.messages.filter((m) => m.thread_ts === confirmation.ts)).toHaveLength(1);
    const request = await bot.request(confirmation);
    expect(request.state).toBe('deleted');
    expect(new Set(request.approvals.map((a) => a.by)).size).toBe(2);
    const told = bot.slack.ephemerals.filter((e) => e.via === 'chat.postEphemeral');
    expect(told).toHaveLength(4);
    for (const note of told) expect(note.text).toMatch(/already approved|already decided/);
  });

  it('the requester never counts, even with OFFER_ALLOW_SELF_APPROVAL=true', async () => {
    const confirmation = await asked({ OFFER_ALLOW_SELF_APPROVAL: 'true' });
    await bot.click('approve', confirmation, ALICE);
    expect(await bot.nextEphemeral(ALICE)).toMatch(/cannot approve your own request/);
    await bot.settled();
    expect((await bot.request(confirmation)).approvals).toEqual([]);
  });

  it("a sandbox's own number (OFFER_REQUIRED_APPROVALS_PROD=1) decides its requests in place of OFFER_REQUIRED_APPROVALS", async () => {
    const confirmation = await asked({ OFFER_REQUIRED_APPROVALS: '3', OFFER_REQUIRED_APPROVALS_PROD: '1' });
    await bot.click('approve', confirmation, BOB);
    expect((await bot.nextThreadReply(confirmation)).metadata?.event_payload).toMatchObject({ outcome: 'deleted', approver: BOB });
  });

  it('one Reject ends a request that has an approval; its comment is quoted in the thread, escaped', async () => {
    const confirmation = await asked();
    await bot.click('approve', confirmation, BOB);
    await bot.settled();
    const { ack } = await reject(bot, confirmation, CAROL, 'wrong offer <!channel> & co');
    expect(ack.status).toBe(200);
    const reply = await bot.nextThreadReply(confirmation);
    expect(reply.metadata).toMatchObject({ event_type: EVENT_TYPE.rejected, event_payload: { decided_by: CAROL, comment: 'wrong offer <!channel> & co' } });
    expect(reply.text).toContain(`<@${CAROL}> wrote:\n>wrong offer &lt;!channel&gt; &amp; co`);
    await bot.settled();
    expect(deletes(bot)).toHaveLength(0);
    expect(await bot.request(confirmation)).toMatchObject({ state: 'rejected', decisionComment: 'wrong offer <!channel> & co' });
  });
});

describe('decisions with a comment, end to end', () => {
  it('Approve with comment… opens the modal on the click; the comment shows in the message, the thread and the audit', async () => {
    const confirmation = await asked();
    const { view, ack } = await decideInModal(bot, 'approveWithComment', confirmation, BOB, 'checked with the campaign owner');
    expect(view.view).toMatchObject({ type: 'modal', title: { text: 'Approve deletion' }, submit: { text: 'Approve' } });
    expect(JSON.stringify(view.view.blocks)).toContain('Your approval is 1 of 2');
    expect(ack.status).toBe(200);
    await bot.settled();
    expect(latest(bot, confirmation)).toContain(`<@${BOB}> wrote:\\n>checked with the campaign owner`);

    const second = await decideInModal(bot, 'approveWithComment', confirmation, CAROL, 'go');
    expect(JSON.stringify(second.view.view.blocks)).toContain('Your approval is the last one needed');
    const reply = await bot.nextThreadReply(confirmation);
    expect(reply.text).toContain(`<@${BOB}> wrote:\n>checked with the campaign owner`);
    expect(reply.text).toContain(`<@${CAROL}> wrote:\n>go`);
    const approvals = (await bot.transitions(confirmation)).filter((t) => t.from === 'pending');
    expect(approvals.map((t) => t.detail)).toEqual([
      { approvals: 1, required: 2, comment: 'checked with the campaign owner' },
      { approvals: 2, required: 2, comment: 'go' },
    ]);
    expect(deletes(bot)).toHaveLength(1);
  });

  it('a Reject with only spaces, or a comment too long, is refused in the modal and changes nothing', async () => {
    bot = await startBot();
    await bot.command(`delete ${OFFER_ID}`, { user: ALICE });
    const confirmation = await bot.nextConfirmation();
    await bot.click('reject', confirmation, BOB);
    const view = await bot.nextView(BOB);
    const blank = await bot.submitView(view, BOB, commented('   '));
    expect(blank.json).toEqual({ response_action: 'errors', errors: { comment: 'Say why you reject it: a Reject needs a comment.' } });
    const long = await bot.submitView(view, BOB, commented('x'.repeat(501)));
    expect(long.json).toEqual({ response_action: 'errors', errors: { comment: 'At most 500 characters.' } });
    await bot.settled();
    expect((await bot.request(confirmation)).state).toBe('pending');
    expect(bot.slack.messages.filter((m) => m.thread_ts === confirmation.ts)).toHaveLength(0);
  });

  it('someone who may not decide is told at once, privately, and no modal opens', async () => {
    bot = await startBot({ env: { OFFER_APPROVERS: `${CAROL},${ALICE}` } });
    await bot.command(`delete ${OFFER_ID}`, { user: ALICE });
    const confirmation = await bot.nextConfirmation();
    await bot.click('reject', confirmation, BOB);
    expect(await bot.nextEphemeral(BOB)).toMatch(/not on the list of people who may approve/);
    await bot.click('approveWithComment', confirmation, ALICE);
    expect(await bot.nextEphemeral(ALICE)).toMatch(/cannot approve your own request/);
    await bot.settled();
    expect(viewsOpened(bot)).toHaveLength(0);
    expect((await bot.request(confirmation)).state).toBe('pending');
  });

  it('a click whose trigger Slack no longer takes (too late for a modal) is told to click again, privately, and changes nothing', async () => {
    bot = await startBot();
    await bot.command(`delete ${OFFER_ID}`, { user: ALICE });
    const confirmation = await bot.nextConfirmation();
    // A trigger_id Slack did not issue (or one past its 3 s): views.open refuses it.
    const payload = blockActionPayload({ user_id: BOB, action_id: ACTION.reject, message: confirmation, team_id: TEAM, trigger_id: '1111.2222.stale' });
    expect((await sendBlockAction(bot.url, SECRETS.signingSecret, payload)).status).toBe(200);
    expect(await bot.nextEphemeral(BOB)).toMatch(/^Slack would not show the comment form just now .* Click again\.$/);
    expect(viewsOpened(bot).map((c) => c.answer?.ok)).toEqual([false]);
    await bot.settled();
    expect((await bot.request(confirmation)).state).toBe('pending');
  });

  it('a modal submitted after someone else decided says so in the modal and changes nothing', async () => {
    bot = await startBot();
    await bot.command(`delete ${OFFER_ID}`, { user: ALICE });
    const confirmation = await bot.nextConfirmation();
    await bot.click('reject', confirmation, BOB);
    const view = await bot.nextView(BOB);
    await bot.click('approve', confirmation, CAROL);
    await bot.nextThreadReply(confirmation);
    await bot.settled();
    const late = await bot.submitView(view, BOB, commented('too late'));
    expect(late.json).toMatchObject({ response_action: 'errors', errors: { comment: expect.stringMatching(/^This request was already decided/) } });
    await bot.settled();
    expect(await bot.request(confirmation)).toMatchObject({ state: 'deleted', decisionComment: null });
    expect(bot.slack.messages.filter((m) => m.thread_ts === confirmation.ts)).toHaveLength(1);
  });

  it('the modal and its refusals speak the reader’s language', async () => {
    bot = await startBot({ users: { [BOB]: { locale: 'sv-SE' } } });
    await bot.command(`delete ${OFFER_ID}`, { user: ALICE });
    const confirmation = await bot.nextConfirmation();
    await bot.click('reject', confirmation, BOB);
    const view = await bot.nextView(BOB);
    expect(view.view).toMatchObject({ title: { text: 'Avvisa borttagning' }, submit: { text: 'Avvisa' } });
    const blank = await bot.submitView(view, BOB, commented(' '));
    expect(blank.json).toMatchObject({ errors: { comment: 'Skriv varför du avvisar: ett avvisande behöver en kommentar.' } });
  });
});
