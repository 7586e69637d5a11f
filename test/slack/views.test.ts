import { describe, expect, it } from 'vitest';
import { ACTION, EVENT_TYPE } from '../../src/slack/constants.js';
import { confirmationMessage, decidedMessage, outcomeReply, slackDate } from '../../src/slack/views.js';
import { aRequest, T0 } from '../support/requests.js';

const buttons = (view: ReturnType<typeof confirmationMessage>) =>
  view.blocks.flatMap((block) => (block.type === 'actions' ? block.elements : [])) as unknown as Array<Record<string, unknown>>;

describe('the Block Kit views', () => {
  it('the confirmation carries the three decisions, Approve in danger style behind a confirm dialog', () => {
    const view = confirmationMessage(aRequest());
    const [approve, reject, cancel] = buttons(view);
    expect(approve).toMatchObject({ action_id: ACTION.approve, style: 'danger', value: aRequest().id });
    expect(approve?.confirm).toMatchObject({ style: 'danger' });
    expect(reject).toMatchObject({ action_id: ACTION.reject, value: aRequest().id });
    expect(cancel).toMatchObject({ action_id: ACTION.cancel, value: aRequest().id });
  });

  it('the confirmation shows the offer facts, the requester, the reason and the expiry as Slack dates', () => {
    const text = JSON.stringify(confirmationMessage(aRequest()).blocks);
    for (const fact of ['Winter sale 20% off', 'dps:personalized-offer:1a4c514f745dbd7c', 'approved', 'prod', '<@U024BE7LH>', 'campaign ended', 'marketer@example.com']) {
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

  it('text from Adobe or a user cannot mention @channel or inject links', () => {
    const hostile = aRequest({ reason: '<!channel> <https://evil.example|click>', offer: { ...aRequest().offer, name: '<!here> & <@U999>' } });
    // Metadata is data for machines, not rendered; everything else is.
    const rendered = [confirmationMessage(hostile), decidedMessage({ ...hostile, state: 'rejected', decidedBy: 'U2', decidedAt: T0 }), outcomeReply({ ...hostile, state: 'rejected', decidedBy: 'U2', decidedAt: T0 })];
    const json = JSON.stringify(rendered.map(({ text, blocks }) => ({ text, blocks })));
    expect(json).not.toContain('<!channel>');
    expect(json).not.toContain('<!here>');
    expect(json).not.toContain('<@U999>');
    expect(json).not.toContain('<https://evil');
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
});
