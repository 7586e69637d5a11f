// Reading the stand-in's HTTP requests (form or JSON bodies) and writing its answers, Slack's way.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isObject, type JsonObject } from './types.js';

/** What Slack answers with `ok: false`; thrown by a check, turned into the answer by the server. */
export class Refusal extends Error {
  constructor(
    readonly error: string,
    readonly extra: JsonObject = {},
  ) {
    super(error);
  }
}

export interface Answer {
  status: number;
  body: JsonObject;
  headers?: Record<string, string>;
}

/** An answer, or `'reset'` to drop the connection without one. */
export type Outcome = Answer | 'reset';

export const ok = (body: JsonObject = {}): Answer => ({ status: 200, body: { ok: true, ...body } });
export const refuse = (error: string, extra: JsonObject = {}): Answer => ({ status: 200, body: { ok: false, error, ...extra } });

/** The fields @slack/web-api sends as JSON strings inside the form. */
const JSON_FIELDS = ['blocks', 'metadata', 'attachments'];

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Form-encoded (what @slack/web-api sends) or JSON (what Slack also takes, with a bearer token). */
export function parseArgs(contentType: string | undefined, raw: string): { args: JsonObject; json: boolean } {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded' || (type === '' && raw === '')) {
    const args: JsonObject = {};
    for (const [key, value] of new URLSearchParams(raw)) args[key] = value;
    return { args, json: false };
  }
  if (type === 'application/json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new Refusal('invalid_json');
    }
    if (!isObject(parsed)) throw new Refusal('json_not_object');
    return { args: parsed, json: true };
  }
  throw new Refusal('invalid_form_data');
}

/** Form fields carry JSON strings; a JSON body carries the values themselves. */
export function decodeJsonField(value: unknown): { ok: true; value: unknown } | { ok: false } {
  if (typeof value !== 'string') return { ok: true, value };
  try {
    return { ok: true, value: JSON.parse(value) };
  } catch {
    return { ok: false };
  }
}

/** The arguments as a test wants to read them: JSON fields decoded where they parse, the token left out. */
export function decodedForRecord(args: JsonObject): JsonObject {
  const copy = { ...args };
  for (const field of JSON_FIELDS) {
    if (copy[field] === undefined) continue;
    const decoded = decodeJsonField(copy[field]);
    if (decoded.ok) copy[field] = decoded.value;
  }
  delete copy.token;
  return copy;
}

export function send(res: ServerResponse, answer: Answer): void {
  res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8', ...answer.headers });
  res.end(JSON.stringify(answer.body));
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Sends the outcome after the configured latency, or drops the connection for `'reset'`. */
export async function deliver(req: IncomingMessage, res: ServerResponse, outcome: Outcome, latencyMs: number | undefined): Promise<void> {
  if (latencyMs) await sleep(latencyMs);
  if (outcome === 'reset') {
    req.socket.destroy();
    return;
  }
  send(res, outcome);
}
