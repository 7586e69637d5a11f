// npm run bench: the built offer-bot, and a bare Bolt app as a baseline, each as its own process, driven over real
// HTTP with signed Slack requests against the test stand-ins (Slack Web API, Adobe IMS and Offer Library), each of
// which adds a fixed latency to every call. Reports ack latency, approval→outcome latency against the critical-path
// floor, throughput, memory and start-up, and duplicates/losses; prints the tables and writes bench/results.md.
//
// Knobs (environment): BENCH_LATENCY_MS (20), BENCH_BURST (500), BENCH_BURST_IN_FLIGHT (50), BENCH_PACED (200),
// BENCH_PACED_RATE (50/s), BENCH_WARMUP (100), BENCH_STORES (sqlite,postgres); BENCH_PROFILE=1 or
// `npm run bench -- --profile` runs offer-bot under --cpu-prof and summarizes where its time went; BENCH_BOT_ENTRY runs
// another build (a patched copy of dist/, to try a fix). Those two write their report to a temporary directory, not
// bench/results.md. See bench/README.md.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import ts from 'typescript';
import { ACTION, EVENT_TYPE } from '../src/slack/constants.js';
import { anOffer, startAdobeStandins, TEST_CREDENTIALS, type AdobeStandins } from '../test/support/adobe.js';
import { postgresAvailable, TEST_DATABASE_URL, withPostgres, type TestDatabase } from '../test/support/databases.js';
import { botEnv, SECRETS } from '../test/support/env.js';
import { freePort } from '../test/support/process.js';
import { startSlackApi, type MessageUpdate, type PostedMessage, type SlackApi } from '../test/support/slack-api.js';
import { blockActionPayload, sendBlockAction, sendSlashCommand } from '../test/support/slack-requests.js';
import { cpuMsOf, killAllChildren, memoryOf, spawnChild, type Child } from './lib/children.js';
import { summarizeProfile, type ProfileSummary } from './lib/profile.js';
import { mark, mib, ms, ratio, summarize, table, type Summary } from './lib/stats.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const wallStart = performance.now();
const startedAt = new Date();
/** Other work on the machine skews every number here: the 1-minute load average at the start and the end is reported. */
const loadAtStart = loadavg()[0] ?? Number.NaN;

// ---- settings ----------------------------------------------------------------------------------

const int = (name: string, fallback: number): number => {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
};
const LATENCY_MS = int('BENCH_LATENCY_MS', 20);
const BURST = int('BENCH_BURST', 500);
const BURST_IN_FLIGHT = int('BENCH_BURST_IN_FLIGHT', 50);
/** A second, open-loop series: commands sent at a steady rate well below either app's capacity. */
const PACED_RATE = int('BENCH_PACED_RATE', 50);
const PACED = int('BENCH_PACED', 200);
/** Warm-up commands, as many in flight as the burst: the first wave otherwise pays for opening every connection. */
const WARMUP = int('BENCH_WARMUP', 100);
/** The first of them go a few at a time (and, for offer-bot, are approved): code paths warm, before the paced series. */
const WARM_SLOW = Math.min(20, WARMUP);
const PROFILE = process.argv.includes('--profile') || process.env.BENCH_PROFILE === '1';
/** Where offer-bot's built entry point is (default dist/main.js); for trying a patched copy of dist/ without touching src/. */
const DEFAULT_BOT_ENTRY = 'dist/main.js';
const BOT_ENTRY = process.env.BENCH_BOT_ENTRY ?? DEFAULT_BOT_ENTRY;
const STORES = (process.env.BENCH_STORES ?? 'sqlite,postgres').split(',').map((s) => s.trim()) as Array<'sqlite' | 'postgres'>;
/** Closed-loop approval levels: this many clicks in flight, this many approvals in all. */
const LEVELS = [
  { inFlight: 1, approvals: 25 },
  { inFlight: 10, approvals: 100 },
  { inFlight: 50, approvals: 200 },
  { inFlight: 100, approvals: 300 },
  { inFlight: 200, approvals: 400 },
];
/**
 * What must happen one after another between the Approve click and the outcome reply (src/deletion/workflow.ts,
 * decide → carryOut → verify → finish → outbox): the re-lookup GET, the DELETE, the first verification GET (404
 * at once: the stand-in has no verify lag), and the chat.postMessage thread reply. The IMS token is cached since the
 * commands. The "Approved by … deleting…" chat.update is stored in the outbox with the approval and delivered in the
 * background while the re-lookup runs, so it is not on the path (it would be only if it took longer than the three
 * Adobe calls, because the outbox delivers a request's writes in order).
 */
const CRITICAL_PATH_CALLS = ['GET (re-lookup)', 'DELETE', 'GET → 404 (verify)', 'chat.postMessage (thread reply)'];
const FLOOR_MS = CRITICAL_PATH_CALLS.length * LATENCY_MS;
const STARTUP_TRIALS = 3;
const HEALTHY_WITHIN_MS = 20_000;
const CONFIRMATIONS_WITHIN_MS = 60_000;
const OUTCOME_WITHIN_MS = 30_000;
/** The whole run must end well inside five minutes; past this everything is killed. */
const WATCHDOG_MS = 290_000;

const TEAM = 'T024BE7LD';
const CHANNEL = 'C024BE91L';
const BOT_USER = 'U07QX4M1B2C';
const BOT_ID = 'B07QX4LCA9D';
/** Requesters (spread so the per-user limit is not what is measured) and one approver who is none of them. */
const REQUESTERS = Array.from({ length: 100 }, (_, i) => `UB${String(i).padStart(4, '0')}`);
const APPROVER = 'U0G9QF9C6';

const watchdog = setTimeout(() => {
  process.stderr.write(`bench: still running after ${WATCHDOG_MS / 1000} s; killing everything\n`);
  killAllChildren();
  process.exit(2);
}, WATCHDOG_MS);
watchdog.unref();

const log = (line: string) => process.stdout.write(`[${((performance.now() - wallStart) / 1000).toFixed(1).padStart(5)} s] ${line}\n`);
const sleep = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis));

