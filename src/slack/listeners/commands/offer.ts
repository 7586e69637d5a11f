// `/offer …`: parse, refuse what is not allowed, ack at once, then hand the work to the workflow (or show the history).
import type { App } from '@slack/bolt';
import { z } from 'zod';
import { crashPoint } from '../../../crash-points.js';
import { parseCommand } from '../../../deletion/command.js';
import type { Workflow } from '../../../deletion/workflow.js';
import type { Logger } from '../../../log.js';
import type { Store } from '../../../store/store.js';
import type { ChannelDirectory } from '../../channels.js';
import { OFFER_COMMAND } from '../../constants.js';
import { HISTORY_LIMIT, historyMessage, usageText } from '../../views.js';

/** The fields of Slack's slash command payload that we rely on. */
const commandPayload = z.object({
  team_id: z.string().min(1),
  channel_id: z.string().min(1),
  user_id: z.string().min(1),
  text: z.string(),
  enterprise_id: z.string().min(1).optional(),
});

export interface CommandRules {
  allowedChannels: readonly string[] | null;
  sandbox: string;
  /** The only workspace served (SLACK_TEAM_ID); null serves any. */
  teamId: string | null;
}

/** Where `/offer history` reads from, and which private channels its reader may see. */
export interface HistorySource {
  store: Pick<Store, 'recentRequests'>;
  channels: Pick<ChannelDirectory, 'privateChannelsOf'>;
}

export function registerOfferCommand(app: App, workflow: Workflow, rules: CommandRules, log: Logger, history: HistorySource): void {
  app.command(OFFER_COMMAND, async ({ command, ack, respond }) => {
    const parsed = commandPayload.safeParse(command);
    if (!parsed.success) {
      log.warn({ issues: parsed.error.issues.map((i) => i.path.join('.')) }, 'slash command payload without the fields we need');
      await ack('Slack sent this command without the fields offer-bot needs; nothing was done.');
      return;
    }
    const { team_id: teamId, channel_id: channelId, user_id: userId, text } = parsed.data;
    const enterpriseId = parsed.data.enterprise_id ?? null;
    if (rules.teamId !== null && teamId !== rules.teamId) {
      log.warn({ teamId, channelId, userId }, 'slash command from another workspace refused');
      await ack('This offer-bot serves another Slack workspace, so it takes no commands from this one. Nothing was done.');
      return;
    }
    if (rules.allowedChannels && !rules.allowedChannels.includes(channelId)) {
      await ack(`${OFFER_COMMAND} works only in ${rules.allowedChannels.map((id) => `<#${id}>`).join(', ')}. Nothing was done.`);
      return;
    }
    const request = parseCommand(text);
    if (request.kind === 'help') return void (await ack(usageText));
    if (request.kind === 'invalid') return void (await ack(`${request.problem}\n\n${usageText}`));
    if (request.kind === 'history') {
      // An empty ack shows nothing; the history follows through response_url, so a slow database cannot miss Slack's 3 s.
      await ack();
      try {
        // Requests from private channels are shown only to their members.
        const privateChannelsVisible = await history.channels.privateChannelsOf(userId);
        const requests = await history.store.recentRequests({
          teamId,
          limit: HISTORY_LIMIT,
          privateChannelsVisible,
          ...(request.offerId === null ? {} : { offerId: request.offerId }),
        });
        const view = historyMessage(requests, request.offerId);
        await respond({ response_type: 'ephemeral', replace_original: false, text: view.text, blocks: view.blocks });
      } catch (error) {
        log.error({ err: error, userId }, 'could not show the history');
        const code = (error as { code?: unknown }).code?.toString() ?? 'internal error';
        await respond({
          response_type: 'ephemeral',
          replace_original: false,
          text: `offer-bot could not read the history just now (${code}). Try again shortly.`,
        }).catch((failure: unknown) => log.warn({ err: failure }, 'could not tell the caller either'));
      }
      return;
    }
    // Ack first (Slack allows 3 s); Adobe answers when it answers.
    await ack(`Looking up offer \`${request.offerId}\` in sandbox \`${rules.sandbox}\`…`);
    crashPoint('after_ack');
    const reply = async (message: string) => {
      await respond({ response_type: 'ephemeral', replace_original: false, text: message });
    };
    void workflow.requestDeletion({ teamId, enterpriseId, channelId, userId, reply }, request.offerId, request.reason);
  });
}
