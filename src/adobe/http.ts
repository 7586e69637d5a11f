// HTTP to Adobe: one undici dispatcher (timeouts), one call helper with undici's bounded retries, every attempt recorded, and errors.
import type { IncomingHttpHeaders } from 'node:http';
import { Agent, RetryAgent, request, type buildConnector, type Dispatcher, type RetryHandler } from 'undici';
import { AdobeError } from './errors.js';
import { redactShapes, redactorFor, type Redactor } from './redact.js';
import { RETRY_ERROR_CODES, RETRY_METHODS, RETRY_STATUS_CODES, retryDelayMs, type Attempt, type Failure } from './retry.js';
import { duration, hostOf, unreachableError } from './unreachable.js';

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
  /** How TCP connections are made (undici's connector); tests use it to refuse a connection. Default: undici's, with connectTimeoutMs. */
  connect?: buildConnector.connector;
};

/** How much of a non-JSON error body goes into a message. */
export const EXCERPT_LENGTH = 200;
const MS_PER_SECOND = 1_000;
const REQUEST_ID_HEADERS = ['x-request-id', 'x-adobe-request-id', 'request-id'];

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

/** One call, retries included, as told to whoever watches (the metrics): how long, the last status, or why no answer came. */
export interface CallReport {
  service: string;
  method: AdobeCall['method'];
  seconds: number;
  status: number | null;
  /** The last attempt's failure code (ECONNREFUSED, …), else the error's (ADOBE_UNREACHABLE, …); null when an answer was read. */
  error: string | null;
}
export type CallObserver = (report: CallReport) => void;

/** What a dispatcher from createAdobeDispatcher retries with (any other dispatcher gets the defaults). */
interface RetrySetup {
  settings: HttpSettings;
  random: () => number;
  observe?: CallObserver;
}
const setupOf = new WeakMap<Dispatcher, RetrySetup>();

/** The dispatcher every Adobe call goes through: a keep-alive Agent with timeouts. `send` adds the retries. */
export function createAdobeDispatcher(options: HttpOptions = {}, observe?: CallObserver): Dispatcher {
  const settings = httpSettings(options);
  const agent = new Agent({
    connect: options.connect ?? { timeout: settings.connectTimeoutMs },
    headersTimeout: settings.headersTimeoutMs,
    bodyTimeout: settings.bodyTimeoutMs,
    maxResponseSize: settings.maxResponseBytes,
  });
  setupOf.set(agent, { settings, random: options.random ?? Math.random, ...(observe ? { observe } : {}) });
  return agent;
}

/**
 * One call's retries: undici's RetryAgent over the shared dispatcher, its retry callback reporting every attempt it
 * retries. `throwOnError: false` makes undici hand back the LAST response (status, headers and body) when it gives up
 * on a status, instead of a RequestRetryError without the body.
 */
function retrying(dispatcher: Dispatcher, { settings, random }: RetrySetup, retried: (attempt: Attempt) => void, appliesOnce?: boolean): Dispatcher {
  const retry: RetryHandler.RetryCallback = (err, { state, opts }, done) => {
    const delay = retryDelayMs(err as Failure, state.counter, opts.method, settings, random, Date.now(), appliesOnce ?? opts.method === 'DELETE');
    if (delay === null) {
      done(err);
      return;
    }
    retried(attemptOf(err as Failure));
    setTimeout(() => done(null), delay);
  };
  return new RetryAgent(dispatcher, {
    throwOnError: false,
    retry,
    maxRetries: settings.maxRetries,
    methods: RETRY_METHODS,
    statusCodes: RETRY_STATUS_CODES,
    errorCodes: RETRY_ERROR_CODES,
  });
}

function attemptOf(failure: Failure, headers: IncomingHttpHeaders | undefined = failure.headers): Attempt {
  const answered = failure.code === 'UND_ERR_REQ_RETRY' && failure.statusCode !== undefined;
  return {
    at: Date.now(),
    status: answered ? (failure.statusCode ?? null) : null,
    error: answered ? null : (failure.code ?? failure.name ?? 'Error'),
    requestId: headers ? requestIdFrom(headers) : null,
  };
}

