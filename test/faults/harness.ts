// The fault matrix's harness: one bot per case, instrumented to count what was done twice, what was left behind and what leaked.
import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, it } from 'vitest';
import type { HttpOptions } from '../../src/adobe/http.js';
import { isOpen, type DeletionRequest, type TransitionRecord } from '../../src/deletion/request.js';
import { EVENT_TYPE } from '../../src/slack/constants.js';
import { TEST_CREDENTIALS, type RecordedRequest } from '../support/adobe.js';
import { ALICE, BOB, CHANNEL, OFFER_ID, ours, requestIdOf, SECRETS, startBot, TEAM, type Bot } from '../support/bot.js';
import { startSlackApi, type PostedMessage } from '../support/slack-api.js';
import { startTally, type FaultTally } from './tally.js';

export { ALICE, BOB, CHANNEL, OFFER_ID };

/** Tiny verification window; debug logging, so a secret in any log line is caught. */
export const FAULT_ENV = { OFFER_VERIFY_TIMEOUT: '1s', LOG_LEVEL: 'debug' };
/** Undici's attempts for one call: the first and FAST_HTTP's three retries (HTTP_DEFAULTS.maxRetries). */
export const ATTEMPTS = 4;
const FINAL_STATES = new Set(['deleted', 'failed', 'unverified', 'rejected', 'cancelled', 'expired', 'restored']);
const OUTCOME_EVENTS: string[] = [EVENT_TYPE.completed, EVENT_TYPE.rejected, EVENT_TYPE.cancelled, EVENT_TYPE.expired, EVENT_TYPE.restoreCompleted];
const WAIT_MS = 10_000;

export interface CaseOptions {
  env?: Record<string, string>;
  /**
   * A case that shows a bug in src/: the test states the correct behaviour and is expected to fail, with an error matching
   * `symptom` (any other failure makes the case fail, so a different breakage is not mistaken for the known bug).
   */
  knownBug?: { symptom: RegExp; bug: string };
  timeoutMs?: number;
  /**
   * Put a proxy between the bot and the Slack stand-in that forwards a matching Web API call, lets Slack act on it,
   * and then drops the connection instead of passing the answer on (the first match only).
   */
  loseSlackAnswer?: (method: string, args: URLSearchParams) => boolean;
  /** Changes to the bot's Adobe HTTP options (e.g. a connector that refuses connections). */
  http?: HttpOptions;
}

export interface Scene {
  bot: Bot;
  /** Secrets beyond SECRETS and the issued tokens (e.g. a wrong client secret the case configured). */
  extraSecrets: string[];
  /** `/offer <text>` from Alice; remembered, so the tally can check she heard back. */
  command(text: string): Promise<void>;
  /** Alice asks to delete OFFER_ID; returns the confirmation once she has been told it is posted. */
  request(): Promise<PostedMessage>;
  /** Bob approves; returns the thread reply, after the confirmation shows a final state. */
  approve(confirmation: PostedMessage): Promise<PostedMessage>;
  /** Runs `hook` (once) when a matching request reaches an Adobe stand-in, before it is answered. */
  onAdobeRequest(match: (request: RecordedRequest) => boolean, hook: (request: RecordedRequest) => void): void;
  /** The next DELETE removes the offer and its answer is then lost to the fault injected for it (as a 5xx or reset after the fact). */
  deleteTakesEffectAnswerLost(): void;
  /** The requests the Offer Library stand-in received with this method, in order. */
  offerRequests(method: 'GET' | 'DELETE'): RecordedRequest[];
  /**
   * The confirmation once an update at or after `since` (e.g. the outcome reply, which the final update follows) showed a
   * final state: the last write the request owes Slack.
   */
  finalMessage(confirmation: PostedMessage, since?: number): Promise<PostedMessage>;
}

