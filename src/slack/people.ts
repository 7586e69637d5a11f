// Who a Slack user is (users.info): their workspace, organisation and guest status, and their locale and time zone; cached briefly.
import type { webApi } from '@slack/bolt';
import { z } from 'zod';
import type { Person } from '../deletion/approval-policy.js';
import type { PeopleDirectory } from '../deletion/ports.js';

/** Guest status and workspace change rarely; a minute keeps clicks fast without trusting stale facts for long. */
const PERSON_CACHE_MS = 60_000;

/** The users.info fields the policy relies on; anything missing means "not a guest", as Slack omits false flags. */
const userInfo = z.object({
  user: z.object({
    id: z.string().min(1),
    team_id: z.string().optional(),
    is_restricted: z.boolean().optional(),
    is_ultra_restricted: z.boolean().optional(),
    is_stranger: z.boolean().optional(),
    enterprise_user: z.object({ enterprise_id: z.string().optional() }).optional(),
    // Sent only when asked for with include_locale.
    locale: z.string().optional(),
    tz: z.string().optional(),
  }),
});

/** What offer-bot needs to word a private text for someone: their Slack locale (`sv-SE`) and time zone, when Slack says. */
export interface Reader {
  locale: string | null;
  tz: string | null;
}

export interface ReaderDirectory {
  /** The reader's locale and time zone. Throws when Slack cannot tell (callers fall back to English). */
  readerOf(userId: string): Promise<Reader>;
}

interface UserFacts {
  person: Person;
  reader: Reader;
}

export function createPeopleDirectory(client: webApi.WebClient, now: () => number = Date.now): PeopleDirectory & ReaderDirectory {
  const cache = new Map<string, { at: number; facts: Promise<UserFacts> }>();

  async function lookUp(userId: string): Promise<UserFacts> {
    const parsed = userInfo.safeParse(await client.users.info({ user: userId, include_locale: true }));
    if (!parsed.success) throw new Error('users.info answered without the user fields offer-bot needs');
    const { user } = parsed.data;
    return {
      person: {
        id: user.id,
        teamId: user.team_id ?? null,
        enterpriseId: user.enterprise_user?.enterprise_id ?? null,
        guest: user.is_restricted === true || user.is_ultra_restricted === true,
        external: user.is_stranger === true,
      },
      reader: { locale: user.locale ?? null, tz: user.tz ?? null },
    };
  }

  function factsOf(userId: string): Promise<UserFacts> {
    const hit = cache.get(userId);
    if (hit && now() - hit.at < PERSON_CACHE_MS) return hit.facts;
    // Concurrent clicks share one look-up; a failed one is forgotten at once.
    const facts = lookUp(userId);
    cache.set(userId, { at: now(), facts });
    facts.catch(() => cache.delete(userId));
    return facts;
  }

  return {
    describe: async (userId) => (await factsOf(userId)).person,
    readerOf: async (userId) => (await factsOf(userId)).reader,
  };
}
