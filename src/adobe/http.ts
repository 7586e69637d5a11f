// HTTP to Adobe: one undici dispatcher (timeouts, undici's own bounded retries), one call helper, and errors.
import type { IncomingHttpHeaders } from 'node:http';
import { Agent, RetryAgent, request, type Dispatcher, type RetryHandler } from 'undici';
import { AdobeError } from './errors.js';
import { redactShapes, redactorFor, type Redactor } from './redact.js';

/** Timing and size defaults; every one can be overridden (tests make them tiny). */
export const HTTP_DEFAULTS = Object.freeze({
  /** TCP + TLS handshake. */
  connectTimeoutMs: 5_000,
  /** From sending the request to the response headers. */
  headersTimeoutMs: 10_000,
  /** Longest silence while the response body arrives. */
  bodyTimeoutMs: 10_000,
  /** Retries after the first attempt (so at most 4 attempts). */
  maxRetries: 3,
  /** First backoff; each later one doubles, up to retryMaxDelayMs, then jitter takes up to half off. */
  retryBaseDelayMs: 500,
  retryMaxDelayMs: 5_000,
  /** A Retry-After longer than this means "not soon": give up instead of holding the caller. */
  maxRetryAfterMs: 30_000,
  /** Longest answer body read (an offer is a few kilobytes): a larger one is cut off and reported. */
  maxResponseBytes: 1_048_576,
  /** Longest one call may take, retries and the whole body included: a body can trickle in under bodyTimeoutMs. */
  callTimeoutMs: 45_000,
});

export type HttpSettings = { -readonly [K in keyof typeof HTTP_DEFAULTS]: number };
export type HttpOptions = Partial<HttpSettings> & {
  /** Source of jitter in [0, 1); tests pin it. */
  random?: () => number;
};

const BACKOFF_FACTOR = 2;
/** Overloaded (429) or broken upstream (5xx): worth another try. Other statuses are answers. */
export const RETRY_STATUS_CODES = [429, 500, 502, 503, 504];
// Network failures before any answer. The body timeout is deliberately absent: undici would
// "resume" a half-read body with a Range request, which Adobe's JSON endpoints do not support.
export const RETRY_ERROR_CODES = [
  'ECONNRESET',
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETDOWN',
  'ENETUNREACH',
  'EHOSTDOWN',
  'EHOSTUNREACH',
  'EPIPE',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
];
// GET and DELETE are idempotent; the only POST we make is the IMS token request, which is safe to repeat.
export const RETRY_METHODS: Dispatcher.HttpMethod[] = ['GET', 'DELETE', 'POST'];
/** How much of a non-JSON error body goes into a message. */
export const EXCERPT_LENGTH = 200;
const REQUEST_ID_HEADERS = ['x-request-id', 'x-adobe-request-id', 'request-id'];

// The settings behind each dispatcher we built, so an "unreachable" error can say which timeout fired.
const settingsOf = new WeakMap<Dispatcher, HttpSettings>();

/** Checks the options once and fills in the defaults. */
export function httpSettings(options: HttpOptions = {}): HttpSettings {
  const settings: HttpSettings = { ...HTTP_DEFAULTS };
  for (const key of Object.keys(HTTP_DEFAULTS) as (keyof HttpSettings)[]) {
    const value = options[key];
    if (value === undefined) continue;
    if (!Number.isInteger(value) || value < 0) throw new TypeError(`http option ${key} must be a whole number ≥ 0, not ${value}`);
    settings[key] = value;
  }
  return settings;
}

type Failure = Error & { statusCode?: number; code?: string; headers?: IncomingHttpHeaders };

/**
 * How long to wait before retry number `attempt` (1 = the first retry), or null to give up.
 * undici's own rules (method, status or error code, count), plus jitter and a cap on Retry-After.
 */
export function retryDelayMs(
  failure: Failure,
  attempt: number,
  method: string,
  settings: HttpSettings,
  random: () => number = Math.random,
  now: number = Date.now(),
): number | null {
  if (attempt > settings.maxRetries) return null;
  if (!RETRY_METHODS.includes(method as Dispatcher.HttpMethod)) return null;
  const status = failure.statusCode;
  const retryable =
    status !== undefined && failure.code === 'UND_ERR_REQ_RETRY'
      ? RETRY_STATUS_CODES.includes(status)
      : failure.code !== undefined && RETRY_ERROR_CODES.includes(failure.code);
  if (!retryable) return null;

  const exponential = Math.min(settings.retryBaseDelayMs * BACKOFF_FACTOR ** (attempt - 1), settings.retryMaxDelayMs);
  // "Equal jitter": keep half the backoff, randomise the rest, so parallel callers spread out.
  const jittered = Math.round(exponential / 2 + (random() * exponential) / 2);
  const retryAfter = retryAfterMs(failure.headers?.['retry-after'], now);
  if (retryAfter === null) return jittered;
  if (retryAfter > settings.maxRetryAfterMs) return null;
  return Math.max(retryAfter, jittered);
}

