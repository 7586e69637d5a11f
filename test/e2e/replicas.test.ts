// Two offer-bot processes sharing one PostgreSQL database, driven over HTTP as Slack drives them: clicks spread
// across both, concurrent approvals, and a replica killed mid-way. Every approved request must be deleted exactly
// once and reported exactly once, whichever replica finishes it.
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACTION, EVENT_TYPE, OFFER_COMMAND } from '../../src/slack/constants.js';
import { anOffer, startAdobeStandins, TEST_CREDENTIALS, type AdobeStandins } from '../support/adobe.js';
import { ALICE, BOB, CAROL, CHANNEL, OFFER_ID, SECRETS, TEAM } from '../support/bot.js';
import { postgresAvailable, withPostgres, type TestDatabase } from '../support/databases.js';
import { botEnv, startBotProcess, type BotProcess } from '../support/process.js';
import { startSlackApi, type PostedMessage, type SlackApi } from '../support/slack-api.js';
import { blockActionPayload, sendBlockAction, sendSlashCommand, type SlackResponse } from '../support/slack-requests.js';

const available = await postgresAvailable();

const TEST_MS = 60_000;
/** Short enough for a quick takeover, long enough that a live replica never loses its lease on this machine. */
const VERIFY_TIMEOUT_MS = 3_000;
const WORK_LEASE_MS = 2_000;
const SWEEP_INTERVAL_MS = 1_000;
const LEASE_MS = VERIFY_TIMEOUT_MS + WORK_LEASE_MS;
/** A takeover waits for the lease, then for the next sweep; the rest is start-up noise on a busy machine. */
const TAKEOVER_WITHIN_MS = LEASE_MS + SWEEP_INTERVAL_MS + 10_000;
/** After the outcome, long enough for several sweeps of both replicas to have had a chance to repeat anything. */
const QUIET_MS = 3 * SWEEP_INTERVAL_MS;
const DAVE = 'U0DAVE4PX';

let slack: SlackApi;
let adobe: AdobeStandins;
let database: TestDatabase;
const processes: BotProcess[] = [];

beforeEach(async () => {
  slack = await startSlackApi({ botToken: SECRETS.botToken, teamId: TEAM, botUserId: 'U07QX4M1B2C', botId: 'B07QX4LCA9D' });
  adobe = await startAdobeStandins({ ...TEST_CREDENTIALS });
  database = await withPostgres();
});
afterEach(async (context) => {
  // On failure, what each replica said beyond routine lines: warnings, errors and the audit trail.
  if (context.task.result?.state === 'fail') {
    for (const [i, replica] of processes.entries()) {
      const lines = replica.stdout.filter((line) => !line.includes('"level":30') || line.includes('"audit":true'));
      console.info(`replica ${i} (port ${replica.port}):\n${[...lines, ...replica.stderr].join('\n')}`);
    }
  }
  await Promise.all(processes.splice(0).map((p) => p.kill('SIGKILL')));
  await slack.close();
  await adobe.close();
  await database.drop();
});

/** Two replicas, started at the same moment on one empty database (so their migrations race too). */
async function startReplicas(extra: Record<string, string> = {}): Promise<[BotProcess, BotProcess]> {
  const env = {
    ...botEnv(slack, adobe, database.url),
    ...extra,
    OFFER_VERIFY_TIMEOUT: `${VERIFY_TIMEOUT_MS / 1000}s`,
    OFFER_WORK_LEASE: `${WORK_LEASE_MS / 1000}s`,
    OFFER_SWEEP_INTERVAL: `${SWEEP_INTERVAL_MS / 1000}s`,
  };
  const replicas = await Promise.all([startBotProcess(env), startBotProcess(env)]);
  processes.push(...replicas);
  await Promise.all(replicas.map((replica) => replica.waitHealthy()));
  return [replicas[0]!, replicas[1]!];
}

async function sql<T extends pg.QueryResultRow>(text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    return (await client.query<T>(text, params)).rows;
  } finally {
    await client.end();
  }
}

const eventsUrl = (bot: BotProcess) => `http://127.0.0.1:${bot.port}/slack/events`;
let hooks = 0;

