// In-process stand-ins for Adobe IMS and the Offer Library that check what the real services check.
import { expect } from 'vitest';
import { AdobeError } from '../../src/adobe/errors.js';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpOptions } from '../../src/adobe/http.js';
import type { Config } from '../../src/config.js';
import { LIST_LIMIT_MAX, listOffers } from './adobe-list.js';
import { offersCollection, type CreatedOffer } from './adobe-create.js';

/** The scopes an OAuth server-to-server credential for Experience Platform is given. */
export const KNOWN_SCOPES = ['openid', 'AdobeID', 'read_organizations', 'additional_info.projectedProductContext', 'session'];
export const OFFER_API_PATH = '/data/core/dps';
export const IMS_TOKEN_PATH = '/ims/token/v3';
/** What IMS really answers: about a day. */
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 86_399;
/** A slow body that is never finished unless the fault says when. */
const NEVER_MS = 3_600_000;
/** A huge body, unless the fault says how huge: four times what offer-bot reads by default. */
const HUGE_BODY_BYTES = 4 * 1_048_576;
/** A trickling body sends one byte this often, unless the fault says otherwise. */
const TRICKLE_EVERY_MS = 50;
const TOKEN_BYTES = 32;

export type Service = 'ims' | 'offers';

/** A credential as the Developer Console would show it (the secret is made up, and distinctive so leaks are easy to find). */
export const TEST_CREDENTIALS = {
  clientId: '5f2b0c9e7d6a4b1f8e3c2a1d0b9f8e7d',
  clientSecret: 'fake-secret-Xq7Vd2LmS3cretNeverToBeLogged9Rk',
  orgId: '0123456789ABCDEF01234567@AdobeOrg',
  sandbox: 'prod',
};

/** Timings small enough for a fast suite, big enough for a loaded CI machine. */
export const FAST_HTTP: HttpOptions = {
  connectTimeoutMs: 500,
  headersTimeoutMs: 200,
  bodyTimeoutMs: 200,
  retryBaseDelayMs: 5,
  retryMaxDelayMs: 20,
  maxRetryAfterMs: 2_000,
};

/** The `adobe` section of the config, pointed at the stand-ins. */
export function adobeConfig(standins: AdobeStandins, overrides: Partial<Config['adobe']> = {}): Config['adobe'] {
  return {
    offerApiUrl: standins.offerApiUrl,
    imsUrl: standins.imsUrl,
    scopes: KNOWN_SCOPES.join(','),
    ...TEST_CREDENTIALS,
    // The stand-ins listen on http://127.0.0.1.
    allowHttp: true,
    ...overrides,
  };
}

export type FaultResponse =
  | { status: number; headers?: Record<string, string>; body?: string | object }
  /** Destroy the socket without answering. */
  | 'reset'
  /** Never answer (until close()). */
  | 'hang'
  /** Send the normal answer's headers and half its body, the rest after `delayMs` (default: never). */
  | 'slow-body'
  /** 200, application/json, and a truncated JSON body. */
  | 'malformed-json'
  /** The normal answer, its body padded with white space to `bytes` (default 4 MiB): still valid JSON. */
  | 'huge-body'
  /** The normal answer's headers (no content-length), then one space every `delayMs` (default 50 ms), never finished. */
  | 'trickle';

export interface Fault {
  service?: Service;
  method?: string;
  pathIncludes?: string;
  /** How many matching requests it applies to (default 1; Infinity for all). */
  times?: number;
  delayMs?: number;
  /** For 'huge-body': the size of the body. */
  bytes?: number;
  respond: FaultResponse;
}

export interface RecordedRequest {
  service: Service;
  method: string;
  /** The path exactly as sent (nothing decoded). */
  path: string;
  query: Record<string, string>;
  /** Every query parameter, repeated ones included. */
  params: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
  /** The `x-request-id` the stand-in answered with (none for reset and hang). */
  answeredWithId?: string;
}

type OfferUsers = { kind: 'collection' | 'decision'; name: string }[];

