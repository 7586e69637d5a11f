// The Offer Library client against the stand-ins: URLs, headers, answers, token replacement and hostile ids.
import type { Dispatcher } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXCERPT_LENGTH, createAdobeDispatcher } from '../../src/adobe/http.js';
import { createTokenProvider } from '../../src/adobe/ims.js';
import { createOfferLibrary, type OfferLibrary } from '../../src/adobe/offer-library.js';
import type { Config } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import {
  anOffer,
  FAST_HTTP,
  SEEDED_OFFER_IDS,
  TEST_CREDENTIALS,
  adobeConfig,
  adobeFailure,
  secretPiecesIn,
  startAdobeStandins,
  type AdobeStandins,
} from '../support/adobe.js';

const OFFER_ID = SEEDED_OFFER_IDS[0];
let adobe: AdobeStandins;
let dispatcher: Dispatcher;
let offers: OfferLibrary;

function offerLibrary(overrides: Partial<Config['adobe']> = {}): OfferLibrary {
  const config = adobeConfig(adobe, overrides);
  const log = createLogger('silent');
  return createOfferLibrary(config, { tokens: createTokenProvider(config, { dispatcher, log }), dispatcher, log });
}

beforeEach(async () => {
  adobe = await startAdobeStandins(TEST_CREDENTIALS);
  dispatcher = createAdobeDispatcher(FAST_HTTP);
  offers = offerLibrary();
});
afterEach(async () => {
  await adobe.close();
  await dispatcher.destroy();
});

const offerRequests = () => adobe.requestsTo('offers');

describe('sandboxes', () => {
  it('sends each call to the sandbox it names, on one token for the organisation', async () => {
    adobe.seed('stage', anOffer('personalizedOffer5678'));
    expect((await offers.getOffer('stage', 'personalizedOffer5678')).found).toBe(true);
    expect((await offers.getOffer('prod', 'personalizedOffer5678')).found).toBe(false);
    expect(await offers.deleteOffer('stage', 'personalizedOffer5678')).toMatchObject({ alreadyGone: false, status: 200 });
    expect(offerRequests().map((request) => [request.method, request.headers['x-sandbox-name']])).toEqual([
      ['GET', 'stage'],
      ['GET', 'prod'],
      ['DELETE', 'stage'],
    ]);
    expect(adobe.tokensIssued).toHaveLength(1);
  });

  it('retries a refused token in the same sandbox', async () => {
    adobe.seed('stage', anOffer('personalizedOffer5678'));
    await offers.getOffer('stage', 'personalizedOffer5678');
    adobe.revokeTokens();
    expect(await offers.deleteOffer('stage', 'personalizedOffer5678')).toMatchObject({ alreadyGone: false });
    expect(offerRequests().map((request) => [request.method, request.headers['x-sandbox-name']])).toEqual([
      ['GET', 'stage'],
      ['DELETE', 'stage'],
      ['DELETE', 'stage'],
    ]);
    expect(adobe.tokensIssued).toHaveLength(2);
  });

  it("tells a sandbox the organisation does not have from a missing offer: Adobe's 400, not found: false", async () => {
    const error = await adobeFailure(offers.getOffer('qa', OFFER_ID));
    expect(error).toMatchObject({ code: 'ADOBE_HTTP', status: 400, adobeMessage: expect.stringContaining("x-sandbox-name 'qa'") });
  });
});

