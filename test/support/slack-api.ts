// An in-process stand-in for Slack's Web API (and response URLs) that refuses what Slack refuses.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Slack's documented limits, checked on every message the app sends. */
export const LIMITS = {
  blocksPerMessage: 50,
  messageText: 40_000,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  url: 3000,
  id: 255,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  altText: 2000,
  markdownText: 12_000,
  /** A response_url takes this many posts, within RESPONSE_URL_TTL_MS. */
  responseUrlUses: 5,
} as const;
export const RESPONSE_URL_TTL_MS = 30 * 60_000;

export interface SlackApiOptions {
  botToken: string;
  /** `xapp-…`; without it apps.connections.open refuses every token. */
  appToken?: string;
  teamId: string;
  botUserId: string;
  botId: string;
  appId?: string;
  teamDomain?: string;
  /** Usergroup id → member user ids, for usergroups.users.list. */
  usergroups?: Record<string, string[]>;
  /**
   * What users.info says of a person. Anyone not listed is a full member of `teamId`, as in a workspace where
   * everyone is; list guests, people of other organisations and Enterprise Grid members here.
   */
  users?: Record<string, SlackUserFacts>;
  /** Private channels (and DMs) and their members; any channel not listed is public. */
  privateChannels?: Record<string, string[]>;
  /** Delay before every answer (Web API and response URLs). */
  latencyMs?: number;
  /** Clock for message ts and response URL expiry; defaults to Date.now. */
  now?: () => number;
}

export type JsonObject = Record<string, unknown>;

/** The users.info fields that tell who a person is. */
export interface SlackUserFacts {
  team_id?: string;
  is_restricted?: boolean;
  is_ultra_restricted?: boolean;
  /** A person of another organisation, seen through a Slack Connect channel. */
  is_stranger?: boolean;
  enterprise_id?: string;
}

/** One Web API request as the stand-in parsed it, and what it answered. */
export interface ApiCall {
  method: string;
  /** Form fields as sent; `blocks`, `metadata` and `attachments` decoded from JSON when they parse. */
  args: JsonObject;
  at: number;
  /** Which token the request carried. */
  token: 'bot' | 'app' | 'unknown' | 'none';
  status: number;
  /** `undefined` when the connection was reset. */
  answer: JsonObject | undefined;
}

export interface PostedMessage {
  type: 'message';
  channel: string;
  ts: string;
  /** The thread parent's ts, for replies. */
  thread_ts?: string;
  text: string;
  blocks?: JsonObject[];
  metadata?: { event_type: string; event_payload: JsonObject };
  user: string;
  bot_id: string;
  app_id: string;
  team: string;
  /** Set by chat.update or a replace_original response. */
  edited?: { ts: string };
  /** Set by a delete_original response. */
  deleted?: true;
  via: 'chat.postMessage' | 'response_url';
  at: number;
}

export interface MessageUpdate {
  channel: string;
  ts: string;
  text: string;
  blocks?: JsonObject[];
  metadata?: PostedMessage['metadata'];
  deleted?: true;
  via: 'chat.update' | 'response_url';
  at: number;
}

export interface EphemeralMessage {
  channel: string;
  user: string;
  text: string;
  blocks?: JsonObject[];
  thread_ts?: string;
  message_ts: string;
  via: 'chat.postEphemeral' | 'response_url';
  at: number;
}

export interface ResponseUrlPost {
  name: string;
  body: JsonObject;
  status: number;
  /** The error Slack would answer with, if refused. */
  error?: string;
  at: number;
}

/** Where a response URL came from, so `replace_original` and `in_channel` can act on stored messages. */
export interface ResponseUrlContext {
  channel: string;
  /** The message a block action came from; `replace_original`/`delete_original` act on it. */
  messageTs?: string;
  /** Who sees an ephemeral response. */
  userId?: string;
}

export type FaultResponse = { error: 'ratelimited'; retryAfter: number } | { error: string } | { status: number } | 'reset';

export interface Fault {
  /** A Web API method name, `'response_url'` for response URL posts, or `'*'`. */
  method: string;
  /** How many matching requests fail; default 1. `Infinity` for all. */
  times?: number;
  respond: FaultResponse;
}

/** What apps.connections.open hands out; the Socket Mode stand-in implements it. */
export interface SocketModeLink {
  connectionUrl(): string;
}

