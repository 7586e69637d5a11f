// Adobe IMS access tokens (OAuth server-to-server): fetched once, shared, cached until shortly before expiry.
import type { Dispatcher } from 'undici';
import { z } from 'zod';
import type { Logger } from '../log.js';
import { upstreamUrlProblem } from '../upstream-urls.js';
import { AdobeError } from './errors.js';
import { adobeMessageFrom, httpError, send, type AdobeAnswer } from './http.js';

/** Refresh this long before expiry… */
export const TOKEN_REFRESH_MARGIN_MS = 5 * 60_000;
/** …or this share of the token's lifetime, whichever is smaller (so short-lived tokens are still used). */
const TOKEN_REFRESH_MARGIN_SHARE = 0.1;
export const IMS_TOKEN_PATH = '/ims/token/v3';
const SERVICE = 'Adobe IMS';
// OAuth error codes that mean "your credential or its scopes are wrong", not "try later".
const REFUSALS = new Set(['invalid_client', 'unauthorized_client', 'invalid_grant', 'invalid_scope', 'invalid_request']);

export interface ImsConfig {
  imsUrl: string;
  clientId: string;
  clientSecret: string;
  /** Comma-separated, as the Developer Console shows them. */
  scopes: string;
  /** http:// URLs are accepted (OFFER_ALLOW_INSECURE_UPSTREAMS=true: tests and local stand-ins only). */
  allowHttp?: boolean;
}

interface TokenProviderDeps {
  dispatcher: Dispatcher;
  log: Logger;
  now?: () => number;
}

export interface TokenProvider {
  /** A valid access token: the cached one, or one fresh from IMS (one request however many callers wait). */
  getToken(): Promise<string>;
  /** The API refused `token`: forget it, unless it has already been replaced. */
  invalidate(token: string): void;
}

const tokenSchema = z.looseObject({
  access_token: z.string().min(1),
  expires_in: z.number().nonnegative(),
  token_type: z.string(),
});

export function createTokenProvider(config: ImsConfig, deps: TokenProviderDeps): TokenProvider {
  const url = tokenUrl(config.imsUrl, config.allowHttp ?? false);
  for (const key of ['clientId', 'clientSecret', 'scopes'] as const) {
    if (!config[key]) throw new TypeError(`IMS ${key} is required`);
  }
  const now = deps.now ?? Date.now;
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: config.clientId,
    client_secret: config.clientSecret,
    scope: config.scopes,
  }).toString();

  let cached: { token: string; refreshAt: number } | null = null;
  let inFlight: Promise<string> | null = null;

  async function fetchToken(): Promise<string> {
    const answer = await send(deps.dispatcher, {
      service: SERVICE,
      method: 'POST',
      url,
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: form,
      // IMS may echo what it was sent, or the token it holds for us.
      secrets: cached ? [config.clientSecret, cached.token] : [config.clientSecret],
    });
    // An HTML error page is never shown: it may quote the form, secret included, in ways no pattern knows.
    if (answer.status !== 200) throw refusal(answer) ?? httpError(SERVICE, answer, { jsonOnly: true });
    const parsed = tokenSchema.safeParse(parseJson(answer.text));
    if (!parsed.success) {
      throw new AdobeError('ADOBE_BAD_RESPONSE', `${SERVICE} answered 200 without a usable access token`, {
        status: answer.status,
        requestId: answer.requestId,
      });
    }
    const lifetimeMs = parsed.data.expires_in * 1_000;
    const margin = Math.min(TOKEN_REFRESH_MARGIN_MS, lifetimeMs * TOKEN_REFRESH_MARGIN_SHARE);
    cached = { token: parsed.data.access_token, refreshAt: now() + lifetimeMs - margin };
    deps.log.info({ ims: new URL(url).host, expiresInSeconds: parsed.data.expires_in }, 'fetched an Adobe IMS access token');
    return parsed.data.access_token;
  }

  function refusal({ status, text, requestId, redact }: AdobeAnswer): AdobeError | null {
    const oauthError = (parseJson(text) as { error?: unknown } | undefined)?.error;
    if (status >= 500 || typeof oauthError !== 'string' || !REFUSALS.has(oauthError)) return null;
    const adobeMessage = adobeMessageFrom(text, redact);
    const check = oauthError === 'invalid_scope' ? 'ADOBE_SCOPES' : 'ADOBE_CLIENT_ID/ADOBE_CLIENT_SECRET';
    return new AdobeError('IMS_REFUSED', `Adobe IMS refused the credential (${adobeMessage}); check ${check}`, {
      status,
      adobeMessage,
      requestId,
    });
  }

  return {
    getToken() {
      if (cached && now() < cached.refreshAt) return Promise.resolve(cached.token);
      inFlight ??= fetchToken().finally(() => {
        inFlight = null;
      });
      return inFlight;
    },
    invalidate(token) {
      if (cached?.token === token) cached = null;
    },
  };
}

function tokenUrl(imsUrl: string, allowHttp: boolean): string {
  const problem = upstreamUrlProblem(imsUrl, allowHttp);
  if (problem) throw new TypeError(`IMS URL ${problem}`);
  const base = new URL(imsUrl);
  return `${base.origin}${base.pathname.replace(/\/+$/, '')}${IMS_TOKEN_PATH}`;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
