import { describe, expect, it } from 'vitest';
import type { DeletionRequest } from '../../../src/deletion/request.js';
import { ACTION, EVENT_TYPE } from '../../../src/slack/constants.js';
import { confirmationMessage, decidedMessage } from '../../../src/slack/views/confirmation.js';
import { HISTORY_LIMIT, historyMessage, threadLink } from '../../../src/slack/views/history.js';
import { slackDate } from '../../../src/slack/views/mrkdwn.js';
import { outcomeReply } from '../../../src/slack/views/outcome.js';
import { translator } from '../../../src/slack/i18n/translator.js';
import { aRequest, T0 } from '../../support/requests.js';

const buttons = (view: ReturnType<typeof confirmationMessage>) =>
  view.blocks.flatMap((block) => (block.type === 'actions' ? block.elements : [])) as unknown as Array<Record<string, unknown>>;

describe('the Block Kit views', () => {
  it('the confirmation carries the decisions: Approve in danger style behind a confirm dialog, Approve with comment…, Reject and Cancel', () => {
    const view = confirmationMessage(aRequest());
    const [approve, withComment, reject, cancel, ...more] = buttons(view);
    expect(approve).toMatchObject({ action_id: ACTION.approve, style: 'danger', value: aRequest().id });
    expect(approve?.confirm).toMatchObject({ style: 'danger' });
    // These two open the decision modal, which asks again: no confirm dialog in front of it.
    expect(withComment).toMatchObject({ action_id: ACTION.approveWithComment, text: { text: 'Approve with comment…' }, value: aRequest().id });
    expect(withComment?.confirm).toBeUndefined();
    expect(reject).toMatchObject({ action_id: ACTION.reject, value: aRequest().id });
    expect(reject?.confirm).toBeUndefined();
    expect(cancel).toMatchObject({ action_id: ACTION.cancel, value: aRequest().id });
    expect(more).toEqual([]);
  });

  describe('several approvals and comments', () => {
    const waiting = aRequest({ requiredApprovals: 2 });
    const halfway = aRequest({ requiredApprovals: 2, approvals: [{ by: 'U0G9QF9C6', at: T0, comment: 'fine by me\n<!channel> & more' }] });

    it('a request needing two approvals says so, and after the first shows who approved (1 of 2) and what they wrote, quoted and inert', () => {
      expect(JSON.stringify(confirmationMessage(waiting).blocks)).toContain('Needs approval by 2 different people other than the requester');
      const text = JSON.stringify(confirmationMessage(halfway).blocks);
      expect(text).toContain('Approved by <@U0G9QF9C6> (1 of 2). Waiting for one more approval.');
      expect(text).toContain('<@U0G9QF9C6> wrote:\\n>fine by me\\n>&lt;!channel&gt; &amp; more');
      expect(buttons(confirmationMessage(halfway)).map((button) => button.action_id)).toContain(ACTION.approve);
      expect(confirmationMessage(halfway).metadata?.event_payload).toMatchObject({ required_approvals: 2, approvals: 1 });
    });

    it('the history of a request halfway through its approvals says how far it got', () => {
      expect(JSON.stringify(historyMessage([halfway], null).blocks)).toContain(`· Approved by <@U0G9QF9C6> (1 of 2).`);
    });

    it('the history of a rejected request quotes why, escaped and clipped', () => {
      const rejected = aRequest({ state: 'rejected', decidedBy: 'U0CAROL01', decidedAt: T0, decisionComment: `wrong <offer> ${'x'.repeat(500)}` });
      const text = JSON.stringify(historyMessage([rejected], null).blocks);
      expect(text).toContain('\\n>wrong &lt;offer&gt; x');
      expect(text).not.toContain('x'.repeat(250));
    });

    it('one approval needed shows the message as it always was', () => {
      expect(JSON.stringify(confirmationMessage(aRequest()).blocks)).toContain('Needs approval by someone other than the requester.');
      expect(confirmationMessage(aRequest()).metadata?.event_payload).not.toHaveProperty('required_approvals');
    });

    it('the thread reply of a deletion approved by two names both, with their comments, and lists them in metadata', () => {
      const approvals = [
        { by: 'U0G9QF9C6', at: T0, comment: null },
        { by: 'U0CAROL01', at: T0 + 1_000, comment: 'checked with the owner' },
      ];
      const done = aRequest({ state: 'deleted', requiredApprovals: 2, approvals, decidedBy: 'U0CAROL01', decidedAt: T0 + 1_000 });
      const reply = outcomeReply(done);
      expect(reply.text).toContain('approved by <@U0G9QF9C6>, <@U0CAROL01>');
      expect(reply.text).toContain('<@U0CAROL01> wrote:\n>checked with the owner');
      expect(reply.metadata?.event_payload).toMatchObject({ approver: 'U0CAROL01', approvers: 'U0G9QF9C6,U0CAROL01', required_approvals: 2 });
      expect(JSON.stringify(decidedMessage(done).blocks)).toContain('Deleted. Approved by <@U0G9QF9C6>, <@U0CAROL01>.');
    });

    it("the thread reply of a rejection quotes the Reject's comment, escaped, and keeps it in metadata as written", () => {
      const rejected = aRequest({ state: 'rejected', decidedBy: 'U0CAROL01', decidedAt: T0, decisionComment: 'wrong <offer>' });
      const reply = outcomeReply(rejected);
      expect(reply.text).toContain('rejected by <@U0CAROL01>');
      expect(reply.text).toContain('<@U0CAROL01> wrote:\n>wrong &lt;offer&gt;');
      expect(reply.metadata?.event_payload).toMatchObject({ outcome: 'rejected', comment: 'wrong <offer>' });
      expect(reply.blocks[0]).toMatchObject({ text: { verbatim: true } });
    });
  });

  it('the confirmation shows the offer facts, the requester, the reason and the expiry as Slack dates', () => {
    const text = JSON.stringify(confirmationMessage(aRequest()).blocks);
    for (const fact of [
      'Winter sale 20% off',
      'dps:personalized-offer:1a4c514f745dbd7c',
      'approved',
      'prod',
      '<@U024BE7LH>',
      'campaign ended',
      'marketer@example.com',
    ]) {
      expect(text).toContain(fact);
    }
    expect(text).toContain(slackDate(T0 + 30 * 60_000).replace(/[{}^|]/g, (c) => c));
  });

  it('the confirmation metadata names the request, offer, sandbox and requester', () => {
    expect(confirmationMessage(aRequest()).metadata).toMatchObject({
      event_type: EVENT_TYPE.requested,
      event_payload: { request_id: aRequest().id, offer_id: aRequest().offer.id, sandbox: 'prod', requester: 'U024BE7LH' },
    });
  });

  it.each(['deleted', 'failed', 'unverified', 'rejected', 'cancelled', 'expired'] as const)(
    'the thread reply on a %s request names its sandbox, in words and in metadata, in English and Swedish',
    (state) => {
      const request = aRequest({
        sandbox: 'dev-emea',
        state,
        decidedBy: 'U0G9QF9C6',
        decidedAt: T0,
        outcome: { reason: 'deleted', summary: 's', adobeRequestIds: [] },
      });
      expect(outcomeReply(request).text).toContain('sandbox `dev-emea`');
      expect(outcomeReply(request, translator('sv')).text).toContain('sandlådan `dev-emea`');
      expect(outcomeReply(request).metadata?.event_payload).toMatchObject({ sandbox: 'dev-emea' });
      expect(decidedMessage(request).metadata?.event_payload).toMatchObject({ sandbox: 'dev-emea' });
      expect(JSON.stringify(decidedMessage(request).blocks)).toContain('`dev-emea`');
    },
  );

  it('text from Adobe or a user cannot mention @channel or inject links', () => {
    const hostile = aRequest({ reason: '<!channel> <https://evil.example|click>', offer: { ...aRequest().offer, name: '<!here> & <@U999>' } });
    // Metadata is data for machines, not rendered; everything else is.
    const rendered = [
      confirmationMessage(hostile),
      decidedMessage({ ...hostile, state: 'rejected', decidedBy: 'U2', decidedAt: T0 }),
      outcomeReply({ ...hostile, state: 'rejected', decidedBy: 'U2', decidedAt: T0 }),
    ];
    const json = JSON.stringify(rendered.map(({ text, blocks }) => ({ text, blocks })));
    expect(json).not.toContain('<!channel>');
    expect(json).not.toContain('<!here>');
    expect(json).not.toContain('<@U999>');
    expect(json).not.toContain('<https://evil');
  });

  it('every text object that carries what a person or Adobe wrote is verbatim, so bare URLs, #channels and @mentions stay inert', () => {
    const views = everyView(WRITTEN_BY_OTHERS);
    const carrying = views.flatMap(({ name, view }) => mrkdwnObjects(view.blocks).map((object) => ({ name, object })));
    const withTheirText = carrying.filter(({ object }) => OTHERS_WORDS.some((words) => object.text.includes(words)));
    // Every view shows some of it: the reason, the offer's name and status, Adobe's last editor and messages.
    expect(new Set(withTheirText.map(({ name }) => name))).toEqual(new Set(views.map(({ name }) => name)));
    expect(withTheirText.filter(({ object }) => object.verbatim !== true).map(({ name, object }) => `${name}: ${object.text}`)).toEqual([]);
  });

  it('verbatim text still escapes <, > and &, so what was written cannot become markup either', () => {
    for (const { name, view } of everyView(WRITTEN_BY_OTHERS)) {
      const texts = mrkdwnObjects(view.blocks).map((object) => object.text);
      expect(texts.join('\n'), name).not.toMatch(/<!here>|<@U999>|<https:\/\/x\||&(?!amp;|lt;|gt;)/);
    }
  });

  it('a decided message has no buttons and says who decided', () => {
    const view = decidedMessage(aRequest({ state: 'approved', decidedBy: 'U0G9QF9C6', decidedAt: T0 }));
    expect(view.blocks.some((block) => block.type === 'actions')).toBe(false);
    expect(JSON.stringify(view.blocks)).toContain('Approved by <@U0G9QF9C6> — deleting');
  });

  it('the outcome reply records outcome, approver and Adobe request ids in its metadata', () => {
    const view = outcomeReply(
      aRequest({ state: 'deleted', decidedBy: 'U0G9QF9C6', decidedAt: T0, outcome: { reason: 'deleted', summary: 'gone', adobeRequestIds: ['r-1', 'r-2'] } }),
    );
    expect(view.metadata).toMatchObject({
      event_type: EVENT_TYPE.completed,
      event_payload: { outcome: 'deleted', approver: 'U0G9QF9C6', requester: 'U024BE7LH', adobe_request_ids: 'r-1,r-2' },
    });
    expect(view.text).toContain('<@U0G9QF9C6>');
    expect(view.text).toContain('r-1');
  });

  it('long offer names and reasons stay within Block Kit limits', () => {
    const long = aRequest({ reason: 'r'.repeat(500), offer: { ...aRequest().offer, name: 'n'.repeat(5_000) } });
    for (const view of [confirmationMessage(long), decidedMessage({ ...long, state: 'deleting', decidedBy: 'U2' })]) {
      for (const block of view.blocks) {
        if (block.type === 'section' && block.text) expect(block.text.text.length).toBeLessThanOrEqual(3000);
        if (block.type === 'section' && block.fields) for (const field of block.fields) expect(field.text.length).toBeLessThanOrEqual(2000);
      }
    }
  });

  it("a deletion's thread reply says how to get the offer's JSON as approved; a refused one does not need to", () => {
    const ended = (state: 'deleted' | 'unverified' | 'failed') =>
      outcomeReply(aRequest({ state, decidedBy: 'U0G9QF9C6', decidedAt: T0, outcome: { reason: 'deleted', summary: 's', adobeRequestIds: [] } })).text;
    expect(ended('deleted')).toContain(`npm run audit -- --request ${aRequest().id}`);
    expect(ended('unverified')).toContain(`npm run audit -- --request ${aRequest().id}`);
    expect(ended('failed')).not.toContain('npm run audit');
  });
});

