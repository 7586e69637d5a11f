// What the bench watches: when the stand-ins received each call, how many Slack calls a phase cost, and its own load.
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { EVENT_TYPE } from '../../src/slack/constants.js';
import type { AdobeStandins } from '../../test/support/adobe.js';
import type { MessageUpdate, PostedMessage, SlackApi } from '../../test/support/slack-api.js';

/** How long without a new Slack write counts as the bot's trailing work being done, and how long to wait for that at most. */
const QUIET_MS = 300;
const QUIET_BOUND_MS = 10_000;
const LOOP_DELAY_RESOLUTION_MS = 5;

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

export interface Observed {
  /** offer-bot's confirmations by offer id; the baseline's one message by offer id. */
  confirmations: Arrivals<PostedMessage>;
  /** offer_deletion_completed thread replies by request id. */
  completions: Arrivals<PostedMessage>;
  /** The first chat.update of each confirmation (by ts): "Approved by … deleting…". */
  firstUpdates: Arrivals<MessageUpdate>;
}

export function observe(slack: SlackApi): Observed {
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

/** The offer id an Offer Library call is about: the last segment of its path. */
export const offerIdOf = (path: string): string => decodeURIComponent(path.slice(path.lastIndexOf('/') + 1));

/** Receipt times (performance.now()) of each Offer Library call, by offer id, in order. */
export type AdobeLog = Map<string, Array<{ method: string; at: number }>>;

export function observeAdobe(adobe: AdobeStandins): AdobeLog {
  const calls: AdobeLog = new Map();
  onPush(adobe.requests, (request, at) => {
    if (request.service !== 'offers') return;
    const offerId = offerIdOf(request.path);
    const list = calls.get(offerId) ?? [];
    list.push({ method: request.method, at });
    calls.set(offerId, list);
  });
  return calls;
}

/** How many Web API calls and response URL posts the stand-in has taken so far: where a phase starts counting. */
export type CallMark = { calls: number; responses: number };
export const callMark = (slack: SlackApi): CallMark => ({ calls: slack.calls.length, responses: slack.responses.length });

/** Web API calls (and response URL posts) the stand-in took since `from`, per method, divided by `per`. */
export function callsSince(slack: SlackApi, from: CallMark, per: number): string {
  const counts = new Map<string, number>();
  for (const call of slack.calls.slice(from.calls)) counts.set(call.method, (counts.get(call.method) ?? 0) + 1);
  const responses = slack.responses.length - from.responses;
  if (responses > 0) counts.set('response_url', responses);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([method, count]) => `${method} ${(count / per).toFixed(2)}`)
    .join(', ');
}

/** Waits until the stand-in has seen no new Slack write for `quietMs` (bounded), so the bot's trailing work is done. */
export async function quiet(slack: SlackApi, quietMs = QUIET_MS, boundMs = QUIET_BOUND_MS): Promise<void> {
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
export function harnessMeter() {
  const delay = monitorEventLoopDelay({ resolution: LOOP_DELAY_RESOLUTION_MS });
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

export type Harness = ReturnType<ReturnType<typeof harnessMeter>>;
