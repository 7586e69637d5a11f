// Retries, timeouts and error reporting of the Adobe HTTP layer, driven through the Offer Library client.
import type { Dispatcher } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXCERPT_LENGTH, HTTP_DEFAULTS, adobeMessageFrom, createAdobeDispatcher, httpSettings, requestIdFrom, type HttpOptions } from '../../src/adobe/http.js';
import { redactorFor } from '../../src/adobe/redact.js';
import { retryDelayMs } from '../../src/adobe/retry.js';
import { createTokenProvider } from '../../src/adobe/ims.js';
import { createOfferLibrary, type OfferLibrary } from '../../src/adobe/offer-library.js';
import { createLogger } from '../../src/log.js';
import {
  FAST_HTTP,
  SEEDED_OFFER_IDS,
  TEST_CREDENTIALS,
  adobeConfig,
  adobeFailure,
  secretPiecesIn,
  startAdobeStandins,
  type AdobeStandins,
} from '../support/adobe.js';
import { refusingConnector } from '../support/refusals.js';

const OFFER_ID = SEEDED_OFFER_IDS[0];
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

const gets = () => adobe.requestsTo('offers').filter((request) => request.method === 'GET');
const deletes = () => adobe.requestsTo('offers').filter((request) => request.method === 'DELETE');

