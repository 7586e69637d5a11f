// Start-up: config → logger → store → Adobe client → Slack app (connecting while the store migrates) → listen; and an orderly shutdown.
import { createAdobeDispatcher } from './adobe/http.js';
import { createTokenProvider } from './adobe/ims.js';
import { createOfferLibrary } from './adobe/offer-library.js';
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './log.js';
import { openStore } from './store/open-store.js';

function fail(lines: string[]): never {
  process.stderr.write(`offer-bot cannot start:\n${lines.map((line) => `  ${line}`).join('\n')}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) fail(error.problems);
    throw error;
  }
  const log = createLogger(config.logLevel);
  const store = await openStore(config.databaseUrl, { log }).catch((error: Error) => fail([error.message]));
  const dispatcher = createAdobeDispatcher();
  const tokens = createTokenProvider(config.adobe, { dispatcher, log });
  const offers = createOfferLibrary(config.adobe, { tokens, dispatcher, log });
  const bot = createApp(config, { store, offers, log });
  // Slack's answer to auth.test is on its way while the store migrates; nothing is served before both are done.
  void bot.connect();
  await store.migrate().catch((error: Error) => fail([error.message]));
  await bot.start().catch(async (error: Error) => {
    await store.close();
    fail([error.message]);
  });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    await bot.stop();
    await store.close();
    await dispatcher.close();
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