/** Runs one case of the matrix: starts an instrumented bot, runs `body`, then tallies duplicates, losses and leaks. */
export function faultCase(fault: string, body: (scene: Scene) => Promise<void>, options: CaseOptions = {}): void {
  const test = options.knownBug ? it.fails : it;
  test(
    fault,
    async ({ task }) => {
      try {
        await runCase(startTally(task.meta, fault), body, options);
      } catch (error) {
        const message = error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error);
        if (!options.knownBug || options.knownBug.symptom.test(message)) throw error;
        // Not the known bug's failure: let it.fails see a pass, i.e. fail the case, and say what happened instead.
        console.error(`"${fault}" failed, but not with the known bug (${options.knownBug.bug}):\n${message}`);
      }
    },
    options.timeoutMs ?? 20_000,
  );
}

async function runCase(record: FaultTally, body: (scene: Scene) => Promise<void>, options: CaseOptions): Promise<void> {
  const proxy = options.loseSlackAnswer ? await startAnswerLosingSlack(options.loseSlackAnswer) : null;
  const bot = await startBot({
    env: { ...FAULT_ENV, ...(proxy ? { SLACK_API_URL: proxy.url } : {}), ...options.env },
    ...(proxy ? { slack: proxy.slack } : {}),
    ...(options.http ? { http: options.http } : {}),
  });
  const scene = instrument(bot);
  let bodyPassed = false;
  try {
    await body(scene);
    bodyPassed = true;
  } finally {
    try {
      await bot.settled();
      const seen = await tallyRequests(scene);
      record.duplicates = seen.duplicates.length;
      record.lost = seen.lost.length;
      if (bodyPassed) {
        expect(seen.duplicates.join('; ') || 'none', 'done twice').toBe('none');
        expect(seen.lost.join('; ') || 'none', 'left behind').toBe('none');
        expect((await leaks(scene)).join('; ') || 'none', 'secrets in logs, Slack or the store').toBe('none');
        record.endedCorrectly = true;
      }
    } finally {
      await bot.stop();
      await proxy?.close();
    }
  }
}

interface Instrumented extends Scene {
  commands: number;
  acks: string[];
  /** DELETEs that removed the offer: the request's index in adobe.requests, and whether Adobe's answer said so. */
  removals: { index: number; answered: boolean }[];
}

function instrument(bot: Bot): Instrumented {
  const hooks: { match: (request: RecordedRequest) => boolean; hook: (request: RecordedRequest) => void }[] = [];
  const requests = bot.adobe.requests;
  const push = requests.push.bind(requests);
  requests.push = ((...items: RecordedRequest[]) => {
    const length = push(...items);
    for (const item of items) {
      const index = hooks.findIndex((h) => h.match(item));
      if (index !== -1) hooks.splice(index, 1)[0]!.hook(item);
    }
    return length;
  }) as typeof requests.push;

  let removedByHook = false;
  const offers = bot.adobe.offers;
  const remove = offers.delete.bind(offers);
  offers.delete = (id: string) => {
    const had = remove(id);
    // The stand-in answers a DELETE right after it is recorded, so the last request is the one that removed it.
    if (had) scene.removals.push({ index: requests.length - 1, answered: !removedByHook });
    return had;
  };

  const scene: Instrumented = {
    bot,
    extraSecrets: [],
    commands: 0,
    acks: [],
    removals: [],
    async command(text) {
      scene.commands += 1;
      const ack = await bot.command(text, { user: ALICE });
      scene.acks.push(ack.body);
      expect(ack.status).toBe(200);
    },
    async request() {
      await scene.command(`delete ${OFFER_ID} campaign ended`);
      const confirmation = await bot.nextConfirmation(WAIT_MS);
      expect(await bot.nextResponse(undefined, WAIT_MS)).toMatch(/^Posted your request to delete/);
      return confirmation;
    },
    async approve(confirmation) {
      const click = await bot.click('approve', confirmation, BOB);
      scene.acks.push(click.body);
      expect(click.status).toBe(200);
      const reply = await bot.nextThreadReply(confirmation, WAIT_MS);
      await scene.finalMessage(confirmation, reply.at);
      return reply;
    },
    onAdobeRequest(match, hook) {
      hooks.push({ match, hook });
    },
    deleteTakesEffectAnswerLost() {
      scene.onAdobeRequest(
        (r) => r.method === 'DELETE',
        (r) => {
          removedByHook = true;
          offers.delete(r.path.split('/').pop()!);
          removedByHook = false;
        },
      );
    },
    offerRequests: (method) => bot.adobe.requestsTo('offers').filter((r) => r.method === method),
    async finalMessage(confirmation, since = 0) {
      await bot.slack.waitFor(
        () => bot.slack.updates.find((u) => u.ts === confirmation.ts && u.at >= since && FINAL_STATES.has(String(u.metadata?.event_payload.state))),
        WAIT_MS,
      );
      return bot.slack.message(confirmation.channel, confirmation.ts)!;
    },
  };
  return scene;
}

