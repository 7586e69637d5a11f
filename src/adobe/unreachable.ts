// A call that got no answer at all: which host, and what went wrong, in words a user can act on.
import type { Attempt } from '../deletion/ports.js';
import { AdobeError } from './errors.js';
import type { HttpSettings } from './http.js';

const MS_PER_SECOND = 1_000;

export function unreachableError(service: string, url: string, error: unknown, settings?: HttpSettings, attempts: Attempt[] = []): AdobeError {
  const host = hostOf(url);
  const tries = attempts.length > 1 ? ` (${attempts.length} attempts)` : '';
  return new AdobeError('ADOBE_UNREACHABLE', `could not reach ${service} at ${host}: ${describe(error, settings)}${tries}`, {
    cause: error,
    attempts,
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

export function duration(ms: number): string {
  return ms >= MS_PER_SECOND && ms % MS_PER_SECOND === 0 ? `${ms / MS_PER_SECOND}s` : `${ms}ms`;
}

export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'an invalid URL';
  }
}
