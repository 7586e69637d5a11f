// Start-up as it is run: `npm start` (a process manager's SIGTERM reaches the bot), only the driver the store needs, and
// one round trip to Slack, made while the store migrates.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startAdobeStandins, TEST_CREDENTIALS, type AdobeStandins } from '../support/adobe.js';
import { startBot, TEAM, type Bot } from '../support/bot.js';
import { postgresAvailable, sqliteUrl, withPostgres } from '../support/databases.js';
import { botEnv, SECRETS } from '../support/env.js';
import { freePort, startBotProcess, type BotProcess } from '../support/process.js';
import { startSlackApi, type SlackApi } from '../support/slack-api.js';
import { MIGRATION_LOCK_KEY } from '../../src/store/postgres.js';
import pg from 'pg';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** `npm start` builds dist/ first when src/ is newer (a full tsc run, slow on a busy 2-core machine). */
const NPM_START_TEST_MS = 180_000;
const HEALTHY_WITHIN_MS = 150_000;
const HEALTH_POLL_MS = 100;
const STOPPED_WITHIN_MS = 20_000;
const CHILD_TEST_MS = 60_000;

const slackFor = () => startSlackApi({ botToken: SECRETS.botToken, teamId: TEAM, botUserId: 'U07QX4M1B2C', botId: 'B07QX4LCA9D' });

describe('start-up', () => {
  let slack: SlackApi | undefined;
  let adobe: AdobeStandins | undefined;
  let bot: Bot | undefined;
  let npm: ChildProcess | undefined;
  afterEach(async () => {
    // npm start runs in its own process group: whatever it started goes with it, even a process npm left behind.
    if (npm?.pid !== undefined) {
      try {
        process.kill(-npm.pid, 'SIGKILL');
      } catch {
        // the group is already gone
      }
    }
    npm = undefined;
    await bot?.stop();
    bot = undefined;
    await slack?.close();
    await adobe?.close();
    slack = undefined;
    adobe = undefined;
  });

  it('asks Slack auth.test for Bolt and for the log line at once, so start-up waits for one round trip, not two', async () => {
    slack = await slackFor();
    const release = slack.hold('auth.test');
    const starting = startBot({ slack });
    try {
      await slack.waitFor(() => slack?.calls.filter((call) => call.method === 'auth.test').length === 2, 10_000);
    } finally {
      release();
    }
    bot = await starting;
    expect(bot.logs.some((line) => line.includes('"msg":"connected to Slack"') && line.includes(`"team":"${TEAM}"`))).toBe(true);
  });

  it(
    'the bot process asks Slack auth.test while PostgreSQL migrations still wait, not after them',
    async (context) => {
      if (!(await postgresAvailable())) context.skip();
      slack = await slackFor();
      adobe = await startAdobeStandins({ ...TEST_CREDENTIALS });
      const database = await withPostgres();
      // Another replica migrating: the session holds the migration lock, so this process's migrate() waits for it.
      const replica = new pg.Client({ connectionString: database.url });
      await replica.connect();
      let botProcess: BotProcess | undefined;
      try {
        await replica.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
        botProcess = await startBotProcess(botEnv(slack, adobe, database.url));
        await slack.waitFor(() => slack?.calls.some((call) => call.method === 'auth.test'), 30_000);
        await replica.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
        await botProcess.waitHealthy();
      } finally {
        await replica.end();
        await botProcess?.kill('SIGKILL');
        await database.drop();
      }
    },
    CHILD_TEST_MS,
  );

  it(
    'a SQLite store loads no PostgreSQL driver',
    async () => {
      const loaded = await driversLoadedOpening(sqliteUrl());
      expect(loaded).toEqual({ pg: false, 'better-sqlite3': true });
    },
    CHILD_TEST_MS,
  );

  it(
    'a PostgreSQL store loads no SQLite driver',
    async (context) => {
      if (!(await postgresAvailable())) context.skip();
      const database = await withPostgres();
      try {
        expect(await driversLoadedOpening(database.url)).toEqual({ pg: true, 'better-sqlite3': false });
      } finally {
        await database.drop();
      }
    },
    CHILD_TEST_MS,
  );

  it(
    'npm start runs the bot so that SIGTERM to npm reaches it: it drains and stops, and npm exits 0',
    async () => {
      slack = await slackFor();
      adobe = await startAdobeStandins({ ...TEST_CREDENTIALS });
      const port = await freePort();
      // What a process manager does: run `npm start` with the bot's variables, later send SIGTERM to the process it started.
      const npmStart = npmStartCommand();
      const child = spawn(npmStart.command, npmStart.args, {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? ROOT, PORT: String(port), ...botEnv(slack, adobe, sqliteUrl()) },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      npm = child;
      const stdout: string[] = [];
      const stderr: string[] = [];
      child.stdout!.on('data', (chunk: Buffer) => stdout.push(...chunk.toString().split('\n').filter(Boolean)));
      child.stderr!.on('data', (chunk: Buffer) => stderr.push(...chunk.toString().split('\n').filter(Boolean)));
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

      await waitHealthy(port, child, stderr);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      await eventually(() => stdout.some((line) => line.includes('"msg":"stopped"')), STOPPED_WITHIN_MS, `no "stopped" line: ${stdout.join('\n')}`);
      expect(
        await fetch(`http://127.0.0.1:${port}/healthz`).then(
          () => 'answered',
          () => 'refused',
        ),
      ).toBe('refused');
    },
    NPM_START_TEST_MS,
  );
});

/** `npm start` with the npm the tests run under (`npm test`), on this node; else the `npm` on PATH. */
function npmStartCommand(): { command: string; args: string[] } {
  const npmCli = process.env.npm_execpath;
  return npmCli?.endsWith('npm-cli.js') ? { command: process.execPath, args: [npmCli, 'start'] } : { command: 'npm', args: ['start'] };
}

async function eventually(condition: () => boolean, withinMs: number, failure: string): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(failure);
    await new Promise((resolve) => setTimeout(resolve, HEALTH_POLL_MS));
  }
}

async function waitHealthy(port: number, child: ChildProcess, stderr: string[]): Promise<void> {
  const deadline = Date.now() + HEALTHY_WITHIN_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}: ${stderr.join('\n')}`);
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, HEALTH_POLL_MS));
  }
  throw new Error(`npm start was not healthy within ${HEALTHY_WITHIN_MS} ms: ${stderr.join('\n')}`);
}

/** Which database drivers a fresh process has loaded after opening the store `databaseUrl` names, as main.ts does. */
function driversLoadedOpening(databaseUrl: string): Promise<Record<'pg' | 'better-sqlite3', boolean>> {
  const script = `
    import { createRequire } from 'node:module';
    import { pino } from 'pino';
    import { openStore } from './src/store/open-store.ts';
    const store = await openStore(process.env.DATABASE_URL, { log: pino({ level: 'silent' }) });
    await store.close();
    const files = Object.keys(createRequire(import.meta.url).cache);
    const loaded = (name) => files.some((file) => file.includes('/node_modules/' + name + '/'));
    process.stdout.write(JSON.stringify({ pg: loaded('pg'), 'better-sqlite3': loaded('better-sqlite3') }));
  `;
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', DATABASE_URL: databaseUrl }, timeout: CHILD_TEST_MS },
      (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(JSON.parse(stdout))),
    );
  });
}
