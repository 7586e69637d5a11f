// The fetch that Bolt and its WebClient call Slack with: undici's `request` on one keep-alive Agent, behind the small
// slice of the fetch interface they read.
//
// Why not `globalThis.fetch`: every Web API call and every respond() goes through it, and its machinery (web streams,
// Request/Response objects, AbortSignal plumbing) was ~13 % of offer-bot's busy CPU in the bench profile. Measured
// 2026-12-03 (bench/README.md, "Slack calls' fetch"): client-side CPU of one WebClient call, 10 in flight to a local
// server, 0.34–0.37 ms with the global fetch, the same with undici's fetch on a keep-alive Agent, 0.09–0.13 ms with
// this; in the bench offer-bot's CPU per command fell to 0.56–0.78× and per workflow to a median 0.85×.
//
// What WebClient 8.2 and Bolt 5.1 read of an answer (their FetchResponse type): status, ok, statusText, url,
// headers.get() (content-type, retry-after, x-oauth-scopes) and headers.entries(), and the body once, by text(), json()
// or arrayBuffer(). They send a string body (form-encoded or JSON); a FormData (a file upload, which offer-bot never
// makes) goes to globalThis.fetch as before: it is Node's own undici's FormData, which our undici's fetch would send as
// the text "[object FormData]". What fetch guarantees and callers rely on is kept:
// - a 3xx is never followed: with `redirect: 'error'` (every Web API call) it is a TypeError('fetch failed'), as fetch
//   makes it; otherwise (respond()) it is handed back as it is, so Bolt reports it as a failed respond();
// - the caller's AbortSignal aborts the call, the body included, with the signal's reason;
// - a network failure is a TypeError('fetch failed') with undici's error as its cause, so WebClient wraps it in its
//   request error and retries it per retryConfig exactly as before; a failure while the body arrives is only seen
//   when the body is read (text(), json()), as with fetch;
// - the body is read in full before the answer is handed back, so a caller that never reads it (respond()) frees the
//   connection all the same, and no more than MAX_RESPONSE_BYTES of it (the Agent refuses more).
// No error from here carries the request's headers (the bot token) or its URL (a response_url is a credential).
import { STATUS_CODES, type IncomingHttpHeaders } from 'node:http';
import type { webApi } from '@slack/bolt';
import { Agent, request } from 'undici';

/** Longest answer body read: Slack's largest here (a page of conversations.history) is well under a megabyte. */
export const MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

const REDIRECT_MIN = 300;
const REDIRECT_MAX = 399;
const OK_MIN = 200;
const OK_MAX = 299;

// WebClient exports only the function's type; the rest is read off it.
type FetchFunction = webApi.FetchFunction;
type FetchRequestInit = NonNullable<Parameters<FetchFunction>[1]>;
type FetchResponse = Awaited<ReturnType<FetchFunction>>;
type FetchHeaders = FetchResponse['headers'];

export interface SlackFetch {
  fetch: FetchFunction;
  /** Closes the Agent's connections, abandoning calls still in flight (stop() calls it once work has drained). */
  close(): Promise<void>;
}

/** Options for tests: a smaller body cap. */
export interface SlackFetchOptions {
  maxResponseBytes?: number;
}

export function createSlackFetch(options: SlackFetchOptions = {}): SlackFetch {
  // undici's defaults otherwise, as for globalThis.fetch: 10 s to connect, 300 s for headers and between body chunks.
  const agent = new Agent({ maxResponseSize: options.maxResponseBytes ?? MAX_RESPONSE_BYTES });

  async function slackFetch(url: string | URL, init: FetchRequestInit = {}): Promise<FetchResponse> {
    if (init.body !== undefined && typeof init.body !== 'string') return globalThis.fetch(url, init);
    let answer: Awaited<ReturnType<typeof request>>;
    try {
      answer = await request(String(url), {
        method: init.method ?? 'GET',
        headers: init.headers,
        body: init.body,
        signal: init.signal,
        dispatcher: agent,
      });
    } catch (error) {
      throw failed(error, init.signal);
    }
    const { statusCode, statusText, headers, body } = answer;
    if (statusCode >= REDIRECT_MIN && statusCode <= REDIRECT_MAX && init.redirect === 'error') {
      // Read and dropped, so the connection serves the next call (undici closes it instead when there is much to read).
      await body.dump().catch(() => undefined);
      throw new TypeError('fetch failed', { cause: new Error(`unexpected redirect (HTTP ${statusCode})`) });
    }
    let bytes: Buffer | null = null;
    let bodyError: unknown = null;
    try {
      bytes = Buffer.from(await body.arrayBuffer());
    } catch (error) {
      bodyError = failed(error, init.signal);
    }
    return new SlackAnswer(String(url), statusCode, statusText || STATUS_CODES[statusCode] || '', headers, bytes, bodyError);
  }

  return {
    fetch: slackFetch,
    close: () => agent.destroy(),
  };
}

/** An abort is the signal's reason, as fetch rejects with it; anything else is fetch's network error. */
function failed(error: unknown, signal: AbortSignal | undefined): unknown {
  if (signal?.aborted) return signal.reason;
  return new TypeError('fetch failed', { cause: error });
}

class SlackAnswer implements FetchResponse {
  readonly ok: boolean;
  readonly headers: AnswerHeaders;

  constructor(
    readonly url: string,
    readonly status: number,
    readonly statusText: string,
    headers: IncomingHttpHeaders,
    private readonly bytes: Buffer | null,
    private readonly bodyError: unknown,
  ) {
    this.ok = status >= OK_MIN && status <= OK_MAX;
    this.headers = new AnswerHeaders(headers);
  }

  async text(): Promise<string> {
    return this.body().toString('utf8');
  }

  async json(): Promise<unknown> {
    return JSON.parse(this.body().toString('utf8'));
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = this.body();
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }

  private body(): Buffer {
    if (this.bytes === null) throw this.bodyError;
    return this.bytes;
  }
}

/** The answer's headers, as undici hands them over (names in lower case; a repeated one as a list). */
class AnswerHeaders implements FetchHeaders {
  constructor(private readonly raw: IncomingHttpHeaders) {}

  get(name: string): string | null {
    return joined(this.raw[name.toLowerCase()]) ?? null;
  }

  *entries(): IterableIterator<[string, string]> {
    for (const [name, value] of Object.entries(this.raw)) {
      const text = joined(value);
      if (text !== undefined) yield [name, text];
    }
  }
}

const joined = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value.join(', ') : value);
