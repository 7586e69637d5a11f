// Who a Slack user is (users.info): their own workspace and organisation, and whether they are a guest; cached briefly.
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
  }),
});

export function createPeopleDirectory(client: webApi.WebClient, now: () => number = Date.now): PeopleDirectory {
  const cache = new Map<string, { at: number; person: Promise<Person> }>();

  async function lookUp(userId: string): Promise<Person> {
    const parsed = userInfo.safeParse(await client.users.info({ user: userId }));
    if (!parsed.success) throw new Error('users.info answered without the user fields offer-bot needs');
    const { user } = parsed.data;
    return {
      id: user.id,
      teamId: user.team_id ?? null,
      enterpriseId: user.enterprise_user?.enterprise_id ?? null,
      guest: user.is_restricted === true || user.is_ultra_restricted === true,
      external: user.is_stranger === true,
    };
  }

  return {
    describe(userId) {
      const hit = cache.get(userId);
      if (hit && now() - hit.at < PERSON_CACHE_MS) return hit.person;
      // Concurrent clicks share one look-up; a failed one is forgotten at once.
      const person = lookUp(userId);
      cache.set(userId, { at: now(), person });
      person.catch(() => cache.delete(userId));
      return person;
    },
  };
}
