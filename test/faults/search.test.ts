// Fault matrix, the search by name: 5xx, 429, resets, timeouts, malformed JSON, stalls and a refused token, at `/offer find`
// (answered through response_url) and at the delete form's menu (answered within Slack's 3 s, with "search failed" if need be).
import { describe, expect } from 'vitest';
import { DELETE_FORM } from '../../src/slack/constants.js';
import { ALICE, ATTEMPTS, auditLines, faultCase, type Scene } from './harness.js';

/** Slack drops an options answer after 3 s. */
const SLACK_OPTIONS_DEADLINE_MS = 3_000;
const gateway = (status: number, message: string) => ({ error_code: `${status}050`, message });
const searches = (scene: Scene) => scene.offerRequests('GET').filter((request) => request.path.endsWith('/offers'));

/** Alice runs `/offer find winter`; the private answer, after checking nothing was stored, posted or deleted. */
async function findAnswer(scene: Scene): Promise<string> {
  await scene.command('find winter');
  const text = await scene.bot.nextResponse(undefined, 10_000);
  await scene.bot.settled();
  expect(auditLines(scene.bot)).toEqual([]);
  expect(scene.bot.slack.messages).toEqual([]);
  expect(scene.offerRequests('DELETE')).toEqual([]);
  return text;
}

/** Alice opens the delete form and types `winter` into its menu: the options, answered within Slack's 3 s. */
async function menuAnswer(scene: Scene): Promise<string[]> {
  const ack = await scene.bot.command('delete', { user: ALICE });
  expect(ack.status).toBe(200);
  const view = await scene.bot.nextView(ALICE);
  const started = Date.now();
  const answer = await scene.bot.suggest(view, ALICE, DELETE_FORM.offer, DELETE_FORM.offer, 'winter');
  expect(Date.now() - started).toBeLessThan(SLACK_OPTIONS_DEADLINE_MS);
  expect(answer.status).toBe(200);
  await scene.bot.settled();
  expect(scene.bot.slack.messages).toEqual([]);
  return ((answer.json as { options: { text: { text: string } }[] }).options ?? []).map((option) => option.text.text);
}

describe('fault matrix: the search by name', () => {
  faultCase('find: 500 on every attempt → the caller hears the status and Adobe’s words; nothing stored', async (scene) => {
    scene.bot.adobe.inject({ service: 'offers', method: 'GET', times: ATTEMPTS, respond: { status: 500, body: gateway(500, 'Internal Server Error in DPS') } });
    const text = await findAnswer(scene);
    expect(searches(scene)).toHaveLength(ATTEMPTS);
    expect(text).toMatch(/^I could not search the offers of sandbox `prod`: .*HTTP 500.*Internal Server Error in DPS.*Nothing was changed\.$/);
  });

  faultCase('find: a connection reset on every attempt → "connection closed", after 4 attempts', async (scene) => {
    scene.bot.adobe.inject({ service: 'offers', method: 'GET', times: ATTEMPTS, respond: 'reset' });
    expect(await findAnswer(scene)).toMatch(/the connection was closed before an answer arrived \(4 attempts\)/);
    expect(searches(scene)).toHaveLength(ATTEMPTS);
  });

  faultCase('find: no answer on every attempt → "timed out", after 4 attempts', async (scene) => {
    scene.bot.adobe.inject({ service: 'offers', method: 'GET', times: ATTEMPTS, respond: 'hang' });
    expect(await findAnswer(scene)).toMatch(/timed out after 200ms waiting for an answer \(4 attempts\)/);
  });

  faultCase('find: 200 with malformed JSON → "the body is not JSON"; not retried', async (scene) => {
    scene.bot.adobe.inject({ service: 'offers', method: 'GET', respond: 'malformed-json' });
    expect(await findAnswer(scene)).toMatch(/answered 200 to a search but the body is not JSON/);
    expect(searches(scene)).toHaveLength(1);
  });

  faultCase('find: 429 with Retry-After, then the list → retried once, the matches shown', async (scene) => {
    scene.bot.adobe.inject({
      service: 'offers',
      method: 'GET',
      respond: { status: 429, headers: { 'retry-after': '0' }, body: gateway(429, 'Too many requests') },
    });
    expect(await findAnswer(scene)).toMatch(/^Personalized offers in sandbox `prod` whose name contains `winter`/);
    expect(searches(scene)).toHaveLength(2);
  });

  faultCase('find: the access token refused (401) → a new token, the search sent once more, the matches shown', async (scene) => {
    await findAnswer(scene);
    scene.bot.adobe.revokeTokens();
    expect(await findAnswer(scene)).toMatch(/^Personalized offers/);
    expect(scene.bot.adobe.tokensIssued).toHaveLength(2);
    expect(searches(scene)).toHaveLength(3);
  });

  faultCase('find: the second page resets on every attempt → the search fails as a whole, said so; no half list', async (scene) => {
    scene.bot.adobe.listPageSize = 1;
    scene.bot.adobe.seed('prod', {
      ...scene.bot.adobe.offers.get('dps:personalized-offer:1a4c514f745dbd7c')!,
      id: 'dps:personalized-offer:2222',
      name: 'Winter two',
    });
    // Injected as the second page's request arrives, so the first page is answered as normal.
    scene.onAdobeRequest(
      (request) => request.params.get('start') !== null,
      () => scene.bot.adobe.inject({ service: 'offers', method: 'GET', times: ATTEMPTS, respond: 'reset' }),
    );
    const text = await findAnswer(scene);
    expect(text).toMatch(/^I could not search the offers of sandbox `prod`: .*the connection was closed before an answer arrived \(4 attempts\)/);
    expect(text).not.toContain('Winter');
    expect(searches(scene).map((request) => request.params.get('start') !== null)).toEqual([false, true, true, true, true]);
  });

  faultCase('menu: Adobe never answers → one "search failed" option within Slack’s 3 s', async (scene) => {
    scene.bot.adobe.inject({ service: 'offers', method: 'GET', times: Infinity, respond: 'hang' });
    expect(await menuAnswer(scene)).toEqual(['Search failed: try again in a moment']);
  });

  faultCase('menu: a body that trickles forever → "search failed" within Slack’s 3 s', async (scene) => {
    scene.bot.adobe.inject({ service: 'offers', method: 'GET', times: Infinity, respond: 'trickle' });
    expect(await menuAnswer(scene)).toEqual(['Search failed: try again in a moment']);
  });

  faultCase('menu: a 503, then the list → retried within the deadline, the offer offered', async (scene) => {
    scene.bot.adobe.inject({ service: 'offers', method: 'GET', respond: { status: 503, body: gateway(503, 'Service Unavailable') } });
    const options = await menuAnswer(scene);
    expect(options).toHaveLength(1);
    expect(options[0]).toMatch(/^Winter sale 20% off · approved · /);
    expect(searches(scene)).toHaveLength(2);
  });
});
