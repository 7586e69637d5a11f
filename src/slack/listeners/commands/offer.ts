// `/offer …`: parse, refuse what is not allowed, ack at once, then hand the work to the workflow (or show the history, the matches, the form).
import type { App } from '@slack/bolt';
import { z } from 'zod';
import { parseCommand } from '../../../deletion/command.js';
import { errorCode } from '../../../errors.js';
import { OFFER_COMMAND } from '../../constants.js';
import { deleteForm } from '../../views/delete-form.js';
import { FIND_LIMIT, findMessage } from '../../views/find.js';
import { HISTORY_LIMIT, historyMessage } from '../../views/history.js';
import { ACK_LOCALE_BUDGET_MS } from '../../i18n/readers.js';
import { commandText, commandTexts, requesterText, usage } from '../../views/replies.js';
import type { ListenerDeps } from '../index.js';

/** The fields of Slack's slash command payload that we rely on. */
const commandPayload = z.object({
  team_id: z.string().min(1),
  channel_id: z.string().min(1),
  user_id: z.string().min(1),
  text: z.string(),
  enterprise_id: z.string().min(1).optional(),
  /** Lets the command open a modal within 3 s (the delete form). */
  trigger_id: z.string().min(1).optional(),
});

/** How long `/offer find` waits for Adobe: its answer goes through response_url, which lasts 30 minutes, but a person waits. */
const FIND_TIMEOUT_MS = 10_000;

export function registerOfferCommand(app: App, { workflow, rules, log, store, channels, failpoints, reader, findOffers }: ListenerDeps): void {
  app.command(OFFER_COMMAND, async ({ command, ack, respond, client }) => {
    const parsed = commandPayload.safeParse(command);
    if (!parsed.success) {
      log.warn({ issues: parsed.error.issues.map((i) => i.path.join('.')) }, 'slash command payload without the fields we need');
      // English: without the payload's fields there is no user id to trust, so no reader to ask Slack about.
      await ack(commandText.malformed);
      return;
    }
    const { team_id: teamId, channel_id: channelId, user_id: userId, text } = parsed.data;
    const enterpriseId = parsed.data.enterprise_id ?? null;
    if (rules.teamId !== null && teamId !== rules.teamId) {
      log.warn({ teamId, channelId, userId }, 'slash command from another workspace refused');
      // English: the user id is known, but our token cannot ask users.info about another workspace's people, and
      // OFFER_CHANNEL_LANGUAGE is this workspace's choice, not theirs.
      await ack(commandText.otherWorkspace);
      return;
    }
    // From here on the caller is one of ours: answer in their language (English if Slack is slow to say).
    const t = await reader(userId, ACK_LOCALE_BUDGET_MS);
    const texts = commandTexts(t);
    if (rules.allowedChannels && !rules.allowedChannels.includes(channelId)) {
      await ack(texts.onlyIn(rules.allowedChannels));
      return;
    }
    const request = parseCommand(text);
    const sandboxes = rules.allowedSandboxes(channelId);
    if (request.kind === 'help') return void (await ack(usage(t, sandboxes)));
    if (request.kind === 'invalid') return void (await ack(texts.invalid(request.problem, sandboxes)));
    if (request.kind === 'history') {
      // An empty ack shows nothing; the history follows through response_url, so a slow database cannot miss Slack's 3 s.
      await ack();
      try {
        // Requests from private channels are shown only to their members.
        const privateChannelsVisible = await channels.privateChannelsOf(userId);
        const requests = await store.recentRequests({
          teamId,
          limit: HISTORY_LIMIT,
          privateChannelsVisible,
          ...(request.offerId === null ? {} : { offerId: request.offerId }),
        });
        const view = historyMessage(requests, request.offerId, t);
        await respond({ response_type: 'ephemeral', replace_original: false, text: view.text, blocks: view.blocks });
      } catch (error) {
        log.error({ err: error, userId }, 'could not show the history');
        await respond({ response_type: 'ephemeral', replace_original: false, text: texts.historyFailed(errorCode(error)) }).catch((failure: unknown) =>
          log.warn({ err: failure }, 'could not tell the caller either'),
        );
      }
      return;
    }
    if (request.kind === 'find') {
      // Like the history: an empty ack, the list through response_url, however long Adobe takes.
      await ack();
      const result = await findOffers({ channelId, sandbox: request.sandbox, text: request.text, limit: FIND_LIMIT, timeoutMs: FIND_TIMEOUT_MS });
      const view = findMessage(result, request.text, t);
      await respond({ response_type: 'ephemeral', replace_original: false, text: view.text, blocks: view.blocks }).catch((error: unknown) =>
        log.warn({ err: error, userId }, 'could not answer /offer find'),
      );
      return;
    }
    if (request.kind === 'delete_form') {
      const choice = rules.chooseSandbox(channelId, request.sandbox);
      if (!choice.ok) return void (await ack(requesterText({ type: 'sandbox_refused', ...choice }, t)));
      await ack();
      try {
        // The trigger is good for 3 s from Slack sending the command: open at once.
        const view = deleteForm({ channelId, sandbox: choice.sandbox }, rules.allowedSandboxes(channelId), t);
        await client.views.open({ trigger_id: parsed.data.trigger_id ?? '', view });
      } catch (error) {
        const code = (error as { data?: { error?: string } }).data?.error ?? errorCode(error);
        log.warn({ err: error, userId }, 'could not open the delete form');
        await respond({ response_type: 'ephemeral', replace_original: false, text: texts.formOpenFailed(code) }).catch((failure: unknown) =>
          log.warn({ err: failure }, 'could not tell the caller either'),
        );
      }
      return;
    }
    // Ack first (Slack allows 3 s); Adobe answers when it answers. A sandbox this channel may not use is refused by the
    // workflow, through response_url like every answer to a request: the ack then says nothing rather than "looking up".
    const sandbox = request.sandbox ?? sandboxes[0];
    if (sandbox !== undefined && sandboxes.includes(sandbox)) await ack(texts.lookingUp(request.offerId, sandbox));
    else await ack();
    failpoints('after_ack');
    void workflow.requestDeletion(
      {
        teamId,
        enterpriseId,
        channelId,
        userId,
        reply: async (news) => {
          await respond({ response_type: 'ephemeral', replace_original: false, text: requesterText(news, await reader(userId)) });
        },
      },
      request.offerId,
      request.reason,
      request.sandbox ?? undefined,
    );
  });
}