/** Retry-After as seconds or an HTTP date → milliseconds from now; null when absent or unreadable. */
export function retryAfterMs(value: string | string[] | undefined, now: number = Date.now()): number | null {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined || text.trim() === '') return null;
  if (/^\d+$/.test(text.trim())) return Number(text.trim()) * 1_000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/**
 * The dispatcher every Adobe call goes through: a keep-alive Agent with timeouts, wrapped in
 * undici's RetryAgent. `throwOnError: false` makes undici hand back the LAST response (status,
 * headers and body) when it gives up on a status, instead of a RequestRetryError without the body.
 */
export function createAdobeDispatcher(options: HttpOptions = {}): Dispatcher {
  const settings = httpSettings(options);
  const random = options.random ?? Math.random;
  const agent = new Agent({
    connect: { timeout: settings.connectTimeoutMs },
    headersTimeout: settings.headersTimeoutMs,
    bodyTimeout: settings.bodyTimeoutMs,
    maxResponseSize: settings.maxResponseBytes,
  });
  const retry: RetryHandler.RetryCallback = (err, { state, opts }, done) => {
    const delay = retryDelayMs(err as Failure, state.counter, opts.method, settings, random);
    if (delay === null) {
      attemptsOf.set(err, state.counter);
      done(err);
      return;
    }
    setTimeout(() => done(null), delay);
  };
  const dispatcher = new RetryAgent(agent, {
    throwOnError: false,
    retry,
    maxRetries: settings.maxRetries,
    methods: RETRY_METHODS,
    statusCodes: RETRY_STATUS_CODES,
    errorCodes: RETRY_ERROR_CODES,
  });
  settingsOf.set(dispatcher, settings);
  return dispatcher;
}

// How many attempts preceded a network error that undici gave up on (for the message).
const attemptsOf = new WeakMap<Error, number>();

export interface AdobeCall {
  /** Who we talk to, as it reads in a sentence: "Adobe IMS", "the Offer Library". */
  service: string;
  method: 'GET' | 'DELETE' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** Secrets this call carries or may provoke (client secret, access token): never repeated from its answer. */
  secrets?: readonly string[];
}

export interface AdobeAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  /** The whole body, always read so the connection goes back to the pool. */
  text: string;
  requestId: string | null;
  /** Takes this call's secrets, and anything shaped like a credential, out of text from the answer. */
  redact: Redactor;
}

/**
 * One call (with undici's retries). Any answer resolves; no answer, or none complete within callTimeoutMs,
 * throws AdobeError ADOBE_UNREACHABLE; an answer larger than maxResponseBytes throws ADOBE_BAD_RESPONSE.
 */
export async function send(dispatcher: Dispatcher, call: AdobeCall): Promise<AdobeAnswer> {
  const limits = settingsOf.get(dispatcher) ?? HTTP_DEFAULTS;
  const deadline = AbortSignal.timeout(limits.callTimeoutMs);
  let response: Dispatcher.ResponseData | undefined;
  try {
    response = await request(call.url, {
      dispatcher,
      method: call.method,
      headers: call.headers,
      body: call.body ?? null,
      signal: deadline,
    });
    const text = await response.body.text();
    return {
      status: response.statusCode,
      headers: response.headers,
      text,
      requestId: requestIdFrom(response.headers),
      redact: redactorFor(call.secrets),
    };
  } catch (error) {
    const requestId = response ? requestIdFrom(response.headers) : null;
    throw limitError(call, error, limits, deadline.aborted, requestId) ?? unreachableError(call.service, call.url, error, settingsOf.get(dispatcher));
  }
}

/** A call our own limits cut off: no complete answer in time, or an answer too large to read. */
function limitError(call: AdobeCall, error: unknown, limits: HttpSettings, timedOut: boolean, requestId: string | null): AdobeError | null {
  const where = `${call.service} at ${hostOf(call.url)}`;
  if (timedOut) {
    return new AdobeError('ADOBE_UNREACHABLE', `no complete answer from ${where} within ${duration(limits.callTimeoutMs)}`, { requestId, cause: error });
  }
  if ((error as { code?: unknown } | null)?.code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE') {
    return new AdobeError('ADOBE_BAD_RESPONSE', `${where} sent an answer larger than ${limits.maxResponseBytes} bytes`, { requestId, cause: error });
  }
  return null;
}

