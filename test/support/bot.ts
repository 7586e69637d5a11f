// The real offer-bot, started in-process against the Slack and Adobe stand-ins, and driven as Slack drives it.
import { Writable } from 'node:stream';
import type { HttpOptions } from '../../src/adobe/http.js';
import { createBot, type Bot as RunningBot } from '../../src/bot.js';
import { loadConfig, type Config } from '../../src/config.js';
import type { DeletionRequest, TransitionRecord } from '../../src/deletion/request.js';
import { createLogger } from '../../src/log.js';
import { ACTION, EVENT_TYPE, OFFER_COMMAND } from '../../src/slack/constants.js';
import type { Store } from '../../src/store/store.js';
import { FAST_HTTP, startAdobeStandins, TEST_CREDENTIALS, type AdobeStandins } from './adobe.js';
import { botEnv, SECRETS } from './env.js';
import { sqliteUrl } from './databases.js';
import { startSlackApi, type PostedMessage, type SlackApi, type SlackApiOptions } from './slack-api.js';
import { startSocketMode, type SocketModeStandIn } from './socket-mode.js';
import { blockActionPayload, sendBlockAction, sendSlashCommand, type SignOptions, type SlackResponse } from './slack-requests.js';
import { viewDriver, type ViewDriver } from './view-driver.js';

export const TEAM = 'T024BE7LD';
export const CHANNEL = 'C024BE91L';
export const ALICE = 'U024BE7LH';
export const BOB = 'U0G9QF9C6';
export const CAROL = 'W012A3CDE';
const BOT_USER = 'U07QX4M1B2C';
export const OFFER_ID = 'dps:personalized-offer:1a4c514f745dbd7c';
export { SECRETS };
const WAIT_MS = 5_000;

export interface BotOptions {
  env?: Record<string, string>;
  usergroups?: Record<string, string[]>;
  /** users.info facts of people who are not plain members of TEAM (guests, other organisations), or whose locale and tz a test sets. */
  users?: SlackApiOptions['users'];
  privateChannels?: SlackApiOptions['privateChannels'];
  databaseUrl?: string;
  /** Reuse stand-ins (e.g. across a restart or for a second replica). */
  slack?: SlackApi;
  adobe?: AdobeStandins;
  /** Lease holder id (a replica restarted on one SQLite file keeps its id). */
  owner?: string;
  /** Connect in Socket Mode through a local WebSocket stand-in instead of listening for HTTP. */
  socketMode?: boolean;
  /** Adobe HTTP settings beyond FAST_HTTP (a short call deadline, a small size cap, a connector that refuses connections). */
  http?: HttpOptions;
}

/** Modals and the Home tab (nextView, submitView, suggest, openHome, nextHome) come from the ViewDriver. */
export interface Bot extends ViewDriver {
  config: Config;
  url: string;
  slack: SlackApi;
  adobe: AdobeStandins;
  store: Store;
  running: RunningBot;
  /** The Socket Mode stand-in, when started with socketMode. */
  socket: SocketModeStandIn | null;
  /** Every log line the bot wrote, as written. */
  logs: string[];
  /** A signed slash command carrying a fresh trigger_id, so the bot may open a modal within 3 s. */
  command(text: string, who?: { user?: string; channel?: string }, sign?: SignOptions): Promise<SlackResponse>;
  /** A signed click carrying a fresh trigger_id. */
  click(decision: keyof typeof ACTION, message: PostedMessage, user: string, sign?: SignOptions): Promise<SlackResponse>;
  nextConfirmation(timeoutMs?: number): Promise<PostedMessage>;
  nextThreadReply(parent: PostedMessage, timeoutMs?: number): Promise<PostedMessage>;
  nextEphemeral(user: string, timeoutMs?: number): Promise<string>;
  nextResponse(predicate?: (text: string) => boolean, timeoutMs?: number): Promise<string>;
  request(confirmation: PostedMessage): Promise<DeletionRequest>;
  transitions(confirmation: PostedMessage): Promise<TransitionRecord[]>;
  /** Work in flight has finished (or the wait ran out). */
  settled(): Promise<void>;
  sweep(): Promise<void>;
  advanceClock(ms: number): void;
  /** Stops the app and closes its store and Adobe connections; the stand-ins stay up. */
  stopApp(): Promise<void>;
  stop(): Promise<void>;
}

export const requestIdOf = (message: PostedMessage): string => String(message.metadata?.event_payload.request_id);
/** Posted by offer-bot, not by another app a test planted (which may carry the same metadata). */
export const ours = (message: PostedMessage): boolean => message.via !== 'another_app';