export interface StoredOffer {
  id: string;
  name: string;
  status: string;
  created: string;
  modified: string;
  etag: number;
  [field: string]: unknown;
}

export interface StandinOptions {
  clientId: string;
  clientSecret: string;
  orgId: string;
  /** The organisation's default sandbox, which `offers` seeds. */
  sandbox: string;
  /** The organisation's other sandboxes, each with its own offers (the same id in two sandboxes is two offers). */
  sandboxes?: Record<string, StoredOffer[]>;
  /** Added before every answer, by both services. */
  latencyMs?: number;
  tokenLifetimeSeconds?: number;
  /** GETs that still answer 200 after a DELETE (eventual consistency). */
  verifyLag?: number;
  /** Seed offers of the default sandbox (default: seedOffers()). */
  offers?: StoredOffer[];
}

export interface AdobeStandins {
  imsUrl: string;
  offerApiUrl: string;
  /** The default sandbox's offers, by id: tests may add, remove or edit. */
  offers: Map<string, StoredOffer>;
  /** Every sandbox of the organisation, by name, each with its offers by id; a sandbox not here is unknown to Adobe. */
  sandboxes: Map<string, Map<string, StoredOffer>>;
  /** One sandbox's offers (throws for a sandbox the organisation does not have). */
  offersIn(sandbox: string): Map<string, StoredOffer>;
  /** Puts offers into a sandbox, creating the sandbox if the organisation did not have it. */
  seed(sandbox: string, ...offers: StoredOffer[]): void;
  /** Every request to either service, in arrival order. */
  requests: RecordedRequest[];
  /** Every offer a POST created, in any sandbox (adobe-create.ts). */
  created: CreatedOffer[];
  tokensIssued: string[];
  /** Knobs that may be changed at any time. */
  latencyMs: number;
  verifyLag: number;
  tokenLifetimeSeconds: number;
  /** The most offers one page of the list holds, whatever `limit` asks (to make offer-bot follow `_links.next`). */
  listPageSize: number;
  /** False: every answer says `Connection: close`, so each request needs a new connection (to test connection refusals). */
  keepAlive: boolean;
  /** The collections and decisions of the default sandbox that use an offer, by offer id: Adobe refuses to delete an offer still in use. */
  usedBy: Map<string, OfferUsers>;
  /** The same, of any sandbox (collections and decisions, like offers, belong to one sandbox). */
  usedByIn(sandbox: string): Map<string, OfferUsers>;
  /** TCP connections accepted so far, per service (to check connection reuse). */
  readonly connections: Record<Service, number>;
  requestsTo(service: Service): RecordedRequest[];
  /** Every token issued so far stops working (as if IMS had revoked them). */
  revokeTokens(): void;
  /** Queue faults; each applies, in order, before normal handling. */
  inject(...faults: Fault[]): void;
  /** Someone edited the offer in Journey Optimizer (in the default sandbox unless named): etag and modified move on. */
  modifyOffer(id: string, changes?: Partial<StoredOffer>, sandbox?: string): StoredOffer;
  close(): Promise<void>;
}