/** The id Adobe gives a request (for support tickets and the audit trail). */
export function requestIdFrom(headers: IncomingHttpHeaders): string | null {
  for (const name of REQUEST_ID_HEADERS) {
    const value = headers[name];
    const first = Array.isArray(value) ? value[0] : value;
    if (first) return first;
  }
  return null;
}

/**
 * Adobe's own words from an error body: gateway `{error_code, message}` → message; RFC 7807
 * `{title, detail}` → "title: detail"; IMS `{error, error_description}` → "error: error_description";
 * anything else → a short excerpt, or null when empty. Secrets are redacted before anything is cut.
 */
export function adobeMessageFrom(text: string, redact: Redactor = redactShapes): string | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    return excerpt(trimmed, redact);
  }
  if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
    const body = parsed as Record<string, unknown>;
    const words = (...keys: string[]) => keys.map((key) => body[key]).filter((value): value is string => typeof value === 'string' && value.trim() !== '');
    const ims = words('error', 'error_description');
    if (typeof body.error === 'string' && ims.length > 0) return excerpt(ims.join(': '), redact);
    const problem = words('title', 'detail');
    if (problem.length > 0) return excerpt(problem.join(': '), redact);
    const gateway = words('message');
    if (gateway.length > 0) return excerpt(gateway.join(''), redact);
  }
  return excerpt(trimmed, redact);
}

function excerpt(text: string, redact: Redactor): string {
  // Redacted before the cut, so a secret that straddles it leaves no half behind.
  // One line, no control characters: this ends up in Slack messages and logs.
  const line = redact(text)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what this strips
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return line.length > EXCERPT_LENGTH ? `${line.slice(0, EXCERPT_LENGTH)}…` : line;
}

/**
 * An answer we will not use, as AdobeError ADOBE_HTTP with the status, Adobe's message and the request id.
 * `jsonOnly`: a body that is not JSON (an HTML error page, perhaps echoing the request) is named, never quoted.
 */
export function httpError(service: string, answer: AdobeAnswer, { jsonOnly = false }: { jsonOnly?: boolean } = {}): AdobeError {
  const withheld = jsonOnly && answer.text.trim() !== '' && !isJson(answer.text);
  const adobeMessage = withheld ? null : adobeMessageFrom(answer.text, answer.redact);
  const said = withheld ? ' with a non-JSON body' : adobeMessage ? `: ${adobeMessage}` : '';
  const id = answer.requestId ? ` (request id ${answer.requestId})` : '';
  return new AdobeError('ADOBE_HTTP', `${service} answered HTTP ${answer.status}${said}${id}`, {
    status: answer.status,
    adobeMessage,
    requestId: answer.requestId,
  });
}

/** No answer at all: which host, and what went wrong in words a user can act on. */
export function unreachableError(service: string, url: string, error: unknown, settings?: HttpSettings): AdobeError {
  const host = hostOf(url);
  const attempts = error instanceof Error ? attemptsOf.get(error) : undefined;
  const tries = attempts !== undefined && attempts > 1 ? ` (${attempts} attempts)` : '';
  return new AdobeError('ADOBE_UNREACHABLE', `could not reach ${service} at ${host}: ${describe(error, settings)}${tries}`, {
    cause: error,
  });
}

function describe(error: unknown, settings?: HttpSettings): string {
  const code = (error as { code?: unknown } | null)?.code;
  const after = (ms: number | undefined) => (ms === undefined ? '' : ` after ${duration(ms)}`);
  switch (code) {
    case 'UND_ERR_CONNECT_TIMEOUT':
      return `connecting timed out${after(settings?.connectTimeoutMs)}`;
    case 'UND_ERR_HEADERS_TIMEOUT':
      return `timed out${after(settings?.headersTimeoutMs)} waiting for an answer`;
    case 'UND_ERR_BODY_TIMEOUT':
      return `the answer stalled: no data${settings ? ` for ${duration(settings.bodyTimeoutMs)}` : ''}`;
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
      return 'the connection was closed before an answer arrived';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the host name could not be resolved';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

function duration(ms: number): string {
  return ms >= 1_000 && ms % 1_000 === 0 ? `${ms / 1_000}s` : `${ms}ms`;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'an invalid URL';
  }
}