describe('the history view', () => {
  const DECIDER = 'U0G9QF9C6';
  const deleted = aRequest({
    state: 'deleted',
    decidedBy: DECIDER,
    decidedAt: T0 + 60_000,
    updatedAt: T0 + 63_000,
    outcome: { reason: 'deleted', summary: 'gone', adobeRequestIds: ['r-1'] },
  });

  it('shows who asked, which offer, when, how it ended, who decided, and a link to the thread', () => {
    const text = JSON.stringify(historyMessage([deleted], null).blocks);
    for (const fact of [
      'Winter sale 20% off',
      'dps:personalized-offer:1a4c514f745dbd7c',
      '<@U024BE7LH>',
      `<@${DECIDER}>`,
      'deleted',
      slackDate(T0),
      slackDate(T0 + 60_000),
      '<#C024BE91L>',
      aRequest().id,
    ]) {
      expect(text).toContain(fact);
    }
    expect(text).toContain('<https://slack.com/archives/C024BE91L/p1764324000000100|thread>');
  });

  it.each([
    [aRequest(), /waiting for approval/],
    [aRequest({ state: 'deleting', decidedBy: DECIDER, decidedAt: T0 }), /approved by <@U0G9QF9C6>.*deleting/],
    [aRequest({ state: 'rejected', decidedBy: DECIDER, decidedAt: T0 }), /rejected by <@U0G9QF9C6>/],
    [aRequest({ state: 'cancelled', decidedBy: 'U024BE7LH', decidedAt: T0 }), /cancelled by <@U024BE7LH>/],
    [aRequest({ state: 'expired', decidedBy: 'system', decidedAt: T0 + 30 * 60_000 }), /expired .* without a decision/],
    [
      aRequest({
        state: 'failed',
        decidedBy: DECIDER,
        decidedAt: T0,
        outcome: { reason: 'delete_refused', summary: 'Adobe refused the DELETE: HTTP 403', adobeRequestIds: [] },
      }),
      /not deleted.*HTTP 403/,
    ],
    [
      aRequest({
        state: 'unverified',
        decidedBy: DECIDER,
        decidedAt: T0,
        outcome: { reason: 'not_confirmed', summary: 'a GET still found the offer', adobeRequestIds: [] },
      }),
      /not confirmed.*still found/,
    ],
  ])('says where a request stands: %#', (request, expected) => {
    expect(JSON.stringify(historyMessage([request], null).blocks)).toMatch(expected);
  });

  it('says so when there is nothing to show, naming the offer asked about', () => {
    expect(historyMessage([], null).text).toMatch(/No offer deletion requests yet/);
    expect(historyMessage([], 'personalizedOffer1234').text).toContain('`personalizedOffer1234`');
  });

  it('a request whose confirmation never went out has no thread link', () => {
    expect(JSON.stringify(historyMessage([aRequest({ messageTs: null })], null).blocks)).not.toContain('slack.com/archives');
  });

  it("thread links are built only from ids with Slack's shape", () => {
    expect(threadLink('C024BE91L', '1764324000.000100')).toBe('https://slack.com/archives/C024BE91L/p1764324000000100');
    expect(threadLink('C024BE91L|evil', '1764324000.000100')).toBeNull();
    expect(threadLink('C024BE91L', '1764324000.000100>|x')).toBeNull();
    expect(threadLink('C024BE91L', null)).toBeNull();
  });

  it('text from Adobe, a user or the store cannot mention @channel or inject links', () => {
    const hostile = aRequest({
      channelId: 'C1><!channel',
      state: 'failed',
      decidedBy: DECIDER,
      decidedAt: T0,
      offer: { ...aRequest().offer, name: '<!here> & <@U999>' },
      outcome: { reason: 'delete_refused', summary: '<https://evil.example|click> <!everyone>', adobeRequestIds: [] },
    });
    const json = JSON.stringify(historyMessage([hostile], null));
    for (const markup of ['<!channel>', '<!here>', '<@U999>', '<https://evil', '<!everyone>']) expect(json).not.toContain(markup);
  });

  it(`${HISTORY_LIMIT} requests with the longest names and summaries stay within Block Kit limits`, () => {
    const long = aRequest({
      state: 'failed',
      decidedBy: DECIDER,
      decidedAt: T0,
      offer: { ...aRequest().offer, id: `dps:${'a'.repeat(124)}`, name: '&'.repeat(5_000) },
      outcome: { reason: 'delete_refused', summary: '<'.repeat(5_000), adobeRequestIds: [] },
    });
    const view = historyMessage(
      Array.from({ length: HISTORY_LIMIT + 5 }, () => long),
      null,
    );
    expect(view.blocks.length).toBeLessThanOrEqual(50);
    expect(view.blocks.filter((block) => block.type === 'section')).toHaveLength(HISTORY_LIMIT + 1);
    for (const block of view.blocks) if (block.type === 'section' && block.text) expect(block.text.text.length).toBeLessThanOrEqual(3000);
    expect(view.text.length).toBeLessThanOrEqual(3000);
  });
});

