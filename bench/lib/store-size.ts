// The store-size section: the same offer-bot build on an empty store and on one holding a million stored requests, side by
// side in one run: ack latency of a burst of slash commands, `/offer history` (its ack and its answer), and the audit export.
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { postgresAvailable, withPostgres, type TestDatabase } from '../../test/support/databases.js';
import { freePort } from '../../test/support/process.js';
import type { ResponseUrlPost } from '../../test/support/slack-api.js';
import { sendSlashCommand } from '../../test/support/slack-requests.js';
import { SECRETS } from '../../test/support/env.js';
import { openStore } from '../../src/store/open-store.js';
import { spawnChild } from './children.js';
import { commands, messagesFor, type Target } from './drivers.js';
import { fillStore, quietLog, type Filled } from './fill.js';
import { log } from './log.js';
import { quiet } from './observers.js';
import { ackRun, type AckRun } from './phases.js';
import { BOT_ENTRY, BURST_IN_FLIGHT, CHANNEL, HEALTHY_WITHIN_MS, QUICK, REQUESTERS, ROOT, STORES, TEAM } from './settings.js';
import { botEnvironment, ids, scratch, standins } from './setup.js';
import { ms, ratio, summarize, table, type Summary } from './stats.js';

const int = (name: string, fallback: number): number => {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
};
/** Stored requests in the filled store (BENCH_SIZE), of them BENCH_SIZE_OPEN pending; the rest settled. */
export const SIZE = int('BENCH_SIZE', QUICK ? 10_000 : 1_000_000);
const SIZE_OPEN = int('BENCH_SIZE_OPEN', 300);
/** Commands in the measured burst (BURST_IN_FLIGHT in flight), after SIZE_WARMUP a few at a time. */
const SIZE_BURST = int('BENCH_SIZE_BURST', 200);
const SIZE_WARMUP = 20;
const WARMUP_IN_FLIGHT = 5;
/** `/offer history` commands, one after another, and runs of each audit export. */
const HISTORY_TRIALS = int('BENCH_SIZE_HISTORY', 10);
const AUDIT_TRIALS = int('BENCH_SIZE_AUDITS', 3);
const ANSWER_WITHIN_MS = 10_000;
const DAY_MS = 86_400_000;

interface Audit {
  /** Wall time of `npm run audit`'s script (tsx scripts/audit.ts), spawn to exit. */
  wall: Summary;
  lines: number;
}

interface SizeRun {
  store: 'sqlite' | 'postgres';
  /** null: the empty store. */
  filled: Filled | null;
  /** Spawn → first 200 from /healthz. */
  startupMs: number;
  burst: AckRun;
  historyAck: Summary;
  historyAnswer: Summary;
  historyFailed: number;
  auditRequest: Audit;
  auditLastDay: Audit;
  auditThisRun: Audit;
  /** The store's own calls behind the export, in this process (no tsx start-up): getRequest, auditEvents(since). */
  queryRequest: Summary;
  queryThisRun: Summary;
  queryLastDay: Summary;
}

/** The store calls the audit script makes, AUDIT_TRIALS times each, timed in this process. */
async function queries(databaseUrl: string, requestId: string, since: number) {
  const store = await openStore(databaseUrl, { log: quietLog });
  const timed = async (work: () => Promise<unknown>) => {
    const samples: number[] = [];
    for (let i = 0; i < AUDIT_TRIALS; i += 1) {
      const t0 = performance.now();
      await work();
      samples.push(performance.now() - t0);
    }
    return summarize(samples);
  };
  try {
    return {
      queryRequest: await timed(() => store.getRequest(requestId)),
      queryThisRun: await timed(() => store.auditEvents(since)),
      queryLastDay: await timed(() => store.auditEvents(Date.now() - DAY_MS)),
    };
  } finally {
    await store.close();
  }
}

/** Resolves with the first post to a response URL issued as `name`, and when the stand-in received it. */
function responseTo(responses: ResponseUrlPost[], name: string): Promise<{ post: ResponseUrlPost; at: number } | null> {
  return new Promise((resolve) => {
    const push = responses.push.bind(responses);
    const timer = setTimeout(() => {
      responses.push = push;
      resolve(null);
    }, ANSWER_WITHIN_MS);
    responses.push = (...items: ResponseUrlPost[]) => {
      const at = performance.now();
      const post = items.find((item) => item.name === name);
      const count = push(...items);
      if (post) {
        clearTimeout(timer);
        responses.push = push;
        resolve({ post, at });
      }
      return count;
    };
  });
}

