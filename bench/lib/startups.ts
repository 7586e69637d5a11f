// The start-up trials: spawn → first 200 from /healthz of the baseline and of offer-bot on each store, launched with
// plain node and with `npm start`, on idle stand-ins, a fresh database for every start of offer-bot.
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { postgresAvailable, withPostgres } from '../../test/support/databases.js';
import { freePort } from '../../test/support/process.js';
import { spawnChild, treeCpuMsOf, type Launch } from './children.js';
import type { BotResult } from './runs.js';
import { BOT_ENTRY, HEALTHY_WITHIN_MS, ROOT, type Launcher } from './settings.js';
import { baselineEnvironment, botEnvironment, scratch, standins } from './setup.js';

export type StartupApp = 'baseline' | BotResult['store'];
/**
 * What offer-bot starts on: a fresh database (its migrations run: the first start) or one an earlier start migrated
 * (every later start, as in a rolling restart).
 */
export type StartupDatabase = 'fresh' | 'migrated';

/** Every spawn → healthy of one app launched one way, and the CPU its process tree had used by then. */
export interface StartupSeries {
  app: StartupApp;
  launcher: Launcher;
  /** null for the baseline, which has none. */
  database: StartupDatabase | null;
  healthyMs: number[];
  cpuMs: number[];
}

interface Database {
  url: string;
  drop(): Promise<void>;
}

/**
 * `npm start` as a user types it: the npm running the bench (npm run bench), else the one on PATH. Its own process
 * group, so that a kill takes the node it execs too.
 */
function npmStart(): { launch: Launch; args: string[] } {
  const npmCli = process.env.npm_execpath;
  if (npmCli?.endsWith('npm-cli.js')) return { launch: { command: process.execPath, group: true }, args: [npmCli, 'start'] };
  return { launch: { command: 'npm', group: true }, args: ['start'] };
}

/** What starts `app` launched by `launcher`: the command's arguments and where it runs. */
function launchOf(app: StartupApp, launcher: Launcher, script: string): { args: string[]; cwd: string; launch?: Launch } {
  if (launcher === 'node') return { args: [app === 'baseline' ? script : BOT_ENTRY], cwd: ROOT };
  return { ...npmStart(), cwd: app === 'baseline' ? scratch : ROOT };
}

/** A new, empty database of `store`, and how to drop it. */
async function newDatabase(store: BotResult['store']): Promise<Database> {
  if (store === 'sqlite') return { url: `sqlite:${join(mkdtempSync(join(scratch, 'startup-')), 'offer-bot.db')}`, drop: async () => undefined };
  return withPostgres();
}

/** The series a trial runs, in turn: the baseline and each offer-bot under each launcher; `npm start` on migrated databases only. */
function seriesFor(launchers: readonly Launcher[], bots: readonly BotResult['store'][]): StartupSeries[] {
  const series = (app: StartupApp, launcher: Launcher, database: StartupDatabase | null): StartupSeries => ({
    app,
    launcher,
    database,
    healthyMs: [],
    cpuMs: [],
  });
  const databases = (launcher: Launcher): StartupDatabase[] => (launcher === 'npm' ? ['migrated'] : ['fresh', 'migrated']);
  return launchers.flatMap((launcher) => [
    series('baseline', launcher, null),
    ...bots.flatMap((app) => databases(launcher).map((database) => series(app, launcher, database))),
  ]);
}

/**
 * Spawn → healthy trials on idle stand-ins, every app and launcher taking turns within each trial, so that a change of
 * load on the machine falls on all of them alike: `trials` of each; `stores` says which offer-bots (PostgreSQL only
 * when it answers).
 */
export async function startupTrials(
  script: string,
  { trials, launchers }: { trials: number; launchers: readonly Launcher[] },
  stores: readonly BotResult['store'][],
): Promise<StartupSeries[]> {
  const { slack, adobe } = await standins([]);
  const bots = stores.includes('postgres') && !(await postgresAvailable()) ? stores.filter((store) => store !== 'postgres') : stores;
  const series = seriesFor(launchers, bots);
  const home = process.env.HOME ?? ROOT;
  const migrated = new Map<BotResult['store'], Database>();
  const startOnce = async (entry: StartupSeries, database: Database | null): Promise<{ healthyMs: number; cpuMs: number }> => {
    const env = database ? botEnvironment(slack, adobe, database.url) : baselineEnvironment(slack);
    const { args, cwd, launch } = launchOf(entry.app, entry.launcher, script);
    const child = spawnChild(`${entry.app} (${entry.launcher})`, args, { HOME: home, ...env }, await freePort(), cwd, launch);
    try {
      const healthyMs = await child.waitHealthy(HEALTHY_WITHIN_MS);
      return { healthyMs, cpuMs: treeCpuMsOf(child.pid) };
    } finally {
      await child.stop();
    }
  };
  try {
    for (const store of bots) {
      const database = await newDatabase(store);
      migrated.set(store, database);
      // Not timed: the start that migrates it.
      await startOnce({ app: store, launcher: 'node', database: 'fresh', healthyMs: [], cpuMs: [] }, database);
    }
    for (let trial = 0; trial < trials; trial += 1) {
      for (const entry of series) {
        const fresh = entry.app !== 'baseline' && entry.database === 'fresh' ? await newDatabase(entry.app) : null;
        const database = entry.app === 'baseline' ? null : (fresh ?? migrated.get(entry.app)!);
        try {
          const { healthyMs, cpuMs } = await startOnce(entry, database);
          entry.healthyMs.push(healthyMs);
          entry.cpuMs.push(cpuMs);
        } finally {
          await fresh?.drop();
        }
      }
    }
  } finally {
    for (const database of migrated.values()) await database.drop();
    await slack.close();
    await adobe.close();
  }
  return series;
}