describe('looking an offer up', () => {
  it('calls the documented URL with the id as-is, colons unencoded, and all four headers', async () => {
    await offers.getOffer('prod', OFFER_ID);
    const [request] = offerRequests();
    expect(request?.method).toBe('GET');
    expect(request?.path).toBe('/data/core/dps/offers/dps:personalized-offer:1a4c514f745dbd7c');
    expect(request?.query).toEqual({ 'offer-type': 'personalized' });
    expect(request?.headers).toMatchObject({
      authorization: `Bearer ${adobe.tokensIssued[0]}`,
      'x-api-key': TEST_CREDENTIALS.clientId,
      'x-gw-ims-org-id': TEST_CREDENTIALS.orgId,
      'x-sandbox-name': TEST_CREDENTIALS.sandbox,
      accept: '*,application/json',
    });
  });

  it('returns the offer, the fields it does not know, the body as received and the request id', async () => {
    const stored = adobe.offers.get(OFFER_ID);
    const result = await offers.getOffer('prod', OFFER_ID);
    expect(result).toEqual({
      found: true,
      offer: stored,
      json: JSON.stringify(stored),
      requestId: offerRequests()[0]?.answeredWithId,
    });
    expect(result.found && result.offer.decisioningHints).toEqual({ region: 'EMEA', experimental: true });
  });

  it('sees a changed offer: etag and modified as Adobe now has them', async () => {
    const changed = adobe.modifyOffer(OFFER_ID);
    const result = await offers.getOffer('prod', OFFER_ID);
    expect(result.found && { etag: result.offer.etag, modified: result.offer.modified }).toEqual({
      etag: changed.etag,
      modified: changed.modified,
    });
  });

  it('answers found: false, with the request id, for an offer Adobe does not have', async () => {
    const result = await offers.getOffer('prod', 'dps:personalized-offer:0000000000000000');
    expect(result).toEqual({ found: false, requestId: offerRequests()[0]?.answeredWithId });
  });

  it('treats a 200 whose body is not JSON as a bad response', async () => {
    adobe.inject({ service: 'offers', respond: 'malformed-json' });
    const error = await adobeFailure(offers.getOffer('prod', OFFER_ID));
    expect(error).toMatchObject({ code: 'ADOBE_BAD_RESPONSE', status: 200, requestId: offerRequests()[0]?.answeredWithId });
  });

  it('treats a 200 that is not an offer as a bad response', async () => {
    adobe.inject({ service: 'offers', respond: { status: 200, body: { id: OFFER_ID, name: 'No status here' } } });
    const error = await adobeFailure(offers.getOffer('prod', OFFER_ID));
    expect(error.code).toBe('ADOBE_BAD_RESPONSE');
    expect(error.message).toMatch(/status/);
  });

  it('treats a 200 for some other offer as a bad response', async () => {
    adobe.inject({ service: 'offers', respond: { status: 200, body: { id: SEEDED_OFFER_IDS[1], name: 'Other', status: 'approved' } } });
    expect((await adobeFailure(offers.getOffer('prod', OFFER_ID))).code).toBe('ADOBE_BAD_RESPONSE');
  });

  it('reports a conflict with its title and detail', async () => {
    adobe.inject({
      service: 'offers',
      method: 'DELETE',
      respond: { status: 409, body: { type: 'x', title: 'Conflict', status: 409, detail: 'The offer is used by collection Winter.' } },
    });
    const error = await adobeFailure(offers.deleteOffer('prod', OFFER_ID));
    expect(error).toMatchObject({ code: 'ADOBE_HTTP', status: 409, adobeMessage: 'Conflict: The offer is used by collection Winter.' });
    expect(adobe.offers.has(OFFER_ID)).toBe(true);
  });
});

describe('deleting an offer', () => {
  it('sends DELETE to the same URL, gets 200 with an empty body, after which the offer is 404', async () => {
    const result = await offers.deleteOffer('prod', OFFER_ID);
    const id = offerRequests()[0]?.answeredWithId;
    expect(result).toEqual({ alreadyGone: false, status: 200, requestId: id, attempts: [{ at: expect.any(Number), status: 200, error: null, requestId: id }] });
    const [request] = offerRequests();
    expect(request?.method).toBe('DELETE');
    expect(request?.path).toBe('/data/core/dps/offers/dps:personalized-offer:1a4c514f745dbd7c');
    expect(request?.query).toEqual({ 'offer-type': 'personalized' });
    expect((await offers.getOffer('prod', OFFER_ID)).found).toBe(false);
  });

  it('reports an offer someone else already deleted as already gone', async () => {
    adobe.offers.delete(OFFER_ID);
    expect(await offers.deleteOffer('prod', OFFER_ID)).toMatchObject({ alreadyGone: true, status: 404 });
  });
});

