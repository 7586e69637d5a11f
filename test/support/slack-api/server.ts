// The Slack stand-in's HTTP server: routes Web API calls and response URL posts, checks tokens, records every call.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Faults } from './faults.js';
import { type Answer, decodedForRecord, deliver, type Outcome, parseArgs, Refusal, readBody, refuse, send, sleep } from './http.js';
import { CHANNEL_ID } from './message-fields.js';
import { webApiMethods } from './methods.js';
import { hookId, ResponseUrls } from './response-urls.js';
import { ANOTHER_APP, type ApiCall, type JsonObject, type SlackApi, type SlackApiOptions, type SocketModeLink, type TokenKind } from './types.js';
import { Views } from './views.js';
import { Workspace } from './workspace.js';

const DEFAULT_WAIT_MS = 2000;
const POLL_MS = 10;
const WEB_API_PATH = /^\/api\/([A-Za-z0-9_.]+)$/;

export async function startSlackApi(opts: SlackApiOptions): Promise<SlackApi> {
  const workspace = new Workspace(opts);
  const faults = new Faults();
  const responseUrls = new ResponseUrls(workspace, faults);
  const calls: ApiCall[] = [];
  let socketMode: SocketModeLink | undefined;
  const views = new Views(workspace, opts);
  const methods = webApiMethods(workspace, views, opts, () => socketMode);

  /** The bearer header, or (form bodies only) a `token` field, as Slack allows. */
  function tokenKind(req: IncomingMessage, args: JsonObject, json: boolean): TokenKind {
    const header = req.headers.authorization;
    let token: string | undefined;
    if (header !== undefined) {
      token = /^Bearer (\S+)$/.exec(header)?.[1];
      if (!token) return 'unknown';
    } else if (!json && typeof args.token === 'string' && args.token !== '') {
      token = args.token;
    }
    if (token === undefined) return 'none';
    if (token === opts.botToken) return 'bot';
    if (opts.appToken !== undefined && token === opts.appToken) return 'app';
    return 'unknown';
  }

  /** Methods whose answers wait for a test to release them (hold). */
  const held = new Map<string, Promise<void>>();

  async function handleApi(req: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
    const raw = await readBody(req);
    const at = workspace.now();
    const record = (args: JsonObject, token: TokenKind, outcome: Outcome) => {
      calls.push({
        method,
        args: decodedForRecord(args),
        at,
        token,
        status: outcome === 'reset' ? 0 : outcome.status,
        answer: outcome === 'reset' ? undefined : outcome.body,
      });
    };
    // Slack also takes GET; @slack/web-api always POSTs, so anything else means the client is not the SDK.
    if (req.method !== 'POST') {
      const answer: Answer = { status: 405, body: { ok: false, error: 'method_not_allowed' } };
      record({}, 'none', answer);
      return send(res, answer);
    }
    let args: JsonObject = {};
    let json = false;
    let token: TokenKind = 'none';
    let outcome: Outcome;
    try {
      ({ args, json } = parseArgs(req.headers['content-type'], raw));
      token = tokenKind(req, args, json);
      const struck = faults.strike(method, args);
      const spec = methods[method];
      if (struck) outcome = struck;
      else if (!spec) outcome = refuse('unknown_method', { req_method: method });
      else if (token === 'none') outcome = refuse('not_authed');
      else if (token === 'unknown') outcome = refuse('invalid_auth');
      else if (!spec.tokens.includes(token)) outcome = refuse('not_allowed_token_type');
      else outcome = spec.run({ args, token });
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      outcome = refuse(error.error, error.extra);
    }
    record(args, token, outcome);
    await held.get(method);
    await deliver(req, res, outcome, opts.latencyMs);
  }

  async function handleResponseUrl(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    const raw = await readBody(req);
    await deliver(req, res, responseUrls.answer(req, raw, id), opts.latencyMs);
  }

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://stand-in').pathname;
    const method = WEB_API_PATH.exec(path)?.[1];
    const hook = hookId(path);
    const work = method
      ? handleApi(req, res, method)
      : hook
        ? handleResponseUrl(req, res, hook)
        : Promise.resolve(send(res, { status: 404, body: { ok: false, error: 'not_found' } }));
    work.catch((error: unknown) => {
      if (!res.headersSent) send(res, { status: 500, body: { ok: false, error: 'stand_in_bug', detail: String(error) } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  return {
    url: `${origin}/api/`,
    calls,
    messages: workspace.messages,
    updates: workspace.updates,
    ephemerals: workspace.ephemerals,
    responses: responseUrls.responses,
    views: views.opened,
    homeOf: (user) => views.homeOf(user),
    issueTrigger: (user) => views.issueTrigger(user),
    answerSubmission: (viewId, ack) => views.answerSubmission(viewId, ack),
    responseUrl: (name, context) => `${origin}${responseUrls.issue(name, context)}`,
    message: (channel, ts) => workspace.messages.find((m) => m.channel === channel && m.ts === ts),
    inject: (fault) => faults.inject(fault),
    hold(method) {
      let release = () => {};
      held.set(
        method,
        new Promise<void>((resolve) => {
          release = resolve;
        }),
      );
      return () => {
        held.delete(method);
        release();
      };
    },
    postAsAnotherApp(channel, message) {
      if (!CHANNEL_ID.test(channel)) throw new Error(`not a channel id: ${channel}`);
      if (message.thread_ts !== undefined && !workspace.find(channel, message.thread_ts)) throw new Error(`no message ${message.thread_ts} in ${channel}`);
      return workspace.post(channel, { ...message, via: 'another_app' }, ANOTHER_APP);
    },
    dmChannelOf: (user) => workspace.dmChannelOf(user),
    directMessages(user) {
      const channel = workspace.dmChannelOf(user);
      return channel ? workspace.messages.filter((m) => m.channel === channel) : [];
    },
    setNotInChannel(channel, notIn = true) {
      if (notIn) workspace.notInChannel.add(channel);
      else workspace.notInChannel.delete(channel);
    },
    attachSocketMode(link) {
      socketMode = link;
    },
    async waitFor(predicate, timeoutMs = DEFAULT_WAIT_MS) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const value = predicate();
        if (value !== undefined && value !== null && value !== false) return value;
        if (Date.now() > deadline) {
          const seen = calls.map((c) => `${c.method} → ${c.answer?.ok === false ? String(c.answer.error) : c.status}`);
          throw new Error(`waitFor timed out after ${timeoutMs} ms; Web API calls so far: ${seen.join(', ') || 'none'}`);
        }
        await sleep(POLL_MS);
      }
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
