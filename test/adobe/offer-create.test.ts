// The Offer Library client's create (POST) and look-up by exact name, against the stand-ins; and the stand-in's own checks.
import type { Dispatcher } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAdobeDispatcher } from '../../src/adobe/http.js';
import { createTokenProvider } from '../../src/adobe/ims.js';
import { createOfferLibrary, type OfferLibrary } from '../../src/adobe/offer-library.js';
import { restoreBody } from '../../src/deletion/restore.js';
import { createLogger } from '../../src/log.js';
import { SERVER_SET_FIELDS } from '../support/adobe-create.js';
import {
  adobeConfig,
  adobeFailure,
  anOffer,
  FAST_HTTP,
  OFFER_API_PATH,
  SEEDED_OFFER_IDS,
  startAdobeStandins,
  TEST_CREDENTIALS,
  type AdobeStandins,
} from '../support/adobe.js';

let adobe: AdobeStandins;
let dispatcher: Dispatcher;
let offers: OfferLibrary;

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

const posts = () => adobe.requestsTo('offers').filter((r) => r.method === 'POST');
const stored = () => JSON.stringify(adobe.offers.get(SEEDED_OFFER_IDS[0])!);

describe('creating an offer (POST)', () => {
  it('POSTs the body as JSON to /offers?offer-type=personalized in the sandbox named, and answers with the new id', async () => {
    const created = await offers.createOffer('prod', restoreBody(stored()));
    expect(created).toMatchObject({ status: 201, id: expect.stringMatching(/^dps:personalized-offer:[0-9a-f]{16}$/) });
    const [post] = posts();
    expect(post).toMatchObject({ path: `${OFFER_API_PATH}/offers`, query: { 'offer-type': 'personalized' } });
    expect(post!.headers).toMatchObject({ 'content-type': 'application/json', 'x-sandbox-name': 'prod' });
    expect(adobe.offers.get(created.id)?.name).toBe('Winter sale 20% off');
  });

  it('the stored JSON without the server-set fields is what Adobe accepts; with any of them the stand-in refuses, as Adobe does', async () => {
    const body = restoreBody(JSON.stringify({ ...JSON.parse(stored()), 'repo:createdDate': '2026-10-02', _links: { self: {} }, sandboxId: 'x' }));
    for (const field of [...SERVER_SET_FIELDS, 'repo:createdDate']) expect(body).not.toHaveProperty(field);
    expect(body).toHaveProperty('representations');
    const refused = await adobeFailure(offers.createOffer('prod', JSON.parse(stored()) as Record<string, unknown>));
    expect(refused.status).toBe(400);
    expect(refused.adobeMessage).toMatch(/Read-only field\(s\) .* cannot be set/);
    for (const field of ['id', 'etag', 'created', 'modified', 'createdBy', 'lastModifiedBy']) expect(refused.adobeMessage).toContain(`'${field}'`);
    expect(adobe.created).toHaveLength(0);
  });

  it('takes the new id from Location when the body has none', async () => {
    adobe.inject({
      service: 'offers',
      method: 'POST',
      respond: { status: 201, headers: { location: `${OFFER_API_PATH}/offers/dps:personalized-offer:00aa00aa00aa00aa` }, body: '' },
    });
    expect((await offers.createOffer('prod', restoreBody(stored()))).id).toBe('dps:personalized-offer:00aa00aa00aa00aa');
  });

  it('a 2xx naming no offer id is a bad response (the caller checks by name), not a success', async () => {
    adobe.inject({ service: 'offers', method: 'POST', respond: { status: 201, body: { ok: true } } });
    const failure = await adobeFailure(offers.createOffer('prod', restoreBody(stored())));
    expect(failure.code).toBe('ADOBE_BAD_RESPONSE');
  });

  it.each([
    ['a 500', { status: 500, body: { error_code: '500050', message: 'Internal Server Error' } }],
    ['a reset', 'reset' as const],
    ['no answer', 'hang' as const],
  ])('is never sent twice after %s: it may have been applied', async (_, respond) => {
    adobe.inject({ service: 'offers', method: 'POST', times: 4, respond });
    await adobeFailure(offers.createOffer('prod', restoreBody(stored())));
    expect(posts()).toHaveLength(1);
  });

  it('is sent again after a 429: Adobe said it did nothing', async () => {
    adobe.inject({
      service: 'offers',
      method: 'POST',
      respond: { status: 429, headers: { 'retry-after': '0' }, body: { error_code: '429050', message: 'Too Many Requests' } },
    });
    expect((await offers.createOffer('prod', restoreBody(stored()))).status).toBe(201);
    expect(posts()).toHaveLength(2);
    expect(adobe.created).toHaveLength(1);
  });
});

describe('offers by exact name', () => {
  it('lists with an anchored, case-exact property=name~^…$, and keeps only the exact name', async () => {
    adobe.seed('prod', anOffer('personalizedOffer5678', { name: 'Winter sale 20% off' }), anOffer('personalizedOffer9999', { name: 'Winter sale 20% off!' }));
    const found = await offers.offersNamed('prod', 'Winter sale 20% off');
    expect(found.ids.sort()).toEqual([SEEDED_OFFER_IDS[0], 'personalizedOffer5678'].sort());
    const [list] = adobe.requestsTo('offers').filter((r) => r.method === 'GET');
    expect(list!.query).toMatchObject({ 'offer-type': 'personalized', property: 'name~^Winter sale 20% off$' });
  });

  it('finds a name with a comma and regex metacharacters exactly: the comma as \\x2C (the API splits property on commas), no other case, nothing looser', async () => {
    const name = 'Sale, 20% off (v2.1) [EU]*';
    adobe.seed(
      'prod',
      anOffer('personalizedOfferC1', { name }),
      anOffer('personalizedOfferC2', { name: 'sale, 20% off (v2.1) [eu]*' }),
      anOffer('personalizedOfferC3', { name: 'Sale, 20% off (v2x1) [EU]*' }),
      anOffer('personalizedOfferC4', { name: `${name} copy` }),
      anOffer('personalizedOfferC5', { name: 'Sale' }),
    );
    expect(await offers.offersNamed('prod', name)).toMatchObject({ ids: ['personalizedOfferC1'] });
    const [list] = adobe.requestsTo('offers').filter((r) => r.method === 'GET');
    expect(list!.query.property).toBe('name~^Sale\\x2C 20% off \\(v2\\.1\\) \\[EU\\]\\*$');
    expect(list!.query.property).not.toContain(',');
  });

  it('follows _links.next until it is absent', async () => {
    const many = Array.from({ length: 150 }, (_, i) => anOffer(`personalizedOfferN${i}`, { name: 'N' }));
    adobe.seed('prod', ...many);
    expect((await offers.offersNamed('prod', 'N')).ids.sort()).toEqual(many.map((offer) => offer.id).sort());
    expect(adobe.requestsTo('offers').filter((r) => r.method === 'GET').length).toBeGreaterThanOrEqual(2);
  });
});