// ---- observing the Slack stand-in --------------------------------------------------------------

/** First arrival of each key (performance.now() at the stand-in's receipt), with waiters. */
class Arrivals<T> {
  private readonly first = new Map<string, { at: number; value: T }>();
  private readonly waiters = new Map<string, Array<(hit: { at: number; value: T }) => void>>();
  readonly counts = new Map<string, number>();

  record(key: string, at: number, value: T): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    if (this.first.has(key)) return;
    const hit = { at, value };
    this.first.set(key, hit);
    for (const resolve of this.waiters.get(key) ?? []) resolve(hit);
    this.waiters.delete(key);
  }

  get(key: string): { at: number; value: T } | undefined {
    return this.first.get(key);
  }

  wait(key: string, timeoutMs: number): Promise<{ at: number; value: T } | null> {
    const hit = this.first.get(key);
    if (hit) return Promise.resolve(hit);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(null), timeoutMs);
      const list = this.waiters.get(key) ?? [];
      list.push((found) => {
        clearTimeout(timer);
        resolve(found);
      });
      this.waiters.set(key, list);
    });
  }
}

/** Calls `onItem` with the receipt time of everything the stand-in appends to `list`. */
function onPush<T>(list: T[], onItem: (item: T, at: number) => void): void {
  const push = list.push.bind(list);
  list.push = (...items: T[]) => {
    const at = performance.now();
    for (const item of items) onItem(item, at);
    return push(...items);
  };
}

interface Observed {
  /** offer-bot's confirmations by offer id; the baseline's one message by offer id. */
  confirmations: Arrivals<PostedMessage>;
  /** offer_deletion_completed thread replies by request id. */
  completions: Arrivals<PostedMessage>;
  /** The first chat.update of each confirmation (by ts): "Approved by … deleting…". */
  firstUpdates: Arrivals<MessageUpdate>;
}

function observe(slack: SlackApi): Observed {
  const observed: Observed = { confirmations: new Arrivals(), completions: new Arrivals(), firstUpdates: new Arrivals() };
  onPush(slack.messages, (message, at) => {
    const payload = message.metadata?.event_payload;
    if (message.metadata?.event_type === EVENT_TYPE.requested && !message.thread_ts) {
      observed.confirmations.record(String(payload?.offer_id), at, message);
    } else if (message.metadata?.event_type === EVENT_TYPE.completed) {
      observed.completions.record(String(payload?.request_id), at, message);
    } else if (!message.metadata) {
      // The baseline's message: "<@U…> asked: delete <offer id> bench".
      const offerId = / delete (\S+) /.exec(message.text)?.[1];
      if (offerId) observed.confirmations.record(offerId, at, message);
    }
  });
  onPush(slack.updates, (update, at) => observed.firstUpdates.record(update.ts, at, update));
  return observed;
}

// ---- driving --------------------------------------------------------------------------------------

/** Runs `work` over `items`, `width` at a time (a closed loop); bounded by the list. */
async function pool<T>(items: readonly T[], width: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      await work(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(width, items.length)) }, worker));
}

interface Target {
  url: string;
  slack: SlackApi;
  observed: Observed;
  adobeLog?: AdobeLog;
}

/** Slash commands, `width` in flight; the ack latency of each (NaN for a failed one). */
async function commands(target: Target, offerIds: readonly string[], width: number): Promise<{ latencies: number[]; failed: number }> {
  const latencies: number[] = [];
  let failed = 0;
  await pool(offerIds, width, async (offerId, index) => {
    const user = REQUESTERS[index % REQUESTERS.length]!;
    const responseUrl = target.slack.responseUrl(`command ${offerId}`, { channel: CHANNEL, userId: user });
    const fields = { text: `delete ${offerId} bench`, user_id: user, channel_id: CHANNEL, team_id: TEAM, command: '/offer', response_url: responseUrl };
    const t0 = performance.now();
    try {
      const response = await sendSlashCommand(target.url, SECRETS.signingSecret, fields);
      const elapsed = performance.now() - t0;
      if (response.status === 200) latencies.push(elapsed);
      else failed += 1;
    } catch {
      failed += 1;
    }
  });
  return { latencies, failed };
}

/** Slash commands sent at `rate` a second whatever the answers (open loop); the ack latency of each. */
async function pacedCommands(target: Target, offerIds: readonly string[], rate: number): Promise<{ latencies: number[]; failed: number }> {
  const latencies: number[] = [];
  let failed = 0;
  const t0 = performance.now();
  const sends = offerIds.map(async (offerId, index) => {
    const wait = t0 + (index * 1000) / rate - performance.now();
    if (wait > 0) await sleep(wait);
    const user = REQUESTERS[index % REQUESTERS.length]!;
    const responseUrl = target.slack.responseUrl(`command ${offerId}`, { channel: CHANNEL, userId: user });
    const fields = { text: `delete ${offerId} bench`, user_id: user, channel_id: CHANNEL, team_id: TEAM, command: '/offer', response_url: responseUrl };
    const sent = performance.now();
    try {
      const response = await sendSlashCommand(target.url, SECRETS.signingSecret, fields);
      if (response.status === 200) latencies.push(performance.now() - sent);
      else failed += 1;
    } catch {
      failed += 1;
    }
  });
  await Promise.all(sends);
  return { latencies, failed };
}

/** Waits (bounded) for a message for every offer id; returns them in order, and the arrival time of the last. */
async function messagesFor(target: Target, offerIds: readonly string[]): Promise<{ found: PostedMessage[]; missing: number; lastAt: number }> {
  const found: PostedMessage[] = [];
  let missing = 0;
  let lastAt = 0;
  const deadline = performance.now() + CONFIRMATIONS_WITHIN_MS;
  for (const offerId of offerIds) {
    const hit = await target.observed.confirmations.wait(offerId, Math.max(1, deadline - performance.now()));
    if (!hit) {
      missing += 1;
      continue;
    }
    found.push(hit.value);
    lastAt = Math.max(lastAt, hit.at);
  }
  return { found, missing, lastAt };
}

