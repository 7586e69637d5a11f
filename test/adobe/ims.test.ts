// The IMS token provider: one token, shared and cached; refusals a user can act on; the secret kept out of errors.
import type { Dispatcher } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXCERPT_LENGTH, createAdobeDispatcher } from '../../src/adobe/http.js';
import { TOKEN_REFRESH_MARGIN_MS, createTokenProvider, type ImsConfig } from '../../src/adobe/ims.js';
import { createLogger } from '../../src/log.js';
import {
  FAST_HTTP,
  KNOWN_SCOPES,
  TEST_CREDENTIALS,
  adobeConfig,
  adobeFailure,
  secretPiecesIn,
  startAdobeStandins,
  type AdobeStandins,
} from '../support/adobe.js';

let adobe: AdobeStandins;
let dispatcher: Dispatcher;

beforeEach(async () => {
  adobe = await startAdobeStandins(TEST_CREDENTIALS);
  dispatcher = createAdobeDispatcher(FAST_HTTP);
});
afterEach(async () => {
  await adobe.close();
  await dispatcher.destroy();
});

function provider(overrides: Partial<ImsConfig> = {}, now?: () => number) {
  return createTokenProvider({ ...adobeConfig(adobe), ...overrides }, { dispatcher, log: createLogger('silent'), ...(now ? { now } : {}) });
}

const imsRequests = () => adobe.requestsTo('ims');