// ---- the audit record --------------------------------------------------------------------------

interface AuditLine {
  audit: true;
  requestId: string;
  actor?: string;
  from?: string | null;
  to?: string;
  slackError?: string;
  kind?: string;
  detail?: Record<string, unknown>;
  msg: string;
}

/** The `"audit":true` log lines, parsed. */
export function auditLines(bot: Bot, requestId?: string): AuditLine[] {
  return bot.logs
    .map((line) => JSON.parse(line) as Partial<AuditLine>)
    .filter((line): line is AuditLine => line.audit === true && (requestId === undefined || line.requestId === requestId));
}

/** Every request the bot stored, found through its audit lines (each starts with one). */
export function requestIds(bot: Bot): string[] {
  return [...new Set(auditLines(bot).map((line) => line.requestId))];
}

export interface AuditExpectation {
  /** The states, in order, from `pending`. */
  states: string[];
  /** The stored outcome (partial match). */
  outcome?: Record<string, unknown>;
}

/**
 * The audit record of a request (or of the confirmation's request): the store's transitions (actors: Alice asked, Bob decided, the bot did the
 * rest), the same transitions as audit log lines, and the stored outcome.
 */
export async function expectAudit(
  bot: Bot,
  of: PostedMessage | string,
  expected: AuditExpectation,
): Promise<{ request: DeletionRequest; transitions: TransitionRecord[] }> {
  const requestId = typeof of === 'string' ? of : requestIdOf(of);
  const transitions = await bot.store.transitions(requestId);
  expect(transitions.map((t) => t.to)).toEqual(expected.states);
  transitions.forEach((t, i) => {
    const actor = t.to === 'pending' ? ALICE : t.to === 'approved' || t.to === 'rejected' ? BOB : 'system';
    expect(t.actor, `actor of ${t.to}`).toBe(actor);
    expect(t.from, `from of ${t.to}`).toBe(i === 0 ? null : transitions[i - 1]!.to);
  });
  const logged = auditLines(bot, requestId).filter((line) => line.to !== undefined);
  expect(logged.map((line) => [line.from, line.to, line.actor])).toEqual(transitions.map((t) => [t.from, t.to, t.actor]));
  const request = (await bot.store.getRequest(requestId))!;
  expect(request.state).toBe(expected.states.at(-1));
  if (expected.outcome) expect(request.outcome).toMatchObject(expected.outcome);
  return { request, transitions };
}

/**
 * Alice asks, and the look-up fails: she alone is told what went wrong, and nothing is stored, posted or deleted.
 * Returns what she was told.
 */
export async function lookupFailure(scene: Scene): Promise<string> {
  await scene.command(`delete ${OFFER_ID} campaign ended`);
  const text = await scene.bot.nextResponse(undefined, WAIT_MS);
  expect(text).toMatch(new RegExp(`^I could not look up offer \`${OFFER_ID}\` in sandbox \`prod\`: `));
  expect(text).toMatch(/Nothing was posted\.$/);
  await scene.bot.settled();
  expect(auditLines(scene.bot)).toEqual([]);
  expect(scene.bot.slack.messages).toEqual([]);
  expect(scene.offerRequests('DELETE')).toEqual([]);
  return text;
}

