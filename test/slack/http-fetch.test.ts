// The fetch Bolt and WebClient call Slack with: what WebClient and respond() see of it, against a local HTTP server.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { RespondError, webApi } from '@slack/bolt';
import { createRespond } from '@slack/bolt/dist/context/create-respond.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSlackFetch, type SlackFetch } from '../../src/slack/http-fetch.js';

const TOKEN = 'xoxb-1234-5678-secretsecretsecret';
const NO_RETRIES: webApi.RetryOptions = { retries: 0 };
const QUICK_RETRIES: webApi.RetryOptions = { retries: 2, factor: 1, minTimeout: 1, maxTimeout: 1 };
/** A port nothing listens on (port 1 needs root to bind). */
const REFUSING_URL = 'http://127.0.0.1:1/api/';

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;
interface Received {
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

let http: SlackFetch;
const servers: Server[] = [];

beforeEach(() => {
  http = createSlackFetch();
});
afterEach(async () => {
  await http.close();
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A server on 127.0.0.1 answering every request with `handle`; returns its base URL and what it received. */
async function serve(handle: Handler): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => {
      received.push({ url: req.url ?? '', headers: req.headers, body });
      handle(req, body, res);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

const answer =
  (status: number, body: string, headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' }): Handler =>
  (_req, _body, res) => {
    res.writeHead(status, headers);
    res.end(body);
  };

const client = (url: string, options: webApi.WebClientOptions = {}) =>
  new webApi.WebClient(TOKEN, { slackApiUrl: `${url}/api/`, fetch: http.fetch, retryConfig: NO_RETRIES, ...options });

/** Everything an error could show in a log: its message, stack, properties and causes, however deep. */
const everything = (error: unknown) => inspect(error, { depth: 10, showHidden: true });

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

describe('Web API calls', () => {
  it('sends the form body with the token and reads a JSON answer and its headers', async () => {
    const slack = await serve(
      answer(200, JSON.stringify({ ok: true, channel: 'C1', ts: '1.2' }), { 'content-type': 'application/json', 'x-oauth-scopes': 'chat:write, users:read' }),
    );
    const result = await client(slack.url).chat.postMessage({ channel: 'C1', text: 'héllo', blocks: [{ type: 'divider' }] });
    expect(result).toMatchObject({ ok: true, ts: '1.2', response_metadata: { scopes: ['chat:write', 'users:read'] } });
    const [sent] = slack.received;
    expect(sent?.url).toBe('/api/chat.postMessage');
    expect(sent?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(new URLSearchParams(sent?.body)).toEqual(new URLSearchParams({ channel: 'C1', text: 'héllo', blocks: '[{"type":"divider"}]' }));
  });

  it('hands a 200 answer that is not JSON to WebClient as its text', async () => {
    const slack = await serve(answer(200, '<html>maintenance</html>', { 'content-type': 'text/html' }));
    const error = await failure(client(slack.url).auth.test());
    expect(error).toMatchObject({ code: webApi.ErrorCode.PlatformError, data: { ok: false, error: '<html>maintenance</html>' } });
  });

  it('reports another status with its text, as an HTTP error', async () => {
    const slack = await serve(answer(503, 'upstream unavailable', { 'content-type': 'text/plain' }));
    const error = await failure(client(slack.url).auth.test());
    expect(error).toMatchObject({ code: webApi.ErrorCode.HTTPError, statusCode: 503, statusMessage: 'Service Unavailable', body: 'upstream unavailable' });
  });

  it('hands a rate limit to WebClient with its Retry-After', async () => {
    const slack = await serve(answer(429, JSON.stringify({ ok: false, error: 'ratelimited' }), { 'retry-after': '7' }));
    const error = await failure(client(slack.url, { rejectRateLimitedCalls: true }).auth.test());
    expect(error).toMatchObject({ code: webApi.ErrorCode.RateLimitedError, retryAfter: 7 });
  });

  it('refuses a redirect and never follows it', async () => {
    const elsewhere = await serve(answer(200, JSON.stringify({ ok: true })));
    const slack = await serve(answer(302, '', { location: `${elsewhere.url}/api/auth.test` }));
    const error = await failure(client(slack.url).auth.test());
    expect(error).toMatchObject({ code: webApi.ErrorCode.RequestError });
    expect(everything(error)).toContain('unexpected redirect (HTTP 302)');
    expect(elsewhere.received).toHaveLength(0);
  });

  it("aborts a call that outlasts WebClient's timeout", async () => {
    const slack = await serve(() => undefined);
    const started = Date.now();
    const error = await failure(client(slack.url, { timeout: 100 }).auth.test());
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(error).toMatchObject({ code: webApi.ErrorCode.RequestError, original: { name: 'TimeoutError' } });
  });

  it('retries a refused connection per retryConfig, then reports it as a request error, as with the global fetch', async () => {
    const attempts = { ours: 0, global: 0 };
    const counted =
      (key: keyof typeof attempts, fetch: webApi.FetchFunction): webApi.FetchFunction =>
      (url, init) => {
        attempts[key] += 1;
        return fetch(url, init);
      };
    const options = { slackApiUrl: REFUSING_URL, retryConfig: QUICK_RETRIES };
    const ours = await failure(new webApi.WebClient(TOKEN, { ...options, fetch: counted('ours', http.fetch) }).auth.test());
    const global = await failure(new webApi.WebClient(TOKEN, { ...options, fetch: counted('global', globalThis.fetch) }).auth.test());
    expect(attempts).toEqual({ ours: 3, global: 3 });
    expect(ours).toMatchObject({
      code: webApi.ErrorCode.RequestError,
      original: { name: 'TypeError', message: 'fetch failed', cause: { code: 'ECONNREFUSED' } },
    });
    expect((ours as Error).message).toBe((global as Error).message);
  });

  it('never puts the token in an error, whatever failed', async () => {
    const redirecting = await serve(answer(301, '', { location: 'http://127.0.0.1:1/' }));
    const silent = await serve(() => undefined);
    const failing = await serve(answer(500, 'oops', { 'content-type': 'text/plain' }));
    const errors = await Promise.all([
      failure(client(redirecting.url).auth.test()),
      failure(client(silent.url, { timeout: 50 }).auth.test()),
      failure(client(failing.url).auth.test()),
      failure(new webApi.WebClient(TOKEN, { slackApiUrl: REFUSING_URL, fetch: http.fetch, retryConfig: NO_RETRIES }).auth.test()),
    ]);
    for (const error of errors) {
      expect(everything(error)).not.toContain(TOKEN);
      expect(everything(error)).not.toMatch(/authorization/i);
    }
  });
});

describe('the fetch itself', () => {
  it('stops reading at the size cap, and says so when the body is read', async () => {
    const small = createSlackFetch({ maxResponseBytes: 1_000 });
    try {
      const slack = await serve(answer(200, JSON.stringify({ ok: true, text: 'x'.repeat(5_000) })));
      const response = await small.fetch(`${slack.url}/api/conversations.history`, { method: 'POST', body: '' });
      expect(response.status).toBe(200);
      await expect(response.text()).rejects.toMatchObject({ message: 'fetch failed', cause: { code: 'UND_ERR_RES_EXCEEDED_MAX_SIZE' } });
    } finally {
      await small.close();
    }
  });

  it('aborts while the body arrives, with the signal reason, when the body is read', async () => {
    const slack = await serve((_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"ok":');
    });
    const response = await http.fetch(`${slack.url}/api/auth.test`, { method: 'POST', body: '', signal: AbortSignal.timeout(100) });
    await expect(response.json()).rejects.toMatchObject({ name: 'TimeoutError' });
  });

  it('sends a FormData body (a file upload) as multipart, through the global fetch', async () => {
    const slack = await serve(answer(200, JSON.stringify({ ok: true })));
    const form = new FormData();
    form.append('file', new Blob(['contents']), 'notes.txt');
    const response = await http.fetch(`${slack.url}/upload`, { method: 'POST', body: form, redirect: 'error' });
    expect(await response.json()).toEqual({ ok: true });
    expect(slack.received[0]?.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(slack.received[0]?.body).toContain('filename="notes.txt"');
  });
});

describe('respond()', () => {
  it('posts the message as JSON to the response URL', async () => {
    const hooks = await serve(answer(200, 'ok', { 'content-type': 'text/plain' }));
    await createRespond(http.fetch, `${hooks.url}/hooks/T1/abc`)({ response_type: 'ephemeral', text: 'done' });
    expect(hooks.received[0]?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(hooks.received[0]?.body ?? '')).toEqual({ response_type: 'ephemeral', text: 'done' });
  });

  it('throws RespondError when the response URL answers 404', async () => {
    const hooks = await serve(answer(404, 'expired_url', { 'content-type': 'text/plain' }));
    const error = await failure(createRespond(http.fetch, `${hooks.url}/hooks/T1/abc`)('too late'));
    expect(error).toBeInstanceOf(RespondError);
    expect(error).toMatchObject({ code: 'slack_bolt_respond_error', statusCode: 404 });
  });

  it('does not follow a redirect of the response URL: it is a failed respond()', async () => {
    const elsewhere = await serve(answer(200, 'ok'));
    const hooks = await serve(answer(307, '', { location: `${elsewhere.url}/hooks/T1/abc` }));
    const error = await failure(createRespond(http.fetch, `${hooks.url}/hooks/T1/abc`)('moved?'));
    expect(error).toMatchObject({ code: 'slack_bolt_respond_error', statusCode: 307 });
    expect(elsewhere.received).toHaveLength(0);
  });
});