/** Bare URLs, a channel name and mentions in everything a person or Adobe wrote, beside markup that must stay escaped. */
const OTHERS_WORDS = ['see https://evil.example', '@channel', '#general', 'www.adobe.example', 'editor@evil.example', 'Adobe says https://status.example'];
const WRITTEN_BY_OTHERS = aRequest({
  reason: 'see https://evil.example @channel #general <!here> & more',
  offer: {
    ...aRequest().offer,
    name: 'Sale at www.adobe.example <@U999> & co',
    status: '#general',
    lastModifiedBy: 'editor@evil.example',
  },
  decidedBy: 'U0G9QF9C6',
  decidedAt: T0,
  outcome: { reason: 'delete_refused', summary: 'Adobe says https://status.example @channel <https://x|y> & z', adobeRequestIds: ['r-1'] },
});

/** Each view the bot builds from a request, in the states that show the most of it. */
function everyView(request: DeletionRequest): Array<{ name: string; view: { blocks: unknown[] } }> {
  const views: Array<{ name: string; view: { blocks: unknown[] } }> = [{ name: 'confirmation', view: confirmationMessage(request) }];
  // An approver's comment is theirs too: the message halfway through several approvals shows it.
  const comment = OTHERS_WORDS.join(' ');
  views.push({
    name: 'confirmation with an approval',
    view: confirmationMessage({ ...request, requiredApprovals: 2, approvals: [{ by: 'U0G9QF9C6', at: T0, comment }] }),
  });
  views.push({ name: 'outcome rejected with a comment', view: outcomeReply({ ...request, state: 'rejected', decidedBy: 'U2', decisionComment: comment }) });
  for (const state of ['deleting', 'deleted', 'failed', 'unverified', 'rejected', 'cancelled', 'expired'] as const) {
    views.push({ name: `decided ${state}`, view: decidedMessage({ ...request, state }) });
  }
  // A rejected, cancelled or expired request's reply names only the offer id and people, none of their words.
  for (const state of ['deleted', 'failed', 'unverified'] as const) {
    views.push({ name: `outcome ${state}`, view: outcomeReply({ ...request, state }) });
  }
  views.push({ name: 'history', view: historyMessage([{ ...request, state: 'failed' }], null) });
  return views;
}

/** Every mrkdwn text object in `value`, however deep (fields, confirm dialogs, context elements). */
function mrkdwnObjects(value: unknown): Array<{ text: string; verbatim?: unknown }> {
  if (Array.isArray(value)) return value.flatMap(mrkdwnObjects);
  if (typeof value !== 'object' || value === null) return [];
  const object = value as Record<string, unknown>;
  const own = object.type === 'mrkdwn' && typeof object.text === 'string' ? [{ text: object.text, verbatim: object.verbatim }] : [];
  return [...own, ...Object.values(object).flatMap(mrkdwnObjects)];
}
