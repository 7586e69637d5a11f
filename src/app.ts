// createApp(config, deps): the Bolt app, its listeners, the workflow and the sweep, ready to start and stop.
import { App, LogLevel, type Logger as BoltLogger, type webApi } from '@slack/bolt';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Config } from './config.js';
import type { OfferLibrary } from './adobe/offer-library.js';
import { createWorkflow, type Workflow } from './deletion/workflow.js';
import type { Logger } from './log.js';
import { createAnnouncer } from './slack/announcer.js';
import { createApproverDirectory } from './slack/approvers.js';
import { createChannelDirectory } from './slack/channels.js';
import { createPeopleDirectory } from './slack/people.js';
import { registerDecisionActions } from './slack/listeners/actions/decision.js';
import { registerOfferCommand } from './slack/listeners/commands/offer.js';
import type { Store } from './store/store.js';

/** How long shutdown waits for deletions in flight before closing the store. */
export const DRAIN_TIMEOUT_MS = 20_000;
/**
 * Slack Web API retries: only quick ones for a blip. Messages the workflow owes are retried by the outbox,
 * which survives restarts and honours Retry-After (rate-limited calls are handed back to it at once).
 */
export const SLACK_RETRY: webApi.RetryOptions = { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 1_000, randomize: true };

export interface AppDeps {
  store: Store;
  offers: OfferLibrary;
  log: Logger;
  now?: () => number;
  /** Lease holder id; defaults to one per process. */
  owner?: string;
  /** Overrides for tests (e.g. no retries). */
  slackRetry?: webApi.RetryOptions;
}

/** Bolt logs through pino, so its lines are structured and redacted too. */
function boltLogger(log: Logger): BoltLogger {
  const child = log.child({ component: 'bolt' });
  let level = LogLevel.INFO;
  return {
    debug: (...msg) => child.debug(msg.map(String).join(' ')),
    info: (...msg) => child.info(msg.map(String).join(' ')),
    warn: (...msg) => child.warn(msg.map(String).join(' ')),
    error: (...msg) => child.error(msg.map(String).join(' ')),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}

export interface RunningApp {
  app: App;
  workflow: Workflow;
  /**
   * Checks the bot token with Slack and initialises Bolt, once; start() waits for it. Started early, it overlaps other
   * start-up work (main.ts: the migrations). A failure is reported by start().
   */
  connect(): Promise<void>;
  /** Connects, listens and resumes unfinished work; returns the HTTP port actually bound. */
  start(): Promise<{ port: number | null }>;
  /** Stops taking requests, waits (bounded) for work in flight; the caller closes the store. */
  stop(): Promise<void>;
}

export function createApp(config: Config, deps: AppDeps): RunningApp {
  const { log } = deps;
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
  const app = new App({
    token: config.slack.botToken,
    ...(socketMode ? { socketMode: true, appToken: config.slack.appToken } : { signingSecret: config.slack.signingSecret ?? '', endpoints: '/slack/events' }),
    port: config.slack.port,
    customRoutes: [healthz],
    clientOptions: { slackApiUrl: config.slack.apiUrl, retryConfig: deps.slackRetry ?? SLACK_RETRY, rejectRateLimitedCalls: true },
    logger: boltLogger(log),
    // Initialised in start(): auth.test once, its result kept (without it Bolt calls auth.test on every request).
    deferInitialization: true,
  });
  app.error(async (error) => {
    log.error({ err: error }, 'unhandled error in a Slack listener');
  });

  const channels = createChannelDirectory(app.client, deps.now);
  const workflow = createWorkflow(
    {
      sandbox: config.adobe.sandbox,
      ttlMs: config.approval.ttlMs,
      verifyTimeoutMs: config.verifyTimeoutMs,
      workLeaseMs: config.workLeaseMs,
      allowSelfApproval: config.approval.allowSelfApproval,
      allowGuestRequests: config.approval.allowGuestRequests,
      maxOpenPerUser: config.maxOpenPerUser,
    },
    {
      store: deps.store,
      offers: deps.offers,
      announcer: createAnnouncer(app.client),
      approvers: createApproverDirectory(config.approval.approvers, app.client, deps.now),
      people: createPeopleDirectory(app.client, deps.now),
      channels,
      log,
      ...(deps.now ? { now: deps.now } : {}),
      ...(deps.owner ? { owner: deps.owner } : {}),
    },
  );
  registerOfferCommand(app, workflow, { allowedChannels: config.approval.allowedChannels, sandbox: config.adobe.sandbox, teamId: config.slack.teamId }, log, {
    store: deps.store,
    channels,
  });
  registerDecisionActions(app, workflow, log, { teamId: config.slack.teamId });

  const refused = (error: unknown): never => {
    const code = (error as { data?: { error?: string } }).data?.error ?? (error as Error).message;
    throw new Error(`Slack refused SLACK_BOT_TOKEN (auth.test: ${code})`);
  };
  let connecting: Promise<void> | undefined;
  const connect = () => {
    connecting ??= (async () => {
      // Bolt's init() runs its own auth.test and keeps only the bot ids; ours names the workspace in the log. Both at
      // once, so start-up waits for one round trip to Slack, not two.
      const [auth] = await Promise.all([app.client.auth.test().catch(refused), app.init().catch(refused)]);
      log.info({ team: auth.team_id, botUser: auth.user_id, mode: socketMode ? 'socket' : 'http' }, 'connected to Slack');
    })();
    // Handled here so that a failure before start() awaits it is not an unhandled rejection; start() reports it.
    connecting.catch(() => undefined);
    return connecting;
  };

  let sweeper: NodeJS.Timeout | undefined;
  return {
    app,
    workflow,
    connect,
    async start() {
      await connect();
      const server: unknown = await app.start(config.slack.port);
      // HTTP mode answers with the node:http server; Socket Mode with the connection it opened.
      const address = server && typeof server === 'object' && 'address' in server ? (server as { address(): unknown }).address() : null;
      const port = address && typeof address === 'object' && 'port' in address ? Number((address as { port: number }).port) : null;
      ready = true;
      await workflow.sweep({ startingUp: true });
      sweeper = setInterval(() => void workflow.sweep(), config.sweepIntervalMs);
      sweeper.unref();
      log.info({ port: port ?? config.slack.port }, 'offer-bot is ready');
      return { port };
    },
    async stop() {
      ready = false;
      if (sweeper) clearInterval(sweeper);
      await app.stop().catch((error: unknown) => log.warn({ err: error }, 'error while stopping the Slack app'));
      const drained = await workflow.drain(DRAIN_TIMEOUT_MS);
      workflow.stopDelivery();
      if (!drained) log.warn('stopped with work still in flight; it resumes after the next start');
    },
  };
}
