// The bench's settings: the knobs read from the environment and flags (bench/README.md), the workload's shape, its limits.
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * A smoke run (`--quick` or BENCH_QUICK=1): a few requests of each kind on one store, to see that the bench still works
 * without loading the machine for two minutes. Too few samples to compare, so its report never replaces bench/results.md.
 */
export const QUICK = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1';
export const PROFILE = process.argv.includes('--profile') || process.env.BENCH_PROFILE === '1';
/** Only the start-up trials (`--startup` or BENCH_ONLY=startup): spawn → healthy, launched each way, more of them. */
export const STARTUP_ONLY = process.argv.includes('--startup') || process.env.BENCH_ONLY === 'startup';
/**
 * Only the store-size section (`--size` or BENCH_ONLY=size): offer-bot on an empty store and on one filled with BENCH_SIZE
 * requests. Filling takes a minute or two per store, so it is not part of the default run.
 */
export const SIZE_ONLY = process.argv.includes('--size') || process.env.BENCH_ONLY === 'size';

/** Closed-loop approval levels: this many clicks in flight, this many approvals in all. */
interface Level {
  inFlight: number;
  approvals: number;
}

/** How much of everything a run does; each count can still be set on its own. */
interface Shape {
  burst: number;
  burstInFlight: number;
  paced: number;
  warmup: number;
  stores: string;
  startupTrials: number;
  levels: Level[];
}
const SHAPES: Record<'full' | 'quick', Shape> = {
  full: {
    burst: 500,
    burstInFlight: 50,
    paced: 200,
    warmup: 100,
    stores: 'sqlite,postgres',
    startupTrials: 3,
    levels: [
      { inFlight: 1, approvals: 25 },
      { inFlight: 10, approvals: 100 },
      { inFlight: 50, approvals: 200 },
      { inFlight: 100, approvals: 300 },
      { inFlight: 200, approvals: 400 },
    ],
  },
  // Still every phase once: a warm-up past the slow part, requests beyond the burst to approve, extra start-ups.
  quick: {
    burst: 20,
    burstInFlight: 10,
    paced: 20,
    warmup: 25,
    stores: 'sqlite',
    startupTrials: 2,
    levels: [
      { inFlight: 1, approvals: 5 },
      { inFlight: 10, approvals: 20 },
    ],
  },
};
const shape = QUICK ? SHAPES.quick : SHAPES.full;

const int = (name: string, fallback: number): number => {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
};
export const LATENCY_MS = int('BENCH_LATENCY_MS', 20);
export const BURST = int('BENCH_BURST', shape.burst);
export const BURST_IN_FLIGHT = int('BENCH_BURST_IN_FLIGHT', shape.burstInFlight);
/** A second, open-loop series: commands sent at a steady rate well below either app's capacity. */
export const PACED_RATE = int('BENCH_PACED_RATE', 50);
export const PACED = int('BENCH_PACED', shape.paced);
/** Warm-up commands, as many in flight as the burst: the first wave otherwise pays for opening every connection. */
export const WARMUP = int('BENCH_WARMUP', shape.warmup);
/** The first of them go a few at a time (and, for offer-bot, are approved): code paths warm, before the paced series. */
const WARM_SLOW_AT_MOST = 20;
export const WARM_SLOW = Math.min(WARM_SLOW_AT_MOST, WARMUP);
export const WARM_SLOW_IN_FLIGHT = 5;
/** Where offer-bot's built entry point is (default dist/main.js); for trying a patched copy of dist/ without touching src/. */
const DEFAULT_BOT_ENTRY = 'dist/main.js';
export const BOT_ENTRY = process.env.BENCH_BOT_ENTRY ?? DEFAULT_BOT_ENTRY;
export const STORES = (process.env.BENCH_STORES ?? shape.stores).split(',').map((s) => s.trim()) as Array<'sqlite' | 'postgres'>;
export const LEVELS: readonly Level[] = shape.levels;
/** A start-up-only run has the time for more trials than a full run. */
const STARTUP_ONLY_TRIALS = 7;
export const STARTUP_TRIALS = int('BENCH_STARTUPS', STARTUP_ONLY && !QUICK ? STARTUP_ONLY_TRIALS : shape.startupTrials);
/**
 * How each app is launched for the start-up trials: plain node, and `npm start`, what the README tells a user to run
 * (npm's own start-up counts then). `npm start` runs dist/main.js, so a what-if run with another entry uses node only.
 */
export type Launcher = 'node' | 'npm';
export const LAUNCHERS: readonly Launcher[] = BOT_ENTRY === DEFAULT_BOT_ENTRY ? ['node', 'npm'] : ['node'];
/** Profiling, what-if, smoke and start-up-only runs write their report to the scratch directory; only a plain full run is the record. */
export const WRITES_RESULTS = !PROFILE && !QUICK && !STARTUP_ONLY && BOT_ENTRY === DEFAULT_BOT_ENTRY;
/** What kind of run this is, for the log line saying where its report went. */
export const RUN_KIND = [PROFILE && 'profiling', QUICK && 'quick', STARTUP_ONLY && 'start-up only', BOT_ENTRY !== DEFAULT_BOT_ENTRY && `what-if (${BOT_ENTRY})`]
  .filter(Boolean)
  .join(', ');

/**
 * What must happen one after another between the Approve click and the outcome reply (src/deletion/workflow.ts,
 * decide → carryOut → verify → finish → outbox): the re-lookup GET, the DELETE, the first verification GET (404
 * at once: the stand-in has no verify lag), and the chat.postMessage thread reply. The IMS token is cached since the
 * commands. The "Approved by … deleting…" chat.update is stored in the outbox with the approval and delivered in the
 * background while the re-lookup runs, so it is not on the path (it would be only if it took longer than the three
 * Adobe calls, because the outbox delivers a request's writes in order).
 */
export const CRITICAL_PATH_CALLS = ['GET (re-lookup)', 'DELETE', 'GET → 404 (verify)', 'chat.postMessage (thread reply)'];
export const FLOOR_MS = CRITICAL_PATH_CALLS.length * LATENCY_MS;
export const HEALTHY_WITHIN_MS = 20_000;
export const CONFIRMATIONS_WITHIN_MS = 60_000;
export const OUTCOME_WITHIN_MS = 30_000;
/** The whole run must end well inside five minutes; past this everything is killed. */
export const WATCHDOG_MS = 290_000;
/** A store-size run fills two stores with a million requests each on a shared machine: it gets longer. */
export const SIZE_WATCHDOG_MS = 900_000;

export const TEAM = 'T024BE7LD';
export const CHANNEL = 'C024BE91L';
export const BOT_USER = 'U07QX4M1B2C';
export const BOT_ID = 'B07QX4LCA9D';
/** Requesters (spread so the per-user limit is not what is measured) and one approver who is none of them. */
export const REQUESTERS = Array.from({ length: 100 }, (_, i) => `UB${String(i).padStart(4, '0')}`);
export const APPROVER = 'U0G9QF9C6';
