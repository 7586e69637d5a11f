import { describe, expect, it } from 'vitest';
import type { ClickContext } from '../../../src/deletion/decide.js';
import { DECISION_MODAL } from '../../../src/slack/constants.js';
import { translator } from '../../../src/slack/i18n/translator.js';
import { checkComment, decisionModal, modalMetadata, parseModalMetadata } from '../../../src/slack/views/decision-modal.js';
import { MAX_COMMENT_LENGTH } from '../../../src/slack/views/decisions.js';
import { viewProblems } from '../../support/slack-api/block-kit.js';
import { aRequest, T0 } from '../../support/requests.js';

const click: ClickContext = {
  requestId: aRequest().id,
  teamId: 'T024BE7LD',
  enterpriseId: null,
  channelId: 'C024BE91L',
  messageTs: '1764324000.000100',
  userId: 'U0G9QF9C6',
  userTeamId: 'T024BE7LD',
  userEnterpriseId: null,
  decision: 'reject',
};

const input = (view: ReturnType<typeof decisionModal>) => view.blocks.find((block) => block.type === 'input') as unknown as Record<string, unknown>;

describe('the decision modal', () => {
  it('a Reject asks for a required comment; an approval for an optional one, saying whether it is the last', () => {
    const reject = decisionModal(aRequest(), 'reject', modalMetadata({ ...click, decision: 'reject' }));
    expect(reject).toMatchObject({ type: 'modal', callback_id: DECISION_MODAL.callbackId, title: { text: 'Reject deletion' }, submit: { text: 'Reject' } });
    expect(input(reject)).toMatchObject({
      block_id: DECISION_MODAL.commentBlock,
      optional: false,
      element: { action_id: DECISION_MODAL.commentAction, max_length: 500 },
    });
    const last = decisionModal(aRequest(), 'approve', modalMetadata({ ...click, decision: 'approve' }));
    expect(input(last)).toMatchObject({ optional: true });
    expect(JSON.stringify(last.blocks)).toContain('Your approval is the last one needed');
    const partial = decisionModal(aRequest({ requiredApprovals: 3, approvals: [{ by: 'U0CAROL01', at: T0, comment: null }] }), 'approve', '{}');
    expect(JSON.stringify(partial.blocks)).toContain('Your approval is 2 of 3');
  });

  it('on a restore, says what a restore does (re-create the offer under a new id), never that it deletes', () => {
    const restore = aRequest({ action: 'restore', restoreOf: 'req-deleted', threadTs: '1764324000.000100' });
    const reject = decisionModal(restore, 'reject', '{}');
    expect(reject.title.text).toBe('Reject restore');
    expect(JSON.stringify(reject.blocks)).toContain('Restore deleted personalized offer *Winter sale 20% off*');
    expect(JSON.stringify(reject.blocks)).toContain('nothing is re-created');
    expect(decisionModal(restore, 'approve', '{}').title.text).toBe('Approve restore');
    expect(JSON.stringify(decisionModal(restore, 'approve', '{}').blocks)).toContain('offer-bot re-creates the offer at once, under a new id');
    const partial = decisionModal(
      { ...restore, requiredApprovals: 3, approvals: [{ by: 'U0CAROL01', at: T0, comment: null }] },
      'approve',
      '{}',
      translator('sv'),
    );
    expect(partial.title.text).toBe('Godkänn återställning');
    expect(JSON.stringify(partial.blocks)).toContain('Ditt godkännande är 2 av 3: erbjudandet skapas på nytt efter det sista.');
    for (const language of ['en', 'sv']) {
      for (const decision of ['approve', 'reject'] as const)
        expect(JSON.stringify(decisionModal(restore, decision, '{}', translator(language)))).not.toMatch(
          /\b(delete|deletes|deletion|deleting)\b|ta bort|tas bort|borttag/i,
        );
    }
  });

  it('stays within what Slack accepts in a modal, in every language, with the longest offer', () => {
    const longest = aRequest({ offer: { ...aRequest().offer, name: '&'.repeat(5_000), id: `dps:${'a'.repeat(124)}` }, sandbox: 's'.repeat(100) });
    for (const language of ['en', 'sv']) {
      for (const decision of ['approve', 'reject'] as const) {
        for (const action of ['delete', 'restore'] as const) {
          const view = decisionModal({ ...longest, action }, decision, modalMetadata({ ...click, decision }), translator(language));
          for (const text of [view.title.text, view.submit?.text ?? '', view.close?.text ?? '']) expect(text.length).toBeLessThanOrEqual(24);
          expect(viewProblems(view as never, 'modal')).toEqual([]);
          expect(view.private_metadata!.length).toBeLessThanOrEqual(3000);
        }
      }
    }
  });

  it('carries back the click as ids (no words), and refuses metadata offer-bot did not write', () => {
    const metadata = modalMetadata({ ...click, decision: 'approve' });
    expect(parseModalMetadata(metadata)).toEqual({
      requestId: click.requestId,
      teamId: 'T024BE7LD',
      enterpriseId: null,
      channelId: 'C024BE91L',
      messageTs: '1764324000.000100',
      decision: 'approve',
    });
    expect(parseModalMetadata('not json')).toBeNull();
    expect(parseModalMetadata(JSON.stringify({ requestId: 'x', decision: 'cancel' }))).toBeNull();
  });

  it('a comment is trimmed; a Reject without one, or a comment too long, is refused with a sentence in the reader’s language', () => {
    expect(checkComment('  looks right \n', 'approve')).toEqual({ ok: true, comment: 'looks right' });
    expect(checkComment('   ', 'approve')).toEqual({ ok: true, comment: undefined });
    expect(checkComment(undefined, 'reject')).toEqual({ ok: false, error: 'Say why you reject it: a Reject needs a comment.' });
    expect(checkComment(' ', 'reject', translator('sv'))).toEqual({ ok: false, error: 'Skriv varför du avvisar: ett avvisande behöver en kommentar.' });
    expect(checkComment('x'.repeat(MAX_COMMENT_LENGTH + 1), 'approve')).toEqual({ ok: false, error: 'At most 500 characters.' });
  });
});
