// What the Slack stand-in is given and what it records: the public shapes of test/support/slack-api.ts.
import type { Fault } from './faults.js';

export interface SlackApiOptions {
  botToken: string;
  /** `xapp-…`; without it apps.connections.open refuses every token. */
  appToken?: string;
  teamId: string;
  botUserId: string;
  botId: string;
  appId?: string;
  teamDomain?: string;
  /** Usergroup id → member user ids, for usergroups.users.list. */
  usergroups?: Record<string, string[]>;
  /**
   * What users.info says of a person. Anyone not listed is a full member of `teamId`, as in a workspace where
   * everyone is; list guests, people of other organisations and Enterprise Grid members here.
   */
  users?: Record<string, SlackUserFacts>;
  /** Private channels (and DMs) and their members; any channel not listed is public. */
  privateChannels?: Record<string, string[]>;
  /** Delay before every answer (Web API and response URLs). */
  latencyMs?: number;
  /** Clock for message ts and response URL expiry; defaults to Date.now. */
  now?: () => number;
}

export type JsonObject = Record<string, unknown>;

/** The users.info fields that tell who a person is. */
export interface SlackUserFacts {
  team_id?: string;
  is_restricted?: boolean;
  is_ultra_restricted?: boolean;
  /** A person of another organisation, seen through a Slack Connect channel. */
  is_stranger?: boolean;
  enterprise_id?: string;
  /** The person's Slack language (`sv-SE`); users.info sends it only when asked with include_locale. Defaults to `en-US`. */
  locale?: string;
  /** The person's time zone (`Europe/Stockholm`), which users.info always sends. Defaults to `America/Los_Angeles`. */
  tz?: string;
}

/** One Web API request as the stand-in parsed it, and what it answered. */
export interface ApiCall {
  method: string;
  /** Form fields as sent; `blocks`, `metadata` and `attachments` decoded from JSON when they parse. */
  args: JsonObject;
  at: number;
  /** Which token the request carried. */
  token: 'bot' | 'app' | 'unknown' | 'none';
  status: number;
  /** `undefined` when the connection was reset. */
  answer: JsonObject | undefined;
}

export interface PostedMessage {
  type: 'message';
  channel: string;
  ts: string;
  /** The thread parent's ts, for replies. */
  thread_ts?: string;
  text: string;
  blocks?: JsonObject[];
  metadata?: { event_type: string; event_payload: JsonObject };
  user: string;
  bot_id: string;
  app_id: string;
  team: string;
  /** Set by chat.update or a replace_original response. */
  edited?: { ts: string };
  /** Set by a delete_original response. */
  deleted?: true;
  /** How it got there; `another_app` for what a test planted through postAsAnotherApp. */
  via: 'chat.postMessage' | 'response_url' | 'another_app';
  at: number;
}

/** Another app installed in the same workspace, with its own bot user. */
export const ANOTHER_APP = { botId: 'B09LOOKALK1', appId: 'A09LOOKALK2', userId: 'U09LOOKALK3' } as const;

/** What another app's message says: any text, blocks and metadata it likes, in a channel or a thread. */
export type AnotherAppMessage = Pick<PostedMessage, 'text' | 'blocks' | 'metadata' | 'thread_ts'>;

export interface MessageUpdate {
  channel: string;
  ts: string;
  text: string;
  blocks?: JsonObject[];
  metadata?: PostedMessage['metadata'];
  deleted?: true;
  via: 'chat.update' | 'response_url';
  at: number;
}

export interface EphemeralMessage {
  channel: string;
  user: string;
  text: string;
  blocks?: JsonObject[];
  thread_ts?: string;
  message_ts: string;
  via: 'chat.postEphemeral' | 'response_url';
  at: number;
}

export interface ResponseUrlPost {
  name: string;
  body: JsonObject;
  status: number;
  /** The error Slack would answer with, if refused. */
  error?: string;
  at: number;
}

/** Where a response URL came from, so `replace_original` and `in_channel` can act on stored messages. */
export interface ResponseUrlContext {
  channel: string;
  /** The message a block action came from; `replace_original`/`delete_original` act on it. */
  messageTs?: string;
  /** Who sees an ephemeral response. */
  userId?: string;
}

/** A modal as views.open, views.push or views.update left it, for the user it opened for. */
export interface OpenedView {
  /** The view id (`V…`); an update keeps it. */
  id: string;
  /** Whose trigger opened it: the only person who sees it. */
  user: string;
  /** The view as Slack answered it: the app's fields with Slack's defaults, `hash`, `state`, `root_view_id`. */
  view: JsonObject;
  /** `response_action` when the app's ack of a submission updated the modal or pushed one. */
  via: 'views.open' | 'views.push' | 'views.update' | 'response_action';
  at: number;
}

/** What apps.connections.open hands out; the Socket Mode stand-in implements it. */
export interface SocketModeLink {
  connectionUrl(): string;
}

export interface SlackApi {
  /** Base URL ending in `/api/`, for `clientOptions.slackApiUrl`. */
  readonly url: string;
  readonly calls: ApiCall[];
  readonly messages: PostedMessage[];
  readonly updates: MessageUpdate[];
  readonly ephemerals: EphemeralMessage[];
  readonly responses: ResponseUrlPost[];
  /** Every modal opened, pushed or updated, in order. */
  readonly views: OpenedView[];
  /** The Home tab views.publish last gave `user`. */
  homeOf(user: string): JsonObject | undefined;
  /** Slack applies the app's ack of a view_submission to the modal (update, push, clear, errors); throws what Slack would refuse. */
  answerSubmission(viewId: string, ack: unknown): void;
  /** A fresh trigger_id for an interaction of `user`: views.open and views.push take it once, within 3 s. */
  issueTrigger(user: string): string;
  /** A URL like Slack's hooks.slack.com/commands/…, good for five JSON posts within 30 minutes. */
  responseUrl(name: string, context?: ResponseUrlContext): string;
  /** The stored message, as it stands now. */
  message(channel: string, ts: string): PostedMessage | undefined;
  inject(fault: Fault): void;
  /** Answers to `method` wait (received and recorded, not answered) until the returned function is called. */
  hold(method: string): () => void;
  /**
   * Another app posts in `channel`. It may give its message any metadata, offer-bot's event types and request
   * ids included; Slack stamps it with that app's bot_id and app_id, never offer-bot's.
   */
  postAsAnotherApp(channel: string, message: AnotherAppMessage): PostedMessage;
  /** The app's DM channel (D…) with `user`, once it has one (a message to the user id, or conversations.open). */
  dmChannelOf(user: string): string | undefined;
  /** What the app posted in its DM with `user` (its Messages tab), oldest first. */
  directMessages(user: string): PostedMessage[];
  /** The bot is (not) a member of `channel`: posting there answers `not_in_channel`. */
  setNotInChannel(channel: string, notIn?: boolean): void;
  attachSocketMode(link: SocketModeLink): void;
  waitFor<T>(predicate: () => T | undefined | null | false, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

/** Which token a request carried. */
export type TokenKind = ApiCall['token'];

export const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);
