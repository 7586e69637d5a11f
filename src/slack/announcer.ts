// What the workflow tells Slack: the confirmation, its updates, the thread replies, and private notes.
import { webApi } from '@slack/bolt';
import type { DeletionRequest } from '../deletion/request.js';
import { confirmationMessage, decidedMessage, outcomeReply, type MessageView } from './views.js';

type WebClient = webApi.WebClient;

export interface Announcer {
  /** Posts the confirmation in the request's channel; returns its ts. Throws SlackCallError. */
  postConfirmation(request: DeletionRequest): Promise<string>;
  /** Updates the confirmation to show the request's current state. */
  showState(request: DeletionRequest): Promise<void>;
  /** Posts how the request ended in the confirmation's thread. */
  postOutcome(request: DeletionRequest): Promise<void>;
  /** A message only `userId` sees, in `channelId`. */
  tellPrivately(channelId: string, userId: string, text: string): Promise<void>;
  /** A direct message to `userId` (from the app), for news that has no channel to go to. */
  tellDirectly(userId: string, text: string): Promise<void>;
}

/** A Slack Web API call that failed, with Slack's error code (`not_in_channel`, `ratelimited`, …). */
export class SlackCallError extends Error {
  constructor(
    readonly method: string,
    readonly slackError: string,
    /** Slack's Retry-After, when it rate-limited the call. */
    readonly retryAfterMs: number | null = null,
    options?: { cause?: unknown },
  ) {
    super(`Slack ${method} failed: ${slackError}`, options);
    this.name = 'SlackCallError';
  }
}

async function call<T>(method: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof webApi.WebAPIRateLimitedError) {
      throw new SlackCallError(method, 'ratelimited', error.retryAfter * 1_000, { cause: error });
    }
    const data = (error as { data?: { error?: unknown } }).data;
    const code = typeof data?.error === 'string' ? data.error : ((error as { code?: string }).code ?? 'request_failed');
    throw new SlackCallError(method, code, null, { cause: error });
  }
}

const messageArgs = (view: MessageView) => ({
  text: view.text,
  blocks: view.blocks,
  ...(view.metadata ? { metadata: view.metadata } : {}),
});

export function createAnnouncer(client: WebClient): Announcer {
  return {
    async postConfirmation(request) {
      const result = await call('chat.postMessage', () =>
        client.chat.postMessage({ channel: request.channelId, ...messageArgs(confirmationMessage(request)), unfurl_links: false }),
      );
      if (!result.ts) throw new SlackCallError('chat.postMessage', 'no_ts_in_answer');
      return result.ts;
    },
    async showState(request) {
      if (!request.messageTs) return;
      const ts = request.messageTs;
      await call('chat.update', () => client.chat.update({ channel: request.channelId, ts, ...messageArgs(decidedMessage(request)) }));
    },
    async postOutcome(request) {
      if (!request.messageTs) return;
      const ts = request.messageTs;
      await call('chat.postMessage', () =>
        client.chat.postMessage({ channel: request.channelId, thread_ts: ts, ...messageArgs(outcomeReply(request)), unfurl_links: false }),
      );
    },
    async tellPrivately(channelId, userId, text) {
      await call('chat.postEphemeral', () => client.chat.postEphemeral({ channel: channelId, user: userId, text }));
    },
    async tellDirectly(userId, text) {
      await call('chat.postMessage', () => client.chat.postMessage({ channel: userId, text }));
    },
  };
}
