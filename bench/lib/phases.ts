// The measured phases of a run, each turned into numbers: a series of slash commands, one level of approvals, the correctness tally.
import { performance } from 'node:perf_hooks';
import type { PostedMessage } from '../../test/support/slack-api.js';
import { cpuMsOf, postgresServerCpuMs, type Child } from './children.js';
import { approve, commands, messagesFor, pacedCommands, type Approval, type Target } from './drivers.js';
import { callMark, callsSince, harnessMeter, offerIdOf, quiet, type Harness } from './observers.js';
import { BURST_IN_FLIGHT } from './settings.js';
import type { Standins } from './setup.js';
import { summarize, type Summary } from './stats.js';

export interface AckRun {
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

/** Commands for `offerIds`: BURST_IN_FLIGHT in flight, or at `rate` a second; measured until every confirmation is in. */
export async function ackRun(target: Target, child: Child, offerIds: readonly string[], rate: number | null = null): Promise<AckRun> {
  const meter = harnessMeter();
  const cpu0 = cpuMsOf(child.pid);
  const calls0 = callMark(target.slack);
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

export interface LevelResult {
  inFlight: number;
  approvals: Approval[];
  outcome: Summary;
  update: Summary;
  perSecond: number;
  cpuMsPerWorkflow: number;
  /** Every PostgreSQL server process's CPU per completed workflow (whichever store is measured: near 0 on SQLite). */
  serverCpuMsPerWorkflow: number;
  harness: Harness;
  /** Median of each gap (see Approval.gaps). */
  gaps: number[];
}

const GAP_INDICES = [0, 1, 2, 3] as const;

/** Approves `batch`, `inFlight` at a time; throughput from the first click to the last outcome. */
export async function approvalLevel(target: Target, child: Child, batch: readonly PostedMessage[], inFlight: number): Promise<LevelResult> {
  const meter = harnessMeter();
  const cpu0 = cpuMsOf(child.pid);
  const server0 = postgresServerCpuMs();
  const approvals = await approve(target, batch, inFlight);
  const cpuMs = cpuMsOf(child.pid) - cpu0;
  const serverCpuMs = postgresServerCpuMs() - server0;
  const harness = meter();
  const firstClick = Math.min(...approvals.map((a) => a.clickAt));
  const lastDone = Math.max(...approvals.map((a) => (a.outcomeMs === null ? 0 : a.clickAt + a.outcomeMs)));
  const completed = approvals.filter((a) => a.outcomeMs !== null).length;
  return {
    inFlight,
    approvals,
    outcome: summarize(approvals.flatMap((a) => (a.outcomeMs === null ? [] : [a.outcomeMs]))),
    update: summarize(approvals.flatMap((a) => (a.updateMs === null ? [] : [a.updateMs]))),
    perSecond: completed / ((lastDone - firstClick) / 1000),
    cpuMsPerWorkflow: cpuMs / Math.max(1, completed),
    serverCpuMsPerWorkflow: serverCpuMs / Math.max(1, completed),
    harness,
    gaps: GAP_INDICES.map((i) => summarize(approvals.flatMap((a) => (a.gaps ? [a.gaps[i]] : []))).p50),
  };
}

export interface Correctness {
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
}

/** Every approved request exactly one DELETE and one outcome reply; every command one confirmation. */
export function correctnessOf({ adobe, slack, observed }: Standins, approved: readonly Approval[], missingConfirmations: number): Correctness {
  const deletesByOffer = new Map<string, number>();
  for (const request of adobe.requests) {
    if (request.service !== 'offers' || request.method !== 'DELETE') continue;
    const offerId = offerIdOf(request.path);
    deletesByOffer.set(offerId, (deletesByOffer.get(offerId) ?? 0) + 1);
  }
  return {
    approved: approved.length,
    deletes: approved.reduce((total, a) => total + (deletesByOffer.get(a.offerId) ?? 0), 0),
    notExactlyOneDelete: approved.filter((a) => deletesByOffer.get(a.offerId) !== 1).length,
    duplicateReplies: [...observed.completions.counts.values()].filter((count) => count > 1).length,
    duplicateConfirmations: [...observed.confirmations.counts.values()].filter((count) => count > 1).length,
    lost: approved.filter((a) => a.outcomeMs === null).length + missingConfirmations,
    notDeleted: approved.filter((a) => {
      const reply = observed.completions.get(a.requestId)?.value;
      return reply !== undefined && reply.metadata?.event_payload.outcome !== 'deleted';
    }).length,
    clickErrors: approved.filter((a) => a.clickStatus !== 200).length,
    refusals: slack.ephemerals.filter((e) => e.via === 'chat.postEphemeral').length,
    missingConfirmations,
  };
}
