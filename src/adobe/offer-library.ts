// The Offer Library client: look up and delete personalized offers (the interface, then its undici implementation).
import type { Dispatcher } from 'undici';
import { z } from 'zod';
import type { Config } from '../config.js';
import { isOfferId, MAX_SEARCH_TEXT, SANDBOX_NAME_PATTERN } from '../deletion/command.js';
import type { Attempt, Offer, OfferCatalogue, OfferSummary } from '../deletion/ports.js';
import type { Logger } from '../log.js';
import { upstreamUrlProblem } from '../upstream-urls.js';
import { AdobeError } from './errors.js';
import { httpError, send, type AdobeAnswer } from './http.js';
import type { TokenProvider } from './ims.js';

/** The Offer Library: the core's offer catalogue. getOffer is GET /offers/{id}?offer-type=personalized (404 → found: false);
 * deleteOffer is DELETE on the same path (2xx or 404 resolves). Each call goes to the sandbox it names (`x-sandbox-name`); the
 * IMS token is the organisation's, shared by every sandbox. Other failures throw AdobeError, whose `attempts` are the calls
 * sent or tried (none when no token could be had). */
export type OfferLibrary = OfferCatalogue;

// The implementation: the Offer Library ("persistence") API over undici, with IMS tokens.

const SERVICE = 'the Offer Library';
const OFFER_TYPE = 'personalized';
const HTTP_NOT_FOUND = 404;
const HTTP_UNAUTHORIZED = 401;
/** How much of a refused or unexpected id an error message repeats. */
const MAX_ID_SHOWN = 40;

interface OfferLibraryDeps {
  tokens: TokenProvider;
  dispatcher: Dispatcher;
  log: Logger;
}

const offerSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  status: z.string(),
  modified: z.string().optional(),
  etag: z.union([z.number(), z.string()]).optional(),
  lastModifiedBy: z.string().optional(),
});