/** `/offer history`, HISTORY_TRIALS times one after another: the ack, and the answer through response_url, from sending. */
async function history(target: Target): Promise<{ ack: number[]; answer: number[]; failed: number }> {
  const ack: number[] = [];
  const answer: number[] = [];
  let failed = 0;
  for (let i = 0; i < HISTORY_TRIALS; i += 1) {
    const user = REQUESTERS[i % REQUESTERS.length]!;
    const name = `history ${i}`;
    const responseUrl = target.slack.responseUrl(name, { channel: CHANNEL, userId: user });
    const answered = responseTo(target.slack.responses, name);
    const sent = performance.now();
    const response = await sendSlashCommand(target.url, SECRETS.signingSecret, {
      text: 'history',
      user_id: user,
      channel_id: CHANNEL,
      team_id: TEAM,
      command: '/offer',
      response_url: responseUrl,
    });
    const acked = performance.now();
    const hit = await answered;
    // The history answers with blocks; the failure ("could not show the history") with text alone.
    if (response.status !== 200 || !hit || hit.post.status !== 200 || !Array.isArray(hit.post.body.blocks)) {
      failed += 1;
      continue;
    }
    ack.push(acked - sent);
    answer.push(hit.at - sent);
  }
  return { ack, answer, failed };
}

/** `tsx scripts/audit.ts …` against the store, AUDIT_TRIALS times: wall time to exit, and the lines it printed. */
async function audit(databaseUrl: string, args: string[]): Promise<Audit> {
  const walls: number[] = [];
  let lines = 0;
  for (let i = 0; i < AUDIT_TRIALS; i += 1) {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/audit.ts', ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: databaseUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let newlines = 0;
    const stderr: string[] = [];
    child.stdout.on('data', (chunk: Buffer) => {
      for (const byte of chunk) if (byte === 0x0a) newlines += 1;
    });
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    if (code !== 0) throw new Error(`audit ${args.join(' ')} exited with ${code}: ${stderr.join('').slice(-500)}`);
    walls.push(performance.now() - t0);
    lines = newlines;
  }
  return { wall: summarize(walls), lines };
}

/** offer-bot on the store at `databaseUrl` (filled or empty): the burst, the history, then (bot stopped) the audit exports. */
async function measure(store: SizeRun['store'], databaseUrl: string, filled: Filled | null): Promise<SizeRun> {
  const label = `offer-bot (${store}, ${filled ? `${filled.requests.toLocaleString('en')} stored` : 'empty'})`;
  const tag = `${store}-${filled ? 'full' : 'empty'}`;
  const warm = ids(tag, 'w', SIZE_WARMUP);
  const burstIds = ids(tag, 'b', SIZE_BURST);
  const run = await standins([...warm, ...burstIds]);
  const sinceMs = Date.now();
  const since = new Date(sinceMs).toISOString();
  const child = spawnChild(label, [BOT_ENTRY], botEnvironment(run.slack, run.adobe, databaseUrl), await freePort(), ROOT);
  try {
    const startupMs = await child.waitHealthy(HEALTHY_WITHIN_MS);
    log(`${label} healthy after ${ms(startupMs)}; warming up`);
    const target: Target = { url: `http://127.0.0.1:${child.port}/slack/events`, slack: run.slack, observed: run.observed, adobeLog: run.adobeLog };
    await commands(target, warm, WARMUP_IN_FLIGHT);
    await messagesFor(target, warm);
    await quiet(run.slack);
    log(`${label}: ${SIZE_BURST} commands, ${BURST_IN_FLIGHT} in flight; then ${HISTORY_TRIALS} × /offer history`);
    const burst = await ackRun(target, child, burstIds);
    const shown = await history(target);
    const own = run.observed.confirmations.get(burstIds[0]!)?.value.metadata?.event_payload.request_id;
    await child.stop();
    const requestId = filled?.sampleId ?? String(own);
    log(`${label}: audit exports, ${AUDIT_TRIALS} of each`);
    return {
      store,
      filled,
      startupMs,
      burst,
      historyAck: summarize(shown.ack),
      historyAnswer: summarize(shown.answer),
      historyFailed: shown.failed,
      auditRequest: await audit(databaseUrl, ['--request', requestId]),
      auditLastDay: await audit(databaseUrl, ['--since', '1d']),
      auditThisRun: await audit(databaseUrl, ['--since', since]),
      ...(await queries(databaseUrl, requestId, sinceMs)),
    };
  } finally {
    await child.stop();
    await run.slack.close();
    await run.adobe.close();
  }
}

/** A fresh store of each kind: empty, then filled with SIZE requests; each measured. PostgreSQL in a database made and dropped. */
async function onStore(store: SizeRun['store'], work: (databaseUrl: string) => Promise<SizeRun>): Promise<SizeRun | null> {
  if (store === 'sqlite') return work(`sqlite:${join(scratch, `size-${Date.now()}-${Math.random().toString(36).slice(2)}.db`)}`);
  if (!(await postgresAvailable())) {
    log('PostgreSQL unreachable at TEST_DATABASE_URL: skipping its store-size runs');
    return null;
  }
  let database: TestDatabase | undefined;
  try {
    database = await withPostgres();
    return await work(database.url);
  } finally {
    await database?.drop().catch((error: unknown) => log(`could not drop the bench database: ${String(error)}`));
  }
}

