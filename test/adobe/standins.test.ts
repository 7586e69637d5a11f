// The Adobe stand-ins refuse what Adobe refuses: otherwise the client tests would prove nothing.
import { Agent, request } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { anOffer, KNOWN_SCOPES, SEEDED_OFFER_IDS, TEST_CREDENTIALS, startAdobeStandins, type AdobeStandins } from '../support/adobe.js';

const OFFER_ID = SEEDED_OFFER_IDS[0];
let adobe: AdobeStandins;
let agent: Agent;

beforeEach(async () => {
  adobe = await startAdobeStandins(TEST_CREDENTIALS);
  agent = new Agent();
});
afterEach(async () => {
  await adobe.close();
  await agent.destroy();
});

async function askForToken(fields: Record<string, string>, contentType = 'application/x-www-form-urlencoded') {
  const response = await request(`${adobe.imsUrl}/ims/token/v3`, {
    dispatcher: agent,
    method: 'POST',
    headers: { 'content-type': contentType },
    body: new URLSearchParams(fields).toString(),
  });
  return { status: response.statusCode, body: (await response.body.json()) as Record<string, unknown> };
}

const goodForm = () => ({
  grant_type: 'client_credentials',
  client_id: TEST_CREDENTIALS.clientId,
  client_secret: TEST_CREDENTIALS.clientSecret,
  scope: KNOWN_SCOPES.join(','),
});

async function token(): Promise<string> {
  return (await askForToken(goodForm())).body.access_token as string;
}

function goodHeaders(bearer: string): Record<string, string> {
  return {
    authorization: `Bearer ${bearer}`,
    'x-api-key': TEST_CREDENTIALS.clientId,
    'x-gw-ims-org-id': TEST_CREDENTIALS.orgId,
    'x-sandbox-name': TEST_CREDENTIALS.sandbox,
  };
}

async function callOffers(method: 'GET' | 'DELETE', headers: Record<string, string>, path = `/offers/${OFFER_ID}?offer-type=personalized`) {
  const response = await request(`${adobe.offerApiUrl}${path}`, { dispatcher: agent, method, headers });
  return { status: response.statusCode, headers: response.headers, text: await response.body.text() };
}

describe('the IMS stand-in', () => {
  it('issues a bearer token with its lifetime for the right credential', async () => {
    const { status, body } = await askForToken(goodForm());
    expect(status).toBe(200);
    expect(body).toEqual({ access_token: adobe.tokensIssued[0], token_type: 'bearer', expires_in: 86_399 });
  });

  it.each([
    ['a wrong secret', { client_secret: 'nope' }, 'invalid_client', 'invalid client_secret parameter'],
    ['a wrong client id', { client_id: 'nope' }, 'invalid_client', 'invalid client_id parameter'],
    ['another grant type', { grant_type: 'password' }, 'unsupported_grant_type', 'unsupported grant_type parameter'],
    ['no scope', { scope: '' }, 'invalid_scope', 'scope parameter is missing'],
    ['an unknown scope', { scope: 'openid,launch_codes' }, 'invalid_scope', 'invalid scope (launch_codes)'],
  ])('refuses %s with 400 and an OAuth error', async (_what, change, error, description) => {
    const { status, body } = await askForToken({ ...goodForm(), ...change });
    expect({ status, body }).toEqual({ status: 400, body: { error, error_description: description } });
    expect(adobe.tokensIssued).toEqual([]);
  });

  it('refuses a JSON body: the token request is a form', async () => {
    const { status, body } = await askForToken(goodForm(), 'application/json');
    expect(status).toBe(400);
    expect(body.error).toBe('invalid_request');
  });
});

