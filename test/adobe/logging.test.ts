// What the Adobe client writes to the log: useful facts, never the client secret or an access token.
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Dispatcher } from 'undici';
import { createAdobeDispatcher } from '../../src/adobe/http.js';
import { createTokenProvider } from '../../src/adobe/ims.js';
import { createOfferLibrary } from '../../src/adobe/offer-library.js';
import { createLogger } from '../../src/log.js';
import { EXCERPT_LENGTH } from '../../src/adobe/http.js';
import { FAST_HTTP, SEEDED_OFFER_IDS, TEST_CREDENTIALS, adobeConfig, secretPiecesIn, startAdobeStandins, type AdobeStandins } from '../support/adobe.js';

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

it('writes neither the client secret nor any issued token in any log line', async () => {
  const lines: string[] = [];
  const log = createLogger('trace', { write: (line: string) => void lines.push(line) });
  const config = adobeConfig(adobe);
  const tokens = createTokenProvider(config, { dispatcher, log });
  const offers = createOfferLibrary(config, { tokens, dispatcher, log });
  // As the workflow would: log every outcome, including the errors themselves.
  const run = async (what: string, step: () => Promise<unknown>) => {
    try {
      log.info({ what, result: await step() }, 'step done');
    } catch (err) {
      log.error({ what, err }, 'step failed');
    }
  };

  await run('lookup', () => offers.getOffer('prod', SEEDED_OFFER_IDS[0]));
  adobe.revokeTokens();
  await run('lookup with a revoked token', () => offers.getOffer('prod', SEEDED_OFFER_IDS[1]));
  await run('delete', () => offers.deleteOffer('prod', SEEDED_OFFER_IDS[0]));
  adobe.inject({ service: 'offers', times: 2, respond: { status: 401, body: { error_code: '401013', message: 'Oauth token is not valid' } } });
  await run('delete refused twice', () => offers.deleteOffer('prod', SEEDED_OFFER_IDS[1]));
  // Adobe echoing secrets back: the token whole, the client secret across the excerpt's cut, an HTML page with the form.
  const token = adobe.tokensIssued.at(-1)!;
  const acrossTheCut = `${'x'.repeat(EXCERPT_LENGTH - 'Conflict: '.length - 10)}${TEST_CREDENTIALS.clientSecret} ${'y'.repeat(EXCERPT_LENGTH)}`;
  adobe.inject(
    { service: 'offers', respond: { status: 403, body: { title: 'Forbidden', detail: `Bearer ${token} may not` } } },
    { service: 'offers', respond: { status: 409, body: { title: 'Conflict', detail: acrossTheCut } } },
    { service: 'ims', respond: { status: 403, body: `<html>client_secret=${TEST_CREDENTIALS.clientSecret}</html>` } },
  );
  await run('refusal echoing the token', () => offers.getOffer('prod', SEEDED_OFFER_IDS[2]));
  await run('conflict echoing the secret', () => offers.deleteOffer('prod', SEEDED_OFFER_IDS[2]));
  adobe.revokeTokens();
  await run('IMS error page echoing the form', () => offers.getOffer('prod', SEEDED_OFFER_IDS[2]));
  adobe.inject({ service: 'offers', times: Infinity, respond: 'reset' });
  await run('unreachable', () => offers.getOffer('prod', SEEDED_OFFER_IDS[2]));
  const refused = createTokenProvider({ ...config, clientSecret: `${TEST_CREDENTIALS.clientSecret}-rotated` }, { dispatcher, log });
  await run('wrong secret', () => refused.getToken());

  const text = lines.join('');
  expect(text).toContain('fetched an Adobe IMS access token');
  expect(text).toContain('refused the access token');
  expect(text).toContain('IMS_REFUSED');
  expect(adobe.tokensIssued.length).toBeGreaterThanOrEqual(3);
  expect(text).toContain('with a non-JSON body');
  for (const secret of [TEST_CREDENTIALS.clientSecret, ...adobe.tokensIssued]) {
    expect(lines.filter((line) => secretPiecesIn(line, secret).length > 0)).toEqual([]);
  }
});
