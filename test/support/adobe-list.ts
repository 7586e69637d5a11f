// The Offer Library's list (GET /offers?offer-type=…&property=…&orderBy=…&limit=…&start=…) as the stand-in answers it.
import type { StoredOffer } from './adobe.js';

/** Adobe documents no maximum; the stand-in refuses more than this, so offer-bot must never rely on a bigger page. */
export const LIST_LIMIT_MAX = 100;
/** Fields a property filter or orderBy may name (the ones an offer has at its top level that tests use). */
const FIELDS = ['id', 'name', 'status', 'created', 'modified', 'etag', 'createdBy', 'lastModifiedBy'];
/** `[!]field[op]value`, op in == != <= >= < > ~ (`~`: a regular expression the whole value must match). */
const PROPERTY = /^(!?)([A-Za-z][A-Za-z0-9.]*)(==|!=|<=|>=|<|>|~)(.*)$/s;
const ORDER = /^(-?)([A-Za-z][A-Za-z0-9.]*)$/;

export type ListAnswer = { ok: true; body: object } | { ok: false; status: number; title: string; detail: string };

type Test = (offer: StoredOffer) => boolean;

function propertyTest(expression: string): Test | string {
  const match = PROPERTY.exec(expression);
  if (!match) return `'${expression}' is not a property expression ([!]field[op]value).`;
  const [, not = '', field = '', op = '', value = ''] = match;
  if (!FIELDS.includes(field)) return `'${field}' is not a property of an offer.`;
  let test: Test;
  if (op === '~') {
    let pattern: RegExp;
    try {
      pattern = new RegExp(`^(?:${value})$`, 's');
    } catch {
      return `'${value}' is not a valid regular expression.`;
    }
    test = (offer) => pattern.test(String(offer[field] ?? ''));
  } else {
    const compare = (offer: StoredOffer) => String(offer[field] ?? '').localeCompare(value);
    const ops: Record<string, Test> = {
      '==': (offer) => compare(offer) === 0,
      '!=': (offer) => compare(offer) !== 0,
      '<=': (offer) => compare(offer) <= 0,
      '>=': (offer) => compare(offer) >= 0,
      '<': (offer) => compare(offer) < 0,
      '>': (offer) => compare(offer) > 0,
    };
    test = ops[op] ?? (() => false);
  }
  return not ? (offer) => !test(offer) : test;
}

/**
 * One page of the list. `cursors` maps the `start` values this stand-in handed out to where their page begins
 * (the real one hands out timestamps; a cursor it never issued is refused). `pageSize` caps a page below `limit`.
 */
export function listOffers(
  offers: Iterable<StoredOffer>,
  query: URLSearchParams,
  { path, pageSize, cursors }: { path: string; pageSize: number; cursors: Map<string, number> },
): ListAnswer {
  const refuse = (detail: string): ListAnswer => ({ ok: false, status: 400, title: 'Bad Request', detail });
  const offerType = query.get('offer-type');
  if (offerType === null) return refuse("The query parameter 'offer-type' is required.");
  if (offerType !== 'personalized' && offerType !== 'fallback') return refuse(`'${offerType}' is not an offer-type: use personalized or fallback.`);
  const tests: Test[] = [];
  for (const expression of query.getAll('property').flatMap((value) => value.split(','))) {
    const test = propertyTest(expression);
    if (typeof test === 'string') return refuse(test);
    tests.push(test);
  }
  const orders = [...query.getAll('orderBy'), ...query.getAll('orderby')].flatMap((value) => value.split(','));
  const keys: { field: string; descending: boolean }[] = [];
  for (const order of orders) {
    const match = ORDER.exec(order);
    if (!match || !FIELDS.includes(match[2] ?? '')) return refuse(`'${order}' is not a property to order by.`);
    keys.push({ field: match[2] ?? '', descending: match[1] === '-' });
  }
  const limitText = query.get('limit');
  const limit = limitText === null ? pageSize : Number(limitText);
  if (!/^\d+$/.test(limitText ?? '0') || !Number.isInteger(limit) || limit < 1 || limit > LIST_LIMIT_MAX) {
    return refuse(`limit must be a whole number from 1 to ${LIST_LIMIT_MAX}.`);
  }
  const startText = query.get('start');
  const from = startText === null ? 0 : cursors.get(startText);
  if (from === undefined) return refuse(`'${startText}' is not a start this list gave.`);

  const matches = (offerType === 'fallback' ? [] : [...offers]).filter((offer) => tests.every((test) => test(offer)));
  matches.sort((a, b) => {
    for (const { field, descending } of keys) {
      const order = String(a[field] ?? '').localeCompare(String(b[field] ?? ''));
      if (order !== 0) return descending ? -order : order;
    }
    return a.id.localeCompare(b.id);
  });
  const size = Math.min(limit, pageSize);
  const results = matches.slice(from, from + size);
  const self = `${path}?${query.toString()}`;
  const links: Record<string, { href: string }> = { self: { href: self } };
  if (from + size < matches.length) {
    const start = String(Date.parse('2026-01-01T00:00:00Z') + cursors.size + 1);
    cursors.set(start, from + size);
    const next = new URLSearchParams(query);
    next.set('start', start);
    links.next = { href: `${path}?${next.toString()}` };
  }
  return { ok: true, body: { results, count: results.length, total: matches.length, _links: links } };
}
