// offer-bot as its own process (`node --import tsx src/main.ts`), for restarts, crashes and start-up errors.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach } from 'vitest';
import { EVENT_TYPE, OFFER_COMMAND } from '../../src/slack/constants.js';
import { startAdobeStandins, TEST_CREDENTIALS, type AdobeStandins } from './adobe.js';
import { sqliteUrl, tempDir } from './databases.js';
import { botEnv, SECRETS } from './env.js';
import { startSlackApi, type PostedMessage, type SlackApi } from './slack-api.js';
import { blockActionPayload, sendBlockAction, sendSlashCommand } from './slack-requests.js';

import { ALICE, BOB, CHANNEL, ours, TEAM } from './bot.js';

export { botEnv };

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// By absolute path, as the process runs in a directory of its own (where `--import tsx` would not resolve).
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const MAIN = join(ROOT, 'src', 'main.ts');
const HEALTHY_WITHIN_MS = 20_000;

export interface BotProcess {
  port: number;
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
  exited: Promise<number | null>;
  waitHealthy(): Promise<void>;
  kill(signal: NodeJS.Signals): Promise<number | null>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * Starts `src/main.ts` with `env` (and a free PORT) in `cwd`: by default a new, empty directory, so that a
 * developer's own ./.env in the checkout never reaches a test.
 */
export async function startBotProcess(env: Record<string, string>, { cwd = tempDir('cwd') } = {}): Promise<BotProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', TSX_LOADER, MAIN], {
    cwd,
    // Only what a user would set (and the project's tsconfig for tsx): nothing of the test runner's environment leaks in.
    env: { PATH: process.env.PATH ?? '', PORT: String(port), TSX_TSCONFIG_PATH: join(ROOT, 'tsconfig.json'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  child.stdout!.on('data', (chunk: Buffer) => stdout.push(...chunk.toString().split('\n').filter(Boolean)));
  child.stderr!.on('data', (chunk: Buffer) => stderr.push(...chunk.toString().split('\n').filter(Boolean)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    port,
    child,
    stdout,
    stderr,
    exited,
    async waitHealthy() {
      const deadline = Date.now() + HEALTHY_WITHIN_MS;
      while (Date.now() < deadline) {
        if (child.exitCode !== null) throw new Error(`offer-bot exited with ${child.exitCode}: ${stderr.join('\n')}`);
        const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`offer-bot was not healthy within ${HEALTHY_WITHIN_MS} ms: ${stderr.join('\n')}`);
    },
    async kill(signal) {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}

/**
 * Slack and Adobe stand-ins for a test file that runs offer-bot as processes: fresh ones for each test, and
 * every process started through `start` killed after it. Also sends what Slack sends to a process.
 */
export function processScene() {
  let slack: SlackApi | undefined;
  let adobe: AdobeStandins | undefined;
  const processes: BotProcess[] = [];
  beforeEach(async () => {
    slack = await startSlackApi({ botToken: SECRETS.botToken, teamId: TEAM, botUserId: 'U07QX4M1B2C', botId: 'B07QX4LCA9D' });
    adobe = await startAdobeStandins({ ...TEST_CREDENTIALS });
  });
  afterEach(async () => {
    await Promise.all(processes.splice(0).map((p) => p.kill('SIGKILL')));
    await slack?.close();
    await adobe?.close();
  });
  const scene = {
    get slack(): SlackApi {
      if (!slack) throw new Error('the stand-ins start in beforeEach');
      return slack;
    },
    get adobe(): AdobeStandins {
      if (!adobe) throw new Error('the stand-ins start in beforeEach');
      return adobe;
    },
    /** The environment a user would set, on a fresh SQLite file. */
    env: (overrides: Record<string, string> = {}) => ({ ...botEnv(scene.slack, scene.adobe, sqliteUrl()), ...overrides }),
    /** Starts a process (in `cwd`, default a new empty directory); `healthy: false` for one expected to stop at start. */
    async start(env: Record<string, string>, { healthy = true, cwd }: { healthy?: boolean; cwd?: string } = {}): Promise<BotProcess> {
      const bot = await startBotProcess(env, cwd === undefined ? {} : { cwd });
      processes.push(bot);
      if (healthy) await bot.waitHealthy();
      return bot;
    },
    // A process killed mid-answer drops the connection: that is what Slack would see too, so it is not an error here.
    command: (bot: BotProcess, text: string) =>
      sendSlashCommand(eventsUrl(bot), SECRETS.signingSecret, {
        text,
        user_id: ALICE,
        channel_id: CHANNEL,
        team_id: TEAM,
        command: OFFER_COMMAND,
        response_url: scene.slack.responseUrl(`cmd-${randomUUID()}`, { channel: CHANNEL, userId: ALICE }),
      }).catch(() => null),
    approve: (bot: BotProcess, message: PostedMessage) =>
      sendBlockAction(
        eventsUrl(bot),
        SECRETS.signingSecret,
        blockActionPayload({ user_id: BOB, action_id: 'offer_deletion_approve', message, team_id: TEAM }),
      ).catch(() => null),
    /** offer-bot's confirmations (not another app's look-alikes). */
    confirmations: () => scene.slack.messages.filter((m) => ours(m) && m.metadata?.event_type === EVENT_TYPE.requested && !m.thread_ts),
    outcomes: (parent: PostedMessage) =>
      scene.slack.messages.filter((m) => ours(m) && m.thread_ts === parent.ts && m.metadata?.event_type === EVENT_TYPE.completed),
    deletes: () => scene.adobe.requestsTo('offers').filter((r) => r.method === 'DELETE'),
  };
  return scene;
}

const eventsUrl = (bot: BotProcess) => `http://127.0.0.1:${bot.port}/slack/events`;