interface Approval {
  requestId: string;
  offerId: string;
  ts: string;
  clickAt: number;
  /** Receipt of the outcome reply + the stand-in's latency (when it answers the bot), minus the click. */
  outcomeMs: number | null;
  /** Receipt of the first chat.update, minus the click. */
  updateMs: number | null;
  clickStatus: number;
  /**
   * Where the time went, from the stand-ins' receipt times: click → re-lookup GET, GET answered → DELETE,
   * DELETE answered → verify GET, verify answered → thread reply. Each is offer-bot's own time between two calls
   * (plus timer and loopback slack); the calls themselves take the injected latency.
   */
  gaps: [number, number, number, number] | null;
}

/** Receipt times (performance.now()) of each Offer Library call, by offer id, in order. */
type AdobeLog = Map<string, Array<{ method: string; at: number }>>;

function observeAdobe(adobe: AdobeStandins): AdobeLog {
  const calls: AdobeLog = new Map();
  onPush(adobe.requests, (request, at) => {
    if (request.service !== 'offers') return;
    const offerId = decodeURIComponent(request.path.slice(request.path.lastIndexOf('/') + 1));
    const list = calls.get(offerId) ?? [];
    list.push({ method: request.method, at });
    calls.set(offerId, list);
  });
  return calls;
}

function gapsOf(adobeLog: AdobeLog | undefined, offerId: string, clickAt: number, replyAt: number | undefined): Approval['gaps'] {
  const after = (adobeLog?.get(offerId) ?? []).filter((call) => call.at >= clickAt);
  const [lookup, del, verify] = after;
  if (!lookup || !del || !verify || replyAt === undefined) return null;
  if (lookup.method !== 'GET' || del.method !== 'DELETE' || verify.method !== 'GET') return null;
  return [lookup.at - clickAt, del.at - (lookup.at + LATENCY_MS), verify.at - (del.at + LATENCY_MS), replyAt - (verify.at + LATENCY_MS)];
}

/** Approves each confirmation (as APPROVER), `width` in flight, each waiting for its outcome reply. */
async function approve(target: Target, confirmations: readonly PostedMessage[], width: number): Promise<Approval[]> {
  const results: Approval[] = [];
  await pool(confirmations, width, async (message) => {
    const requestId = String(message.metadata?.event_payload.request_id);
    const payload = blockActionPayload({
      user_id: APPROVER,
      action_id: ACTION.approve,
      message,
      team_id: TEAM,
      response_url: target.slack.responseUrl(`approve ${requestId}`, { channel: message.channel, messageTs: message.ts, userId: APPROVER }),
    });
    const clickAt = performance.now();
    let clickStatus = 0;
    try {
      clickStatus = (await sendBlockAction(target.url, SECRETS.signingSecret, payload)).status;
    } catch {
      clickStatus = 0;
    }
    const done = clickStatus === 200 ? await target.observed.completions.wait(requestId, OUTCOME_WITHIN_MS) : null;
    const update = target.observed.firstUpdates.get(message.ts);
    results.push({
      requestId,
      offerId: String(message.metadata?.event_payload.offer_id),
      ts: message.ts,
      clickAt,
      outcomeMs: done ? done.at + LATENCY_MS - clickAt : null,
      updateMs: update ? update.at - clickAt : null,
      clickStatus,
      gaps: gapsOf(target.adobeLog, String(message.metadata?.event_payload.offer_id), clickAt, done?.at),
    });
  });
  return results;
}

/** Web API calls (and response URL posts) the stand-in took since `from`, per method, divided by `per`. */
function callsSince(slack: SlackApi, from: { calls: number; responses: number }, per: number): string {
  const counts = new Map<string, number>();
  for (const call of slack.calls.slice(from.calls)) counts.set(call.method, (counts.get(call.method) ?? 0) + 1);
  const responses = slack.responses.length - from.responses;
  if (responses > 0) counts.set('response_url', responses);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([method, count]) => `${method} ${(count / per).toFixed(2)}`)
    .join(', ');
}

const mark0 = (slack: SlackApi) => ({ calls: slack.calls.length, responses: slack.responses.length });

/** Waits until the stand-in has seen no new Slack write for `quietMs` (bounded), so the bot's trailing work is done. */
async function quiet(slack: SlackApi, quietMs = 300, boundMs = 10_000): Promise<void> {
  const deadline = performance.now() + boundMs;
  let count = -1;
  while (performance.now() < deadline) {
    const now = slack.calls.length + slack.responses.length;
    if (now === count) return;
    count = now;
    await sleep(quietMs);
  }
}

/** The bench process's own load during a phase: event-loop delay and CPU, to tell harness noise from the bot's. */
function harnessMeter() {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  return () => {
    delay.disable();
    const cpu = process.cpuUsage(cpu0);
    const wall = performance.now() - t0;
    return { eldP99Ms: delay.percentile(99) / 1e6, cpuShare: (cpu.user + cpu.system) / 1000 / wall };
  };
}

type Harness = ReturnType<ReturnType<typeof harnessMeter>>;

// ---- the processes -----------------------------------------------------------------------------

const scratch = mkdtempSync(join(tmpdir(), 'offer-bot-bench-'));
const profileDir = join(scratch, 'profiles');

