// Fault matrix, Adobe IMS: down, unreachable, invalid_client, invalid_scope, and a token that expires mid-run.
import { describe, expect } from 'vitest';
import { TEST_CREDENTIALS } from '../support/adobe.js';
import { ATTEMPTS, expectAudit, faultCase, lookupFailure, OFFER_ID, type Scene } from './harness.js';

const ENDED = ['pending', 'approved', 'deleting'];
const WRONG_SECRET = 'fake-secret-WrongSecretAlsoNeverLogged7Qz';

const imsRequests = (scene: Scene) => scene.bot.adobe.requestsTo('ims');

describe('fault matrix: Adobe IMS', () => {
  faultCase(
    'IMS down (503 on every attempt) → the requester hears "Adobe IMS answered HTTP 503" with its request id; the Offer Library is never called',
    async (scene) => {
      scene.bot.adobe.inject({
        service: 'ims',
        times: ATTEMPTS,
        respond: { status: 503, body: { error: 'server_error', error_description: 'IMS is under maintenance' } },
      });
      const text = await lookupFailure(scene);
      expect(imsRequests(scene)).toHaveLength(ATTEMPTS);
      expect(scene.bot.adobe.requestsTo('offers')).toHaveLength(0);
      expect(text).toMatch(/Adobe IMS answered HTTP 503: server_error: IMS is under maintenance/);
      expect(text).toContain(`request id ${imsRequests(scene).at(-1)!.answeredWithId}`);
    },
  );

  faultCase('IMS unreachable (connection reset on every attempt) → "could not reach Adobe IMS", after 4 attempts', async (scene) => {
    scene.bot.adobe.inject({ service: 'ims', times: ATTEMPTS, respond: 'reset' });
    const text = await lookupFailure(scene);
    expect(imsRequests(scene)).toHaveLength(ATTEMPTS);
    expect(text).toMatch(/could not reach Adobe IMS at 127\.0\.0\.1:\d+: the connection was closed before an answer arrived \(4 attempts\)/);
  });

  faultCase(
    'invalid_client (a wrong ADOBE_CLIENT_SECRET) → "check ADOBE_CLIENT_ID/ADOBE_CLIENT_SECRET", not retried, the secret nowhere',
    async (scene) => {
      scene.extraSecrets.push(WRONG_SECRET);
      const text = await lookupFailure(scene);
      expect(imsRequests(scene)).toHaveLength(1);
      expect(text).toMatch(/Adobe IMS refused the credential \(invalid_client: invalid client_secret parameter\); check ADOBE_CLIENT_ID\/ADOBE_CLIENT_SECRET/);
    },
    { env: { ADOBE_CLIENT_SECRET: WRONG_SECRET } },
  );

  faultCase('invalid_client with IMS echoing the client secret in its error → the echo is redacted everywhere', async (scene) => {
    scene.bot.adobe.inject({
      service: 'ims',
      respond: {
        status: 401,
        body: { error: 'invalid_client', error_description: `client_secret ${TEST_CREDENTIALS.clientSecret} is not valid for this client` },
      },
    });
    const text = await lookupFailure(scene);
    expect(text).toMatch(/Adobe IMS refused the credential \(invalid_client: client_secret \[redacted\] is not valid for this client\)/);
  });

  faultCase(
    'invalid_scope (ADOBE_SCOPES names a scope the credential lacks) → "check ADOBE_SCOPES", not retried',
    async (scene) => {
      const text = await lookupFailure(scene);
      expect(imsRequests(scene)).toHaveLength(1);
      expect(text).toMatch(/Adobe IMS refused the credential \(invalid_scope: invalid scope \(offer_library_admin\)\); check ADOBE_SCOPES/);
    },
    { env: { ADOBE_SCOPES: 'openid,AdobeID,read_organizations,offer_library_admin' } },
  );

  faultCase('the token lifetime ends between request and approval → a fresh token is fetched before use; deleted once, no 401', async (scene) => {
    scene.bot.adobe.tokenLifetimeSeconds = 1;
    const confirmation = await scene.request();
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const reply = await scene.approve(confirmation);
    expect(reply.metadata?.event_payload).toMatchObject({ outcome: 'deleted', reason: 'deleted' });
    expect(scene.bot.adobe.tokensIssued).toHaveLength(2);
    expect(scene.bot.logs.some((line) => line.includes('refused the access token'))).toBe(false);
    await expectAudit(scene.bot, confirmation, { states: [...ENDED, 'deleted'], outcome: { reason: 'deleted' } });
  });

  faultCase('the token expires at the DELETE (401) → one new token, the DELETE once more: deleted once', async (scene) => {
    const confirmation = await scene.request();
    scene.onAdobeRequest(
      (r) => r.method === 'DELETE',
      () => scene.bot.adobe.revokeTokens(),
    );
    const reply = await scene.approve(confirmation);
    expect(scene.offerRequests('DELETE')).toHaveLength(2);
    expect(scene.bot.adobe.tokensIssued).toHaveLength(2);
    expect(reply.metadata?.event_payload).toMatchObject({ outcome: 'deleted', reason: 'deleted' });
    await expectAudit(scene.bot, confirmation, { states: [...ENDED, 'deleted'], outcome: { reason: 'deleted' } });
  });

  faultCase('the token expires during verification (401 on the GET) → one new token, the GET once more: deleted', async (scene) => {
    const confirmation = await scene.request();
    scene.onAdobeRequest(
      (r) => r.method === 'DELETE',
      () =>
        scene.onAdobeRequest(
          (r) => r.method === 'GET',
          () => scene.bot.adobe.revokeTokens(),
        ),
    );
    const reply = await scene.approve(confirmation);
    expect(scene.offerRequests('DELETE')).toHaveLength(1);
    expect(scene.bot.adobe.tokensIssued).toHaveLength(2);
    expect(reply.metadata?.event_payload).toMatchObject({ outcome: 'deleted', reason: 'deleted' });
    await expectAudit(scene.bot, confirmation, { states: [...ENDED, 'deleted'], outcome: { reason: 'deleted' } });
  });

  faultCase('the token expires before the approval and IMS is down → failed before any DELETE, "Adobe IMS answered HTTP 503" in the thread', async (scene) => {
    const confirmation = await scene.request();
    scene.bot.adobe.revokeTokens();
    scene.bot.adobe.inject({
      service: 'ims',
      times: ATTEMPTS,
      respond: { status: 503, body: { error: 'server_error', error_description: 'IMS is under maintenance' } },
    });
    const reply = await scene.approve(confirmation);
    expect(scene.offerRequests('DELETE')).toHaveLength(0);
    expect(reply.metadata?.event_payload).toMatchObject({ outcome: 'failed', reason: 'lookup_failed', status: 503 });
    expect(reply.text).toMatch(/could not look the offer up again before deleting: Adobe IMS answered HTTP 503: server_error: IMS is under maintenance/);
    expect(reply.text).toContain(imsRequests(scene).at(-1)!.answeredWithId);
    expect(reply.text).toMatch(/No DELETE was sent/);
    expect(scene.bot.adobe.offers.has(OFFER_ID)).toBe(true);
    await expectAudit(scene.bot, confirmation, { states: ['pending', 'approved', 'failed'], outcome: { reason: 'lookup_failed', status: 503 } });
  });

  faultCase('the token expires at the DELETE and IMS is down for the new one → the check GET finds the offer: failed, IMS named', async (scene) => {
    const confirmation = await scene.request();
    scene.onAdobeRequest(
      (r) => r.method === 'DELETE',
      () => {
        scene.bot.adobe.revokeTokens();
        scene.bot.adobe.inject({
          service: 'ims',
          times: ATTEMPTS,
          respond: { status: 503, body: { error: 'server_error', error_description: 'IMS is under maintenance' } },
        });
      },
    );
    const reply = await scene.approve(confirmation);
    // The DELETE the gateway refused with 401 is the only one: no token, no second DELETE.
    expect(scene.offerRequests('DELETE')).toHaveLength(1);
    expect(reply.metadata?.event_payload).toMatchObject({ outcome: 'failed', reason: 'delete_refused' });
    expect(reply.text).toMatch(/Adobe IMS answered HTTP 503: server_error: IMS is under maintenance/);
    expect(reply.text).toMatch(/The offer is still there/);
    expect(scene.bot.adobe.offers.has(OFFER_ID)).toBe(true);
    await expectAudit(scene.bot, confirmation, { states: [...ENDED, 'failed'], outcome: { reason: 'delete_refused' } });
  });
});
