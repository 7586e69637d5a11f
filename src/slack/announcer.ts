// What the workflow tells Slack: the confirmation, its updates, the thread replies, and private notes.
import { webApi } from '@slack/bolt';
import type { DeletionRequest } from '../deletion/request.js';
import { EVENT_TYPE } from './constants.js';
import type { AuthoredMessage, OwnMessages } from './own-messages.js';
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
  /** The ts of this request's confirmation if Slack already has it (an attempt cut off by a crash may have posted it). */
  findConfirmation(request: DeletionRequest): Promise<string | null>;
  /** Whether this request's thread already has its outcome reply. */
  hasOutcome(request: DeletionRequest): Promise<boolean>;
}

/** A Slack Web API call that failed, with Slack's error code (`not_in_channel`, `ratelimited`, …). */
export class SlackCallError extends Error {
  constructor(
    readonly method: string,
    readonly slackError: string,
    /** Slack's Retry-After, when it rate-limited the call. */
    readonly retryAfterMs: number | null = null,
    /** Slack answered clearly (an `ok: false` error or a rate limit): nothing was posted. Otherwise it may have been. */
    readonly definite = true,
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
      throw new SlackCallError(method, 'ratelimited', error.retryAfter * 1_000, true, { cause: error });
    }
    const data = (error as { data?: { error?: unknown } }).data;
    const code = typeof data?.error === 'string' ? data.error : ((error as { code?: string }).code ?? 'request_failed');
    throw new SlackCallError(method, code, null, error instanceof webApi.WebAPIPlatformError, { cause: error });
  }
}

/** Messages read back when checking what an interrupted attempt did; ours are recent, so one page is enough. */
const HISTORY_PAGE = 200;

type ReadMessage = AuthoredMessage & { metadata?: { event_type?: string; event_payload?: unknown } };

/** Whether `message` is about this request, by its metadata; who posted it is for OwnMessages to say. */
function about(message: ReadMessage, eventType: string, requestId: string): boolean {
  const payload = message.metadata?.event_payload as { request_id?: unknown } | undefined;
  return message.metadata?.event_type === eventType && payload?.request_id === requestId;
}

const messageArgs = (view: MessageView) => ({
  text: view.text,
  blocks: view.blocks,
  ...(view.metadata ? { metadata: view.metadata } : {}),
});

export function createAnnouncer(client: WebClient, own: OwnMessages): Announcer {
  const ours = (message: ReadMessage, eventType: string, requestId: string) => about(message, eventType, requestId) && own.isOurs(message);
  return {
    async postConfirmation(request) {
      const result = await call('chat.postMessage', () =>
        client.chat.postMessage({ channel: request.channelId, ...messageArgs(confirmationMessage(request)), unfurl_links: false }),
      );
      if (!result.ts) throw new SlackCallError('chat.postMessage', 'no_ts_in_answer', null, false);
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
    async findConfirmation(request) {
      const answer = await call('conversations.history', () =>
        client.conversations.history({
          channel: request.channelId,
          // Slack ts are seconds; the confirmation cannot predate the request.
          oldest: String(Math.floor(request.createdAt / 1000) - 1),
          include_all_metadata: true,
          limit: HISTORY_PAGE,
        }),
      );
      const found = (answer.messages ?? []).find((message) => ours(message, EVENT_TYPE.requested, request.id));
      return found?.ts ?? null;
    },
    async hasOutcome(request) {
      if (!request.messageTs) return false;
      const ts = request.messageTs;
      const answer = await call('conversations.replies', () =>
        client.conversations.replies({ channel: request.channelId, ts, include_all_metadata: true, limit: HISTORY_PAGE }),
      );
      const outcomeTypes: string[] = [EVENT_TYPE.completed, EVENT_TYPE.rejected, EVENT_TYPE.cancelled, EVENT_TYPE.expired];
      return (answer.messages ?? []).some((message) => outcomeTypes.some((type) => ours(message, type, request.id)));
    },
  };
}
