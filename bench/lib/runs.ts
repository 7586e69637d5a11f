// One run of each app, spawn to stop, on fresh stand-ins: the baseline, and offer-bot on one store.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../test/support/process.js';
import { memoryOf, spawnChild, type Child } from './children.js';
import { approve, commands, messagesFor, type Target } from './drivers.js';
import { log } from './log.js';
import { callMark, callsSince, quiet } from './observers.js';
import { ackRun, approvalLevel, correctnessOf, type AckRun, type Correctness, type LevelResult } from './phases.js';
import { summarizeProfile, type ProfileSummary } from './profile.js';
import {
  BOT_ENTRY,
  BURST,
  BURST_IN_FLIGHT,
  HEALTHY_WITHIN_MS,
  LEVELS,
  PACED,
  PACED_RATE,
  PROFILE,
  ROOT,
  WARM_SLOW,
  WARM_SLOW_IN_FLIGHT,
  WARMUP,
} from './settings.js';
import { baselineEnvironment, botEnvironment, ids, profileDir, standins, type Standins } from './setup.js';
import { ms } from './stats.js';

/** How long the Slack stand-in must stay quiet after the last approval level before the totals are read. */
const FINAL_QUIET_MS = 500;

/** What offer-bot's profile is summed up by, inclusive of everything each calls. */
const BOT_PROFILE_INCLUSIVE = [
  { label: 'better-sqlite3 statements (run/get/all, incl. fsync)', match: /^(run|get|all|exec|pragma|transaction) .*better-sqlite3/ },
  { label: 'the SQLite store (src/store/sqlite.ts)', match: /\/src\/store\/sqlite\.ts/ },
  { label: 'the PostgreSQL store (src/store/postgres.ts)', match: /\/src\/store\/postgres\.ts/ },
  { label: 'pg driver', match: /node_modules\/(pg|pg-protocol|pg-pool)\// },
  { label: 'pino logging', match: /node_modules\/(pino|thread-stream|sonic-boom)/ },
  { label: 'Bolt receiver and listeners', match: /node_modules\/@slack\/bolt\// },
  { label: '@slack/web-api (incl. axios)', match: /node_modules\/(@slack\/web-api|axios|form-data|p-queue|p-retry)\// },
  { label: 'undici (Adobe calls)', match: /node_modules\/undici\// },
  { label: 'zod', match: /node_modules\/zod\// },
  { label: 'garbage collector', match: /^\(garbage collector\) $/ },
];

/** What both apps are measured by. */
export interface BaselineResult {
  startupMs: number;
  /** VmRSS right after start-up, before any load (KiB). */
  idleRssKiB: number;
  paced: AckRun;
  burst: AckRun;
  rssKiB: number;
  peakKiB: number;
}

/** What offer-bot is measured by besides: the approvals, and what it got right. */
export interface BotResult extends BaselineResult {
  store: 'sqlite' | 'postgres';
  levels: LevelResult[];
  /** Slack calls per approval, by method, over all levels. */
  approvalSlackCalls: string;
  correctness: Correctness;
  profile: ProfileSummary | null;
  stderr: string[];
}

/** Offer ids for one app's warm-up, paced series and burst. */
const seriesIds = (tag: string) => ({ warm: ids(tag, 'w', WARMUP), paced: ids(tag, 'p', PACED), burst: ids(tag, 'b', BURST) });

/**
 * Start-up time and idle memory, then the warm-up (a few at a time, approved when `approveWarmUp`), the paced series,
 * and the burst: the same for both apps.
 */
async function ackSeries(name: string, child: Child, { slack, observed, adobeLog }: Standins, offers: ReturnType<typeof seriesIds>, approveWarmUp: boolean) {
  const startupMs = await child.waitHealthy(HEALTHY_WITHIN_MS);
  const idleRssKiB = memoryOf(child.pid).rssKiB;
  const target: Target = { url: `http://127.0.0.1:${child.port}/slack/events`, slack, observed, adobeLog };
  log(`${name} healthy after ${ms(startupMs)}; warming up`);
  const slow = offers.warm.slice(0, WARM_SLOW);
  await commands(target, slow, WARM_SLOW_IN_FLIGHT);
  const warmed = await messagesFor(target, slow);
  // A confirmation counts as arrived when the stand-in receives it, but offer-bot learns its ts only from the answer,
  // LATENCY_MS later: a click before that matches no request and waits out OUTCOME_WITHIN_MS for nothing.
  await quiet(slack);
  if (approveWarmUp) {
    await approve(target, warmed.found, WARM_SLOW_IN_FLIGHT);
    await quiet(slack);
  }

  log(`${name}: ${PACED} commands at ${PACED_RATE}/s`);
  const paced = await ackRun(target, child, offers.paced, PACED_RATE);
  // Idle keep-alive connections close after 5 s: open the burst's connections again just before it.
  const rest = offers.warm.slice(WARM_SLOW);
  await commands(target, rest, BURST_IN_FLIGHT);
  await messagesFor(target, rest);
  await quiet(slack);
  log(`${name}: ${BURST} commands, ${BURST_IN_FLIGHT} in flight`);
  const burst = await ackRun(target, child, offers.burst);
  return { startupMs, idleRssKiB, target, paced, burst };
}

export async function runBaseline(script: string): Promise<BaselineResult> {
  const run = await standins([]);
  const child = spawnChild('baseline', [script], baselineEnvironment(run.slack), await freePort(), ROOT);
  try {
    const { startupMs, idleRssKiB, paced, burst } = await ackSeries('baseline', child, run, seriesIds('baseline'), false);
    await quiet(run.slack);
    const memory = memoryOf(child.pid);
    return { startupMs, idleRssKiB, paced, burst, rssKiB: memory.rssKiB, peakKiB: memory.peakKiB };
  } finally {
    await child.stop();
    await run.slack.close();
    await run.adobe.close();
  }
}

/** The summary of offer-bot's CPU profile for `store`, when it wrote one. */
function botProfile(store: BotResult['store']): ProfileSummary | null {
  const dir = join(profileDir, store);
  const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
  if (!file) return null;
  const profile = summarizeProfile(join(dir, file), BOT_PROFILE_INCLUSIVE);
  log(`profile: ${join(dir, file)}`);
  return profile;
}

export async function runBot(store: BotResult['store'], databaseUrl: string): Promise<BotResult> {
  const name = `offer-bot (${store})`;
  const offers = seriesIds(store);
  const needed = LEVELS.reduce((total, level) => total + level.approvals, 0);
  const extra = ids(store, 'x', Math.max(0, needed - BURST));
  const run = await standins([...offers.warm, ...offers.paced, ...offers.burst, ...extra]);
  const { slack } = run;
  const args = [...(PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${join(profileDir, store)}`] : []), BOT_ENTRY];
  const child = spawnChild(name, args, botEnvironment(slack, run.adobe, databaseUrl), await freePort(), ROOT);
  let stopped = false;
  try {
    const { startupMs, idleRssKiB, target, paced, burst } = await ackSeries(name, child, run, offers, true);
    if (extra.length > 0) {
      log(`${name}: ${extra.length} more requests to approve (not timed)`);
      await commands(target, extra, BURST_IN_FLIGHT);
    }
    const { found: pending, missing } = await messagesFor(target, [...offers.burst, ...extra]);
    await quiet(slack);

    const levels: LevelResult[] = [];
    const approvalCalls0 = callMark(slack);
    let next = 0;
    for (const level of LEVELS) {
      const batch = pending.slice(next, next + level.approvals);
      next += batch.length;
      if (batch.length === 0) break;
      log(`${name}: ${batch.length} approvals, ${level.inFlight} in flight`);
      levels.push(await approvalLevel(target, child, batch, level.inFlight));
      await quiet(slack);
    }
    await quiet(slack, FINAL_QUIET_MS);
    const approved = levels.flatMap((level) => level.approvals);
    const approvalSlackCalls = callsSince(slack, approvalCalls0, Math.max(1, approved.length));
    const correctness = correctnessOf(run, approved, missing + burst.missing + paced.missing);
    const memory = memoryOf(child.pid);
    await child.stop();
    stopped = true;
    return {
      store,
      startupMs,
      idleRssKiB,
      paced,
      burst,
      levels,
      approvalSlackCalls,
      rssKiB: memory.rssKiB,
      peakKiB: memory.peakKiB,
      correctness,
      profile: PROFILE ? botProfile(store) : null,
      stderr: child.stderr,
    };
  } finally {
    if (!stopped) await child.stop();
    await slack.close();
    await run.adobe.close();
  }
}
