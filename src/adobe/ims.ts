// Adobe IMS access tokens (OAuth server-to-server): fetched once, shared, cached until shortly before expiry.
import type { Dispatcher } from 'undici';
import { z } from 'zod';
import type { Logger } from '../log.js';
import { upstreamUrlProblem } from '../upstream-urls.js';
import { AdobeError } from './errors.js';
import { adobeMessageFrom, httpError, send } from './http.js';

/** Refresh this long before expiry… */
export const TOKEN_REFRESH_MARGIN_MS = 5 * 60_000;
/** …or this share of the token's lifetime, whichever is smaller (so short-lived tokens are still used). */
export const TOKEN_REFRESH_MARGIN_SHARE = 0.1;
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

export interface TokenProviderDeps {
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
    });
    if (answer.status !== 200) throw refusal(answer.status, answer.text, answer.requestId) ?? scrubbed(httpError(SERVICE, answer));
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

  // IMS may echo what it was sent; the secret must never travel on in an error.
  function scrubbed(error: AdobeError): AdobeError {
    if (!error.message.includes(config.clientSecret) && !error.adobeMessage?.includes(config.clientSecret)) return error;
    const scrub = (text: string) => text.split(config.clientSecret).join('[redacted]');
    return new AdobeError(error.code, scrub(error.message), {
      status: error.status,
      adobeMessage: error.adobeMessage === null ? null : scrub(error.adobeMessage),
      requestId: error.requestId,
    });
  }

  function refusal(status: number, text: string, requestId: string | null): AdobeError | null {
    const oauthError = (parseJson(text) as { error?: unknown } | undefined)?.error;
    if (status >= 500 || typeof oauthError !== 'string' || !REFUSALS.has(oauthError)) return null;
    const adobeMessage = adobeMessageFrom(text);
    const check = oauthError === 'invalid_scope' ? 'ADOBE_SCOPES' : 'ADOBE_CLIENT_ID/ADOBE_CLIENT_SECRET';
    return scrubbed(
      new AdobeError('IMS_REFUSED', `Adobe IMS refused the credential (${adobeMessage}); check ${check}`, {
        status,
        adobeMessage,
        requestId,
      }),
    );
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
