// Which channels are private, and which private channels a person is in: so requests never show where they should not.
import type { webApi } from '@slack/bolt';
import type { ChannelDirectory } from '../deletion/ports.js';

/** Privacy of a channel changes rarely (a conversion); a minute keeps commands fast. */
const CHANNEL_CACHE_MS = 60_000;
/** users.conversations page size (Slack's maximum is 1000). */
const PAGE = 1000;
// Private channels only: a DM or group DM is never readable through this scope set, so its requests stay hidden.
const PRIVATE_TYPES = 'private_channel';

export function createChannelDirectory(client: webApi.WebClient, now: () => number = Date.now): ChannelDirectory {
  const privacy = new Map<string, { at: number; isPrivate: boolean }>();
  return {
    async isPrivate(channelId) {
      const hit = privacy.get(channelId);
      if (hit && now() - hit.at < CHANNEL_CACHE_MS) return hit.isPrivate;
      try {
        const { channel } = await client.conversations.info({ channel: channelId });
        if (!channel) return null;
        const isPrivate = channel.is_private === true || channel.is_im === true || channel.is_mpim === true;
        privacy.set(channelId, { at: now(), isPrivate });
        return isPrivate;
      } catch {
        return null;
      }
    },
    async privateChannelsOf(userId) {
      const ids: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await client.users.conversations({
          user: userId,
          types: PRIVATE_TYPES,
          exclude_archived: false,
          limit: PAGE,
          ...(cursor ? { cursor } : {}),
        });
        for (const channel of page.channels ?? []) if (channel.id) ids.push(channel.id);
        cursor = page.response_metadata?.next_cursor || undefined;
      } while (cursor);
      return ids;
    },
  };
}
