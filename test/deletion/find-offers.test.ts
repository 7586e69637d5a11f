// The search use case: the sandbox is settled before the catalogue is asked; a failure is news, never thrown.
import { describe, expect, it } from 'vitest';
import { AdobeError } from '../../src/adobe/errors.js';
import { createFindOffers } from '../../src/deletion/find-offers.js';
import type { OfferCatalogue } from '../../src/deletion/ports.js';
import { createLogger } from '../../src/log.js';

const RULES = { default: 'prod', byChannel: new Map([['C0OPS', ['stage', 'dev']]]) };
const QUERY = { channelId: 'C0OPS', sandbox: null, text: 'winter', limit: 20, timeoutMs: 1_000 };

function catalogue(answer: () => Promise<{ offers: []; more: boolean }>) {
  const asked: string[] = [];
  const offers: Pick<OfferCatalogue, 'searchOffers'> = {
    searchOffers: async (sandbox) => {
      asked.push(sandbox);
      return answer();
    },
  };
  return { offers, asked };
}

describe('findOffers', () => {
  it('searches the channel’s default sandbox, or the one named when the channel may use it', async () => {
    const { offers, asked } = catalogue(async () => ({ offers: [], more: false }));
    const find = createFindOffers(RULES, offers, createLogger('silent'));
    expect(await find(QUERY)).toEqual({ type: 'found', sandbox: 'stage', offers: [], more: false });
    expect((await find({ ...QUERY, sandbox: 'dev' })).type).toBe('found');
    expect(asked).toEqual(['stage', 'dev']);
  });

  it('refuses an unknown sandbox and one the channel may not use without asking the catalogue', async () => {
    const { offers, asked } = catalogue(async () => ({ offers: [], more: false }));
    const find = createFindOffers(RULES, offers, createLogger('silent'));
    expect(await find({ ...QUERY, sandbox: 'qa' })).toEqual({
      type: 'sandbox_refused',
      refusal: 'sandbox_unknown',
      requested: 'qa',
      allowed: ['stage', 'dev'],
    });
    expect((await find({ ...QUERY, sandbox: 'prod' })).type).toBe('sandbox_refused');
    expect(asked).toEqual([]);
  });

  it('a catalogue failure is news with its facts; anything else is news without them', async () => {
    const failing = catalogue(async () => {
      throw new AdobeError('ADOBE_HTTP', 'the Offer Library answered HTTP 500', { status: 500, requestId: 'r-1' });
    });
    const find = createFindOffers(RULES, failing.offers, createLogger('silent'));
    expect(await find(QUERY)).toMatchObject({ type: 'search_failed', sandbox: 'stage', failure: { status: 500, requestId: 'r-1' } });
    const buggy = catalogue(async () => {
      throw new TypeError('bug');
    });
    expect(await createFindOffers(RULES, buggy.offers, createLogger('silent'))(QUERY)).toEqual({ type: 'search_failed', sandbox: 'stage', failure: null });
  });
});