export function createOfferLibrary(config: Config['adobe'], deps: OfferLibraryDeps): OfferLibrary {
  const base = apiBase(config.offerApiUrl, config.allowHttp);
  for (const key of ['clientId', 'orgId'] as const) {
    if (!config[key]) throw new TypeError(`Offer Library ${key} is required`);
  }

  const offerUrl = (offerId: string): string => {
    // Defence in depth: the command parser already checks, but nothing else may ever reach the path.
    if (typeof offerId !== 'string' || !isOfferId(offerId)) {
      const shown = typeof offerId === 'string' ? JSON.stringify(offerId.slice(0, MAX_ID_SHOWN)) : typeof offerId;
      throw new TypeError(`refusing to call the Offer Library with ${shown}: not an offer id`);
    }
    // As-is, colons included: the id rule leaves nothing that needs encoding.
    return `${base}/offers/${offerId}?offer-type=${OFFER_TYPE}`;
  };

  /** The sandbox header's value; like the id, nothing else may ever reach Adobe as one. */
  const sandboxHeader = (sandbox: string): string => {
    if (typeof sandbox !== 'string' || !SANDBOX_NAME_PATTERN.test(sandbox)) {
      const shown = typeof sandbox === 'string' ? JSON.stringify(sandbox.slice(0, MAX_ID_SHOWN)) : typeof sandbox;
      throw new TypeError(`refusing to call the Offer Library in sandbox ${shown}: not a sandbox name`);
    }
    return sandbox;
  };

  /**
   * One call in `sandbox`; a 401 means our token was refused: replace it once and try again once (in the same sandbox).
   * The answer, or the AdobeError, carries every attempt made of the Offer Library (never the IMS calls for a token).
   */
  async function call(method: 'GET' | 'DELETE', sandbox: string, offerId: string): Promise<AdobeAnswer> {
    return callUrl(method, sandbox, offerUrl(offerId), { offerId });
  }

  async function callUrl(
    method: 'GET' | 'DELETE' | 'POST',
    sandbox: string,
    url: string,
    about: Record<string, unknown>,
    timeoutMs?: number,
    body?: string,
  ): Promise<AdobeAnswer> {
    const sandboxName = sandboxHeader(sandbox);
    const sent: Attempt[] = [];
    const attempt = async (token: string) =>
      record(sent, () =>
        send(deps.dispatcher, {
          service: SERVICE,
          method,
          url,
          headers: {
            authorization: `Bearer ${token}`,
            'x-api-key': config.clientId,
            'x-gw-ims-org-id': config.orgId,
            'x-sandbox-name': sandboxName,
            ...(method === 'GET' ? { accept: '*,application/json' } : {}),
            ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          },
          ...(body !== undefined ? { body } : {}),
          // A create applied twice is two offers: sent again only when provably not applied.
          ...(method === 'POST' ? { appliesOnce: true } : {}),
          // A gateway may echo the token it refused; the client secret is ours to keep out of messages too.
          secrets: [token, config.clientSecret],
          ...(timeoutMs === undefined ? {} : { timeoutMs }),
        }),
      );
    try {
      const token = await deps.tokens.getToken();
      let answer = await attempt(token);
      if (answer.status === HTTP_UNAUTHORIZED) {
        deps.log.warn({ method, sandbox, ...about, requestId: answer.requestId }, 'the Offer Library refused the access token; fetching a new one');
        deps.tokens.invalidate(token);
        answer = await attempt(await deps.tokens.getToken());
      }
      deps.log.debug({ method, sandbox, ...about, status: answer.status, requestId: answer.requestId, attempts: sent.length }, 'the Offer Library answered');
      return { ...answer, attempts: sent };
    } catch (error) {
      throw error instanceof AdobeError ? error.withAttempts(sent) : error;
    }
  }

  return {
    async getOffer(sandbox, offerId) {
      const answer = await call('GET', sandbox, offerId);
      if (answer.status === HTTP_NOT_FOUND) return { found: false, requestId: answer.requestId };
      if (answer.status !== 200) throw httpError(SERVICE, answer);
      const offer = parseOffer(answer, offerId);
      return { found: true, offer, json: answer.text, requestId: answer.requestId };
    },
    async deleteOffer(sandbox, offerId) {
      const answer = await call('DELETE', sandbox, offerId);
      const facts = { status: answer.status, requestId: answer.requestId, attempts: answer.attempts };
      if (answer.status === HTTP_NOT_FOUND) return { alreadyGone: true, ...facts };
      if (answer.status < 200 || answer.status >= 300) throw httpError(SERVICE, answer);
      return { alreadyGone: false, ...facts };
    },
    async createOffer(sandbox, body) {
      const answer = await callUrl('POST', sandbox, `${base}/offers?offer-type=${OFFER_TYPE}`, { create: 'offer' }, undefined, JSON.stringify(body));
      if (answer.status < 200 || answer.status >= 300) throw httpError(SERVICE, answer);
      const id = createdId(answer);
      // Created, but we cannot tell which offer it is: the caller checks by name, as for an unclear answer.
      if (id === null)
        throw new AdobeError('ADOBE_BAD_RESPONSE', `${SERVICE} answered ${answer.status} to the create but named no offer id`, answerFacts(answer));
      return { id, status: answer.status, requestId: answer.requestId, attempts: answer.attempts };
    },
    async offersNamed(sandbox, name) {
      const ids: string[] = [];
      let requestId: string | null = null;
      // Adobe's filter (an anchored regex, safe for commas) does the work; the exact comparison here guards against a looser match.
      let start: string | null = null;
      for (let page = 0; page === 0 || (start !== null && page < MAX_NAME_PAGES); page++) {
        const answer = await callUrl('GET', sandbox, listUrl(base, { property: exactNameFilter(name), limit: NAME_PAGE }, start), { offersNamed: name });
        if (answer.status !== 200) throw httpError(SERVICE, answer);
        requestId = answer.requestId ?? requestId;
        const list = parseSearchPage(answer);
        ids.push(...list.offers.filter((offer) => offer.name === name).map((offer) => offer.id));
        start = list.start;
      }
      return { ids, requestId };
    },
    async searchOffers(sandbox, text, { limit, timeoutMs }) {
      // One deadline for every page: the person (or Slack's 3 s) waits for all of them.
      const until = Date.now() + timeoutMs;
      const offers: OfferSummary[] = [];
      let start: string | null = null;
      do {
        const left = until - Date.now();
        if (left <= 0) throw new AdobeError('ADOBE_UNREACHABLE', `no complete answer from ${SERVICE} within ${timeoutMs}ms`);
        const answer = await callUrl(
          'GET',
          sandbox,
          listUrl(base, { property: nameFilter(text), limit: limit - offers.length, orderBy: '-modified' }, start),
          { search: true },
          left,
        );
        if (answer.status !== 200) throw httpError(SERVICE, answer);
        const page = parseSearchPage(answer);
        offers.push(...page.offers);
        start = page.start;
      } while (start !== null && offers.length < limit);
      return { offers: offers.slice(0, limit), more: start !== null || offers.length > limit };
    },
  };
}

