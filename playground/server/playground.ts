// The playground: the real offer-bot (createBot, Bolt over signed HTTP, a SQLite store) against the Slack, IMS and
// Offer Library stand-ins, and a web page on 127.0.0.1 that plays Slack's client for it.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { ACTION } from '../../src/slack/constants.js';
import { startAdobeStandins, TEST_CREDENTIALS, type AdobeStandins, type StoredOffer } from '../../test/support/adobe.js';
import { startBot, TEAM, type Bot } from '../../test/support/bot.js';
import { SECRETS } from '../../test/support/env.js';
import type { JsonObject } from '../../test/support/slack-api.js';
import { blockActionPayload, sendBlockAction, type SlackResponse, type StateValues } from '../../test/support/slack-requests.js';
import { BOT_USER_ID, CHANNELS, PEOPLE, seededSandboxes, USER_FACTS } from './seed.js';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
/** How often the event stream looks for something new in the stand-ins. */
const POLL_MS = 100;
const MAX_BODY_BYTES = 64 * 1024;

export interface PlaygroundOptions {
  /** 0 picks a free port. */
  port?: number;
  /** Bot log lines at warn or above go here (default: nowhere). */
  onLog?: (line: string) => void;
}

export interface Playground {
  url: string;
  bot: Bot;
  adobe: AdobeStandins;
  /** How long the page's build took, in ms. */
  buildMs: number;
  close(): Promise<void>;
}