export async function storeSizeRuns(): Promise<SizeRun[]> {
  const runs: SizeRun[] = [];
  for (const store of STORES) {
    const empty = await onStore(store, (url) => measure(store, url, null));
    const full = await onStore(store, async (url) => {
      log(`${store}: filling with ${SIZE.toLocaleString('en')} requests (${SIZE_OPEN} open)`);
      const filled = await fillStore(store, url, SIZE - SIZE_OPEN, SIZE_OPEN);
      log(
        `${store}: filled in ${ms(filled.fillMs, 0)}: ${filled.transitions.toLocaleString('en')} transitions, ${filled.outbox.toLocaleString('en')} outbox rows`,
      );
      return measure(store, url, filled);
    });
    if (empty) runs.push(empty);
    if (full) runs.push(full);
  }
  return runs;
}

/** The section's markdown: per store, each figure on the filled store, the empty one, and their ratio. */
export function storeSizeSection(runs: readonly SizeRun[]): string {
  const rows: Array<Array<string | number>> = [];
  const fills: string[] = [];
  for (const store of STORES) {
    const empty = runs.find((run) => run.store === store && !run.filled);
    const full = runs.find((run) => run.store === store && run.filled);
    if (!empty || !full?.filled) continue;
    const f = full.filled;
    fills.push(
      `- ${store}: ${f.requests.toLocaleString('en')} requests (${SIZE_OPEN} pending), ${f.transitions.toLocaleString('en')} transitions, ${f.outbox.toLocaleString('en')} delivered outbox rows, filled in ${(f.fillMs / 1000).toFixed(1)} s`,
    );
    const row = (what: string, a: number, b: number, note = '') => rows.push([store, what, ms(a), ms(b), ratio(a / b), note]);
    row('start-up (spawn → healthy)', full.startupMs, empty.startupMs);
    row('ack, burst p50', full.burst.ack.p50, empty.burst.ack.p50);
    row(
      'ack, burst p99',
      full.burst.ack.p99,
      empty.burst.ack.p99,
      `${SIZE_BURST} commands, ${BURST_IN_FLIGHT} in flight; failed ${full.burst.failed}/${empty.burst.failed}, no confirmation within 60 s ${full.burst.missing}/${empty.burst.missing}`,
    );
    row('/offer history ack p50', full.historyAck.p50, empty.historyAck.p50);
    row(
      '/offer history answer p50',
      full.historyAnswer.p50,
      empty.historyAnswer.p50,
      `p99 ${ms(full.historyAnswer.p99)} / ${ms(empty.historyAnswer.p99)}; failed ${full.historyFailed}/${empty.historyFailed}`,
    );
    row('audit --request <id>', full.auditRequest.wall.p50, empty.auditRequest.wall.p50, `${full.auditRequest.lines} / ${empty.auditRequest.lines} lines`);
    row('audit --since <this run>', full.auditThisRun.wall.p50, empty.auditThisRun.wall.p50, `${full.auditThisRun.lines} / ${empty.auditThisRun.lines} lines`);
    row('audit --since 1d', full.auditLastDay.wall.p50, empty.auditLastDay.wall.p50, `${full.auditLastDay.lines} / ${empty.auditLastDay.lines} lines`);
    row('store.getRequest (the export of one request)', full.queryRequest.p50, empty.queryRequest.p50, 'in process');
    row('store.auditEvents(<this run>)', full.queryThisRun.p50, empty.queryThisRun.p50, 'in process');
    row('store.auditEvents(1 day)', full.queryLastDay.p50, empty.queryLastDay.p50, 'in process');
  }
  const size = SIZE.toLocaleString('en');
  return [
    `## 6. Store size: ${size} stored requests against an empty store`,
    '',
    // Run on its own (--size), so it carries its own date: the header above may be an earlier full run's.
    `Run ${new Date().toISOString()} (\`npm run bench -- --size\`), load average (1 min) at the end ${(loadavg()[0] ?? Number.NaN).toFixed(2)}.`,
    '',
    table(['store', 'figure', `${size} stored`, 'empty', 'ratio', ''], rows),
    '',
    ...fills,
    '',
    `The same build, fresh stand-ins and ${SIZE_WARMUP} warm-up commands on each store. History: ${HISTORY_TRIALS} \`/offer history\` one after another,`,
    'ack (empty) and answer (the list, through response_url, as the stand-in receives it), both from sending. Audit: `tsx scripts/audit.ts`',
    `(what \`npm run audit\` runs), spawn to exit, median of ${AUDIT_TRIALS}, with the bot stopped; most of it is tsx's start-up. "<this run>" is`,
    'the time the bot started, so both stores export the same rows (the run\'s own); "1d" exports the last day\'s, which the filled store has more of.',
    'The `store.…` rows: the same store calls the script makes, in the bench process, without the start-up (median of the same number of calls).',
  ].join('\n');
}
