// The outbox's courier and the core's notifier in Slack: the confirmation, its updates, the thread replies, private notes.
import { webApi } from '@slack/bolt';
import type { Notifier } from '../deletion/ports.js';
import type { DeletionRequest } from '../deletion/request.js';
import type { Courier } from '../outbox/courier.js';
import { EVENT_TYPE } from './constants.js';
import type { AuthoredMessage, OwnMessages } from './own-messages.js';
import { confirmationMessage, decidedMessage } from './views/confirmation.js';
import type { MessageView } from './views/mrkdwn.js';
import { outcomeDm, reminderReply, type ReminderDeciders } from './views/notices.js';
import { outcomeReply } from './views/outcome.js';
import { clickerText, gapText } from './views/replies.js';
import type { ReaderTranslator } from './i18n/readers.js';
import type { Translate } from './i18n/translator.js';

type WebClient = webApi.WebClient;
const MS_PER_SECOND = 1_000;

/** Slack errors that no retry will cure. */
const PERMANENT = new Set([
  'not_in_channel',
  'channel_not_found',
  'is_archived',
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'missing_scope',
  'no_permission',
  'restricted_action',
  'message_not_found',
  'cant_update_message',
  'thread_not_found',
  'msg_too_long',
  'invalid_blocks',
  'invalid_blocks_format',
  'invalid_metadata_format',
  'invalid_metadata_schema',
  'invalid_arguments',
]);