/** Most Adobe lets one page hold; it documents no maximum, and a Slack menu shows at most 100 options anyway. */
export const SEARCH_PAGE_MAX = 100;
/** How long a `start` cursor from `_links.next` may be, and what it may hold, before it goes back into a URL. */
const CURSOR = /^[\x21-\x7e]{1,512}$/;
/** Regular-expression metacharacters, taken literally by a backslash in front (Java's and JavaScript's dialects alike). */
const REGEX_META = /[\\^$.|?*+()[\]{}]/;

/**
 * The `property` filter for names containing `text`, in any case: `name~.*<text>.*`, every metacharacter escaped,
 * letters as `[wW]` (no dialect's case flag needed), and a comma as `\x2C`, since the API splits `property` on commas.
 */
export function nameFilter(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what this strips
  const clean = [...text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim()].slice(0, MAX_SEARCH_TEXT);
  const literal = clean
    .map((char) => {
      const lower = char.toLowerCase();
      const upper = char.toUpperCase();
      return lower !== upper && [...lower].length === 1 && [...upper].length === 1 ? `[${lower}${upper}]` : literalChar(char);
    })
    .join('');
  return `name~.*${literal}.*`;
}

/** One character as a regular expression matches it: metacharacters escaped, a comma as `\x2C` (`property` is split on commas). */
function literalChar(char: string): string {
  if (char === ',') return '\\x2C';
  return REGEX_META.test(char) ? `\\${char}` : char;
}

/**
 * The `property` filter for offers named exactly `name`: `name~^<name>$`, every character literal and case-exact.
 * Not `name==`: the API splits `property` on commas, so a name with one would become two (broken) expressions.
 */
export function exactNameFilter(name: string): string {
  return `name~^${[...name].map(literalChar).join('')}$`;
}

/** A list of personalized offers matching `property`, from the `start` cursor on (null: the first page). */
function listUrl(base: string, list: { property: string; limit: number; orderBy?: string }, start: string | null): string {
  const query = new URLSearchParams({ 'offer-type': OFFER_TYPE, property: list.property });
  if (list.orderBy !== undefined) query.set('orderBy', list.orderBy);
  query.set('limit', String(Math.max(1, Math.min(list.limit, SEARCH_PAGE_MAX))));
  if (start !== null) query.set('start', start);
  return `${base}/offers?${query.toString()}`;
}

const summarySchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  status: z.string(),
  modified: z.string().optional(),
  lastModifiedBy: z.string().optional(),
});
const searchPageSchema = z.looseObject({
  results: z.array(summarySchema),
  _links: z.looseObject({ next: z.looseObject({ href: z.string() }).optional() }).optional(),
});

