// The Offer Library stand-in's collection path (/offers): creating an offer (POST), and listing offers filtered by exact name.
import { randomBytes } from 'node:crypto';
import type { StoredOffer } from './adobe.js';

/** What Adobe sets itself on a create; a body that carries one is refused, as the real API refuses read-only fields. */
export const SERVER_SET_FIELDS = ['id', 'etag', 'created', 'modified', 'createdBy', 'lastModifiedBy', 'sandboxId', '_links', '_instance', '@id'];
const SERVER_SET_PREFIXES = ['repo:'];
const STATUSES = ['draft', 'approved', 'archived', 'pending', 'rejected'];
const OFFER_ID_HEX_BYTES = 8;
/** Who the stand-in says created an offer through the API: the technical account of the credential. */
export const API_CREATOR = '5F2B0C9E7D6A4B1F8E3C2A1D@techacct.adobe.com';

/** One offer created through POST: which sandbox, and the index of the request in the stand-in's `requests`. */
export interface CreatedOffer {
  sandbox: string;
  id: string;
  name: string;
  requestIndex: number;
  body: Record<string, unknown>;
}

interface CollectionRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

interface Reply {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Reply => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});
const problem = (status: number, title: string, detail: string): Reply => ({
  status,
  headers: { 'content-type': 'application/problem+json' },
  body: JSON.stringify({ type: `https://ns.adobe.com/aep/errors/DPS-${status}`, title, status, detail }),
});

/**
 * Answers a POST to `{base}/offers` (no id), or returns null for any other path; a list (GET) is adobe-list.ts's, which
 * checks the `property` filter as the API does. `offers` is the sandbox's; `created`
 * records every offer a POST made (the fault matrix counts them); `requestIndex` is this request's place in the log.
 */
export function offersCollection(
  request: CollectionRequest,
  collectionPath: string,
  sandbox: string,
  offers: Map<string, StoredOffer>,
  created: CreatedOffer[],
  requestIndex: number,
): Reply | null {
  if (request.path !== collectionPath && request.path !== `${collectionPath}/`) return null;
  const offerType = request.query['offer-type'];
  if (offerType === undefined) return problem(400, 'Bad Request', "The query parameter 'offer-type' is required.");
  if (offerType !== 'personalized' && offerType !== 'fallback')
    return problem(400, 'Bad Request', `'${offerType}' is not an offer-type: use personalized or fallback.`);
  if (request.method === 'POST') return create(request, collectionPath, sandbox, offers, created, requestIndex);
  return problem(405, 'Method Not Allowed', `${request.method} is not allowed here.`);
}

function create(
  request: CollectionRequest,
  collectionPath: string,
  sandbox: string,
  offers: Map<string, StoredOffer>,
  created: CreatedOffer[],
  requestIndex: number,
): Reply {
  const type = request.headers['content-type'];
  if (typeof type !== 'string' || !type.startsWith('application/json')) return problem(415, 'Unsupported Media Type', 'Content-Type must be application/json.');
  let body: unknown;
  try {
    body = JSON.parse(request.body);
  } catch {
    return problem(400, 'Bad Request', 'The request body is not valid JSON.');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return problem(400, 'Bad Request', 'The request body must be a JSON object.');
  const fields = body as Record<string, unknown>;
  const readOnly = Object.keys(fields).filter((field) => SERVER_SET_FIELDS.includes(field) || SERVER_SET_PREFIXES.some((prefix) => field.startsWith(prefix)));
  if (readOnly.length > 0) return problem(400, 'Bad Request', `Read-only field(s) ${readOnly.map((f) => `'${f}'`).join(', ')} cannot be set.`);
  if (typeof fields.name !== 'string' || fields.name.trim() === '') return problem(400, 'Bad Request', "The field 'name' is required.");
  if (fields.status !== undefined && (typeof fields.status !== 'string' || !STATUSES.includes(fields.status))) {
    return problem(400, 'Bad Request', `'${String(fields.status)}' is not a valid status.`);
  }
  // Adobe's reference says nothing of unique names: two offers may share one, as here.
  const id = `dps:personalized-offer:${randomBytes(OFFER_ID_HEX_BYTES).toString('hex')}`;
  const now = new Date().toISOString();
  const offer: StoredOffer = {
    ...fields,
    id,
    name: fields.name,
    status: typeof fields.status === 'string' ? fields.status : 'draft',
    created: now,
    modified: now,
    etag: 1,
    createdBy: API_CREATOR,
    lastModifiedBy: API_CREATOR,
  };
  offers.set(id, offer);
  created.push({ sandbox, id, name: offer.name, requestIndex, body: fields });
  return json(201, offer, { location: `${collectionPath}/${id}` });
}
