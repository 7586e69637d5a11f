// PostgreSQL answering slowly, not failing: another session holds deletion_requests locked while `/offer delete` comes in.
// Held past the store's statement_timeout (10 s), the server cancels the bot's statement: the requester gets the ack within
// Slack's 3 s and then one private answer in their language, nothing is posted or stored, and asking again afterwards works.
// Released within the timeout, the command simply waits and succeeds. A burst of more commands than the pool has connections,
// under a shorter lock, fails those that wait longer than CONNECT_TIMEOUT_MS for a connection: acked, then told, never silent
// (the likely way a bench burst on a slow store gets commands acked but not stored).
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { ALICE, OFFER_ID, startBot, type Bot } from '../support/bot.js';
import { postgresAvailable, withPostgres, type TestDatabase } from '../support/databases.js';

const available = await postgresAvailable();
/** src/store/postgres.ts STATEMENT_TIMEOUT_MS: how long the server lets one statement wait. */
const STATEMENT_TIMEOUT_MS = 10_000;
/** Slack shows the user an error when the ack takes longer. */
const ACK_WITHIN_MS = 3_000;
const TEST_MS = 60_000;
/** A Swedish reader, so the answer is checked for the reader's language, not just for being there. */
const SWEDISH = { [ALICE]: { locale: 'sv-SE', tz: 'Europe/Stockholm' } };

let database: TestDatabase | undefined;
let bot: Bot | undefined;
let locker: pg.Client | undefined;

afterEach(async () => {
  await locker?.end().catch(() => undefined);
  locker = undefined;
  await bot?.stop();
  bot = undefined;
  await database?.drop();
  database = undefined;
});

/** Another session takes deletion_requests for itself, as a long migration or a stuck transaction would. */
async function lockRequests(url: string): Promise<{ release(): Promise<void> }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  locker = client;
  await client.query('BEGIN');
  await client.query('LOCK TABLE deletion_requests IN ACCESS EXCLUSIVE MODE');
  return { release: () => client.query('ROLLBACK').then(() => undefined) };
}

async function rows(url: string): Promise<Array<{ offer_id: string; state: string }>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ offer_id: string; state: string }>('SELECT offer_id, state FROM deletion_requests')).rows;
  } finally {
    await client.end();
  }
}

/** src/store/postgres.ts POOL_MAX and CONNECT_TIMEOUT_MS: connections per replica, and how long a call waits for one. */
const POOL_MAX = 10;
const CONNECT_TIMEOUT_MS = 5_000;
/** Plain members of the workspace, one command each, so the per-user limit refuses none. */
const PEOPLE = Array.from({ length: POOL_MAX + 4 }, (_, i) => `U0SLOW${String(i).padStart(4, '0')}`);

