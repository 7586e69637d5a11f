// GET /metrics on the real app: what a deletion, a failed DELETE, a refused Slack write and a lease takeover move.
import { afterEach, describe, expect, it } from 'vitest';
import { ALICE, BOB, CHANNEL, OFFER_ID, SECRETS, startBot, type Bot } from '../support/bot.js';

let bot: Bot;
afterEach(async () => {
  await bot?.stop();
});

/** The scrape, as `name{labels}` → value (label order as prom-client writes it); comments and blank lines skipped. */
async function scrape(b: Bot): Promise<{ text: string; samples: Map<string, number> }> {
  const response = await fetch(b.url.replace('/slack/events', '/metrics'));
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  const text = await response.text();
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    samples.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return { text, samples };
}

async function approvedAndFinished(b: Bot): Promise<void> {
  await b.command(`delete ${OFFER_ID} campaign ended`, { user: ALICE });
  const confirmation = await b.nextConfirmation();
  await b.click('approve', confirmation, BOB);
  await b.nextThreadReply(confirmation);
  await b.settled();
}

describe('GET /metrics', () => {
  it('after a deletion: one request deleted, one decision, the Adobe and Slack calls it made, nothing owed, no takeover', async () => {
    bot = await startBot();
    const before = await scrape(bot);
    expect(before.samples.get('offerbot_requests_total')).toBeUndefined();
    expect(before.samples.get('offerbot_outbox_backlog')).toBe(0);

    await approvedAndFinished(bot);
    const { text, samples } = await scrape(bot);
    expect(samples.get('offerbot_requests_total{outcome="deleted",reason="deleted"}')).toBe(1);
    expect(samples.get('offerbot_decision_seconds_count{decision="approved"}')).toBe(1);
    expect(samples.get('offerbot_decision_seconds_bucket{le="+Inf",decision="approved"}')).toBe(1);
    // The look-up at the request, the one before the DELETE, the DELETE, and the check that finds it gone.
    expect(samples.get('offerbot_adobe_call_seconds_count{service="offer_library",method="DELETE",status="200"}')).toBe(1);
    expect(samples.get('offerbot_adobe_call_seconds_count{service="offer_library",method="GET",status="404"}')).toBeGreaterThanOrEqual(1);
    expect(samples.get('offerbot_adobe_call_seconds_count{service="offer_library",method="GET",status="200"}')).toBeGreaterThanOrEqual(1);
    expect(samples.get('offerbot_adobe_call_seconds_count{service="adobe_ims",method="POST",status="200"}')).toBe(1);
    expect(text).not.toContain('offerbot_adobe_call_errors_total{');
    // The confirmation, the thread reply and the requester's DM; the update to "deleting…" and to the outcome.
    expect(samples.get('offerbot_slack_call_seconds_count{method="chat.postMessage",ok="true"}')).toBe(3);
    expect(samples.get('offerbot_slack_call_seconds_count{method="chat.update",ok="true"}')).toBeGreaterThanOrEqual(2);
    expect(text).not.toContain('offerbot_slack_call_errors_total{');
    expect(samples.get('offerbot_outbox_backlog')).toBe(0);
    expect(samples.get('offerbot_lease_takeovers_total')).toBe(0);
    expect(samples.get('offerbot_process_resident_memory_bytes')).toBeGreaterThan(0);
    // Labels carry kinds, never who or what: no offer, user or channel ids, no secrets.
    for (const word of [OFFER_ID, ALICE, BOB, CHANNEL, ...Object.values(SECRETS)]) expect(text).not.toContain(word);
  });

  it('a look-up whose connection breaks on every attempt counts once as an Adobe error by its code, with status none', async () => {
    bot = await startBot();
    bot.adobe.inject({ service: 'offers', method: 'GET', times: Number.POSITIVE_INFINITY, respond: 'reset' });
    await bot.command(`delete ${OFFER_ID}`, { user: ALICE });
    await bot.nextResponse();
    const { samples } = await scrape(bot);
    const errors = [...samples].filter(([name]) => name.startsWith('offerbot_adobe_call_errors_total{service="offer_library",method="GET"'));
    // One call, however many attempts undici made under it; the code is the network's, as the last attempt saw it.
    expect(errors).toEqual([[expect.stringMatching(/code="(ECONNRESET|UND_ERR_SOCKET)"/), 1]]);
    expect(samples.get('offerbot_adobe_call_seconds_count{service="offer_library",method="GET",status="none"}')).toBe(1);
  });

  it('an answer over the size cap counts by our own code, ADOBE_BAD_RESPONSE, not the socket error under it', async () => {
    bot = await startBot();
    bot.adobe.inject({ service: 'offers', method: 'GET', respond: 'huge-body' });
    await bot.command(`delete ${OFFER_ID}`, { user: ALICE });
    await bot.nextResponse();
    const { samples } = await scrape(bot);
    expect(samples.get('offerbot_adobe_call_errors_total{service="offer_library",method="GET",code="ADOBE_BAD_RESPONSE"}')).toBe(1);
  });

  it("a Slack write refused with Slack's error counts by that error, and the write it owes shows in the backlog until settled", async () => {
    bot = await startBot();
    bot.slack.inject({ method: 'chat.postMessage', respond: { error: 'ratelimited', retryAfter: 60 } });
    await bot.command(`delete ${OFFER_ID}`, { user: ALICE });
    await bot.slack.waitFor(() => bot.logs.find((line) => line.includes('will retry')), 5_000);
    const { samples } = await scrape(bot);
    expect(samples.get('offerbot_slack_call_errors_total{method="chat.postMessage",error="ratelimited"}')).toBe(1);
    expect(samples.get('offerbot_slack_call_seconds_count{method="chat.postMessage",ok="false"}')).toBe(1);
    expect(samples.get('offerbot_outbox_backlog')).toBe(1);
  });

  it('a deletion whose worker’s lease ran out, resumed by the sweep, counts as one lease takeover', async () => {
    bot = await startBot();
    await bot.command(`delete ${OFFER_ID}`, { user: ALICE });
    const confirmation = await bot.nextConfirmation();
    await bot.settled();
    const request = await bot.request(confirmation);
    // Another worker approved it and vanished: its lease ended a moment ago.
    const at = Date.now();
    const change = { from: 'pending', to: 'approved', actor: BOB, patch: { decidedBy: BOB, decidedAt: at } } as const;
    expect(await bot.store.transition(request.id, change, at, { lease: { owner: 'vanished-worker', until: at - 1 } })).not.toBeNull();
    await bot.sweep();
    await bot.nextThreadReply(confirmation);
    await bot.settled();
    const { samples } = await scrape(bot);
    expect(samples.get('offerbot_lease_takeovers_total')).toBe(1);
    expect(samples.get('offerbot_requests_total{outcome="deleted",reason="deleted"}')).toBe(1);
  });
});