/** A Slack Web API call that failed, with Slack's error code (`not_in_channel`, `ratelimited`, …). */
class SlackCallError extends Error {
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

/** One Web API call, as told to whoever watches (the metrics): how long, and Slack's error code when it failed. */
export type SlackCallObserver = (report: { method: string; seconds: number; error: string | null }) => void;

async function slackCall<T>(method: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof webApi.WebAPIRateLimitedError) {
      throw new SlackCallError(method, 'ratelimited', error.retryAfter * MS_PER_SECOND, true, { cause: error });
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

/** How the announcer words what it posts: in the channel's language, and (privately) in a reader's. */
export interface AnnouncerLanguages {
  channel: Translate;
  reader: ReaderTranslator;
}

/** Until when a request's outcome reply offers Restore, or null (not a deletion, or the window has closed). */
export type RestorableUntil = (request: DeletionRequest) => number | null;
/** Who may decide a sandbox's requests now, for the reminder to name them. Throws when Slack cannot tell. */
export type DecidersOf = (sandbox: string) => Promise<ReminderDeciders>;

export function createAnnouncer(
  client: WebClient,
  own: OwnMessages,
  languages: AnnouncerLanguages,
  decidersOf: DecidersOf,
  observe: SlackCallObserver = () => {},
  restorableUntil: RestorableUntil = () => null,
): Courier & Notifier {
  async function call<T>(method: string, run: () => Promise<T>): Promise<T> {
    const started = performance.now();
    const seconds = () => (performance.now() - started) / MS_PER_SECOND;
    try {
      const result = await slackCall(method, run);
      observe({ method, seconds: seconds(), error: null });
      return result;
    } catch (error) {
      observe({ method, seconds: seconds(), error: error instanceof SlackCallError ? error.slackError : 'internal_error' });
      throw error;
    }
  }
  const ours = (message: ReadMessage, eventType: string, requestId: string) => about(message, eventType, requestId) && own.isOurs(message);
  return {
    async postConfirmation(request) {
      // A restore's confirmation goes into the deletion's thread (request.threadTs), where the offer's story is.
      const thread = request.threadTs ? { thread_ts: request.threadTs } : {};
      const result = await call('chat.postMessage', () =>
        client.chat.postMessage({
          channel: request.channelId,
          ...thread,
          ...messageArgs(confirmationMessage(request, languages.channel)),
          unfurl_links: false,
        }),
      );
      if (!result.ts) throw new SlackCallError('chat.postMessage', 'no_ts_in_answer', null, false);
      return result.ts;
    },
    async showState(request) {
      if (!request.messageTs) return;
      const ts = request.messageTs;
      await call('chat.update', () => client.chat.update({ channel: request.channelId, ts, ...messageArgs(decidedMessage(request, languages.channel)) }));
    },
    async postOutcome(request) {
      if (!request.messageTs) return;
      const ts = request.threadTs ?? request.messageTs;
      const view = outcomeReply(request, languages.channel, restorableUntil(request));
      await call('chat.postMessage', () => client.chat.postMessage({ channel: request.channelId, thread_ts: ts, ...messageArgs(view), unfurl_links: false }));
    },
    async postOutcomeDm(request) {
      const t = await languages.reader(request.requesterId);
      // A user id as the channel posts in the app's Messages tab with that person (chat:write; no conversations.open).
      await call('chat.postMessage', () =>
        client.chat.postMessage({ channel: request.requesterId, ...messageArgs(outcomeDm(request, t)), unfurl_links: false }),
      );
    },
    async hasOutcomeDm(request) {
      // Only looked for after an attempt without a clear answer: the DM's channel id, then its recent messages.
      const opened = await call('conversations.open', () => client.conversations.open({ users: request.requesterId }));
      const channel = opened.channel?.id;
      if (!channel) return false;
      const answer = await call('conversations.history', () =>
        client.conversations.history({
          channel,
          // The DM is owed by the final transition: it cannot predate it.
          oldest: String(Math.floor(request.updatedAt / MS_PER_SECOND) - 1),
          include_all_metadata: true,
          limit: HISTORY_PAGE,
        }),
      );
      return (answer.messages ?? []).some((message) => ours(message, EVENT_TYPE.dm, request.id));
    },
    async postReminder(request) {
      if (!request.messageTs) return;
      // A restore's confirmation is itself a reply: its reminder goes into the deletion's thread.
      const ts = request.threadTs ?? request.messageTs;
      const reply = reminderReply(request, await decidersOf(request.sandbox), languages.channel);
      await call('chat.postMessage', () => client.chat.postMessage({ channel: request.channelId, thread_ts: ts, ...messageArgs(reply), unfurl_links: false }));
    },
    async hasReminder(request) {
      if (!request.messageTs) return false;
      const ts = request.threadTs ?? request.messageTs;
      const answer = await call('conversations.replies', () =>
        client.conversations.replies({ channel: request.channelId, ts, include_all_metadata: true, limit: HISTORY_PAGE }),
      );
      return (answer.messages ?? []).some((message) => ours(message, EVENT_TYPE.reminded, request.id));
    },
    async tellClicker(click, news) {
      const t = await languages.reader(click.userId);
      await call('chat.postEphemeral', () => client.chat.postEphemeral({ channel: click.channelId, user: click.userId, text: clickerText(news, t) }));
    },
    async reportGap(request, kind, slackError) {
      // A direct message from the app: the news has no channel to go to.
      const t = await languages.reader(request.requesterId);
      await call('chat.postMessage', () => client.chat.postMessage({ channel: request.requesterId, text: gapText(request, kind, slackError, t) }));
    },
    failureOf(error) {
      if (!(error instanceof SlackCallError)) return null;
      return { code: error.slackError, permanent: PERMANENT.has(error.slackError), retryAfterMs: error.retryAfterMs, definite: error.definite };
    },
    async findConfirmation(request) {
      if (request.threadTs) {
        // A restore's confirmation is a reply in the deletion's thread, which the channel's history does not list.
        const thread = request.threadTs;
        const replies = await call('conversations.replies', () =>
          client.conversations.replies({ channel: request.channelId, ts: thread, include_all_metadata: true, limit: HISTORY_PAGE }),
        );
        return (replies.messages ?? []).find((message) => ours(message, EVENT_TYPE.restoreRequested, request.id))?.ts ?? null;
      }
      const answer = await call('conversations.history', () =>
        client.conversations.history({
          channel: request.channelId,
          // Slack ts are seconds; the confirmation cannot predate the request.
          oldest: String(Math.floor(request.createdAt / MS_PER_SECOND) - 1),
          include_all_metadata: true,
          limit: HISTORY_PAGE,
        }),
      );
      const found = (answer.messages ?? []).find((message) => ours(message, EVENT_TYPE.requested, request.id));
      return found?.ts ?? null;
    },
    async hasOutcome(request) {
      if (!request.messageTs) return false;
      const ts = request.threadTs ?? request.messageTs;
      const answer = await call('conversations.replies', () =>
        client.conversations.replies({ channel: request.channelId, ts, include_all_metadata: true, limit: HISTORY_PAGE }),
      );
      const outcomeTypes: string[] = [EVENT_TYPE.completed, EVENT_TYPE.rejected, EVENT_TYPE.cancelled, EVENT_TYPE.expired, EVENT_TYPE.restoreCompleted];
      return (answer.messages ?? []).some((message) => outcomeTypes.some((type) => ours(message, type, request.id)));
    },
  };
}