describe('a refused access token', () => {
  it('is replaced by exactly one new token and the call retried once', async () => {
    await offers.getOffer('prod', OFFER_ID);
    adobe.revokeTokens();
    const result = await offers.getOffer('prod', OFFER_ID);
    expect(result.found).toBe(true);
    expect(adobe.tokensIssued).toHaveLength(2);
    expect(offerRequests().map((request) => request.headers.authorization)).toEqual([
      `Bearer ${adobe.tokensIssued[0]}`,
      `Bearer ${adobe.tokensIssued[0]}`,
      `Bearer ${adobe.tokensIssued[1]}`,
    ]);
  });

  it('costs one new token however many calls were refused at once', async () => {
    await offers.getOffer('prod', OFFER_ID);
    adobe.revokeTokens();
    adobe.latencyMs = 10;
    const results = await Promise.all(Array.from({ length: 10 }, () => offers.getOffer('prod', SEEDED_OFFER_IDS[2])));
    expect(results.every((result) => result.found)).toBe(true);
    expect(adobe.tokensIssued).toHaveLength(2);
  });

  it('keeps both DELETEs in the attempts: the one refused with 401 and the one with the new token', async () => {
    await offers.getOffer('prod', OFFER_ID);
    adobe.revokeTokens();
    const result = await offers.deleteOffer('prod', OFFER_ID);
    const [, refused, accepted] = offerRequests();
    expect(result.attempts.map((attempt) => [attempt.status, attempt.requestId])).toEqual([
      [401, refused?.answeredWithId],
      [200, accepted?.answeredWithId],
    ]);
  });

  it('reports only the Offer Library attempts when the new token cannot be had: IMS calls are not DELETEs', async () => {
    await offers.getOffer('prod', OFFER_ID);
    adobe.revokeTokens();
    adobe.inject({
      service: 'ims',
      times: Infinity,
      respond: { status: 400, body: { error: 'invalid_client', error_description: 'invalid client_id parameter' } },
    });
    const error = await adobeFailure(offers.deleteOffer('prod', OFFER_ID));
    expect(error.message).toMatch(/Adobe IMS/);
    expect(error.attempts.map((attempt) => [attempt.status, attempt.requestId])).toEqual([[401, offerRequests()[1]?.answeredWithId]]);
  });

  it('is reported when the new token is refused too, without a third try', async () => {
    adobe.inject({ service: 'offers', times: 2, respond: { status: 401, body: { error_code: '401013', message: 'Oauth token is not valid' } } });
    const error = await adobeFailure(offers.deleteOffer('prod', OFFER_ID));
    expect(error).toMatchObject({ code: 'ADOBE_HTTP', status: 401, adobeMessage: 'Oauth token is not valid' });
    expect(offerRequests()).toHaveLength(2);
    expect(adobe.tokensIssued).toHaveLength(2);
    expect(adobe.offers.has(OFFER_ID)).toBe(true);
  });

  it('is the only refusal met with a new token: a 403 is reported as it is', async () => {
    const error = await adobeFailure(offerLibrary({ orgId: 'FEDCBA9876543210FEDCBA98@AdobeOrg' }).getOffer('prod', OFFER_ID));
    expect(error).toMatchObject({ code: 'ADOBE_HTTP', status: 403, adobeMessage: 'Profile is not valid' });
    expect(adobe.tokensIssued).toHaveLength(1);
    expect(offerRequests()).toHaveLength(1);
  });
});

describe('secrets in an answer', () => {
  const everything = (error: Error & { adobeMessage: string | null }) => `${error.message} ${error.adobeMessage} ${error.stack} ${JSON.stringify(error)}`;

  it('a refusal that echoes the access token and the client secret repeats neither', async () => {
    await offers.getOffer('prod', OFFER_ID);
    const token = adobe.tokensIssued[0]!;
    adobe.inject({
      service: 'offers',
      method: 'DELETE',
      respond: { status: 403, body: { title: 'Forbidden', detail: `token ${token} of client ${TEST_CREDENTIALS.clientSecret} may not delete` } },
    });
    const error = await adobeFailure(offers.deleteOffer('prod', OFFER_ID));
    expect(error.adobeMessage).toBe('Forbidden: token [redacted] of client [redacted] may not delete');
    for (const secret of [token, TEST_CREDENTIALS.clientSecret]) expect(secretPiecesIn(everything(error), secret)).toEqual([]);
  });

  it('a secret echoed across the cut of the excerpt leaves no piece of it in the error', async () => {
    const secret = TEST_CREDENTIALS.clientSecret;
    // "Conflict: " then the detail, so the secret starts ten characters before the cut.
    const detail = `${'x'.repeat(EXCERPT_LENGTH - 'Conflict: '.length - 10)}${secret} ${'y'.repeat(EXCERPT_LENGTH)}`;
    adobe.inject({ service: 'offers', method: 'DELETE', respond: { status: 409, body: { title: 'Conflict', detail } } });
    const error = await adobeFailure(offers.deleteOffer('prod', OFFER_ID));
    expect(error.adobeMessage).toContain('[redacted]');
    expect(secretPiecesIn(everything(error), secret)).toEqual([]);
  });
});