interface Reply {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

export const SEEDED_OFFER_IDS = ['dps:personalized-offer:1a4c514f745dbd7c', 'xcore:personalized-offer:124cc332095cfa74', 'personalizedOffer1234'] as const;

/** A personalized offer as the Offer Library returns it, with one field our code does not know. */
export function anOffer(id: string, overrides: Partial<StoredOffer> = {}): StoredOffer {
  return {
    id,
    name: 'Winter sale 20% off',
    status: 'approved',
    created: '2026-10-02T08:15:30.000Z',
    modified: '2026-11-20T09:12:44.000Z',
    etag: 7,
    schemas: ['https://ns.adobe.com/experience/offer-management/personalized-offer;version=0.5'],
    createdBy: 'marketer@example.com',
    lastModifiedBy: 'marketer@example.com',
    representations: [
      {
        channel: 'https://ns.adobe.com/xdm/channel-types/web',
        placement: 'dps:offer-placement:1a4c4f1ab0f7e5ef',
        components: [
          {
            type: 'https://ns.adobe.com/experience/offer-management/content-component-html',
            format: 'text/html',
            language: ['en-us'],
            content: '<p>20% off every winter coat</p>',
          },
        ],
      },
    ],
    selectionConstraint: {
      startDate: '2026-11-01T00:00:00.000Z',
      endDate: '2027-01-31T23:59:59.000Z',
      profileConstraintType: 'none',
    },
    rank: { priority: 10 },
    cappingConstraint: { maxNumberOfTimesOfferCanBePresentedToAnyUser: 1000 },
    decisioningHints: { region: 'EMEA', experimental: true },
    ...overrides,
  };
}

export function seedOffers(): StoredOffer[] {
  return [
    anOffer(SEEDED_OFFER_IDS[0]),
    anOffer(SEEDED_OFFER_IDS[1], { name: 'Free shipping over $50', status: 'draft', etag: 2 }),
    anOffer(SEEDED_OFFER_IDS[2], { name: 'Loyalty points x2', status: 'archived', etag: 15 }),
  ];
}

const json = (status: number, body: unknown, contentType = 'application/json'): Reply => ({
  status,
  headers: { 'content-type': contentType },
  body: JSON.stringify(body),
});
const gateway = (status: number, errorCode: string, message: string): Reply => json(status, { error_code: errorCode, message });
const problem = (status: number, title: string, detail: string): Reply =>
  json(status, { type: `https://ns.adobe.com/aep/errors/DPS-${status}`, title, status, detail }, 'application/problem+json');
const oauth = (error: string, description: string): Reply => json(400, { error, error_description: description });

export async function startAdobeStandins(options: StandinOptions): Promise<AdobeStandins> {
  const tokens = new Map<string, { expiresAt: number; revoked: boolean }>();
  /** Deleted offers GETs still see for a while, by sandbox and id. */
  const ghosts = new Map<string, { offer: StoredOffer; remaining: number }>();
  const ghostKey = (sandbox: string, id: string) => `${sandbox}\n${id}`;
  const users = new Map<string, Map<string, OfferUsers>>();
  const usersIn = (sandbox: string) => {
    const found = users.get(sandbox) ?? new Map<string, OfferUsers>();
    users.set(sandbox, found);
    return found;
  };
  const byId = (offers: readonly StoredOffer[]) => new Map(offers.map((offer) => [offer.id, offer]));
  const sandboxes = new Map<string, Map<string, StoredOffer>>([
    [options.sandbox, byId(options.offers ?? seedOffers())],
    ...Object.entries(options.sandboxes ?? {}).map(([name, offers]): [string, Map<string, StoredOffer>] => [name, byId(offers)]),
  ]);
  const faults: (Fault & { left: number })[] = [];
  /** The list's `start` cursors handed out, per sandbox. */
  const cursors = new Map<string, Map<string, number>>();
  const cursorsIn = (sandbox: string) => {
    const found = cursors.get(sandbox) ?? new Map<string, number>();
    cursors.set(sandbox, found);
    return found;
  };
  const timers = new Set<NodeJS.Timeout>();
  const connections: Record<Service, number> = { ims: 0, offers: 0 };

  const later = (ms: number, run: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      run();
    }, ms);
    timers.add(timer);
  };

  const state: AdobeStandins = {
    imsUrl: '',
    offerApiUrl: '',
    offers: sandboxes.get(options.sandbox) ?? new Map(),
    sandboxes,
    offersIn(sandbox) {
      const offers = sandboxes.get(sandbox);
      if (!offers) throw new Error(`the stand-in's organisation has no sandbox ${sandbox}`);
      return offers;
    },
    seed(sandbox, ...offers) {
      const into = sandboxes.get(sandbox) ?? new Map<string, StoredOffer>();
      for (const offer of offers) into.set(offer.id, offer);
      sandboxes.set(sandbox, into);
    },
    requests: [],
    created: [],
    tokensIssued: [],
    latencyMs: options.latencyMs ?? 0,
    verifyLag: options.verifyLag ?? 0,
    tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS,
    keepAlive: true,
    listPageSize: LIST_LIMIT_MAX,
    usedBy: usersIn(options.sandbox),
    usedByIn: usersIn,
    connections,
    requestsTo: (service) => state.requests.filter((request) => request.service === service),
    revokeTokens() {
      for (const record of tokens.values()) record.revoked = true;
    },
    inject(...added) {
      faults.push(...added.map((fault) => ({ ...fault, left: fault.times ?? 1 })));
    },
    modifyOffer(id, changes = {}, sandbox = options.sandbox) {
      const offers = state.offersIn(sandbox);
      const offer = offers.get(id);
      if (!offer) throw new Error(`no offer ${id} in sandbox ${sandbox} of the stand-in`);
      const modified: StoredOffer = {
        ...offer,
        lastModifiedBy: 'someone-else@example.com',
        ...changes,
        etag: offer.etag + 1,
        modified: new Date().toISOString(),
      };
      offers.set(id, modified);
      return modified;
    },
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      await Promise.all([stop(imsServer), stop(offersServer)]);
    },
  };

  function ims(request: RecordedRequest): Reply {
    if (request.path !== IMS_TOKEN_PATH) return json(404, { error: 'not_found' });
    if (request.method !== 'POST') return json(405, { error: 'method_not_allowed' });
    if (!request.headers['content-type']?.startsWith('application/x-www-form-urlencoded')) {
      return oauth('invalid_request', 'Content-Type must be application/x-www-form-urlencoded');
    }
    const form = new URLSearchParams(request.body);
    if (form.get('grant_type') !== 'client_credentials') return oauth('unsupported_grant_type', 'unsupported grant_type parameter');
    if (form.get('client_id') !== options.clientId) return oauth('invalid_client', 'invalid client_id parameter');
    if (form.get('client_secret') !== options.clientSecret) return oauth('invalid_client', 'invalid client_secret parameter');
    const scopes = form.get('scope')?.split(',').filter(Boolean) ?? [];
    if (scopes.length === 0) return oauth('invalid_scope', 'scope parameter is missing');
    const unknown = scopes.filter((scope) => !KNOWN_SCOPES.includes(scope));
    if (unknown.length > 0) return oauth('invalid_scope', `invalid scope (${unknown.join(',')})`);
    const token = `eyJ${randomBytes(TOKEN_BYTES).toString('base64url')}`;
    tokens.set(token, { expiresAt: Date.now() + state.tokenLifetimeSeconds * 1_000, revoked: false });
    state.tokensIssued.push(token);
    return json(200, { access_token: token, token_type: 'bearer', expires_in: state.tokenLifetimeSeconds });
  }

  function offerLibrary(request: RecordedRequest): Reply {
    const { headers } = request;
    // The gateway's checks, in the gateway's order: key present, token present and valid, key right, org and sandbox.
    const apiKey = headers['x-api-key'];
    if (!apiKey) return gateway(403, '403000', 'Api Key is required');
    const bearer = /^Bearer (\S+)$/.exec(headers.authorization ?? '')?.[1];
    if (!bearer) return gateway(403, '403010', 'Oauth token is missing.');
    const record = tokens.get(bearer);
    if (!record || record.revoked || record.expiresAt <= Date.now()) return gateway(401, '401013', 'Oauth token is not valid');
    if (apiKey !== options.clientId) return gateway(403, '403003', 'Api Key is invalid');
    const org = headers['x-gw-ims-org-id'];
    const sandbox = headers['x-sandbox-name'];
    if (!org || !sandbox) return gateway(400, '400003', 'Missing header');
    if (org !== options.orgId) return gateway(403, '403025', 'Profile is not valid');
    const offers = typeof sandbox === 'string' ? sandboxes.get(sandbox) : undefined;
    // Not documented; the gateway's own shape, as for a missing header, is the likeliest.
    if (!offers) return gateway(400, '400003', `Invalid header: x-sandbox-name '${String(sandbox)}' is not a sandbox of this organization`);

    // A create (POST) goes to adobe-create.ts; a list (GET) to adobe-list.ts.
    const created =
      request.method === 'POST'
        ? offersCollection(request, `${OFFER_API_PATH}/offers`, String(sandbox), offers, state.created, state.requests.indexOf(request))
        : null;
    if (created) return created;
    if (request.path === `${OFFER_API_PATH}/offers`) {
      if (request.method !== 'GET') return problem(405, 'Method Not Allowed', `${request.method} is not allowed here.`);
      const listed = listOffers(offers.values(), request.params, { path: request.path, pageSize: state.listPageSize, cursors: cursorsIn(String(sandbox)) });
      return listed.ok ? json(200, listed.body) : problem(listed.status, listed.title, listed.detail);
    }
    const prefix = `${OFFER_API_PATH}/offers/`;
    const rawId = request.path.startsWith(prefix) ? request.path.slice(prefix.length) : '';
    let id: string;
    try {
      id = decodeURIComponent(rawId);
    } catch {
      return problem(400, 'Bad Request', 'The path is not valid.');
    }
    if (id === '' || rawId.includes('/')) return problem(404, 'Not Found', `No resource at ${request.path}.`);
    const offerType = request.query['offer-type'];
    if (offerType === undefined) return problem(400, 'Bad Request', "The query parameter 'offer-type' is required.");
    if (offerType !== 'personalized' && offerType !== 'fallback') {
      return problem(400, 'Bad Request', `'${offerType}' is not an offer-type: use personalized or fallback.`);
    }
    const notFound = () => problem(404, 'Not Found', `Offer '${id}' of type ${offerType} was not found.`);
    if (offerType === 'fallback') return notFound();

    if (request.method === 'GET') {
      const offer = offers.get(id);
      if (offer) return json(200, offer);
      const ghost = ghosts.get(ghostKey(String(sandbox), id));
      if (ghost && ghost.remaining > 0) {
        ghost.remaining -= 1;
        return json(200, ghost.offer);
      }
      return notFound();
    }
    if (request.method === 'DELETE') {
      const offer = offers.get(id);
      if (!offer) return notFound();
      // Undocumented: a problem body naming what still uses the offer is the likeliest shape.
      const user = usersIn(String(sandbox)).get(id)?.[0];
      if (user) return problem(409, 'Conflict', `Offer '${id}' is referenced by ${user.kind} '${user.name}' and cannot be deleted.`);
      offers.delete(id);
      ghosts.set(ghostKey(String(sandbox), id), { offer, remaining: state.verifyLag });
      return { status: 200, body: '' };
    }
    return problem(405, 'Method Not Allowed', `${request.method} is not allowed here.`);
  }

  function takeFault(request: RecordedRequest): Fault | null {
    const index = faults.findIndex(
      (fault) =>
        (fault.service === undefined || fault.service === request.service) &&
        (fault.method === undefined || fault.method.toUpperCase() === request.method) &&
        (fault.pathIncludes === undefined || request.path.includes(fault.pathIncludes)),
    );
    const fault = faults[index];
    if (!fault) return null;
    fault.left -= 1;
    if (fault.left <= 0) faults.splice(index, 1);
    return fault;
  }

  function head(res: ServerResponse, request: RecordedRequest, reply: Reply, { withLength = true } = {}): void {
    const length = withLength ? { 'content-length': String(Buffer.byteLength(reply.body)) } : {};
    const headers = { 'x-request-id': randomUUID(), ...length, ...(state.keepAlive ? {} : { connection: 'close' }), ...reply.headers };
    request.answeredWithId = headers['x-request-id'];
    res.writeHead(reply.status, headers);
  }

  function write(res: ServerResponse, request: RecordedRequest, reply: Reply): void {
    head(res, request, reply);
    res.end(reply.body);
  }

  function answer(service: Service, req: IncomingMessage, res: ServerResponse, request: RecordedRequest): void {
    const fault = takeFault(request);
    const normal = () => (service === 'ims' ? ims(request) : offerLibrary(request));
    if (!fault) return write(res, request, normal());
    const { respond } = fault;
    if (respond === 'reset') {
      req.socket.destroy();
    } else if (respond === 'hang') {
      // Nothing: the client's timeout must notice; close() destroys the socket.
    } else if (respond === 'malformed-json') {
      write(res, request, {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: '{"id":"dps:personalized-offer:1a4c514f745dbd7c","name":"Winter sa',
      });
    } else if (respond === 'slow-body') {
      const reply = normal();
      const body = Buffer.from(reply.body);
      const half = Math.floor(body.length / 2);
      head(res, request, reply);
      res.write(body.subarray(0, half));
      later(fault.delayMs ?? NEVER_MS, () => res.end(body.subarray(half)));
    } else if (respond === 'huge-body') {
      const reply = normal();
      write(res, request, { ...reply, body: reply.body.padEnd(fault.bytes ?? HUGE_BODY_BYTES, ' ') });
    } else if (respond === 'trickle') {
      head(res, request, normal(), { withLength: false });
      const trickle = setInterval(() => res.write(' '), fault.delayMs ?? TRICKLE_EVERY_MS);
      timers.add(trickle);
      res.on('close', () => {
        clearInterval(trickle);
        timers.delete(trickle);
      });
    } else {
      const body = typeof respond.body === 'string' || respond.body === undefined ? (respond.body ?? '') : JSON.stringify(respond.body);
      const headers = typeof respond.body === 'object' ? { 'content-type': 'application/json', ...respond.headers } : respond.headers;
      write(res, request, { status: respond.status, body, ...(headers ? { headers } : {}) });
    }
  }

  const serve = (service: Service): Server => {
    const server = createServer((req, res) => {
      const at = Date.now();
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const raw = req.url ?? '/';
        const queryStart = raw.indexOf('?');
        const request: RecordedRequest = {
          service,
          method: req.method ?? '',
          path: queryStart === -1 ? raw : raw.slice(0, queryStart),
          query: Object.fromEntries(new URLSearchParams(queryStart === -1 ? '' : raw.slice(queryStart + 1))),
          params: new URLSearchParams(queryStart === -1 ? '' : raw.slice(queryStart + 1)),
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          at,
        };
        state.requests.push(request);
        if (state.latencyMs > 0) later(state.latencyMs, () => answer(service, req, res, request));
        else answer(service, req, res, request);
      });
    });
    server.on('connection', () => {
      connections[service] += 1;
    });
    return server;
  };

  const imsServer = serve('ims');
  const offersServer = serve('offers');
  const [imsPort, offersPort] = await Promise.all([listen(imsServer), listen(offersServer)]);
  state.imsUrl = `http://127.0.0.1:${imsPort}`;
  state.offerApiUrl = `http://127.0.0.1:${offersPort}${OFFER_API_PATH}`;
  return state;
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function stop(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** Pieces of a secret this long or longer are a leak: a message cut mid-secret still gives half of it away. */
export const SECRET_PIECE_LENGTH = 8;

/** The pieces of `secret` (SECRET_PIECE_LENGTH long) that appear in `text`: [] when none leaked. */
export function secretPiecesIn(text: string, secret: string): string[] {
  const pieces: string[] = [];
  for (let at = 0; at + SECRET_PIECE_LENGTH <= secret.length; at += 1) {
    const piece = secret.slice(at, at + SECRET_PIECE_LENGTH);
    if (text.includes(piece)) pieces.push(piece);
  }
  return pieces;
}

/** The AdobeError a promise rejects with (the test fails if it resolves, or rejects with anything else). */
export async function adobeFailure(promise: Promise<unknown>): Promise<AdobeError> {
  const error = await promise.then(
    () => null,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(AdobeError);
  return error as AdobeError;
}
