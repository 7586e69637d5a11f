// Answers to the requester through Slack's response_url can fail (it answers 5xx at times): a few tries, then an error.
import type { RequesterNews } from './news.js';

/** Tries of one answer to the requester, and the pause before each retry (times the attempt). */
const REPLY_ATTEMPTS = 3;
const REPLY_RETRY_MS = 200;

export type Reply = (news: RequesterNews) => Promise<void>;

export function replyReliably(reply: Reply, sleep: (ms: number) => Promise<void>): Reply {
  return async (news) => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await reply(news);
        return;
      } catch (error) {
        if (attempt >= REPLY_ATTEMPTS) throw new ReplyError(error);
        await sleep(REPLY_RETRY_MS * attempt);
      }
    }
  };
}

/** The requester could not be answered; what they asked for still happened (or did not) as recorded. */
class ReplyError extends Error {
  readonly code = 'reply_failed';
  constructor(cause: unknown) {
    super('could not answer the requester through Slack', { cause });
  }
}
