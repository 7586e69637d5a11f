// The report's five numbered sections as markdown lines: acks, approval → outcome, throughput, memory and start-up, correctness.
import type { AckRun, LevelResult } from './phases.js';
import type { BaselineResult, BotResult } from './runs.js';
import { BURST, BURST_IN_FLIGHT, CRITICAL_PATH_CALLS, FLOOR_MS, LATENCY_MS, OUTCOME_WITHIN_MS, PACED, PACED_RATE } from './settings.js';
import { mark, mib, ms, ratio, table } from './stats.js';

/** The targets offer-bot is held to, as ratios to the baseline or to the critical-path floor. */
const TARGET = {
  ackP99: 1.2,
  /** Approval → outcome p50 over the floor, by clicks in flight; none for the higher levels. */
  outcomeOverFloor: new Map([
    [1, 1.3],
    [10, 1.3],
  ]),
  /** offer-bot's CPU time per deletion workflow (from the click on), in milliseconds, at every level. */
  cpuPerWorkflowMs: 4,
  rss: 1.5,
};

/** A row for each approval level of each store: the store, the clicks in flight, then `cells`. */
const levelRows = (bots: readonly BotResult[], cells: (level: LevelResult, bot: BotResult) => Array<string | number>) =>
  bots.flatMap((bot) => bot.levels.map((level) => [bot.store, level.inFlight, ...cells(level, bot)]));

export function ackSection(baseline: BaselineResult, bots: readonly BotResult[]): string[] {
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
      withTarget ? mark(r <= TARGET.ackP99) : '–',
      run.perSecond.toFixed(0),
      ms(run.cpuMs / run.ack.n, 2),
      ms(run.harness.eldP99Ms),
    ];
  };
  const burstLoad = `burst, ${BURST_IN_FLIGHT} in flight`;
  const pacedLoad = `paced, ${PACED_RATE}/s`;
  const header = ['', 'load', 'p50', 'p99', 'max', 'failed', 'p50 ratio', 'p99 ratio', `target p99 ≤ ${TARGET.ackP99}×`];
  return [
    `## 1. Ack latency: ${BURST} slash commands, ${BURST_IN_FLIGHT} in flight (closed loop), each on its own offer; and ${PACED} at a steady ${PACED_RATE}/s`,
    '',
    table(
      [...header, 'commands/s to last post', 'process CPU / command', 'bench loop delay p99'],
      [
        ackRow('baseline (bare Bolt)', burstLoad, baseline.burst, baseline.burst, false),
        ...bots.map((bot) => ackRow(`offer-bot (${bot.store})`, burstLoad, bot.burst, baseline.burst, true)),
        ackRow('baseline (bare Bolt)', pacedLoad, baseline.paced, baseline.paced, false),
        ...bots.map((bot) => ackRow(`offer-bot (${bot.store})`, pacedLoad, bot.paced, baseline.paced, false)),
      ],
    ),
    '',
    'Ack latency: from sending the signed POST to the end of the HTTP answer, as the bench (Slack) sees it. "commands/s to last post": commands until the last confirmation (baseline: its one message) reached the Slack stand-in.',
    '',
    'Slack calls per command (Web API methods and response URL posts):',
    '',
    `- baseline: ${baseline.burst.slackCalls}`,
    `- (paced series) baseline: ${baseline.paced.slackCalls}; ${bots.map((bot) => `offer-bot (${bot.store}): ${bot.paced.slackCalls}`).join('; ')}`,
    ...bots.map((bot) => `- offer-bot (${bot.store}): ${bot.burst.slackCalls}; per approval: ${bot.approvalSlackCalls}`),
    '',
  ];
}

