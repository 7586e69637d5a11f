// offer-bot reads ./.env at start: what the file sets is used, what the environment already sets wins, no secret is echoed.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/databases.js';
import { SECRETS } from '../support/env.js';
import { processScene } from '../support/process.js';

const PROCESS_TEST_MS = 60_000;
const scene = processScene();
const { start } = scene;

/** A new working directory holding `.env` with these lines. */
function withEnvFile(lines: string[]): string {
  const cwd = tempDir('cwd');
  writeFileSync(join(cwd, '.env'), `${lines.join('\n')}\n`);
  return cwd;
}

const settings = (env: Record<string, string>) => Object.entries(env).map(([name, value]) => `${name}=${value}`);
const readLine = (stdout: string[]) => stdout.find((line) => line.includes('read .env'));

describe('offer-bot and ./.env', () => {
  it(
    'takes its whole configuration from a .env in the working directory (quotes, comments and export as Node reads them)',
    async () => {
      const { SLACK_BOT_TOKEN, ADOBE_CLIENT_SECRET, ...rest } = scene.env();
      const cwd = withEnvFile([
        '# offer-bot, local',
        `export SLACK_BOT_TOKEN="${SLACK_BOT_TOKEN}"  # from api.slack.com`,
        '',
        `ADOBE_CLIENT_SECRET='${ADOBE_CLIENT_SECRET}'`,
        ...settings(rest),
      ]);
      const bot = await start({}, { cwd });
      const read = readLine(bot.stdout);
      expect(read).toContain('"SLACK_BOT_TOKEN"');
      expect(read).not.toContain(SECRETS.botToken);
      expect(bot.stdout.join('\n')).not.toContain(SECRETS.clientSecret);
      await bot.kill('SIGTERM');
    },
    PROCESS_TEST_MS,
  );

  it(
    'a variable already set in the environment wins over the one in .env',
    async () => {
      const env = scene.env();
      // Slack's stand-in refuses this token, so the bot only starts if the environment's token is the one used.
      const cwd = withEnvFile(settings({ ...env, SLACK_BOT_TOKEN: 'xoxb-from-the-file-Zq9Stale' }));
      const bot = await start({ SLACK_BOT_TOKEN: env.SLACK_BOT_TOKEN as string }, { cwd });
      const read = readLine(bot.stdout);
      expect(read).toMatch(/"alreadySet":\["SLACK_BOT_TOKEN"\]/);
      expect(read).not.toContain('"read":["SLACK_BOT_TOKEN"');
      expect(bot.stdout.join('\n')).not.toContain('Zq9Stale');
      await bot.kill('SIGTERM');
    },
    PROCESS_TEST_MS,
  );

  it(
    'no .env is fine: the environment alone is used',
    async () => {
      const bot = await start(scene.env());
      expect(readLine(bot.stdout)).toBeUndefined();
      await bot.kill('SIGTERM');
    },
    PROCESS_TEST_MS,
  );

  it(
    'a bad secret in .env is reported as from the environment, without its value',
    async () => {
      const { SLACK_BOT_TOKEN: _token, ADOBE_CLIENT_SECRET: _secret, ...rest } = scene.env();
      const cwd = withEnvFile(['SLACK_BOT_TOKEN=xoxp-Zq9Leak-user-token', 'ADOBE_CLIENT_SECRET="has a Zq9Leak space"']);
      const bot = await start(rest, { cwd, healthy: false });
      expect(await bot.exited).toBe(1);
      const output = bot.stderr.join('\n');
      expect(output).toMatch(/SLACK_BOT_TOKEN: .*xoxb-/);
      expect(output).toMatch(/ADOBE_CLIENT_SECRET: .*white space/);
      expect(output).not.toContain('Zq9Leak');
    },
    PROCESS_TEST_MS,
  );

  it(
    'a .env that is not one NAME=value per line stops it with one line naming the line, not its text',
    async () => {
      const cwd = withEnvFile(['SLACK_SIGNING_SECRET=fine', 'SLACK_BOT_TOKEN xoxb-Zq9Leak-no-equals-sign']);
      const bot = await start(scene.env(), { cwd, healthy: false });
      expect(await bot.exited).toBe(1);
      expect(bot.stderr).toEqual(['offer-bot cannot start:', expect.stringMatching(/\.env: line 2: not NAME=value/)]);
      expect(bot.stderr.join('\n')).not.toContain('Zq9Leak');
    },
    PROCESS_TEST_MS,
  );

  it(
    'a quote left open in .env, which would swallow the lines after it, stops it with one line naming them',
    async () => {
      const cwd = withEnvFile(['ADOBE_CLIENT_SECRET="Zq9Leak-open-quote', 'ADOBE_ORG_ID="0123456789ABCDEF@AdobeOrg"', 'LOG_LEVEL=info']);
      const bot = await start(scene.env(), { cwd, healthy: false });
      expect(await bot.exited).toBe(1);
      expect(bot.stderr).toEqual([
        'offer-bot cannot start:',
        expect.stringMatching(/ADOBE_CLIENT_SECRET \(line 1\), ADOBE_ORG_ID \(line 2\) could not be read/),
      ]);
      expect(bot.stderr.join('\n')).not.toContain('Zq9Leak');
    },
    PROCESS_TEST_MS,
  );
});
