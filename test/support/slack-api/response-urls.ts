// Response URLs: issued per command or action, good for a few JSON posts for a while, acting on the messages they came from.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Faults } from './faults.js';
import { type Answer, type Outcome, Refusal } from './http.js';
import { LIMITS, RESPONSE_URL_TTL_MS } from './limits.js';
import { readBlocks, readText } from './message-fields.js';
import { isObject, type JsonObject, type ResponseUrlContext, type ResponseUrlPost } from './types.js';
import type { Workspace } from './workspace.js';

/** Where the numbers in the stand-in's response URLs start: as long as those in Slack's. */
const FIRST_HOOK_SEQ = 7_910_383_848_576;
const HOOK_SECRET_BYTES = 12;
/** `/commands/T…/<seq>/<secret>` or `/actions/T…/<seq>/<secret>`, as on hooks.slack.com. */
const HOOK_PATH = /^\/(?:commands|actions)\/[A-Z0-9]+\/(\d+)\/([A-Za-z0-9]+)$/;

interface Hook {
  name: string;
  context?: ResponseUrlContext;
  issuedAt: number;
  uses: number;
}

/** Records a post's outcome and gives the answer Slack would. */
type Done = (status: number, error?: string, body?: JsonObject) => Answer;

/** The response URL's id in a request path, or `undefined` when the path is not a response URL's. */
export function hookId(path: string): string | undefined {
  const match = HOOK_PATH.exec(path);
  return match ? `${match[1]}/${match[2]}` : undefined;
}

function bool(value: unknown): boolean {
  return value === true || value === 'true' || value === '1' || value === 1;
}

export class ResponseUrls {
  readonly responses: ResponseUrlPost[] = [];
  readonly #hooks = new Map<string, Hook>();
  readonly #workspace: Workspace;
  readonly #faults: Faults;
  #seq = FIRST_HOOK_SEQ;

  constructor(workspace: Workspace, faults: Faults) {
    this.#workspace = workspace;
    this.#faults = faults;
  }

  /** The path of a new response URL; one from a block action (`context.messageTs`) is an `actions` URL. */
  issue(name: string, context?: ResponseUrlContext): string {
    this.#seq += 1;
    const id = `${this.#seq}/${randomBytes(HOOK_SECRET_BYTES).toString('base64url').replace(/[-_]/g, 'x')}`;
    this.#hooks.set(id, { name, ...(context ? { context } : {}), issuedAt: this.#workspace.now(), uses: 0 });
    const kind = context?.messageTs ? 'actions' : 'commands';
    return `/${kind}/${this.#workspace.teamId}/${id}`;
  }

  /** What Slack does with a post of `raw` to the response URL `id`, recorded in `responses`. */
  answer(req: IncomingMessage, raw: string, id: string): Outcome {
    const hook = this.#hooks.get(id);
    const name = hook?.name ?? id;
    const at = this.#workspace.now();
    const struck = this.#faults.strike('response_url', {});
    if (struck) {
      if (struck !== 'reset') this.responses.push({ name, body: {}, status: struck.status, error: 'injected', at });
      return struck;
    }
    const done: Done = (status, error, body = {}) => {
      this.responses.push({ name, body, status, ...(error ? { error } : {}), at });
      return { status, body: error ? { ok: false, error } : { ok: true } };
    };
    return this.#respond(req, raw, hook, done, at);
  }

  #respond(req: IncomingMessage, raw: string, hook: Hook | undefined, done: Done, at: number): Answer {
    if (!hook) return done(404, 'no_service');
    if (req.method !== 'POST') return done(405, 'invalid_method');
    if (at - hook.issuedAt > RESPONSE_URL_TTL_MS) return done(404, 'expired_url');
    if (hook.uses >= LIMITS.responseUrlUses) return done(404, 'used_url');
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/json') return done(400, 'invalid_payload');
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return done(400, 'invalid_payload');
    }
    if (!isObject(body)) return done(400, 'invalid_payload');
    hook.uses += 1;
    const deleteOriginal = bool(body.delete_original);
    if (body.response_type !== undefined && body.response_type !== 'in_channel' && body.response_type !== 'ephemeral')
      return done(400, 'invalid_response_type', body);
    let blocks: JsonObject[] | undefined;
    let text: string | undefined;
    try {
      if (!deleteOriginal) {
        blocks = readBlocks(body);
        text = readText(body, blocks);
      }
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      return done(400, error.error, body);
    }
    if (hook.context) this.#act(hook.context, body, { deleteOriginal, text: text ?? '', blocks }, at);
    return done(200, undefined, body);
  }

  /** Replaces or deletes the original message, posts in the channel, or shows the poster an ephemeral message. */
  #act(context: ResponseUrlContext, body: JsonObject, post: { deleteOriginal: boolean; text: string; blocks: JsonObject[] | undefined }, at: number): void {
    const workspace = this.#workspace;
    const { deleteOriginal, text, blocks } = post;
    const original = context.messageTs ? workspace.find(context.channel, context.messageTs) : undefined;
    if ((deleteOriginal || bool(body.replace_original)) && original) {
      if (deleteOriginal) original.deleted = true;
      else {
        original.text = text;
        if (blocks) original.blocks = blocks;
        else delete original.blocks;
        original.edited = { ts: workspace.nextTs() };
      }
      workspace.updates.push({
        channel: original.channel,
        ts: original.ts,
        text: original.text,
        ...(original.blocks ? { blocks: original.blocks } : {}),
        ...(deleteOriginal ? { deleted: true as const } : {}),
        via: 'response_url',
        at,
      });
    } else if (!deleteOriginal && body.response_type === 'in_channel') {
      const threadTs = typeof body.thread_ts === 'string' ? workspace.find(context.channel, body.thread_ts) : undefined;
      workspace.post(context.channel, { text, blocks, thread_ts: threadTs ? (threadTs.thread_ts ?? threadTs.ts) : undefined, via: 'response_url' });
    } else if (!deleteOriginal && context.userId) {
      workspace.ephemerals.push({
        channel: context.channel,
        user: context.userId,
        text,
        ...(blocks ? { blocks } : {}),
        message_ts: workspace.nextTs(),
        via: 'response_url',
        at,
      });
    }
  }
}