function command(bot: BotProcess, offerId: string, user = ALICE): Promise<SlackResponse> {
  hooks += 1;
  return sendSlashCommand(eventsUrl(bot), SECRETS.signingSecret, {
    text: `delete ${offerId} end of campaign`,
    user_id: user,
    channel_id: CHANNEL,
    team_id: TEAM,
    command: OFFER_COMMAND,
    response_url: slack.responseUrl(`command-${hooks}`, { channel: CHANNEL, userId: user }),
  });
}

/** The click's body, built before it is sent, so several can leave at the same moment. */
function approval(bot: BotProcess, message: PostedMessage, user: string): () => Promise<SlackResponse> {
  hooks += 1;
  const payload = blockActionPayload({
    user_id: user,
    action_id: ACTION.approve,
    message,
    team_id: TEAM,
    response_url: slack.responseUrl(`click-${hooks}`, { channel: message.channel, messageTs: message.ts, userId: user }),
  });
  return () => sendBlockAction(eventsUrl(bot), SECRETS.signingSecret, payload);
}

const confirmationOf = (offerId: string) =>
  slack.waitFor(
    () => slack.messages.find((m) => !m.thread_ts && m.metadata?.event_type === EVENT_TYPE.requested && m.metadata.event_payload.offer_id === offerId),
    10_000,
  );
/**
 * The confirmation, once its requester has been told it is up. People click after that; a click in the few
 * milliseconds between Slack showing the message and offer-bot storing its ts is refused as an unknown button.
 */
async function postedConfirmation(offerId: string): Promise<PostedMessage> {
  const message = await confirmationOf(offerId);
  const told = await slack.waitFor(() => slack.responses.map((r) => String(r.body.text ?? '')).find((text) => text.includes(`\`${offerId}\``)), 15_000);
  expect(told).toMatch(/^Posted your request to delete/);
  return message;
}
const repliesTo = (parent: PostedMessage) => slack.messages.filter((m) => m.thread_ts === parent.ts);
const requestIdOf = (message: PostedMessage) => String(message.metadata?.event_payload.request_id);
const deletesOf = (offerId: string) =>
  adobe.requestsTo('offers').filter((r) => r.method === 'DELETE' && decodeURIComponent(r.path).endsWith(`/offers/${offerId}`));
const getsOf = (offerId: string) => adobe.requestsTo('offers').filter((r) => r.method === 'GET' && decodeURIComponent(r.path).endsWith(`/offers/${offerId}`));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await sleep(50);
  }
}

/**
 * Every Slack write owed for the request so far has been delivered. The kills below aim between the DELETE and
 * the thread reply; a Slack write the dead replica had claimed would wait out its own 60 s outbox lease first.
 */
const slackWritesSettled = (requestId: string) =>
  until(
    async () => (await sql('SELECT 1 FROM slack_outbox WHERE request_id = $1 AND settled_at IS NULL', [requestId])).length === 0,
    'the Slack writes owed so far are delivered',
  );

async function transitionsOf(requestId: string) {
  return sql<{ from_state: string | null; to_state: string; actor: string }>(
    'SELECT from_state, to_state, actor FROM deletion_transitions WHERE request_id = $1 ORDER BY id',
    [requestId],
  );
}

const logged = (bot: BotProcess, text: string) => bot.stdout.some((line) => line.includes(text));

