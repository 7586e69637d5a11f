// Start-up: ./.env → config → logger → createBot → listen; and an orderly shutdown on SIGTERM or SIGINT.
import { createBot } from './bot.js';
import { ConfigError, loadConfig } from './config.js';
import { crashAt } from './crash-points.js';
import { loadEnvFile } from './env-file.js';
import { createLogger } from './log.js';

function fail(lines: string[]): never {
  process.stderr.write(`offer-bot cannot start:\n${lines.map((line) => `  ${line}`).join('\n')}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  const envFile = loadEnvFile(process.env);
  if ('problem' in envFile) fail([envFile.problem]);
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) fail(error.problems);
    throw error;
  }
  const log = createLogger(config.logLevel);
  // Names only: which came from the file, and which the environment kept.
  if ('read' in envFile) log.info({ envFile: envFile.path, read: envFile.read, alreadySet: envFile.alreadySet }, 'read .env; variables already set win');
  // Tests only: the crash tests kill the process at a named step to prove recovery.
  const crashPoint = process.env.OFFER_BOT_TEST_CRASH_AT;
  if (crashPoint) log.warn({ crashAt: crashPoint }, 'OFFER_BOT_TEST_CRASH_AT is set: this process will kill itself at that step (tests only)');
  const bot = await createBot(config, { log, ...(crashPoint ? { failpoints: crashAt(crashPoint) } : {}) }).catch((error: Error) => fail([error.message]));
  await bot.start().catch(async (error: Error) => {
    await bot.stop();
    fail([error.message]);
  });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    await bot.stop();
    log.info('stopped');
    log.flush();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`offer-bot stopped on an unexpected error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
