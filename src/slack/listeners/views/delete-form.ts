// The delete form: its offer menu searches by name as the person types (block_suggestion), and its submission asks for the deletion.
import type { App } from '@slack/bolt';
import { z } from 'zod';
import { isOfferId, MAX_REASON_LENGTH } from '../../../deletion/command.js';
import type { RequesterNews } from '../../../deletion/news.js';
import { DELETE_FORM } from '../../constants.js';
import { ACK_LOCALE_BUDGET_MS } from '../../i18n/readers.js';
import { FORM_OPTIONS_MAX, formContext, offerOptions } from '../../views/delete-form.js';
import { requesterText } from '../../views/replies.js';
import type { ListenerDeps } from '../index.js';
import { WORKSPACE_FIELDS } from '../payload-fields.js';

/**
 * How long the menu's search may take: Slack drops an options answer after 3 s, and the reader's locale (looked up
 * meanwhile) and the answer's way back need some of them.
 */
export const OPTIONS_SEARCH_TIMEOUT_MS = 2_000;

const selected = z.object({ selected_option: z.object({ value: z.string() }).nullable().optional() }).optional();
/** What the form's payloads carry that we rely on: who, which workspace, the form's metadata and its state. */
const formPayload = z.object({
  user: z.object({ id: z.string().min(1) }),
  ...WORKSPACE_FIELDS,
  view: z.object({
    callback_id: z.string(),
    private_metadata: z.string(),
    state: z
      .object({
        values: z.object({
          [DELETE_FORM.sandbox]: z.object({ [DELETE_FORM.sandbox]: selected }).optional(),
          [DELETE_FORM.offer]: z.object({ [DELETE_FORM.offer]: selected }).optional(),
          [DELETE_FORM.reason]: z.object({ [DELETE_FORM.reason]: z.object({ value: z.string().nullable().optional() }).optional() }).optional(),
        }),
      })
      .optional(),
  }),
});
type FormPayload = z.infer<typeof formPayload>;

const chosenSandbox = (payload: FormPayload) => payload.view.state?.values[DELETE_FORM.sandbox]?.[DELETE_FORM.sandbox]?.selected_option?.value;

export function registerDeleteForm(app: App, { workflow, rules, log, reader, findOffers }: ListenerDeps): void {
  /** The payload, if it is our form's and from the workspace we serve, with its metadata. */
  function ours(body: unknown) {
    const parsed = formPayload.safeParse(body);
    if (!parsed.success) {
      log.warn({ issues: parsed.error.issues.map((i) => i.path.join('.')) }, 'form payload without the fields we need');
      return null;
    }
    const teamId = parsed.data.team?.id ?? null;
    if (rules.teamId !== null && teamId !== rules.teamId) {
      log.warn({ teamId, userId: parsed.data.user.id }, 'form payload from another workspace ignored');
      return null;
    }
    const context = formContext(parsed.data.view.private_metadata);
    if (context === null) {
      log.warn({ userId: parsed.data.user.id }, 'form payload without our metadata');
      return null;
    }
    return { payload: parsed.data, context, teamId, enterpriseId: parsed.data.enterprise?.id ?? null };
  }

  // Each keystroke (past min_query_length) asks for options; the search follows the sandbox chosen in the form right now.
  app.options<'block_suggestion'>({ action_id: DELETE_FORM.offer }, async ({ ack, body }) => {
    const form = ours(body);
    const typed = typeof (body as { value?: unknown }).value === 'string' ? (body as { value: string }).value : '';
    if (!form) return void (await ack({ options: [] }));
    const [t, result] = await Promise.all([
      reader(form.payload.user.id, ACK_LOCALE_BUDGET_MS),
      findOffers({
        channelId: form.context.channelId,
        sandbox: chosenSandbox(form.payload) ?? form.context.sandbox,
        text: typed,
        limit: FORM_OPTIONS_MAX,
        timeoutMs: OPTIONS_SEARCH_TIMEOUT_MS,
      }),
    ]);
    await ack(offerOptions(result, typed, t));
  });

  app.view(DELETE_FORM.callbackId, async ({ ack, body, client }) => {
    const form = ours(body);
    if (!form) return void (await ack());
    const { payload, context } = form;
    const userId = payload.user.id;
    const t = await reader(userId, ACK_LOCALE_BUDGET_MS);
    const values = payload.view.state?.values;
    const offerId = values?.[DELETE_FORM.offer]?.[DELETE_FORM.offer]?.selected_option?.value ?? '';
    const sandbox = chosenSandbox(payload) ?? context.sandbox;
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what this strips
    const reason = (values?.[DELETE_FORM.reason]?.[DELETE_FORM.reason]?.value ?? '').replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
    // Checked again here, whatever the form offered: a submission is a request like any other.
    const errors: Record<string, string> = {};
    if (!isOfferId(offerId)) errors[DELETE_FORM.offer] = t('form.notAnOffer');
    if (!rules.allowedSandboxes(context.channelId).includes(sandbox)) errors[DELETE_FORM.sandbox] = t('form.sandboxNotAllowed', { sandbox });
    if (reason === '') errors[DELETE_FORM.reason] = t('form.reasonMissing');
    else if (reason.length > MAX_REASON_LENGTH) errors[DELETE_FORM.reason] = t('form.reasonTooLong', { max: MAX_REASON_LENGTH });
    if (Object.keys(errors).length > 0) return void (await ack({ response_action: 'errors', errors }));
    await ack();
    // As the command's answers go through its response_url, the form's go to the person alone in the channel;
    // where offer-bot cannot post there (not a member), to them directly.
    const reply = async (news: RequesterNews) => {
      const text = requesterText(news, await reader(userId));
      await client.chat.postEphemeral({ channel: context.channelId, user: userId, text }).catch(() => client.chat.postMessage({ channel: userId, text }));
    };
    void workflow.requestDeletion(
      { teamId: form.teamId ?? '', enterpriseId: form.enterpriseId, channelId: context.channelId, userId, reply },
      offerId,
      reason,
      sandbox,
    );
  });
}