// ---- the tally -----------------------------------------------------------------------------------

// Only offer-bot's own: another app's look-alike with the same metadata is not a duplicate.
const repliesOf = (bot: Bot, requestId: string) =>
  bot.slack.messages.filter(
    (m) => ours(m) && m.thread_ts && OUTCOME_EVENTS.includes(m.metadata?.event_type ?? '') && m.metadata?.event_payload.request_id === requestId,
  );
// A restore's confirmation is a reply in its deletion's thread.
const confirmationsOf = (bot: Bot, requestId: string) =>
  bot.slack.messages.filter(
    (m) =>
      ours(m) &&
      ((!m.thread_ts && m.metadata?.event_type === EVENT_TYPE.requested) || m.metadata?.event_type === EVENT_TYPE.restoreRequested) &&
      m.metadata.event_payload.request_id === requestId,
  );

async function tallyRequests(scene: Instrumented): Promise<{ duplicates: string[]; lost: string[] }> {
  const { bot } = scene;
  const duplicates: string[] = [];
  const lost: string[] = [];
  if (scene.removals.length > 1) duplicates.push(`the offer was removed ${scene.removals.length} times`);
  const answeredAt = scene.removals.find((r) => r.answered)?.index;
  if (answeredAt !== undefined) {
    const later = bot.adobe.requests.filter((r, i) => i > answeredAt && r.service === 'offers' && r.method === 'DELETE').length;
    if (later > 0) duplicates.push(`${later} DELETE(s) after Adobe had answered one with success`);
  }
  // Restores: every offer a POST created counts; two of one name in one sandbox is the restore done twice.
  const createdByName = new Map<string, number>();
  for (const created of bot.adobe.created)
    createdByName.set(`${created.sandbox}/${created.name}`, (createdByName.get(`${created.sandbox}/${created.name}`) ?? 0) + 1);
  for (const [name, count] of createdByName) if (count > 1) duplicates.push(`${count} offers created as ${name}`);
  const createdAnswered = bot.adobe.requests.findIndex(
    (r) =>
      r.service === 'offers' &&
      r.method === 'POST' &&
      r.answeredWithId !== undefined &&
      bot.adobe.created.some((c) => c.requestIndex === bot.adobe.requests.indexOf(r)),
  );
  if (createdAnswered !== -1) {
    const later = bot.adobe.requests.filter((r, i) => i > createdAnswered && r.service === 'offers' && r.method === 'POST').length;
    if (later > 0) duplicates.push(`${later} POST(s) after one had created the offer`);
  }
  for (const id of requestIds(bot)) {
    const request = await bot.store.getRequest(id);
    if (!request) {
      lost.push(`request ${id} is in the audit log but not in the store`);
      continue;
    }
    const transitions = await bot.store.transitions(id);
    const replies = repliesOf(bot, id).length;
    const confirmations = confirmationsOf(bot, id).length;
    const runs = transitions.filter((t) => t.to === 'deleting' || t.to === 'restoring').length;
    if (replies > 1) duplicates.push(`${replies} outcome replies for ${id}`);
    if (confirmations > 1) duplicates.push(`${confirmations} confirmations for ${id}`);
    if (runs > 1) duplicates.push(`${runs} deletion runs for ${id}`);
    if (isOpen(request.state)) lost.push(`request ${id} left ${request.state}`);
    const approved = transitions.some((t) => t.to === 'approved');
    const direct = bot.slack.directMessages(request.requesterId);
    const toldDirectly = direct.some((m) => m.text.includes(request.offer.id));
    const outcomeDms = direct.filter((m) => ours(m) && m.metadata?.event_type === EVENT_TYPE.dm && m.metadata.event_payload.request_id === id).length;
    if (outcomeDms > 1) duplicates.push(`${outcomeDms} outcome DMs for ${id}`);
    const reminders = bot.slack.messages.filter(
      (m) => ours(m) && m.thread_ts && m.metadata?.event_type === EVENT_TYPE.reminded && m.metadata.event_payload.request_id === id,
    ).length;
    if (reminders > 1) duplicates.push(`${reminders} reminders for ${id}`);
    if (approved && replies === 0 && !toldDirectly) lost.push(`the outcome of ${id} reached nobody`);
  }
  const answered = new Set(bot.slack.responses.filter((r) => r.name.startsWith('command-') && r.status === 200).map((r) => r.name));
  if (answered.size < scene.commands) lost.push(`${scene.commands - answered.size} command(s) never answered`);
  return { duplicates, lost };
}