describe('retries', () => {
  it('retries a 429 after the Retry-After Adobe asked for', async () => {
    adobe.inject({
      service: 'offers',
      respond: { status: 429, headers: { 'retry-after': '1' }, body: { error_code: '429050', message: 'Too many requests' } },
    });
    const result = await offers.getOffer('prod', OFFER_ID);
    expect(result.found).toBe(true);
    const [first, second] = gets();
    expect(gets()).toHaveLength(2);
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(990);
  });

  it('does not wait for a Retry-After beyond the cap: the 429 is reported at once', async () => {
    adobe.inject({
      service: 'offers',
      respond: { status: 429, headers: { 'retry-after': '120' }, body: { error_code: '429050', message: 'Too many requests' } },
    });
    const started = Date.now();
    const error = await adobeFailure(offers.getOffer('prod', OFFER_ID));
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(error).toMatchObject({ code: 'ADOBE_HTTP', status: 429, adobeMessage: 'Too many requests' });
    expect(gets()).toHaveLength(1);
  });

  it('retries 5xx answers and returns the success that follows', async () => {
    adobe.inject(
      { service: 'offers', respond: { status: 503, body: { title: 'Service Unavailable', status: 503, detail: 'try again' } } },
      { service: 'offers', respond: { status: 500, body: 'oops' } },
      { service: 'offers', respond: { status: 504, body: '' } },
    );
    const result = await offers.getOffer('prod', OFFER_ID);
    expect(result.found && result.offer.id).toBe(OFFER_ID);
    expect(gets()).toHaveLength(4);
  });

  it('when 5xx retries run out, reports the last status, Adobe’s message and the request id', async () => {
    adobe.inject({
      service: 'offers',
      times: Infinity,
      respond: { status: 502, body: { type: 'https://ns.adobe.com/aep/errors/DPS-502', title: 'Bad Gateway', status: 502, detail: 'upstream timed out' } },
    });
    const error = await adobeFailure(offers.getOffer('prod', OFFER_ID));
    expect(gets()).toHaveLength(1 + HTTP_DEFAULTS.maxRetries);
    expect(error).toMatchObject({
      code: 'ADOBE_HTTP',
      status: 502,
      adobeMessage: 'Bad Gateway: upstream timed out',
      requestId: gets().at(-1)?.answeredWithId,
    });
    expect(error.message).toContain('502');
  });

  it('does not send a DELETE again after a 503, which may have been applied: the 503 is reported with its one attempt', async () => {
    adobe.inject({ service: 'offers', method: 'DELETE', respond: { status: 503, body: '<html>busy</html>' } });
    const error = await adobeFailure(offers.deleteOffer('prod', OFFER_ID));
    const [sent] = deletes();
    expect(deletes()).toHaveLength(1);
    expect(error).toMatchObject({ code: 'ADOBE_HTTP', status: 503 });
    expect(error.attempts).toEqual([{ at: expect.any(Number), status: 503, error: null, requestId: sent?.answeredWithId }]);
  });

  it('does not send a DELETE again after a reset or a timeout once it was sent', async () => {
    adobe.inject({ service: 'offers', method: 'DELETE', respond: 'reset' });
    const reset = await adobeFailure(offers.deleteOffer('prod', OFFER_ID));
    expect(reset.attempts).toEqual([{ at: expect.any(Number), status: null, error: 'UND_ERR_SOCKET', requestId: null }]);
    adobe.inject({ service: 'offers', method: 'DELETE', respond: 'hang' });
    const timeout = await adobeFailure(offers.deleteOffer('prod', OFFER_ID));
    expect(timeout.attempts.map((attempt) => attempt.error)).toEqual(['UND_ERR_HEADERS_TIMEOUT']);
    expect(deletes()).toHaveLength(2);
    expect(adobe.offers.has(OFFER_ID)).toBe(true);
  });

  it('retries a DELETE after a 429 (Adobe did not apply it), and returns both attempts with their request ids', async () => {
    adobe.inject({ service: 'offers', method: 'DELETE', respond: { status: 429, headers: { 'retry-after': '0' }, body: { title: 'Too Many Requests' } } });
    const result = await offers.deleteOffer('prod', OFFER_ID);
    const [limited, accepted] = deletes();
    expect(result).toMatchObject({ alreadyGone: false, status: 200, requestId: accepted?.answeredWithId });
    expect(result.attempts).toEqual([
      { at: expect.any(Number), status: 429, error: null, requestId: limited?.answeredWithId },
      { at: expect.any(Number), status: 200, error: null, requestId: accepted?.answeredWithId },
    ]);
    expect(result.attempts[0]!.at).toBeLessThanOrEqual(result.attempts[1]!.at);
  });

  it('retries a DELETE whose connection was refused (it never reached Adobe)', async () => {
    const refusing = refusingConnector(FAST_HTTP.connectTimeoutMs ?? 0);
    const direct = createAdobeDispatcher({ ...FAST_HTTP, connect: refusing.connect });
    const config = adobeConfig(adobe);
    const log = createLogger('silent');
    const client = createOfferLibrary(config, { tokens: createTokenProvider(config, { dispatcher: direct, log }), dispatcher: direct, log });
    refusing.refuse(Number(new URL(adobe.offerApiUrl).port), 2);
    const result = await client.deleteOffer('prod', OFFER_ID);
    await direct.destroy();
    expect(result.attempts.map((attempt) => attempt.error ?? attempt.status)).toEqual(['ECONNREFUSED', 'ECONNREFUSED', 200]);
    expect(deletes()).toHaveLength(1);
    expect(adobe.offers.has(OFFER_ID)).toBe(false);
  });

  it('does not retry a 403: it is an answer', async () => {
    const log = createLogger('silent');
    const config = adobeConfig(adobe, { orgId: 'FEDCBA9876543210FEDCBA98@AdobeOrg' });
    const elsewhere = createOfferLibrary(config, { tokens: createTokenProvider(config, { dispatcher, log }), dispatcher, log });
    const error = await adobeFailure(elsewhere.getOffer('prod', OFFER_ID));
    expect(error).toMatchObject({ code: 'ADOBE_HTTP', status: 403, adobeMessage: 'Profile is not valid', requestId: gets()[0]?.answeredWithId });
    expect(gets()).toHaveLength(1);
  });

  it('retries a connection reset', async () => {
    adobe.inject({ service: 'offers', respond: 'reset' });
    expect((await offers.getOffer('prod', OFFER_ID)).found).toBe(true);
    expect(gets()).toHaveLength(2);
  });

  it('reports resets on every attempt as unreachable, naming the host', async () => {
    adobe.inject({ service: 'offers', times: Infinity, respond: 'reset' });
    const error = await adobeFailure(offers.getOffer('prod', OFFER_ID));
    expect(error.code).toBe('ADOBE_UNREACHABLE');
    expect(error.message).toBe(
      `could not reach the Offer Library at ${new URL(adobe.offerApiUrl).host}: the connection was closed before an answer arrived (4 attempts)`,
    );
    expect(gets()).toHaveLength(4);
  });

  it('gives up on a service that never answers with a timeout, not a hang', async () => {
    // undici checks headers and body timeouts on a coarse clock (about a second), so one retry keeps this short.
    const patient = createAdobeDispatcher({ ...FAST_HTTP, maxRetries: 1 });
    const config = adobeConfig(adobe);
    const log = createLogger('silent');
    const client = createOfferLibrary(config, { tokens: createTokenProvider(config, { dispatcher: patient, log }), dispatcher: patient, log });
    adobe.inject({ service: 'offers', times: Infinity, respond: 'hang' });
    const error = await adobeFailure(client.getOffer('prod', OFFER_ID));
    await patient.destroy();
    expect(error.code).toBe('ADOBE_UNREACHABLE');
    expect(error.message).toMatch(/: timed out after 200ms waiting for an answer \(2 attempts\)$/);
    expect(gets()).toHaveLength(2);
  });

  it('reports an answer whose body stalls half-way as unreachable', async () => {
    adobe.inject({ service: 'offers', respond: 'slow-body' });
    const error = await adobeFailure(offers.getOffer('prod', OFFER_ID));
    expect(error.code).toBe('ADOBE_UNREACHABLE');
    expect(error.message).toMatch(/the answer stalled: no data for 200ms/);
  });

  it('reuses its connections: every answer is read to the end', async () => {
    for (const id of [...SEEDED_OFFER_IDS, ...SEEDED_OFFER_IDS]) await offers.getOffer('prod', id);
    await offers.deleteOffer('prod', OFFER_ID);
    await offers.getOffer('prod', OFFER_ID);
    // undici may open a second socket while the first is being handed back; never one per call.
    expect(adobe.requestsTo('offers')).toHaveLength(8);
    expect(adobe.connections.offers).toBeLessThanOrEqual(2);
  });
});

