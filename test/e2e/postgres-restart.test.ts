// PostgreSQL restarted under a running offer-bot: requests during the outage fail cleanly and leave nothing behind,
// and afterwards the same process carries on, without a restart of its own. The test restarts a private PostgreSQL
// server it creates for itself (initdb + pg_ctl on a free port), so suites using the shared test server never notice.
import { execFile, spawnSync } from 'node:child_process';
import { accessSync, chownSync, constants, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACTION, EVENT_TYPE, OFFER_COMMAND } from '../../src/slack/constants.js';
import { SEEDED_OFFER_IDS, startAdobeStandins, TEST_CREDENTIALS, type AdobeStandins } from '../support/adobe.js';
import { ALICE, BOB, CAROL, CHANNEL, OFFER_ID, SECRETS, TEAM } from '../support/bot.js';
import { botEnv, freePort, startBotProcess, type BotProcess } from '../support/process.js';
import { startSlackApi, type PostedMessage, type SlackApi } from '../support/slack-api.js';
import { blockActionPayload, sendBlockAction, sendSlashCommand } from '../support/slack-requests.js';

const run = promisify(execFile);
const TEST_MS = 60_000;
const SERVER_READY_WITHIN_MS = 30_000;
const VERIFY_TIMEOUT_MS = 3_000;
const WORK_LEASE_MS = 2_000;
const SWEEP_INTERVAL_MS = 1_000;
const OTHER_OFFER_ID = SEEDED_OFFER_IDS[1];
/** Well inside OFFER_VERIFY_TIMEOUT, so a GET still confirms the deletion in time. */
const ADOBE_LATENCY_MS = 1_500;

// ---- a private PostgreSQL server ---------------------------------------------------------------

/** The directory holding initdb, pg_ctl and postgres: PG_BINDIR, then pg_config's answer, then the newest Debian install. */
function findPgBinDir(): string | null {
  const candidates: string[] = [];
  if (process.env.PG_BINDIR) candidates.push(process.env.PG_BINDIR);
  const pgConfig = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  if (pgConfig.status === 0) candidates.push(pgConfig.stdout.trim());
  if (existsSync('/usr/lib/postgresql')) {
    const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((version) => `/usr/lib/postgresql/${version}/bin`));
  }
  return (
    candidates.find((dir) =>
      ['initdb', 'pg_ctl', 'postgres', 'pg_isready'].every((tool) => {
        try {
          accessSync(join(dir, tool), constants.X_OK);
          return true;
        } catch {
          return false;
        }
      }),
    ) ?? null
  );
}

