// createBot(config, overrides): the one composition root — store, Adobe, the Bolt app, listeners, workflow, outbox, sweep.
import { App, type webApi } from '@slack/bolt';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createAdobeDispatcher, type HttpOptions } from './adobe/http.js';
import { createTokenProvider } from './adobe/ims.js';
import { createOfferLibrary } from './adobe/offer-library.js';
import type { Config } from './config.js';
import { noFailpoints, systemClock, type Failpoints } from './deletion/ports.js';
import { createFindOffers } from './deletion/find-offers.js';
import { chooseSandbox, sandboxesFor } from './deletion/sandboxes.js';
import { createWorkflow, leaseHolder, type Workflow } from './deletion/workflow.js';
import { createLogger, type Logger } from './log.js';
import { createMetrics, type Metrics } from './metrics/metrics.js';
import { observedStore } from './metrics/observed-store.js';
import { createOutbox } from './outbox/delivery.js';
import { createAnnouncer } from './slack/announcer.js';
import { readerTranslator } from './slack/i18n/readers.js';
import { translator } from './slack/i18n/translator.js';
import { createApproverDirectory } from './slack/approvers.js';
import { boltLogger } from './slack/bolt-logger.js';
import { createChannelDirectory } from './slack/channels.js';
import { createSlackFetch } from './slack/http-fetch.js';
import { registerListeners } from './slack/listeners/index.js';
import { createOwnMessages } from './slack/own-messages.js';
import { createPeopleDirectory } from './slack/people.js';
import { openStore } from './store/open-store.js';
import { pruneOutbox } from './store/outbox-retention.js';
import type { Store } from './store/store.js';

/** How long shutdown waits for deletions in flight before closing the store. */
const DRAIN_TIMEOUT_MS = 20_000;
/**
 * Slack Web API retries: only quick ones for a blip. Messages the workflow owes are retried by the outbox,
 * which survives restarts and honours Retry-After (rate-limited calls are handed back to it at once).
 */
const SLACK_RETRY: webApi.RetryOptions = { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 1_000, randomize: true };

/** What a caller (main.ts, a test, the bench) may put in place of the real thing. */
export interface BotOverrides {
  /** Defaults to one at config.logLevel on standard output. */
  log?: Logger;
  /** Defaults to opening (and migrating) config.databaseUrl; a given store is the caller's to close. */
  store?: Store;
  now?: () => number;
  /** Lease holder id; defaults to one per process (or the single replica's, for a store that is not shared). */
  owner?: string;
  /** Slack Web API retries (tests: none). */
  slackRetry?: webApi.RetryOptions;
  /** Adobe HTTP settings (tests: short timeouts and retries). */
  http?: HttpOptions;
  /** Test-only steps where the process may stop itself. */
  failpoints?: Failpoints;
}

export interface Bot {
  app: App;
  workflow: Workflow;
  store: Store;
  log: Logger;
  /** This bot's Prometheus metrics (its own registry), served at GET /metrics. */
  metrics: Metrics;
  /** Connects, listens and resumes unfinished work; returns the HTTP port actually bound. */
  start(): Promise<{ port: number | null }>;
  /** One periodic pass now: expiry, abandoned deletions, outbox retention (start() schedules them). */
  sweep(): Promise<void>;
  /** Stops taking requests, waits (bounded) for work in flight, then closes what createBot opened. */
  stop(): Promise<void>;
}