describe('limits on an answer', () => {
  /** An Offer Library client whose dispatcher has these settings on top of FAST_HTTP. */
  function clientWith(options: HttpOptions) {
    const limited = createAdobeDispatcher({ ...FAST_HTTP, ...options });
    const config = adobeConfig(adobe);
    const log = createLogger('silent');
    const client = createOfferLibrary(config, { tokens: createTokenProvider(config, { dispatcher: limited, log }), dispatcher: limited, log });
    return { client, close: () => limited.destroy() };
  }

  it('stops reading an answer larger than maxResponseBytes, says so, and does not ask again', async () => {
    const { client, close } = clientWith({ maxResponseBytes: 65_536 });
    adobe.inject({ service: 'offers', respond: 'huge-body', bytes: 1_048_576 });
    const error = await adobeFailure(client.getOffer('prod', OFFER_ID));
    await close();
    expect(error).toMatchObject({ code: 'ADOBE_BAD_RESPONSE', requestId: gets()[0]?.answeredWithId });
    expect(error.message).toBe(`the Offer Library at ${new URL(adobe.offerApiUrl).host} sent an answer larger than 65536 bytes`);
    expect(gets()).toHaveLength(1);
  });

  it('reads an answer up to the cap', async () => {
    const { client, close } = clientWith({ maxResponseBytes: 65_536 });
    adobe.inject({ service: 'offers', respond: 'huge-body', bytes: 65_536 });
    const result = await client.getOffer('prod', OFFER_ID);
    await close();
    expect(result.found && result.json).toHaveLength(65_536);
  });

  it('ends a body that trickles in, each byte well within bodyTimeoutMs, at the call deadline', async () => {
    const { client, close } = clientWith({ bodyTimeoutMs: 5_000, callTimeoutMs: 1_000 });
    adobe.inject({ service: 'offers', respond: 'trickle' });
    const error = await adobeFailure(client.getOffer('prod', OFFER_ID));
    await close();
    expect(error).toMatchObject({ code: 'ADOBE_UNREACHABLE', requestId: gets()[0]?.answeredWithId });
    expect(error.message).toBe(`no complete answer from the Offer Library at ${new URL(adobe.offerApiUrl).host} within 1s`);
  });

  it('counts retries and their waits against the same deadline', async () => {
    const { client, close } = clientWith({ callTimeoutMs: 500 });
    adobe.inject({ service: 'offers', times: Infinity, respond: { status: 503, headers: { 'retry-after': '1' }, body: '' } });
    const error = await adobeFailure(client.getOffer('prod', OFFER_ID));
    await close();
    expect(error.code).toBe('ADOBE_UNREACHABLE');
    expect(error.message).toMatch(/^no complete answer from the Offer Library at .* within 500ms$/);
  });

  it('refuses limits that are not whole non-negative numbers', () => {
    expect(() => httpSettings({ maxResponseBytes: 1.5 })).toThrow(/maxResponseBytes/);
    expect(() => httpSettings({ callTimeoutMs: -1 })).toThrow(/callTimeoutMs/);
  });
});