describe('the Offer Library stand-in', () => {
  it('answers a well-formed lookup with the offer and a request id', async () => {
    const answer = await callOffers('GET', goodHeaders(await token()));
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toEqual(adobe.offers.get(OFFER_ID));
    expect(answer.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it.each([
    ['no api key', { 'x-api-key': undefined }, 403, { error_code: '403000', message: 'Api Key is required' }],
    ['no token', { authorization: undefined }, 403, { error_code: '403010', message: 'Oauth token is missing.' }],
    ['a made-up token', { authorization: 'Bearer made-up' }, 401, { error_code: '401013', message: 'Oauth token is not valid' }],
    ['a wrong api key', { 'x-api-key': 'someone-else' }, 403, { error_code: '403003', message: 'Api Key is invalid' }],
    ['no org header', { 'x-gw-ims-org-id': undefined }, 400, { error_code: '400003', message: 'Missing header' }],
    ['no sandbox header', { 'x-sandbox-name': undefined }, 400, { error_code: '400003', message: 'Missing header' }],
    ['another org', { 'x-gw-ims-org-id': 'FEDCBA9876543210@AdobeOrg' }, 403, { error_code: '403025', message: 'Profile is not valid' }],
  ])('refuses a request with %s as the gateway does', async (_what, change, status, body) => {
    const headers = Object.fromEntries(
      Object.entries({ ...goodHeaders(await token()), ...change }).filter((entry): entry is [string, string] => entry[1] !== undefined),
    );
    const answer = await callOffers('DELETE', headers);
    expect({ status: answer.status, body: JSON.parse(answer.text) }).toEqual({ status, body });
    expect(adobe.offers.has(OFFER_ID)).toBe(true);
  });

  it('keeps offers per sandbox: an offer of stage is 404 in prod, and deleting it in prod leaves it in stage', async () => {
    const bearer = await token();
    adobe.seed('stage', anOffer('personalizedOffer5678', { name: 'Stage only' }));
    const path = '/offers/personalizedOffer5678?offer-type=personalized';
    expect((await callOffers('GET', goodHeaders(bearer), path)).status).toBe(404);
    expect((await callOffers('DELETE', goodHeaders(bearer), path)).status).toBe(404);
    const inStage = { ...goodHeaders(bearer), 'x-sandbox-name': 'stage' };
    expect(JSON.parse((await callOffers('GET', inStage, path)).text)).toMatchObject({ id: 'personalizedOffer5678', name: 'Stage only' });
    expect((await callOffers('GET', inStage)).status).toBe(404);
    expect((await callOffers('DELETE', inStage, path)).status).toBe(200);
    expect(adobe.offersIn('stage').has('personalizedOffer5678')).toBe(false);
    expect(adobe.offers.has(OFFER_ID)).toBe(true);
  });

  it("refuses to delete an offer a collection of its own sandbox uses, not one another sandbox's collection uses", async () => {
    const bearer = await token();
    adobe.seed('stage', anOffer(OFFER_ID));
    adobe.usedByIn('stage').set(OFFER_ID, [{ kind: 'collection', name: 'Stage collection' }]);
    expect((await callOffers('DELETE', { ...goodHeaders(bearer), 'x-sandbox-name': 'stage' })).status).toBe(409);
    expect((await callOffers('DELETE', goodHeaders(bearer))).status).toBe(200);
    expect(adobe.offersIn('stage').has(OFFER_ID)).toBe(true);
  });

  it('refuses a sandbox the organisation does not have as the gateway refuses a bad header, and changes nothing', async () => {
    const answer = await callOffers('DELETE', { ...goodHeaders(await token()), 'x-sandbox-name': 'qa' });
    expect({ status: answer.status, body: JSON.parse(answer.text) }).toEqual({
      status: 400,
      body: { error_code: '400003', message: "Invalid header: x-sandbox-name 'qa' is not a sandbox of this organization" },
    });
    expect(adobe.offers.has(OFFER_ID)).toBe(true);
  });

  it('refuses revoked and expired tokens', async () => {
    const revoked = await token();
    adobe.revokeTokens();
    expect((await callOffers('GET', goodHeaders(revoked))).status).toBe(401);
    adobe.tokenLifetimeSeconds = 0;
    expect((await callOffers('GET', goodHeaders(await token()))).status).toBe(401);
  });

  it('requires offer-type, answering problem JSON', async () => {
    const answer = await callOffers('GET', goodHeaders(await token()), `/offers/${OFFER_ID}`);
    expect(answer.status).toBe(400);
    expect(answer.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(answer.text)).toMatchObject({ title: 'Bad Request', status: 400 });
  });

  it('deletes with 200 and an empty body, after which the offer is 404', async () => {
    const headers = goodHeaders(await token());
    const deleted = await callOffers('DELETE', headers);
    expect({ status: deleted.status, text: deleted.text }).toEqual({ status: 200, text: '' });
    const after = await callOffers('GET', headers);
    expect(after.status).toBe(404);
    expect(JSON.parse(after.text)).toMatchObject({ title: 'Not Found', status: 404 });
    expect((await callOffers('DELETE', headers)).status).toBe(404);
  });

  it('keeps answering 200 for verifyLag GETs after a DELETE', async () => {
    adobe.verifyLag = 2;
    const headers = goodHeaders(await token());
    await callOffers('DELETE', headers);
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await callOffers('GET', headers)).status);
    expect(statuses).toEqual([200, 200, 404]);
  });

  it('moves etag and modified on when a test edits the offer', () => {
    const before = adobe.offers.get(OFFER_ID);
    const after = adobe.modifyOffer(OFFER_ID, { name: 'Winter sale 25% off' });
    expect(after.etag).toBe((before?.etag ?? 0) + 1);
    expect(after.modified).not.toBe(before?.modified);
    expect(adobe.offers.get(OFFER_ID)?.name).toBe('Winter sale 25% off');
  });

  it('gives every answer its own request id', async () => {
    const headers = goodHeaders(await token());
    await callOffers('GET', headers);
    await callOffers('GET', headers);
    const ids = adobe.requests.map((recorded) => recorded.answeredWithId);
    expect(new Set(ids).size).toBe(3);
  });

  it('applies an injected fault the number of times asked, then behaves normally', async () => {
    adobe.inject({ service: 'offers', method: 'GET', times: 2, respond: { status: 503, body: { title: 'Service Unavailable' } } });
    const headers = goodHeaders(await token());
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await callOffers('GET', headers)).status);
    expect(statuses).toEqual([503, 503, 200]);
  });
});