describe('an id that is not an offer id', () => {
  it.each([
    ['a path climb', '../x'],
    ['a slash', 'a/b'],
    ['a query', 'a?b'],
    ['a query that changes the offer type', 'a?offer-type=fallback'],
    ['a fragment', 'a#b'],
    ['an encoded dot', '%2e'],
    ['a dot', '.'],
    ['a space', 'a b'],
    ['129 characters', 'a'.repeat(129)],
    ['a newline', 'a\nb'],
    ['a NUL', 'a\u0000b'],
    ['a carriage return and header', 'a\r\nx-api-key: evil'],
    ['nothing', ''],
    ['an accent', 'é'],
  ])('is refused before anything is sent: %s', async (_what, hostile) => {
    await expect(offers.getOffer('prod', hostile)).rejects.toThrow(/not an offer id/);
    await expect(offers.deleteOffer('prod', hostile)).rejects.toThrow(TypeError);
    expect(adobe.requests).toEqual([]);
  });

  it('still lets the longest valid id through', async () => {
    const longest = `dps:${'a'.repeat(124)}`;
    expect((await offers.getOffer('prod', longest)).found).toBe(false);
    expect(offerRequests()[0]?.path).toBe(`/data/core/dps/offers/${longest}`);
  });
});

describe('construction', () => {
  it('refuses an Offer Library URL it could not use', () => {
    expect(() => offerLibrary({ offerApiUrl: 'ftp://platform.adobe.io/data/core/dps' })).toThrow(/http/);
    expect(() => offerLibrary({ offerApiUrl: 'https://platform.adobe.io/data/core/dps?x=1' })).toThrow(/query/);
  });

  it('refuses, before any call, a sandbox that is not a sandbox name: nothing else may reach the header', async () => {
    for (const sandbox of ['', 'Prod', 'prod\r\nx-api-key: other', 'a'.repeat(65)]) {
      await expect(offers.getOffer(sandbox, OFFER_ID)).rejects.toThrow(/not a sandbox name/);
      await expect(offers.deleteOffer(sandbox, OFFER_ID)).rejects.toThrow(/not a sandbox name/);
    }
    expect(adobe.requests).toEqual([]);
  });

  it('refuses an http:// Offer Library URL unless http is allowed, as OFFER_ALLOW_INSECURE_UPSTREAMS does', () => {
    const log = createLogger('silent');
    const tokens = createTokenProvider(adobeConfig(adobe), { dispatcher, log });
    const at = (offerApiUrl: string) => () => createOfferLibrary(adobeConfig(adobe, { offerApiUrl, allowHttp: false }), { tokens, dispatcher, log });
    expect(at('http://platform.adobe.io/data/core/dps')).toThrow(
      'Offer Library URL must be an https:// URL (OFFER_ALLOW_INSECURE_UPSTREAMS=true allows http://, for tests and local stand-ins only)',
    );
    expect(at('https://platform.adobe.io/data/core/dps')).not.toThrow();
  });

  it('accepts a base URL with a trailing slash', async () => {
    const client = offerLibrary({ offerApiUrl: `${adobe.offerApiUrl}/` });
    await client.getOffer('prod', OFFER_ID);
    expect(offerRequests()[0]?.path).toBe('/data/core/dps/offers/dps:personalized-offer:1a4c514f745dbd7c');
  });
});