describe.skipIf(!available)('two replicas on one PostgreSQL database', () => {
  it(
    'approvals clicked on both replicas at the same moment: one approval wins, one DELETE, one outcome, everyone else told',
    async () => {
      const [a, b] = await startReplicas();
      expect((await command(a, OFFER_ID)).status).toBe(200);
      const message = await postedConfirmation(OFFER_ID);

      // Three approvers, each double-clicking, once on each replica: six approvals in flight together.
      const clicks = [BOB, CAROL, DAVE].flatMap((user) => [approval(a, message, user), approval(b, message, user)]);
      const acks = await Promise.all(clicks.map((send) => send()));
      expect(acks.map((ack) => ack.status)).toEqual(clicks.map(() => 200));

      const reply = await slack.waitFor(() => repliesTo(message)[0], 15_000);
      expect(reply.metadata).toMatchObject({ event_type: EVENT_TYPE.completed, event_payload: { outcome: 'deleted', requester: ALICE } });
      await sleep(QUIET_MS);

      expect(repliesTo(message)).toHaveLength(1);
      expect(deletesOf(OFFER_ID)).toHaveLength(1);
      const transitions = await transitionsOf(requestIdOf(message));
      expect(transitions.map((t) => t.to_state)).toEqual(['pending', 'approved', 'deleting', 'deleted']);
      const winner = transitions[1]!.actor;
      expect([BOB, CAROL, DAVE]).toContain(winner);
      expect(reply.metadata?.event_payload.approver).toBe(winner);
      // The five other clicks were each answered, privately, that the request was already decided.
      await slack.waitFor(() => slack.ephemerals.filter((e) => e.via === 'chat.postEphemeral').length >= 5 || undefined, 5_000);
      expect(slack.ephemerals.filter((e) => e.via === 'chat.postEphemeral')).toHaveLength(5);
      for (const note of slack.ephemerals.filter((e) => e.via === 'chat.postEphemeral')) expect(note.text).toMatch(/already decided/);
    },
    TEST_MS,
  );

  it(
    'two approvals needed, three approvers double-clicking on both replicas at once: two count, one DELETE, one outcome',
    async () => {
      const [a, b] = await startReplicas({ OFFER_REQUIRED_APPROVALS: '2' });
      expect((await command(a, OFFER_ID)).status).toBe(200);
      const message = await postedConfirmation(OFFER_ID);

      // Each approver clicks once on each replica: six approvals in flight together, of which two may count.
      const clicks = [BOB, CAROL, DAVE].flatMap((user) => [approval(a, message, user), approval(b, message, user)]);
      expect((await Promise.all(clicks.map((send) => send()))).every((ack) => ack.status === 200)).toBe(true);

      const reply = await slack.waitFor(() => repliesTo(message)[0], 15_000);
      expect(reply.metadata).toMatchObject({ event_type: EVENT_TYPE.completed, event_payload: { outcome: 'deleted', required_approvals: 2 } });
      await sleep(QUIET_MS);
      expect(repliesTo(message)).toHaveLength(1);
      expect(deletesOf(OFFER_ID)).toHaveLength(1);
      const transitions = await transitionsOf(requestIdOf(message));
      expect(transitions.map((t) => t.to_state)).toEqual(['pending', 'pending', 'approved', 'deleting', 'deleted']);
      const [first, last] = [transitions[1]!.actor, transitions[2]!.actor];
      expect(first).not.toBe(last);
      expect(reply.metadata?.event_payload.approvers).toBe(`${first},${last}`);
      // The database kept one approval per person, the two that counted.
      const approvals = await sql<{ approver_id: string }>('SELECT approver_id FROM deletion_approvals WHERE request_id = $1', [requestIdOf(message)]);
      expect(approvals.map((row) => row.approver_id).sort()).toEqual([first, last].sort());
      // The four other clicks were each answered privately: already approved by them, or already decided.
      await slack.waitFor(() => slack.ephemerals.filter((e) => e.via === 'chat.postEphemeral').length >= 4 || undefined, 5_000);
      const told = slack.ephemerals.filter((e) => e.via === 'chat.postEphemeral');
      expect(told).toHaveLength(4);
      for (const note of told) expect(note.text).toMatch(/already approved|already decided/);
    },
    TEST_MS,
  );

  it(
    'ten requests, each asked on one replica and approved on the other: every one deleted once and reported once, nothing left open',
    async () => {
      const [a, b] = await startReplicas();
      const offerIds = Array.from({ length: 10 }, (_, i) => `dps:personalized-offer:replica${String(i).padStart(2, '0')}`);
      for (const id of offerIds) adobe.offers.set(id, anOffer(id, { name: `Replica offer ${id.slice(-2)}` }));
      const askedOn = (i: number) => (i % 2 === 0 ? a : b);
      const approvedOn = (i: number) => (i % 2 === 0 ? b : a);

      // Two requesters (each well under any per-person limit on open requests), two approvers.
      const acks = await Promise.all(offerIds.map((id, i) => command(askedOn(i), id, i % 2 === 0 ? ALICE : DAVE)));
      expect(acks.map((ack) => ack.status)).toEqual(offerIds.map(() => 200));
      // Each requester hears that the confirmation is up, whichever replica's delivery posted it.
      const messages = await Promise.all(offerIds.map(postedConfirmation));
      const clicks = messages.map((message, i) => approval(approvedOn(i), message, i % 3 === 0 ? CAROL : BOB));
      expect((await Promise.all(clicks.map((send) => send()))).every((ack) => ack.status === 200)).toBe(true);

      await slack.waitFor(() => messages.every((message) => repliesTo(message).length > 0) || undefined, 30_000);
      await sleep(QUIET_MS);

      for (const [i, message] of messages.entries()) {
        const replies = repliesTo(message);
        expect(replies, offerIds[i]).toHaveLength(1);
        expect(replies[0]!.metadata).toMatchObject({
          event_type: EVENT_TYPE.completed,
          event_payload: { outcome: 'deleted', offer_id: offerIds[i], requester: i % 2 === 0 ? ALICE : DAVE, approver: i % 3 === 0 ? CAROL : BOB },
        });
        expect(deletesOf(offerIds[i]!), offerIds[i]).toHaveLength(1);
        expect(adobe.offers.has(offerIds[i]!)).toBe(false);
      }
      const states = await sql<{ state: string; n: string }>('SELECT state, count(*) AS n FROM deletion_requests GROUP BY state');
      expect(states).toEqual([{ state: 'deleted', n: '10' }]);
      const approvals = await sql<{ request_id: string; n: string }>(
        "SELECT request_id, count(*) AS n FROM deletion_transitions WHERE to_state = 'approved' GROUP BY request_id",
      );
      expect(approvals).toHaveLength(10);
      expect(approvals.every((row) => row.n === '1')).toBe(true);
      expect(await sql('SELECT id FROM slack_outbox WHERE settled_at IS NULL')).toEqual([]);
      expect(await sql("SELECT id FROM slack_outbox WHERE result IS DISTINCT FROM 'delivered'")).toEqual([]);
      // Each replica carried out the deletions it approved.
      expect(a.stdout.filter((line) => line.includes('"to":"deleted"'))).toHaveLength(5);
      expect(b.stdout.filter((line) => line.includes('"to":"deleted"'))).toHaveLength(5);
    },
    TEST_MS,
  );

  it(
    'a confirmation Slack refuses is explained to the requester, whichever replica tried to post it',
    async () => {
      const [a, b] = await startReplicas();
      slack.setNotInChannel(CHANNEL);
      const offerIds = Array.from({ length: 4 }, (_, i) => `dps:personalized-offer:refused${i}`);
      for (const id of offerIds) adobe.offers.set(id, anOffer(id));
      await Promise.all(offerIds.map((id, i) => command(i % 2 === 0 ? a : b, id)));
      await slack.waitFor(() => slack.responses.length >= offerIds.length || undefined, 15_000);
      for (const response of slack.responses) expect(String(response.body.text)).toMatch(/^I am not a member of this channel/);
      expect(slack.messages).toHaveLength(0);
      const states = await sql<{ state: string; n: string }>('SELECT state, count(*) AS n FROM deletion_requests GROUP BY state');
      expect(states).toEqual([{ state: 'cancelled', n: '4' }]);
    },
    TEST_MS,
  );

  it(
    'a replica killed after its DELETE reached Adobe and before the thread reply: the other verifies and reports once, after the lease, with no second DELETE',
    async () => {
      const [a, b] = await startReplicas();
      await command(b, OFFER_ID);
      const message = await postedConfirmation(OFFER_ID);
      const requestId = requestIdOf(message);
      // Adobe takes the DELETE and deletes the offer, but its answer never comes back.
      adobe.inject({ service: 'offers', method: 'DELETE', respond: 'hang' });
      await approval(a, message, BOB)();
      await slack.waitFor(() => deletesOf(OFFER_ID)[0], 10_000);
      adobe.offers.delete(OFFER_ID);
      await slackWritesSettled(requestId);
      const [held] = await sql<{ state: string; lease_until: string }>('SELECT state, lease_until FROM deletion_requests WHERE id = $1', [requestId]);
      expect(held?.state).toBe('deleting');
      await a.kill('SIGKILL');
      const killedAt = Date.now();
      expect(repliesTo(message)).toHaveLength(0);

      const reply = await slack.waitFor(() => repliesTo(message)[0], TAKEOVER_WITHIN_MS);
      const takeoverMs = reply.at - killedAt;
      console.info(
        `replica takeover after a kill mid-DELETE: outcome ${takeoverMs} ms after the kill (lease ${LEASE_MS} ms, sweep every ${SWEEP_INTERVAL_MS} ms)`,
      );
      // Not before the dead replica's lease ran out: a slow replica is not robbed of its work.
      expect(reply.at).toBeGreaterThanOrEqual(Number(held!.lease_until));
      expect(reply.metadata).toMatchObject({ event_type: EVENT_TYPE.completed, event_payload: { outcome: 'deleted', approver: BOB } });
      await sleep(QUIET_MS);

      expect(repliesTo(message)).toHaveLength(1);
      expect(deletesOf(OFFER_ID)).toHaveLength(1);
      // The survivor only verified: its GET came after the kill.
      expect(getsOf(OFFER_ID).some((r) => r.at >= killedAt)).toBe(true);
      expect(logged(b, 'resuming a deletion left unfinished')).toBe(true);
      expect((await transitionsOf(requestId)).map((t) => t.to_state)).toEqual(['pending', 'approved', 'deleting', 'deleted']);
      expect(await sql('SELECT id FROM slack_outbox WHERE settled_at IS NULL')).toEqual([]);
    },
    TEST_MS,
  );

  it(
    'a replica killed after approving and before its DELETE: the other re-checks the offer, deletes it once and reports once',
    async () => {
      const [a, b] = await startReplicas();
      await command(a, OFFER_ID);
      const message = await postedConfirmation(OFFER_ID);
      const requestId = requestIdOf(message);
      // The look-up again before the DELETE never gets an answer.
      const getsBefore = getsOf(OFFER_ID).length;
      adobe.inject({ service: 'offers', method: 'GET', pathIncludes: '/offers/', respond: 'hang' });
      await approval(a, message, CAROL)();
      await slack.waitFor(() => getsOf(OFFER_ID).length > getsBefore || undefined, 10_000);
      await slackWritesSettled(requestId);
      expect((await sql<{ state: string }>('SELECT state FROM deletion_requests WHERE id = $1', [requestId]))[0]?.state).toBe('approved');
      await a.kill('SIGKILL');
      const killedAt = Date.now();
      expect(deletesOf(OFFER_ID)).toHaveLength(0);

      const reply = await slack.waitFor(() => repliesTo(message)[0], TAKEOVER_WITHIN_MS);
      console.info(`replica takeover after a kill before the DELETE: outcome ${reply.at - killedAt} ms after the kill (lease ${LEASE_MS} ms)`);
      expect(reply.metadata).toMatchObject({ event_type: EVENT_TYPE.completed, event_payload: { outcome: 'deleted', approver: CAROL } });
      await sleep(QUIET_MS);

      expect(repliesTo(message)).toHaveLength(1);
      const deletes = deletesOf(OFFER_ID);
      expect(deletes).toHaveLength(1);
      expect(deletes[0]!.at).toBeGreaterThanOrEqual(killedAt);
      expect(adobe.offers.has(OFFER_ID)).toBe(false);
      expect(logged(b, 'resuming a deletion left unfinished')).toBe(true);
      expect((await transitionsOf(requestId)).map((t) => t.to_state)).toEqual(['pending', 'approved', 'deleting', 'deleted']);
    },
    TEST_MS,
  );
});
