// Which Slack messages this app posted: by the bot id auth.test named at start-up, never by metadata alone.

/** The parts of auth.test's answer that say who the bot token belongs to. */
interface AuthTestAnswer {
  bot_id?: string;
  user_id?: string;
  /** Not always in the answer; when it is, a message must carry this app id too. */
  app_id?: string;
}

/** What Slack says of a message's author in conversations.history and conversations.replies. */
export interface AuthoredMessage {
  bot_id?: string;
  app_id?: string;
  bot_profile?: { id?: string; app_id?: string };
}

export interface OwnMessages {
  /** Keeps who this app is; throws when the token is not a bot token (auth.test named no bot id). */
  learn(auth: AuthTestAnswer): void;
  /**
   * Whether this app posted `message`. Any app in a channel can post a message with offer-bot's metadata, and
   * taking its ts for ours would point crash recovery at a message that is not the request's.
   */
  isOurs(message: AuthoredMessage): boolean;
}

export function createOwnMessages(): OwnMessages {
  let self: { botId: string; appId: string | null } | null = null;
  return {
    learn(auth) {
      if (!auth.bot_id) throw new Error('SLACK_BOT_TOKEN is not a bot token: auth.test named no bot_id');
      self = { botId: auth.bot_id, appId: auth.app_id ?? null };
    },
    isOurs(message) {
      // Recovery runs after start-up; asked earlier, saying "not ours" would post twice, so say it loudly instead.
      if (!self) throw new Error('own messages asked about before auth.test answered');
      const { botId, appId } = self;
      // A bot id belongs to one app; the app ids Slack adds must agree with it.
      if (message.bot_id !== botId || (message.bot_profile?.id !== undefined && message.bot_profile.id !== botId)) return false;
      if (appId === null) return true;
      return [message.app_id, message.bot_profile?.app_id].every((id) => id === undefined || id === appId);
    },
  };
}
