// OFFER_APPROVERS (and OFFER_APPROVERS_<SANDBOX>) resolved to user ids: user ids as given, user groups through usergroups.users.list, cached briefly.
import type { webApi } from '@slack/bolt';
import type { ApproverDirectory } from '../deletion/ports.js';

/** Group membership changes rarely; a minute keeps clicks fast without trusting stale lists for long. */
const USERGROUP_CACHE_MS = 60_000;

type Resolve = () => Promise<ReadonlySet<string> | null>;

/** One configured list (or none: anyone may decide), its user groups resolved and cached. */
function listResolver(configured: readonly string[] | null, client: webApi.WebClient, now: () => number): Resolve {
  if (!configured) return async () => null;
  const users = configured.filter((id) => !id.startsWith('S'));
  const groups = configured.filter((id) => id.startsWith('S'));
  let cached: { at: number; ids: ReadonlySet<string> } | null = null;
  let inFlight: Promise<ReadonlySet<string>> | null = null;

  async function resolve(): Promise<ReadonlySet<string>> {
    const members = await Promise.all(groups.map(async (usergroup) => (await client.usergroups.users.list({ usergroup })).users ?? []));
    return new Set([...users, ...members.flat()]);
  }

  return async () => {
    if (groups.length === 0) return new Set(users);
    if (cached && now() - cached.at < USERGROUP_CACHE_MS) return cached.ids;
    // Concurrent clicks share one look-up.
    inFlight ??= resolve()
      .then((ids) => {
        cached = { at: now(), ids };
        return ids;
      })
      .finally(() => {
        inFlight = null;
      });
    return inFlight;
  };
}

/** `configured`: OFFER_APPROVERS, for every sandbox without its own list in `bySandbox` (OFFER_APPROVERS_<SANDBOX>). */
export function createApproverDirectory(
  configured: readonly string[] | null,
  client: webApi.WebClient,
  now: () => number = Date.now,
  bySandbox: ReadonlyMap<string, readonly string[]> = new Map(),
): ApproverDirectory {
  const fallback = listResolver(configured, client, now);
  const own = new Map([...bySandbox].map(([sandbox, ids]) => [sandbox, listResolver(ids, client, now)]));
  return { whoMayDecide: (sandbox) => (own.get(sandbox) ?? fallback)() };
}