export function approvalSection(bots: readonly BotResult[]): string[] {
  return [
    `## 2. Approval → outcome (closed loop: N clicks in flight, each waiting for its outcome)`,
    '',
    `Critical-path floor: ${CRITICAL_PATH_CALLS.join(' → ')} = ${CRITICAL_PATH_CALLS.length} × ${LATENCY_MS} ms = **${FLOOR_MS} ms**. ` +
      'The "Approved by … deleting…" chat.update is not on it: src/deletion/workflow.ts `decide` stores it in the outbox with the approval and `deliver()`s it in the background while `carryOut` re-looks up the offer (column "update at" shows when it reached Slack). ' +
      "It joins the path only when it reaches Slack after the three Adobe calls are done, because the outbox delivers one request's writes in order: the outcome reply waits for it (see 50+ in flight). " +
      `An outcome counts as done when the stand-in answers the thread reply (its receipt + ${LATENCY_MS} ms), so the reply's own latency is in the number as it is in the floor.`,
    '',
    table(
      ['store', 'in flight', 'n', 'p50', 'p99', 'max', 'p50 / floor', 'target', 'update at (p50)', 'bench loop delay p99'],
      levelRows(bots, (level) => {
        const r = level.outcome.p50 / FLOOR_MS;
        const t = TARGET.outcomeOverFloor.get(level.inFlight);
        return [
          level.outcome.n,
          ms(level.outcome.p50),
          ms(level.outcome.p99),
          ms(level.outcome.max),
          ratio(r),
          t === undefined ? '–' : `≤ ${t}× ${mark(r <= t)}`,
          ms(level.update.p50),
          ms(level.harness.eldP99Ms),
        ];
      }),
    ),
    '',
    `Where the time goes (p50 of each gap between the calls, from the stand-ins' receipt times; each call itself takes ${LATENCY_MS} ms): offer-bot's own time, plus timer and loopback slack.`,
    '',
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
      levelRows(bots, (level) => [...level.gaps.map((gap) => ms(gap)), ms(level.gaps.reduce((a, b) => a + b, 0)), ms(level.outcome.p50 - FLOOR_MS)]),
    ),
    '',
  ];
}

export function throughputSection(bots: readonly BotResult[]): string[] {
  return [
    '## 3. Throughput: completed deletion workflows per second',
    '',
    table(
      [
        'store',
        'in flight',
        'workflows/s',
        'vs 1 in flight',
        'offer-bot CPU / workflow',
        `target ≤ ${TARGET.cpuPerWorkflowMs} ms`,
        'PostgreSQL server CPU / workflow',
        'CPU-bound ceiling (1 core)',
        'bench process CPU',
      ],
      levelRows(bots, (level, bot) => [
        level.perSecond.toFixed(1),
        ratio(level.perSecond / (bot.levels[0]?.perSecond ?? Number.NaN)),
        ms(level.cpuMsPerWorkflow, 2),
        mark(level.cpuMsPerWorkflow <= TARGET.cpuPerWorkflowMs),
        ms(level.serverCpuMsPerWorkflow, 2),
        `${(1000 / level.cpuMsPerWorkflow).toFixed(0)}/s`,
        `${(level.harness.cpuShare * 100).toFixed(0)}% of a core`,
      ]),
    ),
    '',
    ...bots.map((bot) => {
      const best = bot.levels.reduce((a, b) => (b.perSecond > a.perSecond ? b : a), bot.levels[0]!);
      return `- ${bot.store}: saturation ≈ **${best.perSecond.toFixed(0)} workflows/s** (best at ${best.inFlight} in flight).`;
    }),
    '',
    'CPU per workflow counts from the click on (the command that made the request is in section 1). "PostgreSQL server CPU" is every `postgres` process on this machine during the level: the server shares the two cores with offer-bot and the bench, so on PostgreSQL it is part of what each workflow costs.',
    '',
  ];
}

/** Memory; the start-up table (report-startup.ts) follows it in the same section. */
export function memorySection(baseline: BaselineResult, bots: readonly BotResult[]): string[] {
  return [
    '## 4. Memory and start-up',
    '',
    table(
      ['', 'RSS after the run', 'peak RSS', 'RSS ratio', `target ≤ ${TARGET.rss}×`, 'RSS idle after start (ratio)'],
      [
        ['baseline', mib(baseline.rssKiB), mib(baseline.peakKiB), '1.00×', '', mib(baseline.idleRssKiB)],
        ...bots.map((bot) => {
          const r = bot.rssKiB / baseline.rssKiB;
          return [
            `offer-bot (${bot.store})`,
            mib(bot.rssKiB),
            mib(bot.peakKiB),
            ratio(r),
            mark(r <= TARGET.rss),
            `${mib(bot.idleRssKiB)} (${ratio(bot.idleRssKiB / baseline.idleRssKiB)})`,
          ];
        }),
      ],
    ),
    '',
    'RSS from /proc/<pid>/status (VmRSS; peak VmHWM), read after the whole workload.',
    '',
  ];
}

export function correctnessSection(bots: readonly BotResult[]): string[] {
  return [
    '## 5. Correctness under load',
    '',
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
    '',
    `"lost": approvals with no outcome reply within ${OUTCOME_WITHIN_MS / 1000} s, plus commands whose confirmation never came. Warm-up requests are excluded from every table.`,
  ];
}
