// Use case: find offers by name (the modal's menu, `/offer find`), in a sandbox the channel may use; failures are news, never thrown.
import type { Logger } from '../log.js';
import { failureFacts, type OfferCatalogue, type OfferSummary } from './ports.js';
import type { FailureFacts } from './request.js';
import { chooseSandbox, type SandboxRefusal, type SandboxRules } from './sandboxes.js';

export type FindResult =
  | { type: 'found'; sandbox: string; offers: OfferSummary[]; more: boolean }
  | { type: 'sandbox_refused'; refusal: SandboxRefusal; requested: string; allowed: readonly string[] }
  /** The catalogue failed or ran out of time; `failure` is null when it was not the catalogue's (a bug). */
  | { type: 'search_failed'; sandbox: string; failure: FailureFacts | null };

export interface FindQuery {
  channelId: string;
  /** The one asked for, or null for the channel's default. */
  sandbox: string | null;
  text: string;
  limit: number;
  timeoutMs: number;
}

export function createFindOffers(rules: SandboxRules, offers: Pick<OfferCatalogue, 'searchOffers'>, log: Logger) {
  return async function findOffers(query: FindQuery): Promise<FindResult> {
    // A sandbox the channel may not use is refused before Adobe is asked anything.
    const choice = chooseSandbox(rules, query.channelId, query.sandbox);
    if (!choice.ok) return { type: 'sandbox_refused', refusal: choice.refusal, requested: choice.requested, allowed: choice.allowed };
    const { sandbox } = choice;
    try {
      const page = await offers.searchOffers(sandbox, query.text, { limit: query.limit, timeoutMs: query.timeoutMs });
      return { type: 'found', sandbox, offers: page.offers, more: page.more };
    } catch (error) {
      log.warn({ err: error, sandbox }, 'offer search failed');
      return { type: 'search_failed', sandbox, failure: failureFacts(error) };
    }
  };
}

export type FindOffers = ReturnType<typeof createFindOffers>;