// ---- secrets -------------------------------------------------------------------------------------

/** Every secret the case knows of, found anywhere a person or an auditor could read it: logs, Slack, the store. */
async function leaks(scene: Instrumented): Promise<string[]> {
  const { bot } = scene;
  const stored = await Promise.all(
    requestIds(bot).map(
      async (id): Promise<[string, string]> => [
        `the store's record of ${id}`,
        JSON.stringify([await bot.store.getRequest(id), await bot.store.transitions(id)]),
      ],
    ),
  );
  const secrets = [...Object.values(SECRETS), TEST_CREDENTIALS.clientSecret, ...bot.adobe.tokensIssued, ...scene.extraSecrets];
  const places: [string, string][] = [
    ...bot.logs.map((line, i): [string, string] => [`log line ${i}`, line]),
    ...bot.slack.calls.map((c, i): [string, string] => [`Slack call ${i} (${c.method})`, JSON.stringify(c.args)]),
    ...bot.slack.responses.map((r, i): [string, string] => [`response_url post ${i}`, JSON.stringify(r.body)]),
    ...bot.slack.messages.map((m, i): [string, string] => [`message ${i}`, JSON.stringify(m)]),
    ...bot.slack.ephemerals.map((m, i): [string, string] => [`ephemeral ${i}`, JSON.stringify(m)]),
    ...scene.acks.map((body, i): [string, string] => [`HTTP answer ${i} to Slack`, body]),
    ...stored,
  ];
  return places.flatMap(([where, text]) => secrets.filter((secret) => text.includes(secret)).map((secret) => `${where} holds ${secret.slice(0, 6)}…`));
}

// ---- a Slack whose answers get lost ----------------------------------------------------------------

/**
 * The Slack stand-in behind a proxy that, for the first call `lose` matches, lets Slack act on the call and then drops the
 * connection: the bot sees a network error for a message Slack has in fact posted.
 */
async function startAnswerLosingSlack(lose: (method: string, args: URLSearchParams) => boolean) {
  const slack = await startSlackApi({
    botToken: SECRETS.botToken,
    appToken: SECRETS.appToken,
    teamId: TEAM,
    botUserId: 'U07QX4M1B2C',
    botId: 'B07QX4LCA9D',
    usergroups: {},
  });
  const target = new URL(slack.url);
  let armed = true;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const method = /\/api\/([A-Za-z0-9_.]+)$/.exec(req.url ?? '')?.[1] ?? '';
      const drop = armed && lose(method, new URLSearchParams(body.toString('utf8')));
      if (drop) armed = false;
      const headers: IncomingHttpHeaders = { ...req.headers, host: target.host };
      const upstream = httpRequest({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers }, (answer) => {
        const parts: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => parts.push(chunk));
        answer.on('end', () => {
          if (drop) {
            req.socket.destroy();
            return;
          }
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          res.end(Buffer.concat(parts));
        });
      });
      upstream.on('error', () => req.socket.destroy());
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    slack,
    url: `http://127.0.0.1:${port}/api/`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await slack.close();
    },
  };
}