/** PostgreSQL refuses to run as root: as root, the server's tools run as the `postgres` user. */
function serverUser(): { uid: number; gid: number } | null | 'unavailable' {
  if (process.getuid?.() !== 0) return null;
  const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  const runuser = spawnSync('runuser', ['--help'], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0 || runuser.error) return 'unavailable';
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

const binDir = findPgBinDir();
const user = serverUser();
const unavailableBecause = !binDir
  ? 'no PostgreSQL server binaries (initdb, pg_ctl) found; set PG_BINDIR'
  : user === 'unavailable'
    ? 'running as root, but there is no `postgres` user (or no runuser) to run a private server as'
    : null;
if (unavailableBecause) {
  if (process.env.CI === 'true') throw new Error(`Cannot run the PostgreSQL restart test: ${unavailableBecause}. CI must run it, so this is a failure.`);
  console.warn(`Skipping the PostgreSQL restart test: ${unavailableBecause}.`);
}

interface PrivateServer {
  port: number;
  /** A URL for a new, empty database on this server. */
  newDatabase(): Promise<string>;
  stop(): Promise<void>;
  /** Starts the server and waits until pg_isready says it accepts connections. */
  start(): Promise<void>;
  running(): Promise<boolean>;
  destroy(): void;
}

async function startPrivateServer(bin: string, as: { uid: number; gid: number } | null): Promise<PrivateServer> {
  const dir = mkdtempSync(join(tmpdir(), 'offer-bot-pg-'));
  if (as) chownSync(dir, as.uid, as.gid);
  const data = join(dir, 'data');
  const port = await freePort();
  const tool = (name: string, args: string[]) =>
    as
      ? run('runuser', ['-u', 'postgres', '--', join(bin, name), ...args], { timeout: SERVER_READY_WITHIN_MS })
      : run(join(bin, name), args, { timeout: SERVER_READY_WITHIN_MS });
  // Durability is not under test: skipping fsync makes start-up and every commit quick.
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
  const pgCtl = (...args: string[]) => tool('pg_ctl', ['-D', data, '-w', '-t', String(SERVER_READY_WITHIN_MS / 1000), ...args]);
  const ready = async () =>
    await run(join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port), '-q']).then(
      () => true,
      () => false,
    );

  const destroy = () => {
    spawnSync(as ? 'runuser' : join(bin, 'pg_ctl'), [...(as ? ['-u', 'postgres', '--', join(bin, 'pg_ctl')] : []), '-D', data, '-m', 'immediate', 'stop'], {
      stdio: 'ignore',
    });
    rmSync(dir, { recursive: true, force: true });
  };
  // Even if the test runner dies before afterAll, no server is left behind.
  process.once('exit', destroy);

  let databases = 0;
  const server: PrivateServer = {
    port,
    async newDatabase() {
      databases += 1;
      const name = `offer_bot_${databases}`;
      const client = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres` });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    async stop() {
      await pgCtl('-m', 'fast', 'stop');
    },
    async start() {
      await pgCtl('-l', join(dir, 'server.log'), '-o', options, 'start');
      const deadline = Date.now() + SERVER_READY_WITHIN_MS;
      while (!(await ready())) {
        if (Date.now() > deadline) throw new Error(`the private PostgreSQL server on port ${port} did not become ready`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    running: ready,
    destroy() {
      process.removeListener('exit', destroy);
      destroy();
    },
  };
  try {
    await tool('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync']);
    await server.start();
  } catch (error) {
    server.destroy();
    throw error;
  }
  return server;
}

// ---- the test ----------------------------------------------------------------------------------

let server: PrivateServer | undefined;
let slack: SlackApi;
let adobe: AdobeStandins;
let databaseUrl: string;
const processes: BotProcess[] = [];

beforeAll(async () => {
  if (!unavailableBecause) server = await startPrivateServer(binDir!, user as { uid: number; gid: number } | null);
}, SERVER_READY_WITHIN_MS * 2);
afterAll(() => server?.destroy());
beforeEach(async () => {
  slack = await startSlackApi({ botToken: SECRETS.botToken, teamId: TEAM, botUserId: 'U07QX4M1B2C', botId: 'B07QX4LCA9D' });
  adobe = await startAdobeStandins({ ...TEST_CREDENTIALS });
  databaseUrl = await server!.newDatabase();
});
afterEach(async (context) => {
  // On failure, the bot's audit trail, warnings and errors (shortened: the outage fills the log with stack traces).
  if (context.task.result?.state === 'fail') {
    for (const bot of processes) {
      const lines = bot.stdout.filter((line) => !line.includes('"level":30') || line.includes('"audit":true'));
      console.info([...lines, ...bot.stderr].map((line) => line.slice(0, 400)).join('\n'));
    }
  }
  await Promise.all(processes.splice(0).map((bot) => bot.kill('SIGKILL')));
  await slack.close();
  await adobe.close();
});

/** Stops the server for `outage`, and always starts it again, even when the outage's checks fail. */
async function withServerDown(outage: () => Promise<void>): Promise<void> {
  await server!.stop();
  try {
    expect(await server!.running()).toBe(false);
    await outage();
  } finally {
    await server!.start();
  }
}

async function startBot(): Promise<BotProcess> {
  const bot = await startBotProcess({
    ...botEnv(slack, adobe, databaseUrl),
    OFFER_VERIFY_TIMEOUT: `${VERIFY_TIMEOUT_MS / 1000}s`,
    OFFER_WORK_LEASE: `${WORK_LEASE_MS / 1000}s`,
    OFFER_SWEEP_INTERVAL: `${SWEEP_INTERVAL_MS / 1000}s`,
  });
  processes.push(bot);
  await bot.waitHealthy();
  return bot;
}

async function sql<T extends pg.QueryResultRow>(text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(text, params)).rows;
  } finally {
    await client.end();
  }
}

let hooks = 0;
const eventsUrl = (bot: BotProcess) => `http://127.0.0.1:${bot.port}/slack/events`;
const command = (bot: BotProcess, offerId: string, userId = ALICE) => {
  hooks += 1;
  return sendSlashCommand(eventsUrl(bot), SECRETS.signingSecret, {
    text: `delete ${offerId}`,
    user_id: userId,
    channel_id: CHANNEL,
    team_id: TEAM,
    command: OFFER_COMMAND,
    response_url: slack.responseUrl(`command-${hooks}`, { channel: CHANNEL, userId }),
  });
};
const approve = (bot: BotProcess, message: PostedMessage, userId: string) => {
  hooks += 1;
  return sendBlockAction(
    eventsUrl(bot),
    SECRETS.signingSecret,
    blockActionPayload({
      user_id: userId,
      action_id: ACTION.approve,
      message,
      team_id: TEAM,
      response_url: slack.responseUrl(`click-${hooks}`, { channel: message.channel, messageTs: message.ts, userId }),
    }),
  );
};
const confirmationOf = (offerId: string) =>
  slack.waitFor(
    () => slack.messages.find((m) => !m.thread_ts && m.metadata?.event_type === EVENT_TYPE.requested && m.metadata.event_payload.offer_id === offerId),
    10_000,
  );
/** The requester's private answer about `offerId`, posted through the command's response URL. */
const answerAbout = (offerId: string, from = 0) =>
  slack.waitFor(
    () =>
      slack.responses
        .slice(from)
        .map((r) => String(r.body.text ?? ''))
        .find((text) => text.includes(`\`${offerId}\``) || text.includes('could not handle')),
    10_000,
  );
const repliesTo = (parent: PostedMessage) => slack.messages.filter((m) => m.thread_ts === parent.ts);
const deletesOf = (offerId: string) =>
  adobe.requestsTo('offers').filter((r) => r.method === 'DELETE' && decodeURIComponent(r.path).endsWith(`/offers/${offerId}`));
const requestIdOf = (message: PostedMessage) => String(message.metadata?.event_payload.request_id);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(unavailableBecause !== null)('PostgreSQL restarted under a running offer-bot', () => {
  it(
    'requests during the outage are refused cleanly and leave nothing behind; afterwards the same process handles a request end to end',
    async () => {
      const bot = await startBot();
      await command(bot, OFFER_ID);
      const first = await confirmationOf(OFFER_ID);
      expect(await answerAbout(OFFER_ID)).toMatch(/^Posted your request/);

      let outageStartedAt = 0;
      await withServerDown(async () => {
        outageStartedAt = Date.now();
        // A new request: Adobe answers, the database does not. The requester is told; nothing is posted.
        const answered = slack.responses.length;
        expect((await command(bot, OTHER_OFFER_ID)).status).toBe(200);
        expect(await answerAbout(OTHER_OFFER_ID, answered)).toMatch(/could not handle this request \(STORE_UNAVAILABLE\).*nothing was (posted or )?deleted/);
        // A click on the pending request: the clicker is told; nothing is deleted.
        expect((await approve(bot, first, BOB)).status).toBe(200);
        const note = await slack.waitFor(() => slack.ephemerals.find((e) => e.user === BOB), 10_000);
        expect(note.text).toMatch(/could not record your click \(STORE_UNAVAILABLE\)/);
        // Background work meets the outage too: let a sweep or two fail.
        await sleep(2 * SWEEP_INTERVAL_MS);
        expect(slack.messages.filter((m) => !m.thread_ts)).toHaveLength(1);
        expect(deletesOf(OFFER_ID)).toHaveLength(0);
      });
      console.info(`PostgreSQL outage and restart took ${Date.now() - outageStartedAt} ms`);

      // Nothing the outage touched was written, not even in part.
      expect(await sql('SELECT offer_id, state FROM deletion_requests')).toEqual([{ offer_id: OFFER_ID, state: 'pending' }]);
      expect((await sql<{ to_state: string }>('SELECT to_state FROM deletion_transitions')).map((t) => t.to_state)).toEqual(['pending']);

      // The same process, never restarted: the click again, then a whole new request.
      const restartedAt = Date.now();
      await approve(bot, first, BOB);
      const reply = await slack.waitFor(() => repliesTo(first)[0], 15_000);
      console.info(`first deletion finished ${reply.at - restartedAt} ms after PostgreSQL was back`);
      expect(reply.metadata).toMatchObject({ event_type: EVENT_TYPE.completed, event_payload: { outcome: 'deleted', approver: BOB } });

      const answered = slack.responses.length;
      await command(bot, OTHER_OFFER_ID);
      const second = await confirmationOf(OTHER_OFFER_ID);
      expect(await answerAbout(OTHER_OFFER_ID, answered)).toMatch(/^Posted your request/);
      await approve(bot, second, CAROL);
      const secondReply = await slack.waitFor(() => repliesTo(second)[0], 15_000);
      expect(secondReply.metadata).toMatchObject({ event_type: EVENT_TYPE.completed, event_payload: { outcome: 'deleted', approver: CAROL } });

      expect(bot.child.exitCode).toBeNull();
      expect(deletesOf(OFFER_ID)).toHaveLength(1);
      expect(deletesOf(OTHER_OFFER_ID)).toHaveLength(1);
      expect(repliesTo(first)).toHaveLength(1);
      expect(await sql('SELECT offer_id, state FROM deletion_requests ORDER BY created_at')).toEqual([
        { offer_id: OFFER_ID, state: 'deleted' },
        { offer_id: OTHER_OFFER_ID, state: 'deleted' },
      ]);
      // The bot saw the server go: an idle pooled connection closing, or (when a sweep held it just then) one in use failing.
      const noticed = /PostgreSQL closed an idle connection|a PostgreSQL connection in use failed/;
      expect(bot.stdout.some((line) => noticed.test(line))).toBe(true);
    },
    TEST_MS,
  );

  it(
    'PostgreSQL goes down while a DELETE is in flight: once it is back, the same process verifies and reports, with no second DELETE',
    async () => {
      const bot = await startBot();
      await command(bot, OFFER_ID);
      const message = await confirmationOf(OFFER_ID);
      await answerAbout(OFFER_ID);
      // Adobe takes a couple of seconds over each answer: the outage begins while the DELETE is on its way.
      adobe.latencyMs = ADOBE_LATENCY_MS;
      await approve(bot, message, BOB);
      await slack.waitFor(() => deletesOf(OFFER_ID)[0], 10_000);

      await withServerDown(async () => {
        // The DELETE's answer arrives, the GET confirms it, and recording the outcome fails: no reply yet.
        const failed = `"what":"delete ${requestIdOf(message)}"`;
        const deadline = Date.now() + 10_000;
        while (!bot.stdout.some((line) => line.includes(failed) && line.includes('STORE_UNAVAILABLE'))) {
          if (Date.now() > deadline) throw new Error('the failed outcome write was never logged');
          await sleep(50);
        }
        expect(repliesTo(message)).toHaveLength(0);
        expect(adobe.offers.has(OFFER_ID)).toBe(false);
      });
      adobe.latencyMs = 0;

      const reply = await slack.waitFor(() => repliesTo(message)[0], 20_000);
      expect(reply.metadata).toMatchObject({ event_type: EVENT_TYPE.completed, event_payload: { outcome: 'deleted', approver: BOB } });
      await sleep(3 * SWEEP_INTERVAL_MS);
      expect(repliesTo(message)).toHaveLength(1);
      expect(deletesOf(OFFER_ID)).toHaveLength(1);
      expect(bot.child.exitCode).toBeNull();
      expect(bot.stdout.some((line) => line.includes('resuming a deletion left unfinished'))).toBe(true);
      expect(
        (await sql<{ to_state: string }>('SELECT to_state FROM deletion_transitions WHERE request_id = $1 ORDER BY id', [requestIdOf(message)])).map(
          (t) => t.to_state,
        ),
      ).toEqual(['pending', 'approved', 'deleting', 'deleted']);
    },
    TEST_MS,
  );
});