export async function startBot(options: BotOptions = {}): Promise<Bot> {
  const adobe = options.adobe ?? (await startAdobeStandins({ ...TEST_CREDENTIALS }));
  const slack =
    options.slack ??
    (await startSlackApi({
      botToken: SECRETS.botToken,
      appToken: SECRETS.appToken,
      teamId: TEAM,
      botUserId: BOT_USER,
      botId: 'B07QX4LCA9D',
      usergroups: options.usergroups ?? {},
      users: options.users ?? {},
      privateChannels: options.privateChannels ?? {},
    }));
  const socket = options.socketMode ? await startSocketMode({ api: slack }) : null;
  const databaseUrl = options.databaseUrl ?? sqliteUrl();
  const config = loadConfig({ ...botEnv(slack, adobe, databaseUrl, socket !== null), ...options.env });
  config.slack.port = 0;

  const logs: string[] = [];
  const log = createLogger(
    config.logLevel,
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        logs.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    }),
  );
  let clockOffset = 0;
  const now = () => Date.now() + clockOffset;
  const running = await createBot(config, {
    log,
    now,
    slackRetry: { retries: 0 },
    http: { ...FAST_HTTP, ...options.http },
    ...(options.owner ? { owner: options.owner } : {}),
  });
  const { store } = running;
  const { port } = await running.start();
  const url = `http://127.0.0.1:${port}/slack/events`;

  const seen = { confirmations: 0, responses: 0, replies: new Map<string, number>(), ephemerals: new Map<string, number>() };
  let responseCount = 0;
  const take = <T>(list: T[], from: number, predicate: (item: T) => boolean): { item: T; index: number } | undefined => {
    for (let index = from; index < list.length; index += 1) if (predicate(list[index]!)) return { item: list[index]!, index };
    return undefined;
  };
  let appStopped = false;

  const bot: Bot = {
    config,
    url,
    slack,
    adobe,
    store,
    running,
    socket,
    logs,
    ...viewDriver({ url, signingSecret: SECRETS.signingSecret, slack, teamId: TEAM, botUserId: BOT_USER }),
    command(text, who = {}, sign = {}) {
      const channel = who.channel ?? CHANNEL;
      const user = who.user ?? ALICE;
      responseCount += 1;
      return sendSlashCommand(
        url,
        SECRETS.signingSecret,
        {
          text,
          user_id: user,
          channel_id: channel,
          team_id: TEAM,
          command: OFFER_COMMAND,
          response_url: slack.responseUrl(`command-${responseCount}`, { channel, userId: user }),
          trigger_id: slack.issueTrigger(user),
        },
        sign,
      );
    },
    /** A signed click carrying a fresh trigger_id. */
    click(decision, message, user, sign = {}) {
      responseCount += 1;
      const payload = blockActionPayload({
        user_id: user,
        action_id: ACTION[decision],
        message,
        team_id: TEAM,
        response_url: slack.responseUrl(`click-${responseCount}`, { channel: message.channel, messageTs: message.ts, userId: user }),
        trigger_id: slack.issueTrigger(user),
      });
      return sendBlockAction(url, SECRETS.signingSecret, payload, sign);
    },
    async nextConfirmation(timeoutMs = WAIT_MS) {
      const found = await slack.waitFor(
        () => take(slack.messages, seen.confirmations, (m) => ours(m) && m.metadata?.event_type === EVENT_TYPE.requested && !m.thread_ts),
        timeoutMs,
      );
      seen.confirmations = found.index + 1;
      return found.item;
    },
    async nextThreadReply(parent, timeoutMs = WAIT_MS) {
      const from = seen.replies.get(parent.ts) ?? 0;
      const found = await slack.waitFor(() => take(slack.messages, from, (m) => ours(m) && m.thread_ts === parent.ts), timeoutMs);
      seen.replies.set(parent.ts, found.index + 1);
      return found.item;
    },
    async nextEphemeral(user, timeoutMs = WAIT_MS) {
      const from = seen.ephemerals.get(user) ?? 0;
      const found = await slack.waitFor(() => take(slack.ephemerals, from, (m) => m.user === user && m.via === 'chat.postEphemeral'), timeoutMs);
      seen.ephemerals.set(user, found.index + 1);
      return found.item.text;
    },
    async nextResponse(predicate = () => true, timeoutMs = WAIT_MS) {
      const found = await slack.waitFor(
        () => take(slack.responses, seen.responses, (r) => typeof r.body.text === 'string' && predicate(r.body.text)),
        timeoutMs,
      );
      seen.responses = found.index + 1;
      return String(found.item.body.text);
    },
    async request(confirmation) {
      const request = await store.getRequest(requestIdOf(confirmation));
      if (!request) throw new Error(`no stored request for message ${confirmation.ts}`);
      return request;
    },
    transitions: (confirmation) => store.transitions(requestIdOf(confirmation)),
    async settled() {
      // Clicks and commands are acked before their work starts: give the listeners a moment to hand it over.
      await new Promise((resolve) => setTimeout(resolve, 50));
      await running.workflow.waitUntilIdle(WAIT_MS);
    },
    sweep: () => running.sweep(),
    advanceClock(ms) {
      clockOffset += ms;
    },
    async stopApp() {
      if (appStopped) return;
      appStopped = true;
      await running.stop();
    },
    async stop() {
      await bot.stopApp();
      await socket?.close();
      if (!options.slack) await slack.close();
      if (!options.adobe) await adobe.close();
    },
  };
  return bot;
}
