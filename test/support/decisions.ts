// Deciding through the decision modal as a person does: click the button, fill in the comment, submit.
import { DECISION_MODAL } from '../../src/slack/constants.js';
import type { Bot } from './bot.js';
import type { OpenedView, PostedMessage } from './slack-api.js';
import type { SlackResponse, StateValues } from './slack-requests.js';

/** The modal's state with `comment` typed into its comment input. */
export const commented = (comment: string): StateValues => ({
  [DECISION_MODAL.commentBlock]: { [DECISION_MODAL.commentAction]: { type: 'plain_text_input', value: comment } },
});

/** `user` clicks `button`, waits for the decision modal it opens, and submits it with `comment`; answers the modal and the ack. */
export async function decideInModal(
  bot: Bot,
  button: 'reject' | 'approveWithComment',
  message: PostedMessage,
  user: string,
  comment: string,
): Promise<{ view: OpenedView; ack: SlackResponse }> {
  await bot.click(button, message, user);
  const view = await bot.nextView(user);
  return { view, ack: await bot.submitView(view, user, commented(comment)) };
}

/** A Reject as a person gives it now: the button, then its modal with the reason (a Reject needs one). */
export const reject = (bot: Bot, message: PostedMessage, user: string, comment = 'not this one') => decideInModal(bot, 'reject', message, user, comment);