export async function createBot(config: Config, overrides: BotOverrides = {}): Promise<Bot> {
  const log = overrides.log ?? createLogger(config.logLevel);
  const failpoints = overrides.failpoints ?? noFailpoints;
  const clock = overrides.now ? { ...systemClock, now: overrides.now } : systemClock;
  const store = overrides.store ?? (await openStore(config.databaseUrl, { log }));
  // Migrations run while start() asks Slack who we are: on PostgreSQL both are round trips, and they need not add up.
  const migrated = overrides.store ? Promise.resolve() : store.migrate();
  // Reported by start(); handled here so a failure before start() awaits it is not an unhandled rejection.
  migrated.catch(() => undefined);
  const metrics = createMetrics({ outboxBacklog: () => store.outboxBacklog(), log });
  const dispatcher = createAdobeDispatcher(overrides.http, metrics.adobeCall);
  const tokens = createTokenProvider(config.adobe, { dispatcher, log });
  const offers = createOfferLibrary(config.adobe, { tokens, dispatcher, log });

  let ready = false;
  const healthz = {
    path: '/healthz',
    method: ['GET'],
    handler: (_req: IncomingMessage, res: ServerResponse) => {
      res.writeHead(ready ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: ready }));
    },
  };
  const socketMode = config.slack.appToken !== undefined;
  // Every Web API call and respond(): its own keep-alive connections, apart from Adobe's.
  const slackHttp = createSlackFetch();
  const app = new App({
    token: config.slack.botToken,
    ...(socketMode ? { socketMode: true, appToken: config.slack.appToken } : { signingSecret: config.slack.signingSecret ?? '', endpoints: '/slack/events' }),
    port: config.slack.port,
    // Socket Mode serves these too: Bolt then runs an HTTP server for custom routes alone, on the same PORT.
    customRoutes: [healthz, metrics.route],
    clientOptions: {
      fetch: slackHttp.fetch,
      slackApiUrl: config.slack.apiUrl,
      retryConfig: overrides.slackRetry ?? SLACK_RETRY,
      rejectRateLimitedCalls: true,
    },
    logger: boltLogger(log),
    // Initialised in start(): auth.test once, its result kept (without it Bolt calls auth.test on every request).
    deferInitialization: true,
    // Bolt's conversation store (in memory by default) is read on every request; offer-bot keeps its state in its own store.
    convoStore: false,
  });
  app.error(async (error) => {
    log.error({ err: error }, 'unhandled error in a Slack listener');
  });

  const channels = createChannelDirectory(app.client, clock.now);
  // Crash recovery looks for the app's own messages; who the app is, auth.test says in start().
  const ownMessages = createOwnMessages();
  const people = createPeopleDirectory(app.client, clock.now);
  // The channel is read by many, in one language; a person alone is written to in their own Slack locale.
  const reader = readerTranslator(people);
  const approvers = createApproverDirectory(config.approval.approvers, app.client, clock.now, config.approval.approversBySandbox);
  const announcer = createAnnouncer(
    app.client,
    ownMessages,
    { channel: translator(config.channelLanguage), reader },
    async (sandbox) => ({ approvers: await approvers.whoMayDecide(sandbox), allowSelfApproval: config.approval.allowSelfApproval }),
    metrics.slackCall,
    // The outcome reply of a deletion offers Restore while the window is open.
    (request) => {
      const until = request.updatedAt + config.restoreWindowMs;
      return request.state === 'deleted' && request.action === 'delete' && until > clock.now() ? until : null;
    },
  );
  // What the workflow and the outbox apply is counted as the store applies it.
  const requestStore = observedStore(store, metrics);
  const owner = overrides.owner ?? leaseHolder(store.sharedByReplicas);
  // The outbox tells the workflow each confirmation's fate (called only once both exist); the workflow starts deliveries.
  const outbox = createOutbox({
    store: requestStore,
    courier: announcer,
    log,
    owner,
    now: clock.now,
    failpoints,
    confirmationSettled: (request, result) => workflow.confirmationSettled(request, result),
  });
  const workflow = createWorkflow(
    {
      sandboxes: config.sandboxes,
      ttlMs: config.approval.ttlMs,
      verifyTimeoutMs: config.verifyTimeoutMs,
      workLeaseMs: config.workLeaseMs,
      allowSelfApproval: config.approval.allowSelfApproval,
      allowGuestRequests: config.approval.allowGuestRequests,
      maxOpenPerUser: config.maxOpenPerUser,
      restoreWindowMs: config.restoreWindowMs,
      requiredApprovals: { default: config.approval.requiredApprovals, bySandbox: config.approval.requiredApprovalsBySandbox },
    },
    {
      store: requestStore,
      offers,
      outbox,
      notifier: announcer,
      approvers,
      people,
      channels,
      clock,
      failpoints,
      log,
      owner,
    },
  );
  registerListeners(app, {
    workflow,
    reader,
    rules: {
      allowedChannels: config.approval.allowedChannels,
      allowedSandboxes: (channelId) => sandboxesFor(config.sandboxes, channelId),
      chooseSandbox: (channelId, requested) => chooseSandbox(config.sandboxes, channelId, requested),
      teamId: config.slack.teamId,
    },
    log,
    store,
    channels,
    failpoints,
    now: clock.now,
    findOffers: createFindOffers(config.sandboxes, offers, log),
  });

  let sweeper: NodeJS.Timeout | undefined;
  /** The outbox's retention pass under way, so stop() lets it finish before the store closes. */
  let pruning: Promise<unknown> = Promise.resolve();
  /** The periodic pass: the workflow's sweep, then delivered outbox rows past OFFER_OUTBOX_RETENTION (housekeeping, not the audit). */
  async function sweep(options?: { startingUp?: boolean }): Promise<void> {
    await workflow.sweep(options);
    pruning = pruneOutbox(store, config.outboxRetentionMs, clock.now(), log).catch((error: unknown) =>
      log.warn({ err: error }, 'could not delete old outbox items; the next sweep tries again'),
    );
    await pruning;
  }
  let listening = false;
  let stopped = false;
  return {
    app,
    workflow,
    store,
    log,
    metrics,
    sweep: () => sweep(),
    async start() {
      const refused = (error: unknown): never => {
        const code = (error as { data?: { error?: string } }).data?.error ?? (error as Error).message;
        throw new Error(`Slack refused SLACK_BOT_TOKEN (auth.test: ${code})`);
      };
      // Bolt's init() runs its own auth.test and keeps only the bot ids; ours names the workspace and the app's own
      // messages. Both at once, and while the store migrates, so start-up waits for one round trip, not three.
      const [auth] = await Promise.all([app.client.auth.test().catch(refused), app.init().catch(refused), migrated]);
      ownMessages.learn(auth);
      log.info({ team: auth.team_id, botUser: auth.user_id, bot: auth.bot_id, mode: socketMode ? 'socket' : 'http' }, 'connected to Slack');
      const server: unknown = await app.start(config.slack.port);
      listening = true;
      // HTTP mode answers with the node:http server; Socket Mode with the connection it opened.
      const address = server && typeof server === 'object' && 'address' in server ? (server as { address(): unknown }).address() : null;
      const port = address && typeof address === 'object' && 'port' in address ? Number((address as { port: number }).port) : null;
      ready = true;
      await sweep({ startingUp: true });
      sweeper = setInterval(() => void sweep(), config.sweepIntervalMs);
      sweeper.unref();
      log.info({ port: port ?? config.slack.port }, 'offer-bot is ready');
      return { port };
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      ready = false;
      if (sweeper) clearInterval(sweeper);
      if (listening) await app.stop().catch((error: unknown) => log.warn({ err: error }, 'error while stopping the Slack app'));
      const idle = await workflow.waitUntilIdle(DRAIN_TIMEOUT_MS);
      await pruning;
      outbox.stop();
      if (!idle) log.warn('stopped with work still in flight; it resumes after the next start');
      if (!overrides.store) await store.close();
      await dispatcher.close();
      await slackHttp.close();
    },
  };
}