const channelMessages = (b: Bot) => b.slack.messages.filter((m) => !m.thread_ts);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!available)('PostgreSQL too slow for a request', () => {
  it(
    'locked past the statement timeout: ack within 3 s, one private answer in the reader’s language, nothing posted or stored; asking again works',
    async () => {
      database = await withPostgres();
      bot = await startBot({ databaseUrl: database.url, users: SWEDISH });
      const lock = await lockRequests(database.url);

      const sentAt = Date.now();
      const acked = await bot.command(`delete ${OFFER_ID}`);
      expect(acked.status).toBe(200);
      expect(Date.now() - sentAt).toBeLessThan(ACK_WITHIN_MS);

      const answer = await bot.nextResponse(undefined, STATEMENT_TIMEOUT_MS + 10_000);
      const answeredAfter = Date.now() - sentAt;
      expect(answeredAfter).toBeGreaterThanOrEqual(STATEMENT_TIMEOUT_MS - 500);
      expect(answer).toBe('offer-bot kunde inte hantera begäran (STORE_UNAVAILABLE); inget togs bort. Försök igen om en stund.');
      // Only that one answer, and nothing in the channel, even after the sweep and outbox meet the same lock.
      await sleep(1_000);
      expect(bot.slack.responses).toHaveLength(1);
      expect(channelMessages(bot)).toHaveLength(0);
      // The log says what happened, for the operator: the statement timed out.
      expect(bot.logs.some((line) => line.includes('STORE_UNAVAILABLE') && line.includes('timed out'))).toBe(true);

      await lock.release();
      expect(await rows(database.url)).toEqual([]);
      expect(channelMessages(bot)).toHaveLength(0);

      // The store has recovered: the same request now goes through.
      await bot.command(`delete ${OFFER_ID}`);
      const confirmation = await bot.nextConfirmation(10_000);
      expect(confirmation.channel).toBeTruthy();
      expect(await bot.nextResponse()).toMatch(/^Din begäran om att ta bort `[^`]+` är postad/);
      expect(await rows(database.url)).toEqual([{ offer_id: OFFER_ID, state: 'pending' }]);
      expect(channelMessages(bot)).toHaveLength(1);
    },
    TEST_MS,
  );

  it(
    'locked for a moment, within the statement timeout: the command waits for the lock and succeeds normally',
    async () => {
      database = await withPostgres();
      bot = await startBot({ databaseUrl: database.url, users: SWEDISH });
      const lock = await lockRequests(database.url);

      const sentAt = Date.now();
      const acked = await bot.command(`delete ${OFFER_ID}`);
      expect(acked.status).toBe(200);
      expect(Date.now() - sentAt).toBeLessThan(ACK_WITHIN_MS);
      await sleep(2_000);
      expect(channelMessages(bot)).toHaveLength(0);
      await lock.release();

      await bot.nextConfirmation(10_000);
      expect(await bot.nextResponse(undefined, 10_000)).toMatch(/^Din begäran om att ta bort `[^`]+` är postad/);
      expect(bot.slack.responses).toHaveLength(1);
      expect(channelMessages(bot)).toHaveLength(1);
      expect(await rows(database.url)).toEqual([{ offer_id: OFFER_ID, state: 'pending' }]);
      expect(bot.logs.some((line) => line.includes('STORE_UNAVAILABLE'))).toBe(false);
    },
    TEST_MS,
  );

  it(
    'a burst while the table is locked for less than the statement timeout: whoever waits too long for a pooled connection is told, none is left silent',
    async () => {
      database = await withPostgres();
      bot = await startBot({ databaseUrl: database.url });
      const lock = await lockRequests(database.url);

      // More commands than the pool has connections: the first POOL_MAX wait on the lock, the rest for a connection.
      const acks = await Promise.all(PEOPLE.map((user) => bot!.command(`delete ${OFFER_ID}`, { user })));
      expect(acks.map((a) => a.status)).toEqual(PEOPLE.map(() => 200));
      await sleep(CONNECT_TIMEOUT_MS + 1_500);
      await lock.release();

      // Every requester gets exactly one private answer: one request is posted, the others hear it is already asked for,
      // or that the store could not take it (the pool's wait for a connection ran out).
      const b = bot;
      await b.slack.waitFor(() => b.slack.responses.length >= PEOPLE.length || undefined, 20_000);
      await sleep(1_000);
      const texts = b.slack.responses.map((r) => String(r.body.text ?? ''));
      expect(new Set(b.slack.responses.map((r) => r.name)).size).toBe(PEOPLE.length);
      expect(texts).toHaveLength(PEOPLE.length);
      const unavailable: string = 'offer-bot could not handle this request (STORE_UNAVAILABLE); nothing was deleted. Try again shortly.';
      const failed = texts.filter((t) => t === unavailable);
      const posted = texts.filter((t) => t.startsWith('Posted your request to delete'));
      expect(failed.length).toBeGreaterThanOrEqual(1);
      expect(posted).toHaveLength(1);
      expect(texts.filter((t) => !failed.includes(t) && !posted.includes(t)).every((t) => t.startsWith('There is already an open request'))).toBe(true);
      expect(channelMessages(b)).toHaveLength(1);
      expect(await rows(database.url)).toEqual([{ offer_id: OFFER_ID, state: 'pending' }]);
      expect(b.logs.some((line) => line.includes('timeout exceeded when trying to connect'))).toBe(true);
    },
    TEST_MS,
  );
});
