// What the bench does to an app: signed slash commands (closed loop or at a steady rate) and Approve clicks, timed as Slack sees them.
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { ACTION } from '../../src/slack/constants.js';
import { SECRETS } from '../../test/support/env.js';
import type { PostedMessage, SlackApi } from '../../test/support/slack-api.js';
import { blockActionPayload, sendBlockAction, sendSlashCommand } from '../../test/support/slack-requests.js';
import type { AdobeLog, Observed } from './observers.js';
import { APPROVER, CHANNEL, CONFIRMATIONS_WITHIN_MS, LATENCY_MS, OUTCOME_WITHIN_MS, REQUESTERS, TEAM } from './settings.js';

/** An app under load: where to send, and what the stand-ins it talks to saw. */
export interface Target {
  url: string;
  slack: SlackApi;
  observed: Observed;
  adobeLog?: AdobeLog;
}

export interface AckSamples {
  /** Ack latency of each command answered 200. */
  latencies: number[];
  failed: number;
}

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

/** One `/offer delete` for `offerId`, from the requester `index` picks; its ack latency, or null when it failed. */
async function sendCommand(target: Target, offerId: string, index: number): Promise<number | null> {
  const user = REQUESTERS[index % REQUESTERS.length]!;
  const responseUrl = target.slack.responseUrl(`command ${offerId}`, { channel: CHANNEL, userId: user });
  const fields = { text: `delete ${offerId} bench`, user_id: user, channel_id: CHANNEL, team_id: TEAM, command: '/offer', response_url: responseUrl };
  const sent = performance.now();
  try {
    const response = await sendSlashCommand(target.url, SECRETS.signingSecret, fields);
    return response.status === 200 ? performance.now() - sent : null;
  } catch {
    return null;
  }
}

const samplesOf = (acks: ReadonlyArray<number | null>): AckSamples => ({
  latencies: acks.filter((ack) => ack !== null),
  failed: acks.filter((ack) => ack === null).length,
});

/** Slash commands, `width` in flight; the ack latency of each. */
export async function commands(target: Target, offerIds: readonly string[], width: number): Promise<AckSamples> {
  const acks: Array<number | null> = [];
  await pool(offerIds, width, async (offerId, index) => {
    acks.push(await sendCommand(target, offerId, index));
  });
  return samplesOf(acks);
}

/** Slash commands sent at `rate` a second whatever the answers (open loop); the ack latency of each. */
export async function pacedCommands(target: Target, offerIds: readonly string[], rate: number): Promise<AckSamples> {
  const t0 = performance.now();
  const acks = await Promise.all(
    offerIds.map(async (offerId, index) => {
      const wait = t0 + (index * 1000) / rate - performance.now();
      if (wait > 0) await sleep(wait);
      return sendCommand(target, offerId, index);
    }),
  );
  return samplesOf(acks);
}

/** Waits (bounded) for a message for every offer id; returns them in order, and the arrival time of the last. */
export async function messagesFor(target: Target, offerIds: readonly string[]): Promise<{ found: PostedMessage[]; missing: number; lastAt: number }> {
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

export interface Approval {
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

function gapsOf(adobeLog: AdobeLog | undefined, offerId: string, clickAt: number, replyAt: number | undefined): Approval['gaps'] {
  const after = (adobeLog?.get(offerId) ?? []).filter((call) => call.at >= clickAt);
  const [lookup, del, verify] = after;
  if (!lookup || !del || !verify || replyAt === undefined) return null;
  if (lookup.method !== 'GET' || del.method !== 'DELETE' || verify.method !== 'GET') return null;
  return [lookup.at - clickAt, del.at - (lookup.at + LATENCY_MS), verify.at - (del.at + LATENCY_MS), replyAt - (verify.at + LATENCY_MS)];
}

/** Approves each confirmation (as APPROVER), `width` in flight, each waiting for its outcome reply. */
export async function approve(target: Target, confirmations: readonly PostedMessage[], width: number): Promise<Approval[]> {
  const results: Approval[] = [];
  await pool(confirmations, width, async (message) => {
    const requestId = String(message.metadata?.event_payload.request_id);
    const offerId = String(message.metadata?.event_payload.offer_id);
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
      offerId,
      ts: message.ts,
      clickAt,
      outcomeMs: done ? done.at + LATENCY_MS - clickAt : null,
      updateMs: update ? update.at - clickAt : null,
      clickStatus,
      gaps: gapsOf(target.adobeLog, offerId, clickAt, done?.at),
    });
  });
  return results;
}
