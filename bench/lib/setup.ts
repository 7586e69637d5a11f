// What each run starts from: a scratch directory, the baseline built to plain JavaScript, each app's environment, fresh stand-ins.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { anOffer, startAdobeStandins, TEST_CREDENTIALS, type AdobeStandins } from '../../test/support/adobe.js';
import { botEnv, SECRETS } from '../../test/support/env.js';
import { startSlackApi, type SlackApi } from '../../test/support/slack-api.js';
import { observe, observeAdobe, type AdobeLog, type Observed } from './observers.js';
import { BOT_ID, BOT_USER, LATENCY_MS, ROOT, TEAM } from './settings.js';

/** Databases, the built baseline, profiles and non-record reports: removed at the end of a run that writes bench/results.md. */
export const scratch = mkdtempSync(join(tmpdir(), 'offer-bot-bench-'));
export const profileDir = join(scratch, 'profiles');

const BASELINE_FILE = 'baseline-app.mjs';

/**
 * bench/baseline-app.ts as plain JavaScript in the scratch directory, Bolt imported by absolute URL: plain `node` runs it,
 * and so does `npm start` there.
 */
export function buildBaseline(): string {
  const source = readFileSync(join(ROOT, 'bench/baseline-app.ts'), 'utf8');
  const output = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false },
  }).outputText;
  const boltUrl = import.meta.resolve('@slack/bolt');
  const linked = output.replace(/from ['"]@slack\/bolt['"]/, `from ${JSON.stringify(boltUrl)}`);
  if (linked === output) throw new Error('bench/baseline-app.ts no longer imports @slack/bolt as expected');
  const path = join(scratch, BASELINE_FILE);
  writeFileSync(path, linked);
  // So that `npm start` in the scratch directory launches the baseline as offer-bot's package.json launches offer-bot.
  const start = `exec node ${BASELINE_FILE}`;
  writeFileSync(join(scratch, 'package.json'), `${JSON.stringify({ name: 'bench-baseline', private: true, type: 'module', scripts: { start } }, null, 2)}\n`);
  return path;
}

export function botEnvironment(slack: SlackApi, adobe: AdobeStandins, databaseUrl: string): Record<string, string> {
  return {
    ...botEnv(slack, adobe, databaseUrl),
    SLACK_TEAM_ID: TEAM,
    OFFER_VERIFY_TIMEOUT: '30s',
    OFFER_ALLOW_SELF_APPROVAL: 'false',
    OFFER_MAX_OPEN_PER_USER: '1000',
    LOG_LEVEL: 'warn',
  };
}

export const baselineEnvironment = (slack: SlackApi): Record<string, string> => ({
  SLACK_BOT_TOKEN: SECRETS.botToken,
  SLACK_SIGNING_SECRET: SECRETS.signingSecret,
  SLACK_API_URL: slack.url,
});

export interface Standins {
  slack: SlackApi;
  adobe: AdobeStandins;
  observed: Observed;
  adobeLog: AdobeLog;
}

/** Slack and Adobe stand-ins with the injected latency, the Offer Library holding `offerIds`, both observed. */
export async function standins(offerIds: readonly string[]): Promise<Standins> {
  const adobe = await startAdobeStandins({ ...TEST_CREDENTIALS, latencyMs: LATENCY_MS, offers: [] });
  offerIds.forEach((id, i) => adobe.offers.set(id, anOffer(id, { name: `Bench offer ${i}` })));
  const slack = await startSlackApi({ botToken: SECRETS.botToken, teamId: TEAM, botUserId: BOT_USER, botId: BOT_ID, latencyMs: LATENCY_MS });
  return { slack, adobe, observed: observe(slack), adobeLog: observeAdobe(adobe) };
}

/** `count` offer ids, distinct per app (`tag`) and series (`kind`). */
export const ids = (tag: string, kind: string, count: number): string[] =>
  Array.from({ length: count }, (_, i) => `dps:personalized-offer:${tag}-${kind}-${String(i).padStart(4, '0')}`);
