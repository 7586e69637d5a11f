// npm run bench: the built offer-bot, and a bare Bolt app as a baseline, each as its own process, driven over real
// HTTP with signed Slack requests against the test stand-ins (Slack Web API, Adobe IMS and Offer Library), each of
// which adds a fixed latency to every call. Reports ack latency, approval→outcome latency against the critical-path
// floor, throughput, memory and start-up, and duplicates/losses; prints the tables and writes bench/results.md.
// Knobs (BENCH_* variables, --profile, --quick) are in bench/lib/settings.ts and bench/README.md.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { postgresAvailable, withPostgres, type TestDatabase } from '../test/support/databases.js';
import { killAllChildren } from './lib/children.js';
import { elapsedMs, log } from './lib/log.js';
import { postgresVersion, report, sizeReport, startupReport, withSizeSection } from './lib/report.js';
import { runBaseline, runBot, type BotResult } from './lib/runs.js';
import {
  BURST,
  BURST_IN_FLIGHT,
  LATENCY_MS,
  LAUNCHERS,
  PROFILE,
  QUICK,
  ROOT,
  RUN_KIND,
  SIZE_ONLY,
  SIZE_WATCHDOG_MS,
  STARTUP_ONLY,
  STARTUP_TRIALS,
  STORES,
  WATCHDOG_MS,
  WRITES_RESULTS,
} from './lib/settings.js';
import { buildBaseline, scratch } from './lib/setup.js';
import { startupTrials } from './lib/startups.js';
import { SIZE, storeSizeRuns, storeSizeSection } from './lib/store-size.js';

/** How long a finished run waits for its own handles to close before it exits anyway. */
const EXIT_GRACE_MS = 100;

const startedAt = new Date();
/** Other work on the machine skews every number here: the 1-minute load average at the start and the end is reported. */
const loadAtStart = loadavg()[0] ?? Number.NaN;

const watchdogMs = SIZE_ONLY ? SIZE_WATCHDOG_MS : WATCHDOG_MS;
const watchdog = setTimeout(() => {
  process.stderr.write(`bench: still running after ${watchdogMs / 1000} s; killing everything\n`);
  killAllChildren();
  process.exit(2);
}, watchdogMs);
watchdog.unref();

/** offer-bot on each store asked for; PostgreSQL on a fresh database, dropped after, or skipped when it does not answer. */
async function runBots(): Promise<BotResult[]> {
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
  return bots;
}

/** The full run: every phase on each app, then the start-up trials. */
async function fullRun(script: string): Promise<string> {
  const baseline = await runBaseline(script);
  const bots = await runBots();
  log(`start-up trials: ${STARTUP_TRIALS} of each app, launched with ${LAUNCHERS.join(' and ')}`);
  const startups = await startupTrials(
    script,
    { trials: STARTUP_TRIALS, launchers: LAUNCHERS },
    bots.map((bot) => bot.store),
  );
  const pgVersion = await postgresVersion();
  return report(baseline, bots, startups, { startedAt, loadAtStart, wallMs: elapsedMs(), pgVersion });
}

async function main(): Promise<void> {
  const script = buildBaseline();
  const modes = `${PROFILE ? ', profiling offer-bot' : ''}${QUICK ? ', quick smoke run' : ''}${STARTUP_ONLY ? ', start-up trials only' : ''}${SIZE_ONLY ? `, store size only (${SIZE} requests)` : ''}`;
  log(`latency ${LATENCY_MS} ms, burst ${BURST} (${BURST_IN_FLIGHT} in flight), stores ${STORES.join(', ')}${modes}`);
  let markdown: string;
  let sizeSection: string | undefined;
  if (SIZE_ONLY) {
    sizeSection = storeSizeSection(await storeSizeRuns());
    markdown = sizeReport(sizeSection, { startedAt, loadAtStart, wallMs: elapsedMs(), pgVersion: await postgresVersion() });
  } else if (STARTUP_ONLY) {
    log(`start-up trials: ${STARTUP_TRIALS} of each app, launched with ${LAUNCHERS.join(' and ')}`);
    const startups = await startupTrials(script, { trials: STARTUP_TRIALS, launchers: LAUNCHERS }, STORES);
    markdown = startupReport(startups, { startedAt, loadAtStart, wallMs: elapsedMs(), pgVersion: await postgresVersion() });
  } else {
    markdown = await fullRun(script);
  }
  process.stdout.write(`\n${markdown}`);
  const results = join(ROOT, 'bench/results.md');
  const previous = existsSync(results) ? readFileSync(results, 'utf8') : '';
  if (WRITES_RESULTS && SIZE_ONLY) {
    // Only the store-size section changes; the rest is the last full run's.
    writeFileSync(results, withSizeSection(previous, previous, sizeSection));
    writeFileSync(join(scratch, 'report.md'), markdown);
    log('store-size section written to bench/results.md');
  } else if (WRITES_RESULTS) {
    writeFileSync(results, withSizeSection(markdown, previous));
    log('written to bench/results.md');
  } else {
    writeFileSync(join(scratch, 'report.md'), markdown);
    log(`${RUN_KIND} run: bench/results.md left as it was; this report is in ${join(scratch, 'report.md')}`);
  }
}

main()
  .catch((error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  })
  .finally(() => {
    killAllChildren();
    if (WRITES_RESULTS) rmSync(scratch, { recursive: true, force: true });
    clearTimeout(watchdog);
    // Stand-ins and pools are closed; anything left (a stray socket) must not keep the bench alive.
    setTimeout(() => process.exit(), EXIT_GRACE_MS).unref();
  });
