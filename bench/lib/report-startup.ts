// The report's start-up table: spawn → healthy of each app, launched with node and with npm start, against the baseline.
import type { Launcher } from './settings.js';
import { BOT_ENTRY, LATENCY_MS } from './settings.js';
import type { StartupApp, StartupSeries } from './startups.js';
import { mark, ms, ratio, summarize, table } from './stats.js';

/** The target: offer-bot healthy within 1.5× the time a bare Bolt app takes, launched the same way. */
export const STARTUP_TARGET = 1.5;

const median = (values: number[]) => summarize(values).p50;
const trialList = (values: number[]) => `median of ${values.length}: ${values.map((v) => v.toFixed(0)).join(', ')}`;
const appName = (s: StartupSeries) => (s.app === 'baseline' ? 'baseline (bare Bolt)' : `offer-bot (${s.app}, ${s.database} database)`);
const command = (app: StartupApp, launcher: Launcher) =>
  launcher === 'npm' ? '`npm start`' : app === 'baseline' ? '`node baseline-app.mjs`' : `\`node ${BOT_ENTRY}\``;

/**
 * The median of the trial-by-trial ratios `of[i] / to[i]`: each pair was measured moments apart, in the same trial, so
 * a change of load on the machine between trials cancels out (the ratio of the two medians would not).
 */
function pairedRatio(of: readonly number[], to: readonly number[]): number {
  const pairs = Math.min(of.length, to.length);
  return median(Array.from({ length: pairs }, (_, i) => of[i]! / to[i]!));
}

export function startupSection(series: readonly StartupSeries[]): string[] {
  const find = (app: StartupApp, launcher: Launcher) => series.find((s) => s.app === app && s.launcher === launcher);
  const baseNode = find('baseline', 'node');
  const baseNpm = find('baseline', 'npm');
  const npmOverhead = baseNode && baseNpm ? median(baseNpm.healthyMs) - median(baseNode.healthyMs) : Number.NaN;
  const rows = series.map((s) => {
    const sameLaunch = find('baseline', s.launcher);
    const vsSame = sameLaunch ? pairedRatio(s.healthyMs, sameLaunch.healthyMs) : Number.NaN;
    const vsNode = baseNode ? pairedRatio(s.healthyMs, baseNode.healthyMs) : Number.NaN;
    const cpuVsSame = sameLaunch ? median(s.cpuMs) / median(sameLaunch.cpuMs) : Number.NaN;
    return [
      appName(s),
      command(s.app, s.launcher),
      `${ms(median(s.healthyMs))} (${trialList(s.healthyMs)})`,
      ratio(vsSame),
      s.app === 'baseline' ? '' : mark(vsSame <= STARTUP_TARGET),
      s.launcher === 'node' ? '' : ratio(vsNode),
      `${ms(median(s.cpuMs), 0)} (${ratio(cpuVsSame)})`,
    ];
  });
  return [
    '### Start-up: spawn → first 200 from /healthz',
    '',
    table(
      [
        '',
        'launched with',
        'spawn → healthy',
        'ratio to the baseline launched the same way',
        `target ≤ ${STARTUP_TARGET}×`,
        'ratio to the baseline under plain node',
        'CPU used by then (process tree, median; ratio)',
      ],
      rows,
    ),
    '',
    `Each start on idle stand-ins. offer-bot on a *fresh* database runs its migrations (a first start); on a *migrated* one it finds them applied (every later start: a restart, a rolling deploy). ` +
      `Each includes its auth.test (one ${LATENCY_MS} ms round trip). ` +
      'The apps take turns within each trial, and a ratio is the median of the ratios within each trial, so that load from other work, ' +
      'which changes from one trial to the next, falls on both sides of it. ' +
      "`npm start` is what the README tells a user to run: it adds npm's own launch " +
      `(${ms(npmOverhead, 0)} here: the baseline under npm start less under node) and, for offer-bot, the check that dist/ is up to date ` +
      "(scripts/fresh-dist.mjs). CPU time is from /proc (user + system, 10 ms ticks) and moves less with the machine's load than wall time does.",
    '',
  ];
}