export interface SlackApi {
  /** Base URL ending in `/api/`, for `clientOptions.slackApiUrl`. */
  readonly url: string;
  readonly calls: ApiCall[];
  readonly messages: PostedMessage[];
  readonly updates: MessageUpdate[];
  readonly ephemerals: EphemeralMessage[];
  readonly responses: ResponseUrlPost[];
  /** A URL like Slack's hooks.slack.com/commands/…, good for five JSON posts within 30 minutes. */
  responseUrl(name: string, context?: ResponseUrlContext): string;
  /** The stored message, as it stands now. */
  message(channel: string, ts: string): PostedMessage | undefined;
  inject(fault: Fault): void;
  /** Answers to `method` wait (received and recorded, not answered) until the returned function is called. */
  hold(method: string): () => void;
  /** The bot is (not) a member of `channel`: posting there answers `not_in_channel`. */
  setNotInChannel(channel: string, notIn?: boolean): void;
  attachSocketMode(link: SocketModeLink): void;
  waitFor<T>(predicate: () => T | undefined | null | false, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Block Kit checks: Slack answers `invalid_blocks` with `[ERROR] … [json-pointer:/blocks/…]` lines.

const BLOCK_TYPES = new Set([
  'section',
  'actions',
  'context',
  'divider',
  'header',
  'image',
  'rich_text',
  'input',
  'markdown',
  'file',
  'video',
  'table',
  'context_actions',
]);
const INTERACTIVE_ELEMENTS = new Set([
  'button',
  'checkboxes',
  'datepicker',
  'datetimepicker',
  'timepicker',
  'overflow',
  'radio_buttons',
  'static_select',
  'external_select',
  'users_select',
  'conversations_select',
  'channels_select',
  'multi_static_select',
  'multi_external_select',
  'multi_users_select',
  'multi_conversations_select',
  'multi_channels_select',
  'plain_text_input',
  'email_text_input',
  'url_text_input',
  'number_input',
  'rich_text_input',
  'workflow_button',
]);

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

class BlockProblems {
  readonly list: string[] = [];
  add(path: string, message: string): void {
    this.list.push(`[ERROR] ${message} [json-pointer:${path}]`);
  }
  string(value: unknown, path: string, max: number, { min = 0, required = false } = {}): void {
    if (value === undefined) {
      if (required) this.add(path, 'missing required field');
      return;
    }
    if (typeof value !== 'string') return this.add(path, 'must be a string');
    if (value.length < min) this.add(path, `must be at least ${min} characters`);
    if (value.length > max) this.add(path, `must be less than ${max + 1} characters`);
  }
  text(value: unknown, path: string, max: number, { plainOnly = false, required = true } = {}): void {
    if (value === undefined) {
      if (required) this.add(path, 'missing required field');
      return;
    }
    if (!isObject(value)) return this.add(path, 'must be a text object');
    if (value.type !== 'plain_text' && value.type !== 'mrkdwn') return this.add(`${path}/type`, 'must be plain_text or mrkdwn');
    if (plainOnly && value.type !== 'plain_text') return this.add(`${path}/type`, 'must be plain_text');
    this.string(value.text, `${path}/text`, max, { min: 1, required: true });
    if (value.emoji !== undefined && (value.type !== 'plain_text' || typeof value.emoji !== 'boolean'))
      this.add(`${path}/emoji`, 'emoji is a boolean of plain_text only');
    if (value.verbatim !== undefined && (value.type !== 'mrkdwn' || typeof value.verbatim !== 'boolean'))
      this.add(`${path}/verbatim`, 'verbatim is a boolean of mrkdwn only');
  }
  confirm(value: unknown, path: string): void {
    if (value === undefined) return;
    if (!isObject(value)) return this.add(path, 'must be a confirmation dialog object');
    this.text(value.title, `${path}/title`, LIMITS.confirmTitle, { plainOnly: true });
    this.text(value.text, `${path}/text`, LIMITS.confirmText);
    this.text(value.confirm, `${path}/confirm`, LIMITS.confirmButton, { plainOnly: true });
    this.text(value.deny, `${path}/deny`, LIMITS.confirmButton, { plainOnly: true });
    if (value.style !== undefined && value.style !== 'primary' && value.style !== 'danger') this.add(`${path}/style`, 'must be primary or danger');
  }
  element(value: unknown, path: string, actionIds: Set<string>): void {
    if (!isObject(value)) return this.add(path, 'must be an element object');
    if (typeof value.type !== 'string' || !INTERACTIVE_ELEMENTS.has(value.type))
      return this.add(`${path}/type`, `unknown element type ${JSON.stringify(value.type)}`);
    if (value.action_id !== undefined) {
      this.string(value.action_id, `${path}/action_id`, LIMITS.id, { min: 1 });
      if (typeof value.action_id === 'string') {
        if (actionIds.has(value.action_id)) this.add(`${path}/action_id`, `duplicate action_id ${value.action_id}`);
        actionIds.add(value.action_id);
      }
    }
    this.confirm(value.confirm, `${path}/confirm`);
    if (value.type === 'button') {
      this.text(value.text, `${path}/text`, LIMITS.buttonText, { plainOnly: true });
      this.string(value.value, `${path}/value`, LIMITS.buttonValue);
      this.string(value.url, `${path}/url`, LIMITS.url);
      this.string(value.accessibility_label, `${path}/accessibility_label`, LIMITS.buttonText);
      if (value.style !== undefined && value.style !== 'primary' && value.style !== 'danger') this.add(`${path}/style`, 'must be primary or danger');
    }
  }
  contextElement(value: unknown, path: string): void {
    if (isObject(value) && value.type === 'image') {
      if (value.image_url === undefined && value.slack_file === undefined) this.add(path, 'image needs image_url or slack_file');
      this.string(value.image_url, `${path}/image_url`, LIMITS.url);
      this.string(value.alt_text, `${path}/alt_text`, LIMITS.altText, { required: true });
      return;
    }
    this.text(value, path, LIMITS.sectionText);
  }
  block(value: unknown, path: string, blockIds: Set<string>): void {
    if (!isObject(value)) return this.add(path, 'must be a block object');
    if (typeof value.type !== 'string' || !BLOCK_TYPES.has(value.type)) return this.add(`${path}/type`, `unknown block type ${JSON.stringify(value.type)}`);
    if (value.block_id !== undefined) {
      this.string(value.block_id, `${path}/block_id`, LIMITS.id, { min: 1 });
      if (typeof value.block_id === 'string') {
        if (blockIds.has(value.block_id)) this.add(`${path}/block_id`, `duplicate block_id ${value.block_id}`);
        blockIds.add(value.block_id);
      }
    }
    const actionIds = new Set<string>();
    switch (value.type) {
      case 'section': {
        if (value.text === undefined && value.fields === undefined) this.add(path, 'section needs text or fields');
        this.text(value.text, `${path}/text`, LIMITS.sectionText, { required: false });
        if (value.fields !== undefined) {
          if (!Array.isArray(value.fields)) this.add(`${path}/fields`, 'must be an array');
          else {
            if (value.fields.length === 0) this.add(`${path}/fields`, 'must provide at least 1 item');
            if (value.fields.length > LIMITS.sectionFields) this.add(`${path}/fields`, `must provide no more than ${LIMITS.sectionFields} items`);
            value.fields.forEach((field, i) => this.text(field, `${path}/fields/${i}`, LIMITS.fieldText));
          }
        }
        if (value.accessory !== undefined) {
          if (isObject(value.accessory) && value.accessory.type === 'image') this.contextElement(value.accessory, `${path}/accessory`);
          else this.element(value.accessory, `${path}/accessory`, actionIds);
        }
        return;
      }
      case 'actions': {
        if (!Array.isArray(value.elements)) return this.add(`${path}/elements`, 'missing required field');
        if (value.elements.length === 0) this.add(`${path}/elements`, 'must provide at least 1 item');
        if (value.elements.length > LIMITS.actionsElements) this.add(`${path}/elements`, `must provide no more than ${LIMITS.actionsElements} items`);
        value.elements.forEach((element, i) => this.element(element, `${path}/elements/${i}`, actionIds));
        return;
      }
      case 'context': {
        if (!Array.isArray(value.elements)) return this.add(`${path}/elements`, 'missing required field');
        if (value.elements.length === 0) this.add(`${path}/elements`, 'must provide at least 1 item');
        if (value.elements.length > LIMITS.contextElements) this.add(`${path}/elements`, `must provide no more than ${LIMITS.contextElements} items`);
        value.elements.forEach((element, i) => this.contextElement(element, `${path}/elements/${i}`));
        return;
      }
      case 'header':
        this.text(value.text, `${path}/text`, LIMITS.headerText, { plainOnly: true });
        return;
      case 'image':
        this.contextElement(value, path);
        this.text(value.title, `${path}/title`, LIMITS.altText, { plainOnly: true, required: false });
        return;
      case 'markdown':
        this.string(value.text, `${path}/text`, LIMITS.markdownText, { min: 1, required: true });
        return;
      case 'rich_text':
        if (!Array.isArray(value.elements)) this.add(`${path}/elements`, 'missing required field');
        return;
      default:
        return;
    }
  }
}

/**
 * Slack's `[ERROR] …` lines for a `blocks` value that is already a parsed array; empty when Slack would take it.
 * Useful on its own to check a view: `expect(blockProblems(view.blocks)).toEqual([])`.
 */
export function blockProblems(blocks: unknown): string[] {
  const problems = new BlockProblems();
  if (!Array.isArray(blocks)) {
    problems.add('/blocks', 'must be an array');
    return problems.list;
  }
  if (blocks.length > LIMITS.blocksPerMessage) problems.add('/blocks', `must provide no more than ${LIMITS.blocksPerMessage} items`);
  const blockIds = new Set<string>();
  blocks.forEach((block, i) => problems.block(block, `/blocks/${i}`, blockIds));
  return problems.list;
}

/** Slack fills in what the app left out: block ids, action ids, `emoji: true`, `verbatim: false`. */
function normalizeBlocks(blocks: JsonObject[]): JsonObject[] {
  const fill = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(fill);
    if (!isObject(value)) return value;
    const copy: JsonObject = {};
    for (const [key, inner] of Object.entries(value)) copy[key] = fill(inner);
    if (copy.type === 'plain_text' && copy.emoji === undefined) copy.emoji = true;
    if (copy.type === 'mrkdwn' && copy.verbatim === undefined) copy.verbatim = false;
    if (typeof copy.type === 'string' && INTERACTIVE_ELEMENTS.has(copy.type) && copy.action_id === undefined) copy.action_id = shortId();
    return copy;
  };
  return blocks.map((block) => {
    const filled = fill(block) as JsonObject;
    return filled.block_id === undefined ? { ...filled, block_id: shortId() } : filled;
  });
}

function shortId(): string {
  return randomBytes(4).toString('base64url').slice(0, 5);
}

// ---------------------------------------------------------------------------------------------
// Requests and answers.

class Refusal extends Error {
  constructor(
    readonly error: string,
    readonly extra: JsonObject = {},
  ) {
    super(error);
  }
}

interface Answer {
  status: number;
  body: JsonObject;
  headers?: Record<string, string>;
}

const ok = (body: JsonObject = {}): Answer => ({ status: 200, body: { ok: true, ...body } });
const refuse = (error: string, extra: JsonObject = {}): Answer => ({ status: 200, body: { ok: false, error, ...extra } });

const CHANNEL_ID = /^[CGD][A-Z0-9]{2,}$/;
const USER_ID = /^[UW][A-Z0-9]{2,}$/;
const TS = /^\d{10}\.\d{6}$/;

type TokenKind = ApiCall['token'];

interface MethodContext {
  args: JsonObject;
  token: TokenKind;
}

/** The fields @slack/web-api sends as JSON strings inside the form. */
const JSON_FIELDS = ['blocks', 'metadata', 'attachments'];

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Form-encoded (what @slack/web-api sends) or JSON (what Slack also takes, with a bearer token). */
function parseArgs(contentType: string | undefined, raw: string): { args: JsonObject; json: boolean } {
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
function decodeJsonField(value: unknown): { ok: true; value: unknown } | { ok: false } {
  if (typeof value !== 'string') return { ok: true, value };
  try {
    return { ok: true, value: JSON.parse(value) };
  } catch {
    return { ok: false };
  }
}

function decodedForRecord(args: JsonObject): JsonObject {
  const copy = { ...args };
  for (const field of JSON_FIELDS) {
    if (copy[field] === undefined) continue;
    const decoded = decodeJsonField(copy[field]);
    if (decoded.ok) copy[field] = decoded.value;
  }
  delete copy.token;
  return copy;
}

function bool(value: unknown): boolean {
  return value === true || value === 'true' || value === '1' || value === 1;
}

function readBlocks(args: JsonObject): JsonObject[] | undefined {
  if (args.blocks === undefined || args.blocks === '') return undefined;
  const decoded = decodeJsonField(args.blocks);
  if (!decoded.ok || !Array.isArray(decoded.value)) throw new Refusal('invalid_blocks_format');
  const problems = blockProblems(decoded.value);
  if (problems.length > 0) throw new Refusal('invalid_blocks', { errors: problems, response_metadata: { messages: problems } });
  return normalizeBlocks(decoded.value as JsonObject[]);
}

function readMetadata(args: JsonObject): PostedMessage['metadata'] | undefined {
  if (args.metadata === undefined || args.metadata === '') return undefined;
  const decoded = decodeJsonField(args.metadata);
  if (!decoded.ok || !isObject(decoded.value)) throw new Refusal('invalid_metadata_format');
  const { event_type: eventType, event_payload: eventPayload } = decoded.value;
  if (typeof eventType !== 'string' || eventType.length === 0 || !isObject(eventPayload)) throw new Refusal('invalid_metadata_schema');
  return { event_type: eventType, event_payload: eventPayload };
}

function readText(args: JsonObject, required: boolean, blocks: JsonObject[] | undefined): string | undefined {
  const text = args.text === undefined ? undefined : String(args.text);
  const attachments = args.attachments === undefined || args.attachments === '' ? undefined : decodeJsonField(args.attachments);
  if (attachments && (!attachments.ok || !Array.isArray(attachments.value))) throw new Refusal('invalid_attachments');
  const hasContent = (text !== undefined && text.trim() !== '') || (blocks?.length ?? 0) > 0 || attachments !== undefined;
  if (required && !hasContent) throw new Refusal('no_text');
  if (text !== undefined && text.length > LIMITS.messageText) throw new Refusal('msg_too_long');
  return text;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function startSlackApi(opts: SlackApiOptions): Promise<SlackApi> {
  const now = opts.now ?? Date.now;
  const appId = opts.appId ?? 'A07QX4LB8RV';
  const teamDomain = opts.teamDomain ?? 'example';
  const usergroups = opts.usergroups ?? {};
  const users = opts.users ?? {};
  const privateChannels = opts.privateChannels ?? {};
  const calls: ApiCall[] = [];
  const messages: PostedMessage[] = [];
  const updates: MessageUpdate[] = [];
  const ephemerals: EphemeralMessage[] = [];
  const responses: ResponseUrlPost[] = [];
  const faults: Array<Fault & { left: number }> = [];
  const held = new Map<string, Promise<void>>();
  const notInChannel = new Set<string>();
  const hooks = new Map<string, { name: string; context?: ResponseUrlContext; issuedAt: number; uses: number }>();
  let socketMode: SocketModeLink | undefined;
  let lastTsMicros = 0;

  /** Unique, increasing, Slack-shaped: seconds, a dot, six digits. */
  function nextTs(): string {
    lastTsMicros = Math.max(now() * 1000, lastTsMicros + 100);
    const micros = Math.floor(lastTsMicros);
    return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
  }

  const find = (channel: string, ts: string) => messages.find((m) => m.channel === channel && m.ts === ts && !m.deleted);

  function checkChannel(args: JsonObject, { membership = true } = {}): string {
    const channel = args.channel;
    if (typeof channel !== 'string' || !(CHANNEL_ID.test(channel) || USER_ID.test(channel))) throw new Refusal('channel_not_found');
    if (membership && notInChannel.has(channel)) throw new Refusal('not_in_channel');
    return channel;
  }

  /**
   * The thread parent of `thread_ts`. Slack itself may accept an unknown thread_ts and orphan the reply
   * where nobody sees it; the stand-in refuses it, so a test catches the bug.
   */
  function checkThread(channel: string, args: JsonObject): string | undefined {
    if (args.thread_ts === undefined || args.thread_ts === '') return undefined;
    if (typeof args.thread_ts !== 'string' || !TS.test(args.thread_ts)) throw new Refusal('invalid_thread_ts');
    const parent = find(channel, args.thread_ts);
    if (!parent) throw new Refusal('thread_not_found');
    return parent.thread_ts ?? parent.ts;
  }

  function post(channel: string, fields: Pick<PostedMessage, 'text' | 'blocks' | 'metadata' | 'thread_ts' | 'via'>): PostedMessage {
    const message: PostedMessage = {
      type: 'message',
      channel,
      ts: nextTs(),
      ...(fields.thread_ts ? { thread_ts: fields.thread_ts } : {}),
      text: fields.text,
      ...(fields.blocks ? { blocks: fields.blocks } : {}),
      ...(fields.metadata ? { metadata: fields.metadata } : {}),
      user: opts.botUserId,
      bot_id: opts.botId,
      app_id: appId,
      team: opts.teamId,
      via: fields.via,
      at: now(),
    };
    messages.push(message);
    return message;
  }

  /** The message as Slack returns it in API answers. */
  function wire(message: PostedMessage): JsonObject {
    const { channel: _channel, via: _via, at: _at, deleted: _deleted, ...rest } = message;
    return {
      ...rest,
      bot_profile: { id: opts.botId, app_id: appId, name: 'offer-bot', deleted: false, team_id: opts.teamId },
    };
  }

  function readBack(message: PostedMessage, withMetadata: boolean): JsonObject {
    const { metadata, ...rest } = wire(message);
    return withMetadata && metadata ? { ...rest, metadata } : rest;
  }

  const methods: Record<string, { tokens: ReadonlyArray<TokenKind>; run: (ctx: MethodContext) => Answer }> = {
    'auth.test': {
      tokens: ['bot'],
      run: () =>
        ok({
          url: `https://${teamDomain}.slack.com/`,
          team: teamDomain,
          user: 'offer-bot',
          team_id: opts.teamId,
          user_id: opts.botUserId,
          bot_id: opts.botId,
          is_enterprise_install: false,
        }),
    },
    'chat.postMessage': {
      tokens: ['bot'],
      run: ({ args }) => {
        const channel = checkChannel(args);
        const blocks = readBlocks(args);
        const text = readText(args, true, blocks) ?? '';
        const metadata = readMetadata(args);
        const threadTs = checkThread(channel, args);
        const message = post(channel, { text, blocks, metadata, thread_ts: threadTs, via: 'chat.postMessage' });
        return ok({ channel, ts: message.ts, message: wire(message) });
      },
    },
    'chat.update': {
      tokens: ['bot'],
      run: ({ args }) => {
        const channel = checkChannel(args, { membership: false });
        if (typeof args.ts !== 'string' || !TS.test(args.ts)) throw new Refusal('message_not_found');
        const message = find(channel, args.ts);
        if (!message) throw new Refusal('message_not_found');
        const blocks = readBlocks(args);
        const text = readText(args, true, blocks);
        const metadata = readMetadata(args);
        // Slack keeps what an update leaves out: blocks (unless `[]` is sent), metadata.
        if (text !== undefined) message.text = text;
        if (blocks !== undefined && blocks.length > 0) message.blocks = blocks;
        else if (blocks !== undefined) delete message.blocks;
        if (metadata !== undefined) message.metadata = metadata;
        message.edited = { ts: nextTs() };
        updates.push({
          channel,
          ts: message.ts,
          text: message.text,
          ...(message.blocks ? { blocks: message.blocks } : {}),
          ...(message.metadata ? { metadata: message.metadata } : {}),
          via: 'chat.update',
          at: now(),
        });
        return ok({ channel, ts: message.ts, text: message.text, message: wire(message) });
      },
    },
    'chat.postEphemeral': {
      tokens: ['bot'],
      run: ({ args }) => {
        const channel = checkChannel(args);
        if (typeof args.user !== 'string' || !USER_ID.test(args.user)) throw new Refusal('user_not_found');
        const blocks = readBlocks(args);
        const text = readText(args, true, blocks) ?? '';
        const threadTs = checkThread(channel, args);
        const ephemeral: EphemeralMessage = {
          channel,
          user: args.user,
          text,
          ...(blocks ? { blocks } : {}),
          ...(threadTs ? { thread_ts: threadTs } : {}),
          message_ts: nextTs(),
          via: 'chat.postEphemeral',
          at: now(),
        };
        ephemerals.push(ephemeral);
        return ok({ message_ts: ephemeral.message_ts });
      },
    },
    // Reading back what was posted (channels:history / groups:history). Metadata only with include_all_metadata, as Slack does.
    'conversations.history': {
      tokens: ['bot'],
      run: ({ args }) => {
        const channel = checkChannel(args);
        const oldest = typeof args.oldest === 'string' ? Number(args.oldest) : 0;
        const withMetadata = args.include_all_metadata === true || args.include_all_metadata === 'true';
        const found = messages
          .filter((m) => m.channel === channel && !m.deleted && (!m.thread_ts || m.thread_ts === m.ts) && Number(m.ts) > oldest)
          .reverse()
          .map((m) => readBack(m, withMetadata));
        return ok({ messages: found, has_more: false });
      },
    },
    'conversations.replies': {
      tokens: ['bot'],
      run: ({ args }) => {
        const channel = checkChannel(args);
        if (typeof args.ts !== 'string' || !TS.test(args.ts) || !find(channel, args.ts)) throw new Refusal('thread_not_found');
        const parent = args.ts;
        const withMetadata = args.include_all_metadata === true || args.include_all_metadata === 'true';
        const found = messages
          .filter((m) => m.channel === channel && !m.deleted && (m.ts === parent || m.thread_ts === parent))
          .map((m) => readBack(m, withMetadata));
        return ok({ messages: found, has_more: false });
      },
    },
    'usergroups.users.list': {
      tokens: ['bot'],
      run: ({ args }) => {
        if (typeof args.usergroup !== 'string' || args.usergroup === '') throw new Refusal('invalid_arguments');
        const users = usergroups[args.usergroup];
        if (!users) throw new Refusal('no_such_subteam');
        return ok({ users: [...users] });
      },
    },
    'users.info': {
      tokens: ['bot'],
      run: ({ args }) => {
        if (typeof args.user !== 'string' || !USER_ID.test(args.user)) throw new Refusal('user_not_found');
        const facts = users[args.user] ?? {};
        const teamId = facts.team_id ?? opts.teamId;
        // Slack leaves out the guest flags' false values for people of other organisations; it always sends them for its own.
        return ok({
          user: {
            id: args.user,
            team_id: teamId,
            name: args.user.toLowerCase(),
            deleted: false,
            is_bot: false,
            is_restricted: facts.is_restricted ?? false,
            is_ultra_restricted: facts.is_ultra_restricted ?? false,
            ...(facts.is_stranger ? { is_stranger: true } : {}),
            ...(facts.enterprise_id
              ? { enterprise_user: { id: args.user, enterprise_id: facts.enterprise_id, enterprise_name: 'Example Org', teams: [teamId] } }
              : {}),
          },
        });
      },
    },
    'conversations.info': {
      tokens: ['bot'],
      run: ({ args }) => {
        const channel = checkChannel(args, { membership: false });
        const members = privateChannels[channel];
        // A private channel the bot is not in does not exist, as far as Slack tells the bot.
        if (members && notInChannel.has(channel)) throw new Refusal('channel_not_found');
        const isIm = channel.startsWith('D');
        return ok({ channel: { id: channel, is_channel: !isIm, is_im: isIm, is_mpim: false, is_private: members !== undefined || isIm, is_archived: false } });
      },
    },
    'users.conversations': {
      tokens: ['bot'],
      run: ({ args }) => {
        if (typeof args.user !== 'string' || !USER_ID.test(args.user)) throw new Refusal('user_not_found');
        const types = String(args.types ?? 'public_channel').split(',');
        if (!types.includes('private_channel')) return ok({ channels: [], response_metadata: { next_cursor: '' } });
        const user = args.user;
        const found = Object.entries(privateChannels)
          .filter(([channel, members]) => members.includes(user) && !notInChannel.has(channel))
          .map(([channel]) => ({ id: channel, is_private: true, is_channel: true }));
        return ok({ channels: found, response_metadata: { next_cursor: '' } });
      },
    },
    'apps.connections.open': {
      tokens: ['app'],
      run: () => {
        if (!socketMode) throw new Refusal('socket_mode_stand_in_not_attached');
        return ok({ url: socketMode.connectionUrl() });
      },
    },
  };

  /** The bearer header, or (form bodies only) a `token` field, as Slack allows. */
  function tokenKind(req: IncomingMessage, args: JsonObject, json: boolean): TokenKind {
    const header = req.headers.authorization;
    let token: string | undefined;
    if (header !== undefined) {
      token = /^Bearer (\S+)$/.exec(header)?.[1];
      if (!token) return 'unknown';
    } else if (!json && typeof args.token === 'string' && args.token !== '') {
      token = args.token;
    }
    if (token === undefined) return 'none';
    if (token === opts.botToken) return 'bot';
    if (opts.appToken !== undefined && token === opts.appToken) return 'app';
    return 'unknown';
  }

  function takeFault(method: string): FaultResponse | undefined {
    const fault = faults.find((f) => f.left > 0 && (f.method === method || f.method === '*'));
    if (!fault) return undefined;
    fault.left -= 1;
    return fault.respond;
  }

  /** A fault's answer, or `'reset'` to drop the connection. */
  function faultAnswer(respond: FaultResponse): Answer | 'reset' {
    if (respond === 'reset') return 'reset';
    if ('status' in respond) return { status: respond.status, body: { ok: false, error: 'fatal_error' } };
    if ('retryAfter' in respond) return { status: 429, body: { ok: false, error: 'ratelimited' }, headers: { 'retry-after': String(respond.retryAfter) } };
    return refuse(respond.error);
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
    const raw = await readBody(req);
    const at = now();
    const record = (args: JsonObject, token: TokenKind, answer: Answer | 'reset') => {
      calls.push({
        method,
        args: decodedForRecord(args),
        at,
        token,
        status: answer === 'reset' ? 0 : answer.status,
        answer: answer === 'reset' ? undefined : answer.body,
      });
    };
    // Slack also takes GET; @slack/web-api always POSTs, so anything else means the client is not the SDK.
    if (req.method !== 'POST') {
      const answer: Answer = { status: 405, body: { ok: false, error: 'method_not_allowed' } };
      record({}, 'none', answer);
      return send(res, answer);
    }
    let args: JsonObject = {};
    let json = false;
    let token: TokenKind = 'none';
    let answer: Answer | 'reset';
    try {
      ({ args, json } = parseArgs(req.headers['content-type'], raw));
      token = tokenKind(req, args, json);
      const fault = takeFault(method);
      const spec = methods[method];
      if (fault) answer = faultAnswer(fault);
      else if (!spec) answer = refuse('unknown_method', { req_method: method });
      else if (token === 'none') answer = refuse('not_authed');
      else if (token === 'unknown') answer = refuse('invalid_auth');
      else if (!spec.tokens.includes(token)) answer = refuse('not_allowed_token_type');
      else answer = spec.run({ args, token });
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      answer = refuse(error.error, error.extra);
    }
    record(args, token, answer);
    await held.get(method);
    if (opts.latencyMs) await sleep(opts.latencyMs);
    if (answer === 'reset') {
      req.socket.destroy();
      return;
    }
    send(res, answer);
  }

  async function handleHook(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    const raw = await readBody(req);
    const hook = hooks.get(id);
    const name = hook?.name ?? id;
    const at = now();
    const done = (status: number, error?: string, body: JsonObject = {}) => {
      responses.push({ name, body, status, ...(error ? { error } : {}), at });
      return { status, body: error ? { ok: false, error } : { ok: true } } satisfies Answer;
    };
    let answer: Answer | 'reset';
    const fault = takeFault('response_url');
    if (fault) {
      answer = faultAnswer(fault);
      if (answer !== 'reset') responses.push({ name, body: {}, status: answer.status, error: 'injected', at });
    } else answer = respondToHook(req, raw, hook, done, at);
    if (opts.latencyMs) await sleep(opts.latencyMs);
    if (answer === 'reset') {
      req.socket.destroy();
      return;
    }
    send(res, answer);
  }

  function respondToHook(
    req: IncomingMessage,
    raw: string,
    hook: { context?: ResponseUrlContext; issuedAt: number; uses: number } | undefined,
    done: (status: number, error?: string, body?: JsonObject) => Answer,
    at: number,
  ): Answer {
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
    const replaceOriginal = bool(body.replace_original);
    if (body.response_type !== undefined && body.response_type !== 'in_channel' && body.response_type !== 'ephemeral')
      return done(400, 'invalid_response_type', body);
    let blocks: JsonObject[] | undefined;
    let text: string | undefined;
    try {
      if (!deleteOriginal) {
        blocks = readBlocks(body);
        text = readText(body, true, blocks);
      }
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      return done(400, error.error, body);
    }
    const context = hook.context;
    if (context) {
      const original = context.messageTs ? find(context.channel, context.messageTs) : undefined;
      if ((deleteOriginal || replaceOriginal) && original) {
        if (deleteOriginal) original.deleted = true;
        else {
          original.text = text ?? '';
          if (blocks) original.blocks = blocks;
          else delete original.blocks;
          original.edited = { ts: nextTs() };
        }
        updates.push({
          channel: original.channel,
          ts: original.ts,
          text: original.text,
          ...(original.blocks ? { blocks: original.blocks } : {}),
          ...(deleteOriginal ? { deleted: true as const } : {}),
          via: 'response_url',
          at,
        });
      } else if (!deleteOriginal && body.response_type === 'in_channel') {
        const threadTs = typeof body.thread_ts === 'string' ? find(context.channel, body.thread_ts) : undefined;
        post(context.channel, {
          text: text ?? '',
          blocks,
          thread_ts: threadTs ? (threadTs.thread_ts ?? threadTs.ts) : undefined,
          via: 'response_url',
        });
      } else if (!deleteOriginal && context.userId) {
        ephemerals.push({
          channel: context.channel,
          user: context.userId,
          text: text ?? '',
          ...(blocks ? { blocks } : {}),
          message_ts: nextTs(),
          via: 'response_url',
          at,
        });
      }
    }
    return done(200, undefined, body);
  }

  function send(res: ServerResponse, answer: Answer): void {
    res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8', ...answer.headers });
    res.end(JSON.stringify(answer.body));
  }

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://stand-in').pathname;
    const api = /^\/api\/([A-Za-z0-9_.]+)$/.exec(path);
    const hook = /^\/(?:commands|actions)\/[A-Z0-9]+\/(\d+)\/([A-Za-z0-9]+)$/.exec(path);
    const work = api?.[1]
      ? handleApi(req, res, api[1])
      : hook?.[1]
        ? handleHook(req, res, `${hook[1]}/${hook[2]}`)
        : Promise.resolve(send(res, { status: 404, body: { ok: false, error: 'not_found' } }));
    work.catch((error: unknown) => {
      if (!res.headersSent) send(res, { status: 500, body: { ok: false, error: 'stand_in_bug', detail: String(error) } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  let hookSeq = 7_910_383_848_576;

  return {
    url: `${origin}/api/`,
    calls,
    messages,
    updates,
    ephemerals,
    responses,
    responseUrl(name, context) {
      hookSeq += 1;
      const id = `${hookSeq}/${randomBytes(12).toString('base64url').replace(/[-_]/g, 'x')}`;
      hooks.set(id, { name, ...(context ? { context } : {}), issuedAt: now(), uses: 0 });
      const kind = context?.messageTs ? 'actions' : 'commands';
      return `${origin}/${kind}/${opts.teamId}/${id}`;
    },
    message: (channel, ts) => messages.find((m) => m.channel === channel && m.ts === ts),
    inject(fault) {
      faults.push({ ...fault, left: fault.times ?? 1 });
    },
    hold(method) {
      let release = () => {};
      held.set(
        method,
        new Promise<void>((resolve) => {
          release = resolve;
        }),
      );
      return () => {
        held.delete(method);
        release();
      };
    },
    setNotInChannel(channel, notIn = true) {
      if (notIn) notInChannel.add(channel);
      else notInChannel.delete(channel);
    },
    attachSocketMode(link) {
      socketMode = link;
    },
    async waitFor(predicate, timeoutMs = 2000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const value = predicate();
        if (value !== undefined && value !== null && value !== false) return value;
        if (Date.now() > deadline) {
          const seen = calls.map((c) => `${c.method} → ${c.answer?.ok === false ? String(c.answer.error) : c.status}`);
          throw new Error(`waitFor timed out after ${timeoutMs} ms; Web API calls so far: ${seen.join(', ') || 'none'}`);
        }
        await sleep(10);
      }
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
