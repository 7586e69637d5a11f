// The bot's Prometheus metrics: one prom-client Registry per bot (tests run several bots in one process), served at /metrics.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Change } from '../deletion/lifecycle.js';
import { FINAL_STATES, type DeletionRequest } from '../deletion/request.js';
import type { Logger } from '../log.js';

const PREFIX = 'offerbot_';
const MS_PER_SECOND = 1_000;
/** Requests wait for a person: from seconds to the approval lifetime (hours). */
const DECISION_BUCKETS_SECONDS = [1, 5, 15, 30, 60, 120, 300, 600, 1_800, 3_600, 4 * 3_600, 24 * 3_600];
/** One call with its retries: milliseconds when well, up to the call deadline (45 s) when not. */
const CALL_BUCKETS_SECONDS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
/** Label value when a call got no HTTP answer at all. */
const NO_STATUS = 'none';

/** One Adobe call (retries included), as the Adobe client reports it. */
export interface AdobeCallReport {
  /** As it reads in a sentence ("Adobe IMS", "the Offer Library"); labelled as a slug (adobe_ims, offer_library). */
  service: string;
  method: string;
  seconds: number;
  /** The last answer's HTTP status; null when none came. */
  status: number | null;
  /** Why no usable answer came (ECONNREFUSED, ADOBE_UNREACHABLE, …); null when one did. */
  error: string | null;
}

/** One Slack Web API call, as the announcer reports it. */
export interface SlackCallReport {
  method: string;
  seconds: number;
  /** Slack's error code (`not_in_channel`, `ratelimited`, …); null when the call succeeded. */
  error: string | null;
}

export interface Metrics {
  readonly registry: Registry;
  adobeCall(report: AdobeCallReport): void;
  slackCall(report: SlackCallReport): void;
  /** A transition the store applied: a final state counts a request, a person's decision its wait. */
  transitioned(request: DeletionRequest, change: Change, at: number): void;
  /** A deletion whose worker's lease ran out, taken over by this process. */
  leaseTakenOver(): void;
  /** The GET /metrics route for Bolt's customRoutes. */
  route: { path: string; method: string[]; handler(req: IncomingMessage, res: ServerResponse): void };
}

const FINAL: readonly string[] = FINAL_STATES;
/** Transitions out of pending made by a person, not the clock or the system. */
const DECISIONS: readonly string[] = ['approved', 'rejected'];

export const serviceLabel = (service: string): string =>
  service
    .replace(/^the\s+/i, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_');

const EVENT_LOOP_SAMPLE_MS = 100;

/** `outboxBacklog` is read at every scrape: the outbox items not yet delivered or given up on. */
export function createMetrics({ outboxBacklog, log }: { outboxBacklog: () => Promise<number>; log: Logger }): Metrics {
  const registry = new Registry();
  // The event-loop lag is sampled every 100 ms, not prom-client's 10: a bot that waits 3 s for nothing needs no finer
  // view, and the 10 ms timer was most of offer-bot's CPU while idle (4.6 against 0.9 ms per second with none).
  collectDefaultMetrics({ register: registry, prefix: PREFIX, eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
  const registers = [registry];

  const requests = new Counter({
    name: `${PREFIX}requests_total`,
    help: 'Deletion requests that reached a final state, by that state and the reason of its outcome (none for rejected, cancelled, expired).',
    labelNames: ['outcome', 'reason'],
    registers,
  });
  const decision = new Histogram({
    name: `${PREFIX}decision_seconds`,
    help: 'From a request being made to a person approving or rejecting it.',
    labelNames: ['decision'],
    buckets: DECISION_BUCKETS_SECONDS,
    registers,
  });
  const adobeSeconds = new Histogram({
    name: `${PREFIX}adobe_call_seconds`,
    help: 'Adobe calls (IMS, Offer Library), retries included, by the last HTTP status (none: no answer).',
    labelNames: ['service', 'method', 'status'],
    buckets: CALL_BUCKETS_SECONDS,
    registers,
  });
  const adobeErrors = new Counter({
    name: `${PREFIX}adobe_call_errors_total`,
    help: 'Adobe calls that got no usable answer, by the failure code (ECONNREFUSED, UND_ERR_HEADERS_TIMEOUT, ADOBE_UNREACHABLE, …).',
    labelNames: ['service', 'method', 'code'],
    registers,
  });
  const slackSeconds = new Histogram({
    name: `${PREFIX}slack_call_seconds`,
    help: 'Slack Web API calls the bot makes for its messages, by whether Slack said ok.',
    labelNames: ['method', 'ok'],
    buckets: CALL_BUCKETS_SECONDS,
    registers,
  });
  const slackErrors = new Counter({
    name: `${PREFIX}slack_call_errors_total`,
    help: "Slack Web API calls that failed, by Slack's error code (ratelimited, not_in_channel, …).",
    labelNames: ['method', 'error'],
    registers,
  });
  const takeovers = new Counter({
    name: `${PREFIX}lease_takeovers_total`,
    help: 'Deletions left unfinished (their lease ran out) and taken over by this process.',
    registers,
  });
  new Gauge({
    name: `${PREFIX}outbox_backlog`,
    help: 'Slack writes owed and not yet delivered or given up on, as the store holds them at scrape time.',
    registers,
    async collect() {
      this.set(await outboxBacklog());
    },
  });

  return {
    registry,
    adobeCall({ service, method, seconds, status, error }) {
      const labels = { service: serviceLabel(service), method };
      adobeSeconds.observe({ ...labels, status: status === null ? NO_STATUS : String(status) }, seconds);
      if (error !== null) adobeErrors.inc({ ...labels, code: error });
    },
    slackCall({ method, seconds, error }) {
      slackSeconds.observe({ method, ok: String(error === null) }, seconds);
      if (error !== null) slackErrors.inc({ method, error });
    },
    transitioned(request, change, at) {
      if (FINAL.includes(change.to)) requests.inc({ outcome: change.to, reason: request.outcome?.reason ?? 'none' });
      if (change.from === 'pending' && DECISIONS.includes(change.to)) decision.observe({ decision: change.to }, (at - request.createdAt) / MS_PER_SECOND);
    },
    leaseTakenOver: () => takeovers.inc(),
    route: {
      path: '/metrics',
      method: ['GET'],
      handler(_req, res) {
        registry.metrics().then(
          (text) => {
            res.writeHead(200, { 'content-type': registry.contentType });
            res.end(text);
          },
          (error: unknown) => {
            log.warn({ err: error }, 'could not collect the metrics');
            res.writeHead(503, { 'content-type': 'text/plain' });
            res.end('metrics unavailable\n');
          },
        );
      },
    },
  };
}
