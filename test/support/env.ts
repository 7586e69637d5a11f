// The environment a user would set for offer-bot, pointed at the stand-ins, with made-up secrets.
import { TEST_CREDENTIALS, type AdobeStandins } from './adobe.js';
import type { SlackApi } from './slack-api.js';

/** Made up, and distinctive, so a leak into a log or a message is easy to find. */
export const SECRETS = {
  botToken: 'xoxb-offerbot-test-BotTokenNeverLogged',
  signingSecret: 'signing-SecretNeverLogged-5b1e',
  appToken: 'xapp-1-offerbot-test-AppTokenNeverLogged',
  clientSecret: TEST_CREDENTIALS.clientSecret,
};

/** HTTP mode, unless `socketMode`: then the app token replaces the signing secret. */
export function botEnv(slack: SlackApi, adobe: AdobeStandins, databaseUrl: string, socketMode = false): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: SECRETS.botToken,
    ...(socketMode ? { SLACK_APP_TOKEN: SECRETS.appToken } : { SLACK_SIGNING_SECRET: SECRETS.signingSecret }),
    SLACK_API_URL: slack.url,
    ADOBE_OFFER_API_URL: adobe.offerApiUrl,
    ADOBE_IMS_URL: adobe.imsUrl,
    ADOBE_CLIENT_ID: TEST_CREDENTIALS.clientId,
    ADOBE_CLIENT_SECRET: TEST_CREDENTIALS.clientSecret,
    ADOBE_ORG_ID: TEST_CREDENTIALS.orgId,
    ADOBE_SANDBOX_NAME: TEST_CREDENTIALS.sandbox,
    DATABASE_URL: databaseUrl,
    OFFER_VERIFY_TIMEOUT: '5s',
    // Every stand-in listens on http://127.0.0.1.
    OFFER_ALLOW_INSECURE_UPSTREAMS: 'true',
  };
}
