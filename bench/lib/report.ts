// The whole report as one markdown string: what ran where, the five sections, offer-bot's CPU profile and its stderr; or a start-up-only run's.
import { readFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { TEST_DATABASE_URL } from '../../test/support/databases.js';
import type { ProfileSummary } from './profile.js';
import { ackSection, approvalSection, correctnessSection, memorySection, throughputSection } from './report-sections.js';
import { startupSection } from './report-startup.js';
import type { BaselineResult, BotResult } from './runs.js';
import type { StartupSeries } from './startups.js';
import { BOT_ENTRY, LATENCY_MS, PROFILE, QUICK, ROOT } from './settings.js';
import { table } from './stats.js';

const REPORTED_PACKAGES = ['@slack/bolt', '@slack/web-api', 'better-sqlite3', 'pg', 'undici', 'pino', 'zod'];
const POSTGRES_CONNECT_TIMEOUT_MS = 2_000;
const PROFILE_AREAS_SHOWN = 15;
const PROFILE_FUNCTIONS_SHOWN = 25;
const STDERR_LINES_SHOWN = 10;
const STDERR_LINE_CHARS = 300;

/** The circumstances of the run, which move every number in it. */
export interface RunFacts {
  startedAt: Date;
  /** The 1-minute load average when the bench started (the one at the end is read when the report is written). */
  loadAtStart: number;
  wallMs: number;
  pgVersion: string | null;
}

function packageVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '?';
  }
}

/** The PostgreSQL server's version at TEST_DATABASE_URL, or null when it does not answer. */
export async function postgresVersion(): Promise<string | null> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: POSTGRES_CONNECT_TIMEOUT_MS });
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

function header(facts: RunFacts): string[] {
  const cpu = cpus();
  const versions = REPORTED_PACKAGES.map((name) => `${name} ${packageVersion(name)}`).join(', ');
  const caveats = `${PROFILE ? ' (under --cpu-prof: timings distorted)' : ''}${QUICK ? ' (quick smoke run: too few samples to compare)' : ''}`;
  return [
    `# offer-bot benchmark`,
    '',
    `- Date: ${facts.startedAt.toISOString()}`,
    `- Machine: ${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB memory, Linux ${release()}`,
    `- Node ${process.version}; ${versions}${facts.pgVersion ? `; PostgreSQL server ${facts.pgVersion}` : ''}`,
    `- Injected latency: ${LATENCY_MS} ms on every call to the stand-ins (Slack Web API, response URLs, Adobe IMS, Offer Library), all on 127.0.0.1 in the bench process; ` +
      `offer-bot runs built (\`node ${BOT_ENTRY}\`, LOG_LEVEL=warn, OFFER_ALLOW_SELF_APPROVAL=false), the baseline (bench/baseline-app.ts) transpiled, with plain \`node\`.`,
    `- Wall time of the run: ${(facts.wallMs / 1000).toFixed(1)} s${caveats}`,
    `- Load average (1 min) at the start ${facts.loadAtStart.toFixed(2)}, at the end ${(loadavg()[0] ?? Number.NaN).toFixed(2)}: anything above ~0.5 on these ${cpu.length} cores is other work competing with the bench.`,
    '',
  ];
}

function profileSection(store: BotResult['store'], p: ProfileSummary): string[] {
  const share = (millis: number) => `${((millis / p.busyMs) * 100).toFixed(1)}%`;
  return [
    '',
    `## CPU profile: offer-bot (${store})`,
    '',
    `Busy ${p.busyMs.toFixed(0)} ms of ${p.totalMs.toFixed(0)} ms sampled.`,
    '',
    table(
      ['inclusive', 'ms', 'share of busy'],
      p.inclusive.map((i) => [i.label, i.ms.toFixed(0), share(i.ms)]),
    ),
    '',
    table(
      ['area (self time)', 'ms', 'share of busy'],
      p.areas
        .filter((a) => a.area !== '(idle)')
        .slice(0, PROFILE_AREAS_SHOWN)
        .map((a) => [a.area, a.selfMs.toFixed(0), share(a.selfMs)]),
    ),
    '',
    table(
      ['function (self time)', 'where', 'ms'],
      p.functions
        .filter((f) => f.name !== '(idle)')
        .slice(0, PROFILE_FUNCTIONS_SHOWN)
        .map((f) => [f.name, f.where, f.selfMs.toFixed(0)]),
    ),
  ];
}

function stderrSection(bot: BotResult): string[] {
  if (bot.stderr.length === 0) return [];
  return [
    '',
    `offer-bot (${bot.store}) wrote to stderr (last lines):`,
    '```',
    ...bot.stderr.slice(-STDERR_LINES_SHOWN).map((line) => line.slice(0, STDERR_LINE_CHARS)),
    '```',
  ];
}

export function report(baseline: BaselineResult, bots: readonly BotResult[], startups: readonly StartupSeries[], facts: RunFacts): string {
  const out = [
    ...header(facts),
    ...ackSection(baseline, bots),
    ...approvalSection(bots),
    ...throughputSection(bots),
    ...memorySection(baseline, bots),
    ...startupSection(startups),
    ...correctnessSection(bots),
    ...bots.flatMap((bot) => (bot.profile ? profileSection(bot.store, bot.profile) : [])),
    ...bots.flatMap(stderrSection),
  ];
  return `${out.join('\n')}\n`;
}

/** A start-up-only run's report: what ran where, and the start-up table. */
export function startupReport(startups: readonly StartupSeries[], facts: RunFacts): string {
  return `${[...header(facts), ...startupSection(startups)].join('\n')}\n`;
}

/** Where a store-size section starts in a report. */
const SIZE_HEADING = /^## 6\. Store size.*$/m;

/** A store-size-only run's report: what ran where, and the section. */
export function sizeReport(section: string, facts: RunFacts): string {
  return `${[...header(facts), section].join('\n')}\n`;
}

/**
 * `report` with the store-size section of `previous` (an earlier bench/results.md) in its place: a full run does not fill
 * stores, and a store-size run changes only that section. The section is the last one of a report.
 */
export function withSizeSection(report: string, previous: string, section?: string): string {
  const kept = section ?? (SIZE_HEADING.exec(previous) ? previous.slice(previous.search(SIZE_HEADING)).trimEnd() : null);
  const base = SIZE_HEADING.test(report) ? report.slice(0, report.search(SIZE_HEADING)).trimEnd() : report.trimEnd();
  return kept ? `${base}\n\n${kept}\n` : `${base}\n`;
}