/** bench/baseline-app.ts as plain JavaScript in the scratch directory, Bolt imported by absolute URL: plain `node` runs it. */
function buildBaseline(): string {
  const source = readFileSync(join(ROOT, 'bench/baseline-app.ts'), 'utf8');
  const output = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false },
  }).outputText;
  const boltUrl = import.meta.resolve('@slack/bolt');
  const linked = output.replace(/from ['"]@slack\/bolt['"]/, `from ${JSON.stringify(boltUrl)}`);
  if (linked === output) throw new Error('bench/baseline-app.ts no longer imports @slack/bolt as expected');
  const path = join(scratch, 'baseline-app.mjs');
  writeFileSync(path, linked);
  return path;
}

function botEnvironment(slack: SlackApi, adobe: AdobeStandins, databaseUrl: string): Record<string, string> {
  return {
    ...botEnv(slack, adobe, databaseUrl),
    SLACK_TEAM_ID: TEAM,
    OFFER_VERIFY_TIMEOUT: '30s',
    OFFER_ALLOW_SELF_APPROVAL: 'false',
    OFFER_MAX_OPEN_PER_USER: '1000',
    LOG_LEVEL: 'warn',
  };
}

const baselineEnvironment = (slack: SlackApi): Record<string, string> => ({
  SLACK_BOT_TOKEN: SECRETS.botToken,
  SLACK_SIGNING_SECRET: SECRETS.signingSecret,
  SLACK_API_URL: slack.url,
});

async function standins(offerIds: readonly string[]): Promise<{ slack: SlackApi; adobe: AdobeStandins; observed: Observed; adobeLog: AdobeLog }> {
  const adobe = await startAdobeStandins({ ...TEST_CREDENTIALS, latencyMs: LATENCY_MS, offers: [] });
  offerIds.forEach((id, i) => adobe.offers.set(id, anOffer(id, { name: `Bench offer ${i}` })));
  const slack = await startSlackApi({ botToken: SECRETS.botToken, teamId: TEAM, botUserId: BOT_USER, botId: BOT_ID, latencyMs: LATENCY_MS });
  return { slack, adobe, observed: observe(slack), adobeLog: observeAdobe(adobe) };
}

const ids = (tag: string, kind: string, count: number) =>
  Array.from({ length: count }, (_, i) => `dps:personalized-offer:${tag}-${kind}-${String(i).padStart(4, '0')}`);

// ---- one run each ------------------------------------------------------------------------------

interface AckRun {
  /** Slack calls per command, by method. */
  slackCalls: string;
  ack: Summary;
  failed: number;
  /** Commands per second until the last message (confirmation, or the baseline's post) arrived. */
  perSecond: number;
  missing: number;
  harness: Harness;
  cpuMs: number;
}

interface BaselineResult {
  startupMs: number;
  /** VmRSS right after start-up, before any load (KiB). */
  idleRssKiB: number;
  paced: AckRun;
  burst: AckRun;
  rssKiB: number;
  peakKiB: number;
}

interface LevelResult {
  inFlight: number;
  approvals: Approval[];
  outcome: Summary;
  update: Summary;
  perSecond: number;
  cpuMsPerWorkflow: number;
  harness: Harness;
  /** Median of each gap (see Approval.gaps). */
  gaps: number[];
}

interface BotResult {
  store: 'sqlite' | 'postgres';
  startupMs: number;
  idleRssKiB: number;
  paced: AckRun;
  burst: AckRun;
  levels: LevelResult[];
  /** Slack calls per approval, by method, over all levels. */
  approvalSlackCalls: string;
  rssKiB: number;
  peakKiB: number;
  correctness: {
    approved: number;
    deletes: number;
    notExactlyOneDelete: number;
    duplicateReplies: number;
    duplicateConfirmations: number;
    lost: number;
    notDeleted: number;
    clickErrors: number;
    refusals: number;
    missingConfirmations: number;
  };
  profile: ProfileSummary | null;
  stderr: string[];
}

async function burstOf(target: Target, child: Child, offerIds: readonly string[], rate: number | null = null): Promise<AckRun> {
  const meter = harnessMeter();
  const cpu0 = cpuMsOf(child.pid);
  const calls0 = mark0(target.slack);
  const t0 = performance.now();
  const { latencies, failed } = rate === null ? await commands(target, offerIds, BURST_IN_FLIGHT) : await pacedCommands(target, offerIds, rate);
  const { missing, lastAt } = await messagesFor(target, offerIds);
  const harness = meter();
  await quiet(target.slack);
  return {
    slackCalls: callsSince(target.slack, calls0, offerIds.length),
    ack: summarize(latencies),
    failed,
    missing,
    perSecond: (offerIds.length - missing) / ((lastAt - t0) / 1000),
    harness,
    cpuMs: cpuMsOf(child.pid) - cpu0,
  };
}

async function runBaseline(script: string): Promise<BaselineResult> {
  const warm = ids('baseline', 'w', WARMUP);
  const burst = ids('baseline', 'b', BURST);
  const paced = ids('baseline', 'p', PACED);
  const { slack, adobe, observed } = await standins([]);
  const child = spawnChild('baseline', [script], baselineEnvironment(slack), await freePort(), ROOT);
  try {
    const startupMs = await child.waitHealthy(HEALTHY_WITHIN_MS);
    const idleRssKiB = memoryOf(child.pid).rssKiB;
    const target: Target = { url: `http://127.0.0.1:${child.port}/slack/events`, slack, observed };
    log(`baseline healthy after ${ms(startupMs)}; warming up`);
    await commands(target, warm.slice(0, WARM_SLOW), 5);
    await messagesFor(target, warm.slice(0, WARM_SLOW));
    await quiet(slack);
    log(`baseline: ${PACED} commands at ${PACED_RATE}/s`);
    const pacedRun = await burstOf(target, child, paced, PACED_RATE);
    // Idle keep-alive connections close after 5 s: open the burst's connections again just before it.
    await commands(target, warm.slice(WARM_SLOW), BURST_IN_FLIGHT);
    await messagesFor(target, warm.slice(WARM_SLOW));
    await quiet(slack);
    log(`baseline: ${BURST} commands, ${BURST_IN_FLIGHT} in flight`);
    const run = await burstOf(target, child, burst);
    await quiet(slack);
    const memory = memoryOf(child.pid);
    return { startupMs, idleRssKiB, paced: pacedRun, burst: run, rssKiB: memory.rssKiB, peakKiB: memory.peakKiB };
  } finally {
    await child.stop();
    await slack.close();
    await adobe.close();
  }
}

async function runBot(store: 'sqlite' | 'postgres', databaseUrl: string): Promise<BotResult> {
  const warm = ids(store, 'w', WARMUP);
  const burst = ids(store, 'b', BURST);
  const paced = ids(store, 'p', PACED);
  const needed = LEVELS.reduce((total, level) => total + level.approvals, 0);
  const extra = ids(store, 'x', Math.max(0, needed - BURST));
  const { slack, adobe, observed, adobeLog } = await standins([...warm, ...paced, ...burst, ...extra]);
  const args = [...(PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${join(profileDir, store)}`] : []), BOT_ENTRY];
  const child = spawnChild(`offer-bot (${store})`, args, botEnvironment(slack, adobe, databaseUrl), await freePort(), ROOT);
  let stopped = false;
  try {
    const startupMs = await child.waitHealthy(HEALTHY_WITHIN_MS);
    const idleRssKiB = memoryOf(child.pid).rssKiB;
    const target: Target = { url: `http://127.0.0.1:${child.port}/slack/events`, slack, observed, adobeLog };
    log(`offer-bot (${store}) healthy after ${ms(startupMs)}; warming up`);
    await commands(target, warm.slice(0, WARM_SLOW), 5);
    const warmed = await messagesFor(target, warm.slice(0, WARM_SLOW));
    await approve(target, warmed.found, 5);
    await quiet(slack);

    log(`offer-bot (${store}): ${PACED} commands at ${PACED_RATE}/s`);
    const pacedRun = await burstOf(target, child, paced, PACED_RATE);
    // Idle keep-alive connections close after 5 s: open the burst's connections again just before it.
    await commands(target, warm.slice(WARM_SLOW), BURST_IN_FLIGHT);
    await messagesFor(target, warm.slice(WARM_SLOW));
    await quiet(slack);
    log(`offer-bot (${store}): ${BURST} commands, ${BURST_IN_FLIGHT} in flight`);
    const burstRun = await burstOf(target, child, burst);
    if (extra.length > 0) {
      log(`offer-bot (${store}): ${extra.length} more requests to approve (not timed)`);
      await commands(target, extra, BURST_IN_FLIGHT);
    }
    const { found: pending, missing } = await messagesFor(target, [...burst, ...extra]);
    await quiet(slack);

    const levels: LevelResult[] = [];
    const approvalCalls0 = mark0(slack);
    let next = 0;
    for (const level of LEVELS) {
      const batch = pending.slice(next, next + level.approvals);
      next += batch.length;
      if (batch.length === 0) break;
      log(`offer-bot (${store}): ${batch.length} approvals, ${level.inFlight} in flight`);
      const meter = harnessMeter();
      const cpu0 = cpuMsOf(child.pid);
      const approvals = await approve(target, batch, level.inFlight);
      const cpuMs = cpuMsOf(child.pid) - cpu0;
      const harness = meter();
      const firstClick = Math.min(...approvals.map((a) => a.clickAt));
      const lastDone = Math.max(...approvals.map((a) => (a.outcomeMs === null ? 0 : a.clickAt + a.outcomeMs)));
      const completed = approvals.filter((a) => a.outcomeMs !== null).length;
      levels.push({
        inFlight: level.inFlight,
        approvals,
        outcome: summarize(approvals.flatMap((a) => (a.outcomeMs === null ? [] : [a.outcomeMs]))),
        update: summarize(approvals.flatMap((a) => (a.updateMs === null ? [] : [a.updateMs]))),
        perSecond: completed / ((lastDone - firstClick) / 1000),
        cpuMsPerWorkflow: cpuMs / Math.max(1, completed),
        harness,
        gaps: [0, 1, 2, 3].map((i) => summarize(approvals.flatMap((a) => (a.gaps ? [a.gaps[i]!] : []))).p50),
      });
      await quiet(slack);
    }
    await quiet(slack, 500);
    const approvalSlackCalls = callsSince(
      slack,
      approvalCalls0,
      Math.max(
        1,
        levels.reduce((total, level) => total + level.approvals.length, 0),
      ),
    );

    // Correctness: every approved request exactly one DELETE and one outcome reply; every command one confirmation.
    const approved = levels.flatMap((level) => level.approvals);
    const deletesByOffer = new Map<string, number>();
    for (const request of adobe.requests) {
      if (request.service !== 'offers' || request.method !== 'DELETE') continue;
      const offerId = decodeURIComponent(request.path.slice(request.path.lastIndexOf('/') + 1));
      deletesByOffer.set(offerId, (deletesByOffer.get(offerId) ?? 0) + 1);
    }
    const benchDeletes = approved.reduce((total, a) => total + (deletesByOffer.get(a.offerId) ?? 0), 0);
    const correctness = {
      approved: approved.length,
      deletes: benchDeletes,
      notExactlyOneDelete: approved.filter((a) => deletesByOffer.get(a.offerId) !== 1).length,
      duplicateReplies: [...observed.completions.counts.values()].filter((count) => count > 1).length,
      duplicateConfirmations: [...observed.confirmations.counts.values()].filter((count) => count > 1).length,
      lost: approved.filter((a) => a.outcomeMs === null).length + missing + burstRun.missing + pacedRun.missing,
      notDeleted: approved.filter((a) => {
        const reply = observed.completions.get(a.requestId)?.value;
        return reply !== undefined && reply.metadata?.event_payload.outcome !== 'deleted';
      }).length,
      clickErrors: approved.filter((a) => a.clickStatus !== 200).length,
      refusals: slack.ephemerals.filter((e) => e.via === 'chat.postEphemeral').length,
      missingConfirmations: missing + burstRun.missing + pacedRun.missing,
    };
    const memory = memoryOf(child.pid);
    await child.stop();
    stopped = true;
    let profile: ProfileSummary | null = null;
    if (PROFILE) {
      const dir = join(profileDir, store);
      const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
      if (file) {
        profile = summarizeProfile(join(dir, file), [
          { label: 'better-sqlite3 statements (run/get/all, incl. fsync)', match: /^(run|get|all|exec|pragma|transaction) .*better-sqlite3/ },
          { label: 'the SQLite store (dist/store/sqlite.js)', match: /dist\/store\/sqlite\.js/ },
          { label: 'the PostgreSQL store (dist/store/postgres.js)', match: /dist\/store\/postgres\.js/ },
          { label: 'pg driver', match: /node_modules\/(pg|pg-protocol|pg-pool)\// },
          { label: 'pino logging', match: /node_modules\/(pino|thread-stream|sonic-boom)/ },
          { label: 'Bolt receiver and listeners', match: /node_modules\/@slack\/bolt\// },
          { label: '@slack/web-api (incl. axios)', match: /node_modules\/(@slack\/web-api|axios|form-data|p-queue|p-retry)\// },
          { label: 'undici (Adobe calls)', match: /node_modules\/undici\// },
          { label: 'zod', match: /node_modules\/zod\// },
          { label: 'garbage collector', match: /^\(garbage collector\) $/ },
        ]);
        log(`profile: ${join(dir, file)}`);
      }
    }
    return {
      store,
      startupMs,
      idleRssKiB,
      paced: pacedRun,
      burst: burstRun,
      levels,
      approvalSlackCalls,
      rssKiB: memory.rssKiB,
      peakKiB: memory.peakKiB,
      correctness,
      profile,
      stderr: child.stderr,
    };
  } finally {
    if (!stopped) await child.stop();
    await slack.close();
    await adobe.close();
  }
}

/** Extra spawn→healthy trials, the baseline and offer-bot (SQLite, fresh file) taking turns, on idle stand-ins. */
async function startupTrials(script: string, trials: number): Promise<{ baseline: number[]; bot: number[] }> {
  const { slack, adobe } = await standins([]);
  const baseline: number[] = [];
  const bot: number[] = [];
  try {
    for (let trial = 0; trial < trials; trial += 1) {
      const b = spawnChild('baseline', [script], baselineEnvironment(slack), await freePort(), ROOT);
      try {
        baseline.push(await b.waitHealthy(HEALTHY_WITHIN_MS));
      } finally {
        await b.stop();
      }
      const databaseUrl = `sqlite:${join(mkdtempSync(join(scratch, 'startup-')), 'offer-bot.db')}`;
      const o = spawnChild('offer-bot', [BOT_ENTRY], botEnvironment(slack, adobe, databaseUrl), await freePort(), ROOT);
      try {
        bot.push(await o.waitHealthy(HEALTHY_WITHIN_MS));
      } finally {
        await o.stop();
      }
    }
  } finally {
    await slack.close();
    await adobe.close();
  }
  return { baseline, bot };
}

// ---- the report --------------------------------------------------------------------------------

function packageVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '?';
  }
}

async function postgresVersion(): Promise<string | null> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 2_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const result = await client.query<{ server_version: string }>('SHOW server_version');
    return result.rows[0]?.server_version ?? null;
  } catch {
    return null;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const median = (values: number[]) => summarize(values).p50;

function report(
  baseline: BaselineResult,
  bots: BotResult[],
  startups: { baseline: number[]; bot: number[] },
  pgVersion: string | null,
  wallMs: number,
): string {
  const cpu = cpus();
  const out: string[] = [];
  const versions = ['@slack/bolt', '@slack/web-api', 'better-sqlite3', 'pg', 'undici', 'pino', 'zod']
    .map((name) => `${name} ${packageVersion(name)}`)
    .join(', ');
  out.push(`# offer-bot benchmark`);
  out.push('');
  out.push(`- Date: ${startedAt.toISOString()}`);
  out.push(`- Machine: ${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB memory, Linux ${release()}`);
  out.push(`- Node ${process.version}; ${versions}${pgVersion ? `; PostgreSQL server ${pgVersion}` : ''}`);
  out.push(
    `- Injected latency: ${LATENCY_MS} ms on every call to the stand-ins (Slack Web API, response URLs, Adobe IMS, Offer Library), all on 127.0.0.1 in the bench process; ` +
      `offer-bot runs built (\`node ${BOT_ENTRY}\`, LOG_LEVEL=warn, OFFER_ALLOW_SELF_APPROVAL=false), the baseline (bench/baseline-app.ts) transpiled, with plain \`node\`.`,
  );
  out.push(`- Wall time of the run: ${(wallMs / 1000).toFixed(1)} s${PROFILE ? ' (under --cpu-prof: timings distorted)' : ''}`);
  out.push(
    `- Load average (1 min) at the start ${loadAtStart.toFixed(2)}, at the end ${(loadavg()[0] ?? Number.NaN).toFixed(2)}: anything above ~0.5 on these ${cpu.length} cores is other work competing with the bench.`,
  );
  out.push('');

  // 1. Ack latency.
  out.push(
    `## 1. Ack latency: ${BURST} slash commands, ${BURST_IN_FLIGHT} in flight (closed loop), each on its own offer; and ${PACED} at a steady ${PACED_RATE}/s`,
  );
  out.push('');
  const ackRow = (name: string, load: string, run: AckRun, reference: AckRun, withTarget: boolean) => {
    const r = run.ack.p99 / reference.ack.p99;
    return [
      name,
      load,
      ms(run.ack.p50),
      ms(run.ack.p99),
      ms(run.ack.max),
      run.failed,
      ratio(run.ack.p50 / reference.ack.p50),
      ratio(r),
      withTarget ? mark(r <= 1.2) : '–',
      run.perSecond.toFixed(0),
      ms(run.cpuMs / run.ack.n, 2),
      ms(run.harness.eldP99Ms),
    ];
  };
  const burstLoad = `burst, ${BURST_IN_FLIGHT} in flight`;
  const pacedLoad = `paced, ${PACED_RATE}/s`;
  out.push(
    table(
      [
        '',
        'load',
        'p50',
        'p99',
        'max',
        'failed',
        'p50 ratio',
        'p99 ratio',
        'target p99 ≤ 1.2×',
        'commands/s to last post',
        'process CPU / command',
        'bench loop delay p99',
      ],
      [
        ackRow('baseline (bare Bolt)', burstLoad, baseline.burst, baseline.burst, false),
        ...bots.map((bot) => ackRow(`offer-bot (${bot.store})`, burstLoad, bot.burst, baseline.burst, true)),
        ackRow('baseline (bare Bolt)', pacedLoad, baseline.paced, baseline.paced, false),
        ...bots.map((bot) => ackRow(`offer-bot (${bot.store})`, pacedLoad, bot.paced, baseline.paced, false)),
      ],
    ),
  );
  out.push('');
  out.push(
    'Ack latency: from sending the signed POST to the end of the HTTP answer, as the bench (Slack) sees it. "commands/s to last post": commands until the last confirmation (baseline: its one message) reached the Slack stand-in.',
  );
  out.push('');
  out.push('Slack calls per command (Web API methods and response URL posts):');
  out.push('');
  out.push(`- baseline: ${baseline.burst.slackCalls}`);
  out.push(`- (paced series) baseline: ${baseline.paced.slackCalls}; ${bots.map((bot) => `offer-bot (${bot.store}): ${bot.paced.slackCalls}`).join('; ')}`);
  for (const bot of bots) out.push(`- offer-bot (${bot.store}): ${bot.burst.slackCalls}; per approval: ${bot.approvalSlackCalls}`);
  out.push('');

  // 2. Approval → outcome.
  out.push(`## 2. Approval → outcome (closed loop: N clicks in flight, each waiting for its outcome)`);
  out.push('');
  out.push(
    `Critical-path floor: ${CRITICAL_PATH_CALLS.join(' → ')} = ${CRITICAL_PATH_CALLS.length} × ${LATENCY_MS} ms = **${FLOOR_MS} ms**. ` +
      'The "Approved by … deleting…" chat.update is not on it: src/deletion/workflow.ts `decide` stores it in the outbox with the approval and `deliver()`s it in the background while `carryOut` re-looks up the offer (column "update at" shows when it reached Slack). ' +
      "It joins the path only when it reaches Slack after the three Adobe calls are done, because the outbox delivers one request's writes in order: the outcome reply waits for it (see 50+ in flight). " +
      `An outcome counts as done when the stand-in answers the thread reply (its receipt + ${LATENCY_MS} ms), so the reply's own latency is in the number as it is in the floor.`,
  );
  out.push('');
  const target = (inFlight: number) => (inFlight === 1 ? 1.3 : inFlight === 10 ? 1.5 : null);
  out.push(
    table(
      ['store', 'in flight', 'n', 'p50', 'p99', 'max', 'p50 / floor', 'target', 'update at (p50)', 'bench loop delay p99'],
      bots.flatMap((bot) =>
        bot.levels.map((level) => {
          const r = level.outcome.p50 / FLOOR_MS;
          const t = target(level.inFlight);
          return [
            bot.store,
            level.inFlight,
            level.outcome.n,
            ms(level.outcome.p50),
            ms(level.outcome.p99),
            ms(level.outcome.max),
            ratio(r),
            t === null ? '–' : `≤ ${t}× ${mark(r <= t)}`,
            ms(level.update.p50),
            ms(level.harness.eldP99Ms),
          ];
        }),
      ),
    ),
  );
  out.push('');
  out.push(
    `Where the time goes (p50 of each gap between the calls, from the stand-ins' receipt times; each call itself takes ${LATENCY_MS} ms): offer-bot's own time, plus timer and loopback slack.`,
  );
  out.push('');
  out.push(
    table(
      [
        'store',
        'in flight',
        'click → re-lookup GET',
        'GET answered → DELETE',
        'DELETE answered → verify GET',
        'verify answered → thread reply',
        'sum of gaps',
        'p50 − floor',
      ],
      bots.flatMap((bot) =>
        bot.levels.map((level) => [
          bot.store,
          level.inFlight,
          ...level.gaps.map((gap) => ms(gap)),
          ms(level.gaps.reduce((a, b) => a + b, 0)),
          ms(level.outcome.p50 - FLOOR_MS),
        ]),
      ),
    ),
  );
  out.push('');

  // 3. Throughput.
  out.push('## 3. Throughput: completed deletion workflows per second');
  out.push('');
  out.push(
    table(
      ['store', 'in flight', 'workflows/s', 'vs 1 in flight', 'offer-bot CPU / workflow', 'CPU-bound ceiling (1 core)', 'bench process CPU'],
      bots.flatMap((bot) =>
        bot.levels.map((level) => [
          bot.store,
          level.inFlight,
          level.perSecond.toFixed(1),
          ratio(level.perSecond / (bot.levels[0]?.perSecond ?? Number.NaN)),
          ms(level.cpuMsPerWorkflow, 2),
          `${(1000 / level.cpuMsPerWorkflow).toFixed(0)}/s`,
          `${(level.harness.cpuShare * 100).toFixed(0)}% of a core`,
        ]),
      ),
    ),
  );
  out.push('');
  for (const bot of bots) {
    const best = bot.levels.reduce((a, b) => (b.perSecond > a.perSecond ? b : a), bot.levels[0]!);
    out.push(`- ${bot.store}: saturation ≈ **${best.perSecond.toFixed(0)} workflows/s** (best at ${best.inFlight} in flight).`);
  }
  out.push('');

  // 4. Memory and start-up.
  out.push('## 4. Memory and start-up');
  out.push('');
  const baseStart = median(startups.baseline);
  const botStart = median(startups.bot);
  out.push(
    table(
      ['', 'RSS after the run', 'peak RSS', 'RSS ratio', 'target ≤ 1.5×', 'RSS idle after start (ratio)', 'spawn → healthy /healthz', 'ratio', 'target ≤ 2×'],
      [
        [
          'baseline',
          mib(baseline.rssKiB),
          mib(baseline.peakKiB),
          '1.00×',
          '',
          mib(baseline.idleRssKiB),
          `${ms(baseStart)} (median of ${startups.baseline.length}: ${startups.baseline.map((v) => v.toFixed(0)).join(', ')})`,
          '1.00×',
          '',
        ],
        ...bots.map((bot) => {
          const r = bot.rssKiB / baseline.rssKiB;
          const start = bot.store === 'sqlite' ? botStart : bot.startupMs;
          const startNote =
            bot.store === 'sqlite' ? `(median of ${startups.bot.length}: ${startups.bot.map((v) => v.toFixed(0)).join(', ')})` : '(one start, fresh database)';
          return [
            `offer-bot (${bot.store})`,
            mib(bot.rssKiB),
            mib(bot.peakKiB),
            ratio(r),
            mark(r <= 1.5),
            `${mib(bot.idleRssKiB)} (${ratio(bot.idleRssKiB / baseline.idleRssKiB)})`,
            `${ms(start)} ${startNote}`,
            ratio(start / baseStart),
            mark(start / baseStart <= 2),
          ];
        }),
      ],
    ),
  );
  out.push('');
  out.push(
    `RSS from /proc/<pid>/status (VmRSS; peak VmHWM), read after the whole workload. offer-bot start-ups use a fresh database each (its migrations run), and include its auth.test (one ${LATENCY_MS} ms call).`,
  );
  out.push('');

  // 5. Correctness.
  out.push('## 5. Correctness under load');
  out.push('');
  out.push(
    table(
      [
        'store',
        'approved',
        'DELETEs',
        'DELETEs per approval',
        'not exactly 1 DELETE',
        'duplicate replies',
        'duplicate confirmations',
        'lost',
        'outcome not "deleted"',
        'refusals',
        'target: 0 dup, 0 lost',
      ],
      bots.map((bot) => {
        const c = bot.correctness;
        const ok = c.notExactlyOneDelete === 0 && c.duplicateReplies === 0 && c.duplicateConfirmations === 0 && c.lost === 0;
        return [
          bot.store,
          c.approved,
          c.deletes,
          (c.deletes / Math.max(1, c.approved)).toFixed(3),
          c.notExactlyOneDelete,
          c.duplicateReplies,
          c.duplicateConfirmations,
          c.lost,
          c.notDeleted,
          c.refusals,
          mark(ok),
        ];
      }),
    ),
  );
  out.push('');
  out.push('"lost": approvals with no outcome reply within 30 s, plus commands whose confirmation never came. Warm-up requests are excluded from every table.');

  for (const bot of bots) {
    if (!bot.profile) continue;
    const p = bot.profile;
    out.push('');
    out.push(`## CPU profile: offer-bot (${bot.store})`);
    out.push('');
    out.push(`Busy ${p.busyMs.toFixed(0)} ms of ${p.totalMs.toFixed(0)} ms sampled.`);
    out.push('');
    out.push(
      table(
        ['inclusive', 'ms', 'share of busy'],
        p.inclusive.map((i) => [i.label, i.ms.toFixed(0), `${((i.ms / p.busyMs) * 100).toFixed(1)}%`]),
      ),
    );
    out.push('');
    out.push(
      table(
        ['area (self time)', 'ms', 'share of busy'],
        p.areas
          .filter((a) => a.area !== '(idle)')
          .slice(0, 15)
          .map((a) => [a.area, a.selfMs.toFixed(0), `${((a.selfMs / p.busyMs) * 100).toFixed(1)}%`]),
      ),
    );
    out.push('');
    out.push(
      table(
        ['function (self time)', 'where', 'ms'],
        p.functions
          .filter((f) => f.name !== '(idle)')
          .slice(0, 25)
          .map((f) => [f.name, f.where, f.selfMs.toFixed(0)]),
      ),
    );
  }
  for (const bot of bots) {
    if (bot.stderr.length > 0) {
      out.push('');
      out.push(`offer-bot (${bot.store}) wrote to stderr (last lines):`);
      out.push('```');
      out.push(...bot.stderr.slice(-10).map((line) => line.slice(0, 300)));
      out.push('```');
    }
  }
  return `${out.join('\n')}\n`;
}

// ---- main --------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const script = buildBaseline();
  log(`latency ${LATENCY_MS} ms, burst ${BURST} (${BURST_IN_FLIGHT} in flight), stores ${STORES.join(', ')}${PROFILE ? ', profiling offer-bot' : ''}`);
  const baseline = await runBaseline(script);
  const bots: BotResult[] = [];
  for (const store of STORES) {
    if (store === 'sqlite') {
      bots.push(await runBot('sqlite', `sqlite:${join(scratch, 'offer-bot.db')}`));
    } else if (store === 'postgres') {
      if (!(await postgresAvailable())) {
        log('PostgreSQL unreachable at TEST_DATABASE_URL: skipping its run');
        continue;
      }
      let database: TestDatabase | undefined;
      try {
        database = await withPostgres();
        bots.push(await runBot('postgres', database.url));
      } finally {
        await database?.drop().catch((error: unknown) => log(`could not drop the bench database: ${String(error)}`));
      }
    }
  }
  log(`start-up trials (${STARTUP_TRIALS - 1} more of each)`);
  const trials = await startupTrials(script, STARTUP_TRIALS - 1);
  const sqlite = bots.find((bot) => bot.store === 'sqlite');
  const startups = { baseline: [baseline.startupMs, ...trials.baseline], bot: [...(sqlite ? [sqlite.startupMs] : []), ...trials.bot] };
  const markdown = report(baseline, bots, startups, await postgresVersion(), performance.now() - wallStart);
  process.stdout.write(`\n${markdown}`);
  if (PROFILE || BOT_ENTRY !== DEFAULT_BOT_ENTRY) {
    writeFileSync(join(scratch, 'report.md'), markdown);
    log(`${PROFILE ? 'profiling' : `what-if (${BOT_ENTRY})`} run: bench/results.md left as it was; this report is in ${join(scratch, 'report.md')}`);
  } else {
    writeFileSync(join(ROOT, 'bench/results.md'), markdown);
    log('written to bench/results.md');
  }
}

main()
  .catch((error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  })
  .finally(() => {
    killAllChildren();
    if (!PROFILE && BOT_ENTRY === DEFAULT_BOT_ENTRY) rmSync(scratch, { recursive: true, force: true });
    clearTimeout(watchdog);
    // Stand-ins and pools are closed; anything left (a stray socket) must not keep the bench alive.
    setTimeout(() => process.exit(), 100).unref();
  });
