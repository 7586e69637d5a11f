// Which failed attempts of an Adobe call are tried again (GET and the token POST often; DELETE only when provably harmless).
import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import { NOT_SENT_ERROR_CODES, type Attempt } from '../deletion/ports.js';
import type { HttpSettings } from './http.js';

export type { Attempt };

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
// GET and DELETE are idempotent, and so is the IMS token request; the POST that creates an offer is not (see appliesOnce).
export const RETRY_METHODS: Dispatcher.HttpMethod[] = ['GET', 'DELETE', 'POST'];
/**
 * A DELETE is retried only when it provably did nothing: it never reached Adobe, or Adobe said it was not applied (429).
 * A 5xx or a lost answer may mean it was applied; the caller verifies instead of deleting again.
 */
const DELETE_RETRY_STATUS_CODES = [429];
const DELETE_RETRY_ERROR_CODES = NOT_SENT_ERROR_CODES;

export type Failure = Error & { statusCode?: number; code?: string; headers?: IncomingHttpHeaders };

/**
 * How long to wait before retry number `attempt` (1 = the first retry), or null to give up.
 * undici's own rules (method, status or error code, count), plus jitter and a cap on Retry-After; DELETE has stricter ones.
 */
export function retryDelayMs(
  failure: Failure,
  attempt: number,
  method: string,
  settings: HttpSettings,
  random: () => number = Math.random,
  now: number = Date.now(),
  /** The call must not be applied twice (a DELETE; the POST that creates an offer): retried only when provably not applied. */
  appliesOnce: boolean = method === 'DELETE',
): number | null {
  if (attempt > settings.maxRetries) return null;
  if (!RETRY_METHODS.includes(method as Dispatcher.HttpMethod)) return null;
  const [statusCodes, errorCodes] = appliesOnce ? [DELETE_RETRY_STATUS_CODES, DELETE_RETRY_ERROR_CODES] : [RETRY_STATUS_CODES, RETRY_ERROR_CODES];
  const status = failure.statusCode;
  const retryable =
    status !== undefined && failure.code === 'UND_ERR_REQ_RETRY'
      ? statusCodes.includes(status)
      : failure.code !== undefined && errorCodes.includes(failure.code);
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