describe('the retry schedule', () => {
  const settings = httpSettings({ retryBaseDelayMs: 100, retryMaxDelayMs: 1_000, maxRetries: 3, maxRetryAfterMs: 5_000 });
  const status = (statusCode: number, headers: Record<string, string> = {}) =>
    Object.assign(new Error('Request failed'), { code: 'UND_ERR_REQ_RETRY', statusCode, headers });
  const network = (code: string) => Object.assign(new Error(code), { code });

  it('doubles the wait each time, jittered between half and all of it, up to the cap', () => {
    expect([1, 2, 3].map((attempt) => retryDelayMs(status(503), attempt, 'GET', settings, () => 0))).toEqual([50, 100, 200]);
    expect([1, 2, 3].map((attempt) => retryDelayMs(status(503), attempt, 'GET', settings, () => 0.999))).toEqual([100, 200, 400]);
    const capped = httpSettings({ ...settings, maxRetries: 10 });
    expect(retryDelayMs(status(503), 8, 'GET', capped, () => 0.999)).toBe(1_000);
  });

  it('stops after maxRetries', () => {
    expect(retryDelayMs(status(503), 4, 'GET', settings, () => 0)).toBeNull();
  });

  it.each([400, 401, 403, 404, 409, 422, 501])('never retries a %i', (code) => {
    expect(retryDelayMs(status(code), 1, 'GET', settings)).toBeNull();
  });

  it.each(['ECONNRESET', 'ECONNREFUSED', 'UND_ERR_SOCKET', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT'])('retries a GET after %s', (code) => {
    expect(retryDelayMs(network(code), 1, 'GET', settings, () => 0)).toBe(50);
  });

  it.each(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT'])('retries a DELETE after %s: it never reached Adobe', (code) => {
    expect(retryDelayMs(network(code), 1, 'DELETE', settings, () => 0)).toBe(50);
  });

  it.each(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'UND_ERR_SOCKET', 'UND_ERR_HEADERS_TIMEOUT', 'ENETUNREACH'])(
    'never retries a DELETE after %s: it may have reached Adobe',
    (code) => {
      expect(retryDelayMs(network(code), 1, 'DELETE', settings, () => 0)).toBeNull();
    },
  );

  it('retries a DELETE after a 429 (Retry-After respected) and never after a 5xx, which may have been applied', () => {
    expect(retryDelayMs(status(429, { 'retry-after': '2' }), 1, 'DELETE', settings, () => 0)).toBe(2_000);
    for (const code of [500, 502, 503, 504]) expect(retryDelayMs(status(code), 1, 'DELETE', settings, () => 0)).toBeNull();
  });

  it('does not retry a half-read body or an unknown failure', () => {
    expect(retryDelayMs(network('UND_ERR_BODY_TIMEOUT'), 1, 'GET', settings)).toBeNull();
    expect(retryDelayMs(new Error('something else'), 1, 'GET', settings)).toBeNull();
  });

  it('retries only GET, DELETE and the token POST', () => {
    expect(retryDelayMs(status(503), 1, 'PATCH', settings)).toBeNull();
    expect(retryDelayMs(status(503), 1, 'POST', settings, () => 0)).toBe(50);
  });

  it('waits at least as long as Retry-After, in seconds or as a date, and gives up beyond the cap', () => {
    const now = Date.parse('2026-11-28T10:00:00Z');
    expect(retryDelayMs(status(429, { 'retry-after': '2' }), 1, 'GET', settings, () => 0, now)).toBe(2_000);
    expect(retryDelayMs(status(429, { 'retry-after': 'Sat, 28 Nov 2026 10:00:03 GMT' }), 1, 'GET', settings, () => 0, now)).toBe(3_000);
    expect(retryDelayMs(status(429, { 'retry-after': '6' }), 1, 'GET', settings, () => 0, now)).toBeNull();
    expect(retryDelayMs(status(429, { 'retry-after': 'soon' }), 1, 'GET', settings, () => 0, now)).toBe(50);
  });

  it('refuses timing options that are not whole non-negative numbers', () => {
    expect(() => httpSettings({ headersTimeoutMs: -1 })).toThrow(/headersTimeoutMs/);
    expect(() => createAdobeDispatcher({ maxRetries: 1.5 })).toThrow(/maxRetries/);
  });
});

