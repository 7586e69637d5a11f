// The Web API methods the stand-in answers, each with the token kinds it takes and the checks Slack makes.
import { type Answer, ok, Refusal } from './http.js';
import { readBlocks, readMetadata, readText, TS, USER_ID } from './message-fields.js';
import type { EphemeralMessage, JsonObject, SlackApiOptions, SocketModeLink, TokenKind } from './types.js';
import type { Views } from './views.js';
import type { Workspace } from './workspace.js';

export interface WebApiMethod {
  tokens: ReadonlyArray<TokenKind>;
  run: (ctx: { args: JsonObject; token: TokenKind }) => Answer;
}

/** `include_all_metadata` as Slack reads it, from a form field or a JSON body. */
const wantsMetadata = (args: JsonObject) => args.include_all_metadata === true || args.include_all_metadata === 'true';
/** `include_locale` as Slack reads it, from a form field or a JSON body. */
const wantsLocale = (args: JsonObject) => args.include_locale === true || args.include_locale === 'true';
/** What users.info says of someone whose locale or time zone a test did not set: Slack's own defaults. */
const DEFAULT_LOCALE = 'en-US';
const DEFAULT_TZ = 'America/Los_Angeles';

export function webApiMethods(
  workspace: Workspace,
  views: Views,
  opts: SlackApiOptions,
  socketMode: () => SocketModeLink | undefined,
): Record<string, WebApiMethod> {
  const teamDomain = opts.teamDomain ?? 'example';
  const usergroups = opts.usergroups ?? {};
  const users = opts.users ?? {};
  const privateChannels = opts.privateChannels ?? {};

  return {
    // views.open, views.push, views.update, views.publish.
    ...views.methods(),
    'auth.test': {
      tokens: ['bot'],
      run: () =>
        ok({
          url: `https://${teamDomain}.slack.com/`,
          team: teamDomain,
          user: 'offer-bot',
          team_id: opts.teamId,
          user_id: opts.botUserId,
          bot_id: opts.botId,
          is_enterprise_install: false,
        }),
    },
    'chat.postMessage': {
      tokens: ['bot'],
      run: ({ args }) => {
        const channel = workspace.checkPostChannel(args);
        const blocks = readBlocks(args);
        const text = readText(args, blocks) ?? '';
        const metadata = readMetadata(args);
        const threadTs = workspace.checkThread(channel, args);
        const message = workspace.post(channel, { text, blocks, metadata, thread_ts: threadTs, via: 'chat.postMessage' });
        return ok({ channel, ts: message.ts, message: workspace.wire(message) });
      },
    },
    'chat.update': {
      tokens: ['bot'],
      run: ({ args }) => {
        const channel = workspace.checkChannel(args, { membership: false });
        if (typeof args.ts !== 'string' || !TS.test(args.ts)) throw new Refusal('message_not_found');
        const message = workspace.find(channel, args.ts);
        if (!message) throw new Refusal('message_not_found');
        const blocks = readBlocks(args);
        const text = readText(args, blocks);
        const metadata = readMetadata(args);
        // Slack keeps what an update leaves out: blocks (unless `[]` is sent), metadata.
        if (text !== undefined) message.text = text;
        if (blocks !== undefined && blocks.length > 0) message.blocks = blocks;
        else if (blocks !== undefined) delete message.blocks;
        if (metadata !== undefined) message.metadata = metadata;
        message.edited = { ts: workspace.nextTs() };
        workspace.updates.push({
          channel,
          ts: message.ts,
          text: message.text,
          ...(message.blocks ? { blocks: message.blocks } : {}),
          ...(message.metadata ? { metadata: message.metadata } : {}),
          via: 'chat.update',
          at: workspace.now(),
        });
        return ok({ channel, ts: message.ts, text: message.text, message: workspace.wire(message) });
      },
    },
    'chat.postEphemeral': {
      tokens: ['bot'],
      run: ({ args }) => {
        const channel = workspace.checkChannel(args);
        if (typeof args.user !== 'string' || !USER_ID.test(args.user)) throw new Refusal('user_not_found');
        const blocks = readBlocks(args);
        const text = readText(args, blocks) ?? '';
        const threadTs = workspace.checkThread(channel, args);
        const ephemeral: EphemeralMessage = {
          channel,
          user: args.user,
          text,
          ...(blocks ? { blocks } : {}),
          ...(threadTs ? { thread_ts: threadTs } : {}),
          message_ts: workspace.nextTs(),
          via: 'chat.postEphemeral',
          at: workspace.now(),
        };
        workspace.ephemerals.push(ephemeral);
        return ok({ message_ts: ephemeral.message_ts });
      },
    },
    // Reading back what was posted (channels:history / groups:history). Metadata only with include_all_metadata, as Slack does.
    'conversations.history': {
      tokens: ['bot'],
      run: ({ args }) => {
        const channel = workspace.checkChannel(args);
        const oldest = typeof args.oldest === 'string' ? Number(args.oldest) : 0;
        const withMetadata = wantsMetadata(args);
        const found = workspace.messages
          .filter((m) => m.channel === channel && !m.deleted && (!m.thread_ts || m.thread_ts === m.ts) && Number(m.ts) > oldest)
          .reverse()
          .map((m) => workspace.readBack(m, withMetadata));
        return ok({ messages: found, has_more: false });
      },
    },
    'conversations.replies': {
      tokens: ['bot'],
      run: ({ args }) => {
        const channel = workspace.checkChannel(args);
        if (typeof args.ts !== 'string' || !TS.test(args.ts) || !workspace.find(channel, args.ts)) throw new Refusal('thread_not_found');
        const parent = args.ts;
        const withMetadata = wantsMetadata(args);
        const found = workspace.messages
          .filter((m) => m.channel === channel && !m.deleted && (m.ts === parent || m.thread_ts === parent))
          .map((m) => workspace.readBack(m, withMetadata));
        return ok({ messages: found, has_more: false });
      },
    },
    // A DM with one person (im:write): its channel, opened if need be. Several users would make a group DM, which offer-bot never opens.
    'conversations.open': {
      tokens: ['bot'],
      run: ({ args }) => {
        const users = typeof args.users === 'string' ? args.users.split(',') : [];
        if (users.length !== 1 || !USER_ID.test(users[0]!)) throw new Refusal(users.length === 0 ? 'users_list_not_supplied' : 'user_not_found');
        return ok({ channel: { id: workspace.openDm(users[0]!) } });
      },
    },
    'usergroups.users.list': {
      tokens: ['bot'],
      run: ({ args }) => {
        if (typeof args.usergroup !== 'string' || args.usergroup === '') throw new Refusal('invalid_arguments');
        const users = usergroups[args.usergroup];
        if (!users) throw new Refusal('no_such_subteam');
        return ok({ users: [...users] });
      },
    },
    'users.info': {
      tokens: ['bot'],
      run: ({ args }) => {
        if (typeof args.user !== 'string' || !USER_ID.test(args.user)) throw new Refusal('user_not_found');
        const facts = users[args.user] ?? {};
        const teamId = facts.team_id ?? opts.teamId;
        // Slack leaves out the guest flags' false values for people of other organisations; it always sends them for its own.
        return ok({
          user: {
            id: args.user,
            team_id: teamId,
            name: args.user.toLowerCase(),
            deleted: false,
            is_bot: false,
            tz: facts.tz ?? DEFAULT_TZ,
            // Slack sends the locale only to a caller that asks for it.
            ...(wantsLocale(args) ? { locale: facts.locale ?? DEFAULT_LOCALE } : {}),
            is_restricted: facts.is_restricted ?? false,
            is_ultra_restricted: facts.is_ultra_restricted ?? false,
            ...(facts.is_stranger ? { is_stranger: true } : {}),
            ...(facts.enterprise_id
              ? { enterprise_user: { id: args.user, enterprise_id: facts.enterprise_id, enterprise_name: 'Example Org', teams: [teamId] } }
              : {}),
          },
        });
      },
    },
    'conversations.info': {
      tokens: ['bot'],
      run: ({ args }) => {
        const channel = workspace.checkChannel(args, { membership: false });
        const members = privateChannels[channel];
        // A private channel the bot is not in does not exist, as far as Slack tells the bot.
        if (members && workspace.notInChannel.has(channel)) throw new Refusal('channel_not_found');
        const isIm = channel.startsWith('D');
        return ok({ channel: { id: channel, is_channel: !isIm, is_im: isIm, is_mpim: false, is_private: members !== undefined || isIm, is_archived: false } });
      },
    },
    'users.conversations': {
      tokens: ['bot'],
      run: ({ args }) => {
        if (typeof args.user !== 'string' || !USER_ID.test(args.user)) throw new Refusal('user_not_found');
        const types = String(args.types ?? 'public_channel').split(',');
        if (!types.includes('private_channel')) return ok({ channels: [], response_metadata: { next_cursor: '' } });
        const user = args.user;
        const found = Object.entries(privateChannels)
          .filter(([channel, members]) => members.includes(user) && !workspace.notInChannel.has(channel))
          .map(([channel]) => ({ id: channel, is_private: true, is_channel: true }));
        return ok({ channels: found, response_metadata: { next_cursor: '' } });
      },
    },
    'apps.connections.open': {
      tokens: ['app'],
      run: () => {
        const link = socketMode();
        if (!link) throw new Refusal('socket_mode_stand_in_not_attached');
        return ok({ url: link.connectionUrl() });
      },
    },
  };
}
