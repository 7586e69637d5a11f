// Searching offers by name: the filter sent (typed text taken literally), paging by _links.next, the deadline, and failures.
import type { Dispatcher } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAdobeDispatcher } from '../../src/adobe/http.js';
import { createTokenProvider } from '../../src/adobe/ims.js';
import { createOfferLibrary, nameFilter, type OfferLibrary } from '../../src/adobe/offer-library.js';
import { createLogger } from '../../src/log.js';
import { FAST_HTTP, TEST_CREDENTIALS, adobeConfig, adobeFailure, anOffer, startAdobeStandins, type AdobeStandins } from '../support/adobe.js';

let adobe: AdobeStandins;
let dispatcher: Dispatcher;
let offers: OfferLibrary;
const SEARCH = { limit: 20, timeoutMs: 2_000 };

beforeEach(async () => {
  adobe = await startAdobeStandins(TEST_CREDENTIALS);
  dispatcher = createAdobeDispatcher(FAST_HTTP);
  const config = adobeConfig(adobe);
  const log = createLogger('silent');
  offers = createOfferLibrary(config, { tokens: createTokenProvider(config, { dispatcher, log }), dispatcher, log });
});
afterEach(async () => {
  await adobe.close();
  await dispatcher.destroy();
});

const lists = () => adobe.requestsTo('offers').filter((request) => request.path.endsWith('/offers'));
const many = (count: number, name: (i: number) => string) =>
  Array.from({ length: count }, (_, i) =>
    anOffer(`dps:personalized-offer:${String(i).padStart(16, '0')}`, { name: name(i), modified: new Date(Date.UTC(2026, 10, 1, 0, i)).toISOString() }),
  );

describe('the name filter', () => {
  it('takes every regex metacharacter literally, letters in any case, and a comma as \\x2C', () => {
    expect(nameFilter('a.b')).toBe('name~.*[aA]\\.[bB].*');
    expect(nameFilter('20% (off)*')).toBe('name~.*20% \\([oO][fF][fF]\\)\\*.*');
    expect(nameFilter('x,y')).toBe('name~.*[xX]\\x2C[yY].*');
    expect(nameFilter('^$|?+[]{}\\')).toBe('name~.*\\^\\$\\|\\?\\+\\[\\]\\{\\}\\\\.*');
  });

  it('matches names literally at the stand-in, which compiles it as the whole-value regex Adobe documents', async () => {
    adobe.seed('prod', anOffer('dps:personalized-offer:aaaa', { name: 'Sale (a.b), 20%+' }), anOffer('dps:personalized-offer:bbbb', { name: 'Sale aXb' }));
    const page = await offers.searchOffers('prod', 'A.B), 20%+', SEARCH);
    expect(page.offers.map((offer) => offer.id)).toEqual(['dps:personalized-offer:aaaa']);
  });
});

describe('searchOffers', () => {
  it('asks for personalized offers by name, newest first, with the limit, in the sandbox named', async () => {
    const page = await offers.searchOffers('prod', 'winter', SEARCH);
    expect(page.offers.map((offer) => offer.name)).toEqual(['Winter sale 20% off']);
    expect(page.more).toBe(false);
    const [request] = lists();
    expect(request?.params.get('offer-type')).toBe('personalized');
    expect(request?.params.get('property')).toBe('name~.*[wW][iI][nN][tT][eE][rR].*');
    expect(request?.params.get('orderBy')).toBe('-modified');
    expect(request?.params.get('limit')).toBe('20');
    expect(request?.headers['x-sandbox-name']).toBe('prod');
  });

  it('follows _links.next until it has the limit, and says there are more', async () => {
    adobe.seed('prod', ...many(7, (i) => `Spring promo ${i}`));
    adobe.listPageSize = 2;
    const page = await offers.searchOffers('prod', 'spring', { ...SEARCH, limit: 5 });
    expect(page.offers.map((offer) => offer.name)).toEqual(['Spring promo 6', 'Spring promo 5', 'Spring promo 4', 'Spring promo 3', 'Spring promo 2']);
    expect(page.more).toBe(true);
    expect(lists().map((request) => [request.params.get('limit'), request.params.get('start') !== null])).toEqual([
      ['5', false],
      ['3', true],
      ['1', true],
    ]);
  });

  it('never asks for more than 100 in a page, and stops when the list ends', async () => {
    adobe.seed('prod', ...many(3, (i) => `Autumn ${i}`));
    const page = await offers.searchOffers('prod', 'autumn', { ...SEARCH, limit: 500 });
    expect(page.offers).toHaveLength(3);
    expect(page.more).toBe(false);
    expect(lists()[0]?.params.get('limit')).toBe('100');
  });

  it('searches the sandbox it names, whose offers are its own', async () => {
    adobe.seed('stage', anOffer('dps:personalized-offer:5555', { name: 'Stage-only winter' }));
    const page = await offers.searchOffers('stage', 'winter', SEARCH);
    expect(page.offers.map((offer) => offer.id)).toEqual(['dps:personalized-offer:5555']);
  });

  it('throws a coded failure on an HTTP error, with the status and Adobe words', async () => {
    adobe.inject({ service: 'offers', method: 'GET', respond: { status: 400, body: { title: 'Bad Request', detail: 'no such property' } } });
    const error = await adobeFailure(offers.searchOffers('prod', 'winter', SEARCH));
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/HTTP 400: Bad Request: no such property/);
  });

  it('gives up at its deadline, however Adobe stalls', async () => {
    adobe.inject({ service: 'offers', method: 'GET', times: Infinity, respond: 'hang' });
    const started = Date.now();
    const error = await adobeFailure(offers.searchOffers('prod', 'winter', { ...SEARCH, timeoutMs: 300 }));
    expect(error.code).toBe('ADOBE_UNREACHABLE');
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('refuses an answer that is not a list, or a next link without a start cursor', async () => {
    adobe.inject({ service: 'offers', method: 'GET', respond: { status: 200, body: { items: [] } } });
    expect((await adobeFailure(offers.searchOffers('prod', 'winter', SEARCH))).message).toMatch(/not with a list of offers \(check: results\)/);
    adobe.inject({ service: 'offers', method: 'GET', respond: { status: 200, body: { results: [], _links: { next: { href: 'https://evil.example/x' } } } } });
    expect((await adobeFailure(offers.searchOffers('prod', 'winter', SEARCH))).message).toMatch(/without a usable start cursor/);
  });
});

describe('the stand-in list refuses what the Offer Library refuses', () => {
  it('a missing offer-type, a bad property, an unknown orderBy field, a limit over the maximum, a start it never gave', async () => {
    const token = await createTokenProvider(adobeConfig(adobe), { dispatcher, log: createLogger('silent') }).getToken();
    const headers = {
      authorization: `Bearer ${token}`,
      'x-api-key': TEST_CREDENTIALS.clientId,
      'x-gw-ims-org-id': TEST_CREDENTIALS.orgId,
      'x-sandbox-name': 'prod',
    };
    const status = async (query: string) => (await fetch(`${adobe.offerApiUrl}/offers?${query}`, { headers })).status;
    expect(await status('limit=5')).toBe(400);
    expect(await status('offer-type=personalized&property=name~(')).toBe(400);
    expect(await status('offer-type=personalized&property=colour==red')).toBe(400);
    expect(await status('offer-type=personalized&orderBy=-colour')).toBe(400);
    expect(await status('offer-type=personalized&limit=101')).toBe(400);
    expect(await status('offer-type=personalized&start=123')).toBe(400);
    expect(await status('offer-type=personalized&limit=100&orderBy=-modified&property=name~.*')).toBe(200);
  });
});
