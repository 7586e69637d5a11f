// The decision modal's submission: check the comment and the click again (the request may have moved on), then decide.
import type { App } from '@slack/bolt';
import { z } from 'zod';
import { errorCode } from '../../../errors.js';
import { DECISION_MODAL } from '../../constants.js';
import { ACK_LOCALE_BUDGET_MS } from '../../i18n/readers.js';
import { checkComment, parseModalMetadata } from '../../views/decision-modal.js';
import { clickerText } from '../../views/replies.js';
import type { ListenerDeps } from '../index.js';
import { WORKSPACE_FIELDS } from '../payload-fields.js';

/** The fields of a view_submission payload we rely on. */
const submission = z.object({
  user: z.object({ id: z.string().min(1), team_id: z.string().min(1).optional(), enterprise_id: z.string().min(1).optional() }),
  ...WORKSPACE_FIELDS,
});

export function registerDecisionModal(app: App, { workflow, log, rules, reader }: Pick<ListenerDeps, 'workflow' | 'log' | 'rules' | 'reader'>): void {
  app.view(DECISION_MODAL.callbackId, async ({ ack, body, view }) => {
    const parsed = submission.safeParse(body);
    const click = parseModalMetadata(view.private_metadata);
    const teamId = parsed.success ? (parsed.data.team?.id ?? click?.teamId ?? null) : null;
    if (!parsed.success || (rules.teamId !== null && teamId !== null && teamId !== rules.teamId)) {
      log.warn({ teamId }, 'decision modal submission without the fields we need, or from another workspace');
      await ack();
      return;
    }
    const { user } = parsed.data;
    const t = await reader(user.id, ACK_LOCALE_BUDGET_MS);
    // Errors stay in the modal, under the comment, where the person can act on them; nothing is changed.
    const refuse = (text: string) => ack({ response_action: 'errors', errors: { [DECISION_MODAL.commentBlock]: text } });
    if (!click) {
      log.warn('decision modal with metadata offer-bot did not write');
      return void (await refuse(clickerText({ type: 'click_refused', refusal: 'unknown_request', request: null }, t)));
    }
    const checked = checkComment(view.state.values[DECISION_MODAL.commentBlock]?.[DECISION_MODAL.commentAction]?.value, click.decision, t);
    if (!checked.ok) return void (await refuse(checked.error));
    const decision = {
      ...click,
      userId: user.id,
      userTeamId: user.team_id ?? null,
      userEnterpriseId: user.enterprise_id ?? null,
      ...(checked.comment ? { comment: checked.comment } : {}),
    };
    let verdict;
    try {
      verdict = await workflow.vetDecision(decision);
    } catch (error) {
      log.warn({ err: error }, 'could not check a decision modal submission');
      return void (await refuse(clickerText({ type: 'internal_failure', code: errorCode(error) }, t)));
    }
    if (!verdict.ok) return void (await refuse(clickerText({ type: 'click_refused', refusal: verdict.refusal, request: verdict.request }, t)));
    await ack();
    // Checked again as it is applied: whatever changed since is told to the person privately, as for a click.
    void workflow.decide(decision);
  });
}