describe('the IMS token provider', () => {
  it('asks IMS for a client-credentials token with the documented form', async () => {
    const token = await provider().getToken();
    expect(token).toBe(adobe.tokensIssued[0]);
    const [request] = imsRequests();
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/ims/token/v3');
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(request?.body))).toEqual({
      grant_type: 'client_credentials',
      client_id: TEST_CREDENTIALS.clientId,
      client_secret: TEST_CREDENTIALS.clientSecret,
      scope: KNOWN_SCOPES.join(','),
    });
  });

  it('reuses the cached token across calls', async () => {
    const tokens = provider();
    const first = await tokens.getToken();
    expect(await tokens.getToken()).toBe(first);
    expect(await tokens.getToken()).toBe(first);
    expect(imsRequests()).toHaveLength(1);
  });

  it('makes one IMS request for 20 concurrent callers with a cold cache', async () => {
    adobe.latencyMs = 20;
    const tokens = provider();
    const all = await Promise.all(Array.from({ length: 20 }, () => tokens.getToken()));
    expect(new Set(all)).toEqual(new Set([adobe.tokensIssued[0]]));
    expect(imsRequests()).toHaveLength(1);
  });

  it('fetches a new token shortly before the old one expires', async () => {
    let clock = Date.parse('2026-11-28T10:00:00Z');
    const tokens = provider({}, () => clock);
    const first = await tokens.getToken();
    const lifetimeMs = adobe.tokenLifetimeSeconds * 1_000;
    clock += lifetimeMs - TOKEN_REFRESH_MARGIN_MS - 1;
    expect(await tokens.getToken()).toBe(first);
    clock += 2;
    const second = await tokens.getToken();
    expect(second).not.toBe(first);
    expect(imsRequests()).toHaveLength(2);
  });

  it('refreshes a short-lived token after 90% of its life', async () => {
    adobe.tokenLifetimeSeconds = 60;
    let clock = 0;
    const tokens = provider({}, () => clock);
    const first = await tokens.getToken();
    clock = 53_999;
    expect(await tokens.getToken()).toBe(first);
    clock = 54_000;
    expect(await tokens.getToken()).not.toBe(first);
  });

  it('forgets a refused token only if it is still the one cached', async () => {
    const tokens = provider();
    const first = await tokens.getToken();
    tokens.invalidate('some-older-token');
    expect(await tokens.getToken()).toBe(first);
    tokens.invalidate(first);
    const second = await tokens.getToken();
    expect(second).not.toBe(first);
    tokens.invalidate(first);
    expect(await tokens.getToken()).toBe(second);
    expect(imsRequests()).toHaveLength(2);
  });

  it('reports a wrong client secret as IMS_REFUSED in words a user can act on, without the secret', async () => {
    const wrongSecret = 'fake-secret-WrongSecretAlsoNeverShown42';
    const error = await adobeFailure(provider({ clientSecret: wrongSecret }).getToken());
    expect(error).toMatchObject({
      code: 'IMS_REFUSED',
      status: 400,
      adobeMessage: 'invalid_client: invalid client_secret parameter',
      requestId: imsRequests()[0]?.answeredWithId,
    });
    expect(error.message).toBe('Adobe IMS refused the credential (invalid_client: invalid client_secret parameter); check ADOBE_CLIENT_ID/ADOBE_CLIENT_SECRET');
    const everything = `${error.message} ${error.adobeMessage} ${error.stack} ${JSON.stringify(error)}`;
    expect(everything).not.toContain(wrongSecret);
    expect(everything).not.toContain(TEST_CREDENTIALS.clientSecret);
    expect(imsRequests()).toHaveLength(1);
  });

  it('points at ADOBE_SCOPES when IMS refuses a scope', async () => {
    const error = await adobeFailure(provider({ scopes: 'openid,not_a_scope' }).getToken());
    expect(error.code).toBe('IMS_REFUSED');
    expect(error.message).toMatch(/invalid_scope: invalid scope \(not_a_scope\)\); check ADOBE_SCOPES$/);
  });

  it('scrubs the secret if IMS ever echoes it back', async () => {
    adobe.inject({
      service: 'ims',
      respond: { status: 400, body: { error: 'invalid_client', error_description: `client_secret ${TEST_CREDENTIALS.clientSecret} is revoked` } },
    });
    const error = await adobeFailure(provider().getToken());
    expect(error.adobeMessage).toBe('invalid_client: client_secret [redacted] is revoked');
    expect(error.message).not.toContain(TEST_CREDENTIALS.clientSecret);
  });

  it('leaves no piece of a secret that IMS echoes across the cut of the excerpt', async () => {
    const secret = TEST_CREDENTIALS.clientSecret;
    // "invalid_client: " then the description, so the secret starts ten characters before the cut.
    const description = `${'x'.repeat(EXCERPT_LENGTH - 'invalid_client: '.length - 10)}${secret} ${'y'.repeat(EXCERPT_LENGTH)}`;
    adobe.inject({ service: 'ims', respond: { status: 400, body: { error: 'invalid_client', error_description: description } } });
    const error = await adobeFailure(provider().getToken());
    expect(error.code).toBe('IMS_REFUSED');
    expect(secretPiecesIn(`${error.message} ${error.adobeMessage} ${JSON.stringify(error)}`, secret)).toEqual([]);
  });

  it('never shows a non-JSON IMS body: says IMS answered HTTP N with a non-JSON body', async () => {
    const page = `<html><body><h1>Request blocked</h1><pre>grant_type=client_credentials&client_secret=${encodeURIComponent(TEST_CREDENTIALS.clientSecret)}</pre></body></html>`;
    adobe.inject({ service: 'ims', respond: { status: 403, headers: { 'content-type': 'text/html' }, body: page } });
    const error = await adobeFailure(provider().getToken());
    expect(error).toMatchObject({ code: 'ADOBE_HTTP', status: 403, adobeMessage: null, requestId: imsRequests()[0]?.answeredWithId });
    expect(error.message).toBe(`Adobe IMS answered HTTP 403 with a non-JSON body (request id ${imsRequests()[0]?.answeredWithId})`);
  });

  it('retries an IMS outage and then caches the token', async () => {
    adobe.inject({ service: 'ims', respond: { status: 503, body: '' } }, { service: 'ims', respond: 'reset' });
    const tokens = provider();
    const token = await tokens.getToken();
    expect(await tokens.getToken()).toBe(token);
    expect(imsRequests()).toHaveLength(3);
  });

  it('does not cache a failure: the next call asks again', async () => {
    adobe.inject({ service: 'ims', times: 4, respond: { status: 500, body: { error: 'server_error', error_description: 'try later' } } });
    const tokens = provider();
    const error = await adobeFailure(tokens.getToken());
    expect(error).toMatchObject({ code: 'ADOBE_HTTP', status: 500, adobeMessage: 'server_error: try later' });
    expect(await tokens.getToken()).toBe(adobe.tokensIssued[0]);
  });

  it('treats a 200 without an access token as a bad response', async () => {
    adobe.inject({ service: 'ims', respond: { status: 200, body: { token_type: 'bearer', expires_in: 86_399 } } });
    expect((await adobeFailure(provider().getToken())).code).toBe('ADOBE_BAD_RESPONSE');
    adobe.inject({ service: 'ims', respond: 'malformed-json' });
    expect((await adobeFailure(provider().getToken())).code).toBe('ADOBE_BAD_RESPONSE');
  });

  it('refuses a configuration without a usable IMS URL or secret at once', () => {
    expect(() => provider({ imsUrl: 'not a url' })).toThrow(TypeError);
    expect(() => provider({ clientSecret: '' })).toThrow(/clientSecret is required/);
  });

  it('refuses an http:// IMS URL unless http is allowed, as OFFER_ALLOW_INSECURE_UPSTREAMS does', () => {
    expect(() => provider({ imsUrl: 'http://ims-na1.adobelogin.com', allowHttp: false })).toThrow(
      'IMS URL must be an https:// URL (OFFER_ALLOW_INSECURE_UPSTREAMS=true allows http://, for tests and local stand-ins only)',
    );
    expect(() => provider({ imsUrl: 'https://ims-na1.adobelogin.com', allowHttp: false })).not.toThrow();
  });
});