interface AdobeCall {
  /** Who we talk to, as it reads in a sentence: "Adobe IMS", "the Offer Library". */
  service: string;
  method: 'GET' | 'DELETE' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** Must not be applied twice (a create): retried only when provably not applied, as a DELETE is. */
  appliesOnce?: boolean;
  /** Secrets this call carries or may provoke (client secret, access token): never repeated from its answer. */
  secrets?: readonly string[];
  /** A shorter deadline than callTimeoutMs, for a caller someone waits on (a search answering Slack within 3 s). */
  timeoutMs?: number;
}

export interface AdobeAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  /** The whole body, always read so the connection goes back to the pool. */
  text: string;
  requestId: string | null;
  /** Takes this call's secrets, and anything shaped like a credential, out of text from the answer. */
  redact: Redactor;
  /** Every attempt undici made, in order; the last one is this answer. */
  attempts: Attempt[];
}

/**
 * One call (with undici's retries). Any answer resolves; no answer, or none complete within callTimeoutMs,
 * throws AdobeError ADOBE_UNREACHABLE; an answer larger than maxResponseBytes throws ADOBE_BAD_RESPONSE.
 * Answers and errors carry every attempt.
 */
export async function send(dispatcher: Dispatcher, call: AdobeCall): Promise<AdobeAnswer> {
  const setup = setupOf.get(dispatcher) ?? { settings: httpSettings(), random: Math.random };
  const timeoutMs = Math.min(call.timeoutMs ?? setup.settings.callTimeoutMs, setup.settings.callTimeoutMs);
  const deadline = AbortSignal.timeout(timeoutMs);
  const attempts: Attempt[] = [];
  const started = performance.now();
  const report = (status: number | null, error: string | null) =>
    setup.observe?.({ service: call.service, method: call.method, seconds: (performance.now() - started) / MS_PER_SECOND, status, error });
  let headers: IncomingHttpHeaders | undefined;
  try {
    const response = await request(call.url, {
      dispatcher: retrying(dispatcher, setup, (attempt) => attempts.push(attempt), call.appliesOnce),
      method: call.method,
      headers: call.headers,
      body: call.body ?? null,
      signal: deadline,
    });
    headers = response.headers;
    const text = await response.body.text();
    const requestId = requestIdFrom(response.headers);
    attempts.push({ at: Date.now(), status: response.statusCode, error: null, requestId });
    report(response.statusCode, null);
    return { status: response.statusCode, headers: response.headers, text, requestId, redact: redactorFor(call.secrets), attempts };
  } catch (error) {
    // A body that broke off after the headers still names the request Adobe saw.
    attempts.push(attemptOf(error instanceof Error ? error : new Error(String(error)), headers));
    const requestId = headers ? requestIdFrom(headers) : null;
    const limited = limitError(call, error, { ...setup.settings, callTimeoutMs: timeoutMs }, deadline.aborted, requestId, attempts);
    const last = attempts.at(-1);
    // Our own limits by our code (ADOBE_UNREACHABLE at the deadline, ADOBE_BAD_RESPONSE); anything else by the network's.
    report(last?.status ?? null, limited?.code ?? last?.error ?? 'ADOBE_UNREACHABLE');
    throw limited ?? unreachableError(call.service, call.url, error, setup.settings, attempts);
  }
}

/** A call our own limits cut off: no complete answer in time, or an answer too large to read. */
function limitError(
  call: AdobeCall,
  error: unknown,
  limits: HttpSettings,
  timedOut: boolean,
  requestId: string | null,
  attempts: Attempt[],
): AdobeError | null {
  const where = `${call.service} at ${hostOf(call.url)}`;
  if (timedOut) {
    return new AdobeError('ADOBE_UNREACHABLE', `no complete answer from ${where} within ${duration(limits.callTimeoutMs)}`, {
      requestId,
      cause: error,
      attempts,
    });
  }
  if ((error as { code?: unknown } | null)?.code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE') {
    return new AdobeError('ADOBE_BAD_RESPONSE', `${where} sent an answer larger than ${limits.maxResponseBytes} bytes`, { requestId, cause: error, attempts });
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
    attempts: answer.attempts,
  });
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