describe("Adobe's words in an error", () => {
  it.each([
    ['a gateway body', '{"error_code":"401013","message":"Oauth token is not valid"}', 'Oauth token is not valid'],
    [
      'RFC 7807 problem JSON',
      '{"type":"x","title":"Conflict","status":409,"detail":"The offer is used by collection C1."}',
      'Conflict: The offer is used by collection C1.',
    ],
    ['a problem with a title only', '{"title":"Not Found","status":404}', 'Not Found'],
    ['an IMS OAuth error', '{"error":"invalid_scope","error_description":"invalid scope (x)"}', 'invalid_scope: invalid scope (x)'],
    ['an HTML page', '<html>\n<body>502 Bad\tGateway</body></html>', '<html> <body>502 Bad Gateway</body></html>'],
    ['JSON of another shape', '{"unexpected":true}', '{"unexpected":true}'],
  ])('reads %s', (_what, body, message) => {
    expect(adobeMessageFrom(body)).toBe(message);
  });

  it('says nothing for an empty body, and clips a long one', () => {
    expect(adobeMessageFrom('  ')).toBeNull();
    const clipped = adobeMessageFrom('x'.repeat(1_000));
    expect(clipped).toHaveLength(201);
    expect(clipped?.endsWith('…')).toBe(true);
  });

  it.each([
    ['a Bearer token', '{"message":"token Bearer abc.DEF-123 was refused"}', 'token Bearer [redacted] was refused'],
    ['prose that only looks like a scheme', '{"message":"Basic auth is not supported"}', 'Basic auth is not supported'],
    [
      'an access_token field in prose',
      '{"error":"invalid_request","error_description":"access_token=abc123 is malformed"}',
      'invalid_request: access_token=[redacted] is malformed',
    ],
    ['a client_secret field in JSON of another shape', '{"client_secret":"s3cr3t","ok":false}', '{"client_secret":"[redacted]","ok":false}'],
    ['Slack tokens', '<html>xoxb-1234-5678-abcdef and xapp-1-A0-123abc</html>', '<html>[redacted] and [redacted]</html>'],
    ['a JSON Web Token', '{"title":"Bad token","detail":"eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl"}', 'Bad token: [redacted]'],
  ])('redacts %s, whoever it belongs to', (_what, body, message) => {
    expect(adobeMessageFrom(body)).toBe(message);
  });

  it('redacts a known secret, whole, URL-encoded or JSON-escaped', () => {
    const secret = 'p@ss "word" 42';
    const redact = redactorFor([secret]);
    expect(adobeMessageFrom(`{"message":${JSON.stringify(`it was ${secret}`)}}`, redact)).toBe('it was [redacted]');
    expect(adobeMessageFrom(`<p>form: ${encodeURIComponent(secret)}</p>`, redact)).toBe('<p>form: [redacted]</p>');
    expect(adobeMessageFrom(`{"other":${JSON.stringify(secret)}}`, redact)).toBe('{"other":"[redacted]"}');
  });

  it('redacts before cutting: a secret that straddles the cut leaves no piece behind', () => {
    const secret = TEST_CREDENTIALS.clientSecret;
    for (const before of [EXCERPT_LENGTH - 10, EXCERPT_LENGTH - secret.length + 3, EXCERPT_LENGTH - 1]) {
      const body = `${'x'.repeat(before)}${secret} ${'y'.repeat(EXCERPT_LENGTH)}`;
      const message = adobeMessageFrom(body, redactorFor([secret])) ?? '';
      expect(secretPiecesIn(message, secret)).toEqual([]);
      expect(message.endsWith('…')).toBe(true);
    }
  });

  it('finds the request id under any of the names Adobe uses', () => {
    expect(requestIdFrom({ 'x-request-id': 'a' })).toBe('a');
    expect(requestIdFrom({ 'x-adobe-request-id': 'b' })).toBe('b');
    expect(requestIdFrom({ 'request-id': 'c' })).toBe('c');
    expect(requestIdFrom({})).toBeNull();
  });
});
