// The workspace as the stand-in keeps it: the messages posted, edited and shown, and the bot's channel memberships.
import { Refusal } from './http.js';
import { CHANNEL_ID, TS, USER_ID } from './message-fields.js';
import type { EphemeralMessage, JsonObject, MessageUpdate, PostedMessage, SlackApiOptions } from './types.js';

/** offer-bot's app id when the options name none. */
const DEFAULT_APP_ID = 'A07QX4LB8RV';
const MICROS_PER_MS = 1000;
const MICROS_PER_SECOND = 1e6;
/** How far apart two message ts are at the least, when the clock has not moved on. */
const MIN_TS_STEP_MICROS = 100;

/** Who posted a message: the bot user and app Slack stamps it with. */
export interface Poster {
  botId: string;
  appId: string;
  userId: string;
}

export class Workspace {
  readonly messages: PostedMessage[] = [];
  readonly updates: MessageUpdate[] = [];
  readonly ephemerals: EphemeralMessage[] = [];
  /** Channels the bot is not a member of. */
  readonly notInChannel = new Set<string>();
  readonly appId: string;
  readonly teamId: string;
  readonly now: () => number;
  readonly #ourApp: Poster;
  /** The app's DM channel with each person it has one with. */
  readonly #dms = new Map<string, string>();
  #lastTsMicros = 0;

  constructor(opts: SlackApiOptions) {
    this.now = opts.now ?? Date.now;
    this.appId = opts.appId ?? DEFAULT_APP_ID;
    this.teamId = opts.teamId;
    this.#ourApp = { botId: opts.botId, appId: this.appId, userId: opts.botUserId };
  }

  /** Unique, increasing, Slack-shaped: seconds, a dot, six digits. */
  nextTs(): string {
    this.#lastTsMicros = Math.max(this.now() * MICROS_PER_MS, this.#lastTsMicros + MIN_TS_STEP_MICROS);
    const micros = Math.floor(this.#lastTsMicros);
    return `${Math.floor(micros / MICROS_PER_SECOND)}.${String(micros % MICROS_PER_SECOND).padStart(6, '0')}`;
  }

  /** The message at `ts` in `channel`, unless it was deleted. */
  find(channel: string, ts: string): PostedMessage | undefined {
    return this.messages.find((m) => m.channel === channel && m.ts === ts && !m.deleted);
  }

  checkChannel(args: JsonObject, { membership = true } = {}): string {
    const channel = args.channel;
    if (typeof channel !== 'string' || !CHANNEL_ID.test(channel)) throw new Refusal('channel_not_found');
    // A DM channel exists once the app has one with that person (its first message, or conversations.open).
    if (channel.startsWith('D') && ![...this.#dms.values()].includes(channel)) throw new Refusal('channel_not_found');
    if (membership && this.notInChannel.has(channel)) throw new Refusal('not_in_channel');
    return channel;
  }

  /**
   * The channel a message goes to, as chat.postMessage reads it: a user id (U…, W…) posts in the app's Messages tab
   * with that person, a DM channel (D…) of its own; the app cannot write to itself (Slack: `cannot_dm_bot`).
   */
  checkPostChannel(args: JsonObject): string {
    if (typeof args.channel === 'string' && USER_ID.test(args.channel)) return this.openDm(args.channel);
    return this.checkChannel(args);
  }

  /** The app's DM channel with `user`, opened on first use (conversations.open, or chat.postMessage to a user id). */
  openDm(user: string): string {
    if (user === this.#ourApp.userId) throw new Refusal('cannot_dm_bot');
    let channel = this.#dms.get(user);
    if (!channel) {
      channel = `D${user.slice(1)}`;
      this.#dms.set(user, channel);
    }
    return channel;
  }

  /** The DM channel with `user`, without opening one. */
  dmChannelOf(user: string): string | undefined {
    return this.#dms.get(user);
  }

  /**
   * The thread parent of `thread_ts`. Slack itself may accept an unknown thread_ts and orphan the reply
   * where nobody sees it; the stand-in refuses it, so a test catches the bug.
   */
  checkThread(channel: string, args: JsonObject): string | undefined {
    if (args.thread_ts === undefined || args.thread_ts === '') return undefined;
    if (typeof args.thread_ts !== 'string' || !TS.test(args.thread_ts)) throw new Refusal('invalid_thread_ts');
    const parent = this.find(channel, args.thread_ts);
    if (!parent) throw new Refusal('thread_not_found');
    return parent.thread_ts ?? parent.ts;
  }

  post(channel: string, fields: Pick<PostedMessage, 'text' | 'blocks' | 'metadata' | 'thread_ts' | 'via'>, by: Poster = this.#ourApp): PostedMessage {
    const message: PostedMessage = {
      type: 'message',
      channel,
      ts: this.nextTs(),
      ...(fields.thread_ts ? { thread_ts: fields.thread_ts } : {}),
      text: fields.text,
      ...(fields.blocks ? { blocks: fields.blocks } : {}),
      ...(fields.metadata ? { metadata: fields.metadata } : {}),
      user: by.userId,
      bot_id: by.botId,
      app_id: by.appId,
      team: this.teamId,
      via: fields.via,
      at: this.now(),
    };
    this.messages.push(message);
    return message;
  }

  /** The message as Slack returns it in API answers. */
  wire(message: PostedMessage): JsonObject {
    const { channel: _channel, via: _via, at: _at, deleted: _deleted, ...rest } = message;
    return {
      ...rest,
      bot_profile: {
        id: message.bot_id,
        app_id: message.app_id,
        name: message.app_id === this.appId ? 'offer-bot' : 'another app',
        deleted: false,
        team_id: this.teamId,
      },
    };
  }

  /** The message as conversations.history and .replies return it: metadata only when asked for. */
  readBack(message: PostedMessage, withMetadata: boolean): JsonObject {
    const { metadata, ...rest } = this.wire(message);
    return withMetadata && metadata ? { ...rest, metadata } : rest;
  }
}
