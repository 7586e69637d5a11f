// The messages offer-bot owes Slack: delivered in order and once, retried through rate limits, outages and restarts.
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { EVENT_TYPE } from '../../src/slack/constants.js';
import { parseDatabaseUrl } from '../../src/store/open-store.js';
import { ALICE, BOB, CHANNEL, OFFER_ID, startBot, type Bot } from '../support/bot.js';
import { sqliteUrl } from '../support/databases.js';
import { reject } from '../support/decisions.js';

const bots: Bot[] = [];
afterEach(async () => {
  // Stand-ins shared between bots are closed by the first bot that started them.
  for (const bot of bots.splice(0).reverse()) await bot.stop();
});

async function start(options: Parameters<typeof startBot>[0] = {}): Promise<Bot> {
  const bot = await startBot(options);
  bots.push(bot);
  return bot;
}

const outcomeReplies = (bot: Bot, ts: string) => bot.slack.messages.filter((m) => m.thread_ts === ts && m.metadata?.event_type === EVENT_TYPE.completed);

describe('delivering what offer-bot owes Slack', () => {
  it('a rate-limited thread reply is retried after Retry-After and posted once', async () => {
    const bot = await start();
    await bot.command(`delete ${OFFER_ID}`, { user: ALICE });
    const confirmation = await bot.nextConfirmation();
    bot.slack.inject({ method: 'chat.postMessage', respond: { error: 'ratelimited', retryAfter: 1 } });
    await bot.click('approve', confirmation, BOB);
    const reply = await bot.nextThreadReply(confirmation, 10_000);
    expect(reply.metadata?.event_payload).toMatchObject({ outcome: 'deleted' });
    await bot.settled();
    expect(outcomeReplies(bot, confirmation.ts)).toHaveLength(1);
    const attempts = bot.slack.calls.filter((c) => c.method === 'chat.postMessage' && c.args.thread_ts === confirmation.ts);
    expect(attempts.map((c) => c.status)).toEqual([429, 200]);
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(1_000);
  });

  it('Slack answering 500 to the outcome is retried with backoff; the reply lands once and the message ends final', async () => {
    const bot = await start();
    await bot.command(`delete ${OFFER_ID}`, { user: ALICE });
    const confirmation = await bot.nextConfirmation();
    bot.slack.inject({ method: 'chat.postMessage', times: 3, respond: { status: 500 } });
    await bot.click('approve', confirmation, BOB);
    await bot.nextThreadReply(confirmation, 15_000);
    await bot.settled();
    expect(outcomeReplies(bot, confirmation.ts)).toHaveLength(1);
    expect(JSON.stringify(bot.slack.message(CHANNEL, confirmation.ts)?.blocks)).toContain(`Deleted. Approved by <@${BOB}>`);
  }, 30_000);

  it('an outcome Slack could not take before a restart is posted, once, by the restarted bot', async () => {
    const databaseUrl = sqliteUrl();
    const first = await start({ databaseUrl });
    await first.command(`delete ${OFFER_ID}`, { user: ALICE });
    const confirmation = await first.nextConfirmation();
    first.slack.inject({ method: 'chat.postMessage', respond: { status: 503 } });
    await first.click('approve', confirmation, BOB);
    await first.slack.waitFor(() => first.slack.calls.find((c) => c.method === 'chat.postMessage' && c.status === 503), 5_000);
    await first.stopApp();
    expect(outcomeReplies(first, confirmation.ts)).toHaveLength(0);

    // Its retry was due a second after the failure: the restarted bot's sweep finds it.
    const second = await start({ databaseUrl, slack: first.slack, adobe: first.adobe, env: { OFFER_SWEEP_INTERVAL: '1s' } });
    const reply = await second.nextThreadReply(confirmation, 10_000);
    expect(reply.metadata?.event_payload).toMatchObject({ outcome: 'deleted', approver: BOB });
    await second.settled();
    expect(outcomeReplies(second, confirmation.ts)).toHaveLength(1);
    expect(second.adobe.requestsTo('offers').filter((r) => r.method === 'DELETE')).toHaveLength(1);
  });

  it('a channel archived before the outcome: recorded in the audit log and told to the requester directly', async () => {
    const bot = await start();
    await bot.command(`delete ${OFFER_ID}`, { user: ALICE });
    const confirmation = await bot.nextConfirmation();
    bot.slack.inject({ method: 'chat.postMessage', respond: { error: 'is_archived' } });
    await bot.click('approve', confirmation, BOB);
    const direct = await bot.slack.waitFor(() => bot.slack.directMessages(ALICE)[0], 5_000);
    expect(direct.text).toMatch(/could not post the outcome/);
    expect(direct.text).toMatch(/is_archived/);
    expect(direct.text).toMatch(/deleted/);
    expect(bot.logs.some((line) => line.includes('"audit":true') && line.includes('"slackError":"is_archived"'))).toBe(true);
  });

  it('the sweep deletes delivered messages once they are older than OFFER_OUTBOX_RETENTION, and keeps the transitions', async () => {
    const databaseUrl = sqliteUrl();
    const bot = await start({ databaseUrl, env: { OFFER_OUTBOX_RETENTION: '1h' } });
    await bot.command(`delete ${OFFER_ID}`, { user: ALICE });
    const confirmation = await bot.nextConfirmation();
    await reject(bot, confirmation, BOB);
    await bot.nextThreadReply(confirmation);
    await bot.settled();
    const target = parseDatabaseUrl(databaseUrl);
    if (target.kind !== 'sqlite') throw new Error('expected a SQLite database');
    const outbox = () => {
      const db = new Database(target.path, { readonly: true });
      try {
        return db.prepare('SELECT kind, result FROM slack_outbox ORDER BY id').all();
      } finally {
        db.close();
      }
    };
    const delivered = [
      { kind: 'confirmation', result: 'delivered' },
      { kind: 'outcome', result: 'delivered' },
      { kind: 'message', result: 'delivered' },
      { kind: 'dm', result: 'delivered' },
    ];
    expect(outbox()).toEqual(delivered);
    await bot.sweep();
    expect(outbox()).toEqual(delivered);
    bot.advanceClock(3_600_000 + 1_000);
    await bot.sweep();
    expect(outbox()).toEqual([]);
    expect((await bot.transitions(confirmation)).map((t) => t.to)).toEqual(['pending', 'rejected']);
    expect((await bot.request(confirmation)).state).toBe('rejected');
  });
});