/** One page of matches, and the `start` cursor of the next page (null on the last), taken from `_links.next.href`. */
function parseSearchPage(answer: AdobeAnswer): { offers: OfferSummary[]; start: string | null } {
  const bad = (why: string) =>
    new AdobeError('ADOBE_BAD_RESPONSE', `${SERVICE} answered 200 to a search but ${why}`, { status: answer.status, requestId: answer.requestId });
  let body: unknown;
  try {
    body = JSON.parse(answer.text);
  } catch {
    throw bad('the body is not JSON');
  }
  const parsed = searchPageSchema.safeParse(body);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.') || 'body'))].join(', ');
    throw bad(`not with a list of offers (check: ${fields})`);
  }
  // Only the cursor is taken from the link: its host and path are never followed, so an answer cannot send us elsewhere.
  const href = parsed.data._links?.next?.href;
  let start: string | null = null;
  if (href !== undefined) {
    start = new URL(href, 'http://relative.invalid').searchParams.get('start');
    if (start === null || !CURSOR.test(start)) throw bad('with a next page link without a usable start cursor');
  }
  // An id our rule refuses could never be asked for by id, so it is not offered as a choice.
  const offers = parsed.data.results
    .filter((offer) => isOfferId(offer.id))
    .map(({ id, name, status, modified, lastModifiedBy }) => ({ id, name, status, modified, lastModifiedBy }));
  return { offers, start };
}

/** Runs one send, adding its attempts to `sent` whether it answers or fails. */
async function record(sent: Attempt[], sending: () => Promise<AdobeAnswer>): Promise<AdobeAnswer> {
  try {
    const answer = await sending();
    sent.push(...answer.attempts);
    return answer;
  } catch (error) {
    if (error instanceof AdobeError) sent.push(...error.attempts);
    throw error;
  }
}

function parseOffer(answer: AdobeAnswer, offerId: string): Offer {
  const bad = (why: string) =>
    new AdobeError('ADOBE_BAD_RESPONSE', `${SERVICE} answered 200 for ${offerId} but ${why}`, {
      status: answer.status,
      requestId: answer.requestId,
    });
  let body: unknown;
  try {
    body = JSON.parse(answer.text);
  } catch {
    throw bad('the body is not JSON');
  }
  const parsed = offerSchema.safeParse(body);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.') || 'body'))].join(', ');
    throw bad(`not with an offer (check: ${fields})`);
  }
  // We are about to show and perhaps delete this offer: it must be the one asked for.
  if (parsed.data.id !== offerId) throw bad(`with a different offer (${JSON.stringify(parsed.data.id.slice(0, MAX_ID_SHOWN))})`);
  return parsed.data;
}

function apiBase(offerApiUrl: string, allowHttp: boolean): string {
  const problem = upstreamUrlProblem(offerApiUrl, allowHttp);
  if (problem) throw new TypeError(`Offer Library URL ${problem}`);
  const url = new URL(offerApiUrl);
  if (url.search || url.hash) throw new TypeError('Offer Library URL must not have a query or fragment');
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** One page of a name look-up: 10 pages of 100 are far more offers than one name should have. */
const NAME_PAGE = 100;
const MAX_NAME_PAGES = 10;

const createdSchema = z.looseObject({ id: z.string().min(1) });
const answerFacts = (answer: AdobeAnswer) => ({ status: answer.status, requestId: answer.requestId, attempts: answer.attempts });

/** The new offer's id: the body's `id`, else the last segment of `Location`; null when neither names a valid one. */
function createdId(answer: AdobeAnswer): string | null {
  let fromBody: string | null = null;
  try {
    const parsed = createdSchema.safeParse(JSON.parse(answer.text));
    if (parsed.success) fromBody = parsed.data.id;
  } catch {
    // No JSON body: the Location header may still name it.
  }
  const location = answer.headers.location;
  const fromLocation = typeof location === 'string' ? decodeURIComponent(new URL(location, 'http://x/').pathname.split('/').pop() ?? '') || null : null;
  const id = fromBody ?? fromLocation;
  return id !== null && isOfferId(id) ? id : null;
}
