// Approve / Approve with comment / Reject / Cancel (and Restore) clicks: ack at once, check the payload's shape, let the workflow
// decide (or, for a decision with a comment, open its modal once the workflow has vetted the click).
import type { App } from '@slack/bolt';
import { z } from 'zod';
import type { Decision } from '../../../deletion/approval-policy.js';
import { ACTION } from '../../constants.js';
import { ACK_LOCALE_BUDGET_MS } from '../../i18n/readers.js';
import { decisionModal, type ModalDecision, modalMetadata } from '../../views/decision-modal.js';
import type { ListenerDeps } from '../index.js';
import { WORKSPACE_FIELDS } from '../payload-fields.js';

/** The fields of a block_actions payload we rely on; the rest is Slack's business. */
const clickPayload = z.object({
  user: z.object({ id: z.string().min(1), team_id: z.string().min(1).optional(), enterprise_id: z.string().min(1).optional() }),
  // On an Enterprise Grid org-wide install the organisation identifies the workspace side.
  ...WORKSPACE_FIELDS,
  container: z.object({ channel_id: z.string().min(1), message_ts: z.string().min(1) }),
  // A reply in a thread names its thread; Restore lives on a deletion's outcome reply.
  message: z.object({ thread_ts: z.string().min(1).optional() }).optional(),
  actions: z.array(z.object({ action_id: z.string(), value: z.string().min(1).max(64) })).min(1),
  trigger_id: z.string().min(1).optional(),
});

const DECISIONS: Record<string, Decision> = {
  [ACTION.approve]: 'approve',
  [ACTION.approveWithComment]: 'approve',
  [ACTION.reject]: 'reject',
  [ACTION.cancel]: 'cancel',
};
/** Buttons that open the decision modal first, and the decision it asks for. */
const IN_A_MODAL: Record<string, ModalDecision> = { [ACTION.approveWithComment]: 'approve', [ACTION.reject]: 'reject' };
const OUR_ACTIONS = [...Object.keys(DECISIONS), ACTION.restore];
const OURS = new RegExp(`^(${OUR_ACTIONS.join('|')})$`);
const NOT_OURS = new RegExp(`^(?!(${OUR_ACTIONS.join('|')})$)`);

export function registerDecisionActions(app: App, { workflow, log, rules, reader }: Pick<ListenerDeps, 'workflow' | 'log' | 'rules' | 'reader'>): void {
  app.action(OURS, async ({ ack, body, client }) => {
    await ack();
    const parsed = clickPayload.safeParse(body);
    const action = parsed.success ? parsed.data.actions[0] : undefined;
    const restoring = action?.action_id === ACTION.restore;
    const decision = action ? DECISIONS[action.action_id] : undefined;
    const teamId = parsed.success ? (parsed.data.team?.id ?? null) : null;
    const enterpriseId = parsed.success ? (parsed.data.enterprise?.id ?? null) : null;
    if (!parsed.success || (teamId === null && enterpriseId === null) || !action || (!decision && !restoring)) {
      log.warn({ issues: parsed.success ? ['team'] : parsed.error.issues.map((i) => i.path.join('.')) }, 'click payload without the fields we need');
      return;
    }
    const { user } = parsed.data;
    // Ignored without a word: a click on another workspace's message gets no answer from this one.
    if (rules.teamId !== null && teamId !== null && teamId !== rules.teamId) {
      log.warn({ teamId, userId: user.id, actionId: action.action_id }, 'click from another workspace ignored');
      return;
    }
    if (restoring) {
      void workflow.requestRestore({
        requestId: action.value,
        teamId,
        enterpriseId,
        channelId: parsed.data.container.channel_id,
        threadTs: parsed.data.message?.thread_ts ?? null,
        userId: user.id,
        userTeamId: user.team_id ?? null,
        userEnterpriseId: user.enterprise_id ?? null,
      });
      return;
    }
    if (!decision) return;
    const click = {
      requestId: action.value,
      teamId,
      enterpriseId,
      channelId: parsed.data.container.channel_id,
      messageTs: parsed.data.container.message_ts,
      userId: user.id,
      userTeamId: user.team_id ?? null,
      userEnterpriseId: user.enterprise_id ?? null,
      decision,
    };
    const inAModal = IN_A_MODAL[action.action_id];
    if (inAModal === undefined) return void workflow.decide(click);
    const triggerId = parsed.data.trigger_id;
    if (triggerId === undefined) {
      log.warn({ actionId: action.action_id }, 'click without a trigger_id: no modal can open');
      return;
    }
    // The reader's language is looked up while the click is vetted: the modal must open within the trigger's 3 s.
    const language = reader(user.id, ACK_LOCALE_BUDGET_MS);
    void workflow.prepareDecision(click, async (request) => {
      const view = decisionModal(request, inAModal, modalMetadata({ ...click, decision: inAModal }), await language);
      await client.views.open({ trigger_id: triggerId, view });
    });
  });
  // Buttons we never made (old messages, other apps' ids): acknowledged, logged, nothing else.
  app.action(NOT_OURS, async ({ ack, action }) => {
    await ack();
    log.warn({ actionId: 'action_id' in action ? action.action_id : undefined }, 'click on an action offer-bot does not know');
  });
}