/** What the page sees of a message, an ephemeral message or an ack. */
interface Shown {
  kind: 'message' | 'ephemeral';
  channel: string;
  ts: string;
  thread_ts?: string;
  user: string;
  text: string;
  blocks?: JsonObject[];
  edited?: boolean;
  /** Ephemerals: who sees it. */
  to?: string;
  at: number;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

export async function startPlayground(options: PlaygroundOptions = {}): Promise<Playground> {
  const outDir = mkdtempSync(join(tmpdir(), 'offer-bot-playground-'));
  const built = Date.now();
  await build({ root: ROOT, configFile: false, logLevel: 'warn', build: { outDir, emptyOutDir: true, reportCompressedSize: false } });
  const buildMs = Date.now() - built;

  const sandboxes = seededSandboxes();
  const [prod, ...others] = Object.keys(sandboxes);
  const adobe = await startAdobeStandins({
    ...TEST_CREDENTIALS,
    sandbox: prod ?? 'prod',
    offers: sandboxes[prod ?? 'prod'] ?? [],
    sandboxes: Object.fromEntries(others.map((name) => [name, sandboxes[name] ?? []])),
  });
  const approvers = PEOPLE.filter((p) => p.role === 'approver').map((p) => p.id);
  const bot = await startBot({
    adobe,
    users: USER_FACTS,
    env: {
      OFFER_SANDBOXES: CHANNELS.map((c) => `${c.id}=${c.sandbox}`).join(','),
      OFFER_APPROVERS: approvers.join(','),
      LOG_LEVEL: 'info',
    },
  });
  const { slack } = bot;

  /** What the bot answered in the HTTP response itself (a command's ack text): Slack shows it to the sender alone. */
  const acks: Shown[] = [];
  /** What people typed that was not a command: the playground's own, the bot never sees it. */
  const chatter: Shown[] = [];
  let version = 0;
  let logged = 0;
  const bump = () => {
    version += 1;
  };

  const ack = (response: SlackResponse, channel: string, user: string) => {
    const body = response.json as JsonObject | undefined;
    const text = typeof body?.text === 'string' ? body.text : response.json === undefined ? response.body : '';
    if (response.status !== 200) {
      acks.push({ kind: 'ephemeral', channel, ts: `ack-${acks.length}`, user: BOT_USER_ID, to: user, text: `HTTP ${response.status}`, at: Date.now() });
    } else if (text !== '' || Array.isArray(body?.blocks)) {
      const blocks = Array.isArray(body?.blocks) ? (body.blocks as JsonObject[]) : undefined;
      acks.push({ kind: 'ephemeral', channel, ts: `ack-${acks.length}`, user: BOT_USER_ID, to: user, text, ...(blocks ? { blocks } : {}), at: Date.now() });
    }
    bump();
  };

  const offersOf = (sandbox: string) =>
    [...adobe.offersIn(sandbox).values()].map((o: StoredOffer) => ({
      id: o.id,
      name: o.name,
      status: o.status,
      modified: o.modified,
      lastModifiedBy: o.lastModifiedBy,
      etag: o.etag,
    }));

  function snapshot(): JsonObject {
    const messages: Shown[] = slack.messages
      .filter((m) => !m.deleted && m.via !== 'another_app')
      .map((m) => ({
        kind: 'message',
        channel: m.channel,
        ts: m.ts,
        ...(m.thread_ts ? { thread_ts: m.thread_ts } : {}),
        user: m.user,
        text: m.text,
        ...(m.blocks ? { blocks: m.blocks } : {}),
        ...(m.edited ? { edited: true } : {}),
        at: m.at,
      }));
    const ephemerals: Shown[] = slack.ephemerals.map((e, index) => ({
      kind: 'ephemeral',
      channel: e.channel,
      ts: `eph-${index}`,
      ...(e.thread_ts ? { thread_ts: e.thread_ts } : {}),
      user: BOT_USER_ID,
      to: e.user,
      text: e.text,
      ...(e.blocks ? { blocks: e.blocks } : {}),
      at: e.at,
    }));
    const timeline = [...messages, ...ephemerals, ...acks, ...chatter].sort((a, b) => a.at - b.at);
    return {
      version,
      timeline,
      offers: Object.fromEntries([...adobe.sandboxes.keys()].map((name) => [name, offersOf(name)])),
      views: slack.views.map(({ id, user, view }) => ({ id, user, view })),
      homes: Object.fromEntries(PEOPLE.map((p) => [p.id, slack.homeOf(p.id) ?? null])),
    };
  }

  const signature = () => `${version}/${slack.calls.length}/${slack.responses.length}`;

  async function command(body: JsonObject): Promise<void> {
    const user = String(body.user);
    const channel = String(body.channel);
    const text = String(body.text ?? '').trim();
    const at = Date.now();
    if (!text.startsWith('/')) {
      chatter.push({ kind: 'message', channel, ts: `chat-${chatter.length}`, user, text, at });
      return bump();
    }
    const [word, ...rest] = text.split(/\s+/);
    if (word !== '/offer') {
      acks.push({
        kind: 'ephemeral',
        channel,
        ts: `ack-${acks.length}`,
        user: BOT_USER_ID,
        to: user,
        text: `\`${word}\` is not a command here: try \`/offer help\`.`,
        at,
      });
      return bump();
    }
    ack(await bot.command(rest.join(' '), { user, channel }), channel, user);
  }

  async function click(body: JsonObject): Promise<void> {
    const user = String(body.user);
    const actionId = String(body.actionId);
    if (typeof body.viewId === 'string') return clickInView(user, body.viewId, actionId);
    const channel = String(body.channel);
    const message = slack.message(channel, String(body.ts));
    if (!message) throw new Error('no such message');
    const decision = (Object.keys(ACTION) as (keyof typeof ACTION)[]).find((key) => ACTION[key] === actionId);
    if (decision) return ack(await bot.click(decision, message, user), channel, user);
    // Any other button of a message (a later feature's): the same payload Slack sends.
    const payload = blockActionPayload({
      user_id: user,
      action_id: actionId,
      message,
      team_id: TEAM,
      response_url: slack.responseUrl(`playground-${Date.now()}`, { channel, messageTs: message.ts, userId: user }),
      trigger_id: slack.issueTrigger(user),
    });
    ack(await sendBlockAction(bot.url, SECRETS.signingSecret, payload), channel, user);
  }

  /** A button in a modal or the Home tab: block_actions from a view container, with the view as it stands. */
  async function clickInView(user: string, viewId: string, actionId: string): Promise<void> {
    const home = slack.homeOf(user);
    const view = viewId === 'home' ? home : slack.views.filter((v) => v.id === viewId && v.user === user).at(-1)?.view;
    if (!view) throw new Error('no such view');
    const blocks = Array.isArray(view.blocks) ? (view.blocks as JsonObject[]) : [];
    const {
      message: _message,
      channel: _channel,
      container: _container,
      ...rest
    } = blockActionPayload({
      user_id: user,
      action_id: actionId,
      message: { ts: '0', blocks },
      team_id: TEAM,
      trigger_id: slack.issueTrigger(user),
    });
    const id = typeof view.id === 'string' ? view.id : viewId;
    await sendBlockAction(bot.url, SECRETS.signingSecret, { ...rest, container: { type: 'view', view_id: id }, view: { ...view, id } });
    bump();
  }

  /** `user` presses Submit: the test driver's signed view_submission, which checks it as Slack would. */
  async function submit(body: JsonObject): Promise<JsonObject> {
    const user = String(body.user);
    const opened = slack.views.filter((v) => v.id === body.viewId && v.user === user).at(-1);
    if (!opened) throw new Error('no such view');
    const response = await bot.submitView(opened, user, body.values as StateValues);
    bump();
    return { status: response.status, answer: (response.json as JsonObject | undefined) ?? null };
  }

  /** What `user` typed into an external select: the driver's signed block_suggestion, answered with the app's options. */
  async function suggest(body: JsonObject): Promise<JsonObject> {
    const user = String(body.user);
    const opened = slack.views.filter((v) => v.id === body.viewId && v.user === user).at(-1);
    if (!opened) throw new Error('no such view');
    const value = String(body.value ?? '');
    const response = await bot.suggest(opened, user, String(body.actionId), String(body.blockId), value);
    return { value, answer: (response.json as JsonObject | undefined) ?? null };
  }

  function editOffer(body: JsonObject): void {
    const sandbox = String(body.sandbox);
    const id = String(body.id);
    if (body.change === 'delete') adobe.offersIn(sandbox).delete(id);
    else if (body.change === 'edit') adobe.modifyOffer(id, {}, sandbox);
    else if (body.change === 'restore') {
      const missing = (seededSandboxes()[sandbox] ?? []).filter((o) => !adobe.offersIn(sandbox).has(o.id));
      adobe.seed(sandbox, ...missing);
    }
    bump();
  }

  async function openHome(body: JsonObject): Promise<void> {
    await bot.openHome(String(body.user));
    bump();
  }

  const routes: Record<string, (body: JsonObject) => Promise<unknown> | unknown> = {
    '/api/command': command,
    '/api/click': click,
    '/api/submit': submit,
    '/api/suggest': suggest,
    '/api/offer': editOffer,
    '/api/home': openHome,
  };

  function events(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    let last = '';
    const tick = () => {
      const now = signature();
      if (now === last) return;
      last = now;
      res.write(`data: ${JSON.stringify(snapshot())}\n\n`);
    };
    tick();
    const timer = setInterval(tick, POLL_MS);
    req.on('close', () => clearInterval(timer));
  }

  function staticFile(path: string, res: ServerResponse): void {
    const file = normalize(join(outDir, path === '/' ? 'index.html' : path));
    if (!file.startsWith(outDir + sep)) return void res.writeHead(404).end();
    try {
      const content = readFileSync(file);
      res.writeHead(200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' }).end(content);
    } catch {
      res.writeHead(404).end('not found');
    }
  }

  const setup = {
    people: PEOPLE,
    channels: CHANNELS,
    bot: { id: BOT_USER_ID, name: 'offer-bot' },
  };

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://playground').pathname;
    if (req.method === 'GET' && path === '/api/setup') return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(setup));
    if (req.method === 'GET' && path === '/api/events') return events(req, res);
    const route = routes[path];
    if (req.method === 'POST' && route) {
      readJson(req)
        .then((body) => route(body))
        .then((answer) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer ?? { ok: true })))
        .catch((error: unknown) => res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: String(error) })));
      return;
    }
    if (req.method === 'GET') return staticFile(path, res);
    res.writeHead(405).end();
  });
  await new Promise<void>((ready) => server.listen(options.port ?? 0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;

  const logTimer = options.onLog
    ? setInterval(() => {
        for (; logged < bot.logs.length; logged += 1) {
          const line = bot.logs[logged] ?? '';
          if (/"level":(4|5|6)0/.test(line)) options.onLog?.(line);
        }
      }, POLL_MS * 5)
    : undefined;

  return {
    url: `http://127.0.0.1:${port}/`,
    bot,
    adobe,
    buildMs,
    async close() {
      clearInterval(logTimer);
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
      await bot.stop();
      await adobe.close();
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}

function readJson(req: IncomingMessage): Promise<JsonObject> {
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) req.destroy(new Error('body too large'));
      else chunks.push(chunk);
    });
    req.on('error', fail);
    req.on('end', () => {
      try {
        const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('a JSON object, please');
        done(parsed as JsonObject);
      } catch (error) {
        fail(error);
      }
    });
  });
}
