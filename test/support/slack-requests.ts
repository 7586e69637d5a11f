// What Slack sends to a Bolt HTTP endpoint: signed slash commands and button clicks, built from saved payloads.
import { createHmac } from 'node:crypto';
import { request } from 'node:http';
import blockActionsFixture from '../fixtures/block-actions.json' with { type: 'json' };
import slashCommandFixture from '../fixtures/slash-command.json' with { type: 'json' };

/** Exactly what Slack puts in Content-Type: Bolt compares it verbatim, a `; charset` suffix gets a 400. */
export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';

/** The form fields of a slash command, as Slack sends them (all strings). */
export interface SlashCommandFields {
  token: string;
  team_id: string;
  team_domain: string;
  enterprise_id?: string;
  enterprise_name?: string;
  channel_id: string;
  channel_name: string;
  user_id: string;
  user_name: string;
  command: string;
  text: string;
  api_app_id: string;
  is_enterprise_install: 'true' | 'false';
  response_url: string;
  trigger_id: string;
}

export type SlashCommandInput = Partial<SlashCommandFields> & Pick<SlashCommandFields, 'text' | 'user_id' | 'channel_id'>;

type Json = Record<string, unknown>;

/** A `block_actions` payload for a button in a message. */
export interface BlockActionPayload {
  type: 'block_actions';
  user: { id: string; username: string; name: string; team_id: string; enterprise_id?: string };
  api_app_id: string;
  token: string;
  container: { type: 'message'; message_ts: string; channel_id: string; is_ephemeral: boolean };
  trigger_id: string;
  team: { id: string; domain: string } | null;
  enterprise: { id: string; name: string } | null;
  is_enterprise_install: boolean;
  channel: { id: string; name: string };
  message: {
    user: string;
    type: 'message';
    ts: string;
    thread_ts?: string;
    bot_id: string;
    app_id: string;
    text: string;
    team: string;
    blocks: Json[];
    metadata?: { event_type: string; event_payload: Json };
  };
  state: { values: Json };
  response_url: string;
  actions: Array<{
    action_id: string;
    block_id: string;
    text: unknown;
    value: string;
    style?: string;
    type: 'button';
    action_ts: string;
  }>;
}

const slashFixture = slashCommandFixture as SlashCommandFields;
const clickFixture = blockActionsFixture as BlockActionPayload;

export interface SlackResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** The body parsed, when it is JSON; otherwise undefined. */
  json: unknown;
}

export interface SignOptions {
  /** Unix seconds; defaults to now. Bolt refuses one more than 5 minutes away. */
  timestamp?: number;
  /** Sign with a secret that is not the app's. */
  forgeSignature?: boolean;
  /** Extra or overriding headers (e.g. to drop the signature: `{ 'x-slack-signature': '' }`). */
  headers?: Record<string, string>;
}

/** `v0=` + HMAC-SHA256 of `v0:{timestamp}:{raw body}` under the signing secret. */
export function slackSignature(signingSecret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/** POSTs `body` as Slack would, signed; use it directly for hostile or malformed payloads. */
export function sendSigned(
  url: string,
  signingSecret: string,
  body: string,
  contentType: string = FORM_CONTENT_TYPE,
  opts: SignOptions = {},
): Promise<SlackResponse> {
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const secret = opts.forgeSignature ? `${signingSecret}-forged` : signingSecret;
  const headers: Record<string, string> = {
    'content-type': contentType,
    'content-length': String(Buffer.byteLength(body)),
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': slackSignature(secret, timestamp, body),
    'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
    accept: 'application/json,*/*',
    ...opts.headers,
  };
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = text === '' ? undefined : JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, json });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A slash command's fields, in the order Slack sends them, from the saved fixture and `fields`. */
export function slashCommandPayload(fields: SlashCommandInput): SlashCommandFields {
  return { ...slashFixture, ...fields };
}

/** A signed slash command, form-encoded as Slack sends it. */
export function sendSlashCommand(url: string, signingSecret: string, fields: SlashCommandInput, opts: SignOptions = {}): Promise<SlackResponse> {
  const body = new URLSearchParams(slashCommandPayload(fields) as unknown as Record<string, string>).toString();
  return sendSigned(url, signingSecret, body, FORM_CONTENT_TYPE, opts);
}

/** The message a click came from: a stored message of the Web API stand-in fits. */
export interface ClickedMessage {
  ts: string;
  channel?: string;
  text?: string;
  blocks?: ReadonlyArray<Json>;
  metadata?: { event_type: string; event_payload: Json } | undefined;
  thread_ts?: string;
  user?: string;
  bot_id?: string;
  app_id?: string;
}

export interface BlockActionInput {
  /** Who clicked. */
  user_id: string;
  action_id: string;
  message: ClickedMessage;
  /** Defaults to `message.channel`, then the fixture's channel. */
  channel_id?: string;
  /** Default: the clicked button's own value in `message.blocks`. */
  value?: string;
  /** Default: the id of the block holding the button. */
  block_id?: string;
  user_name?: string;
  /** The workspace that owns the message (`team.id`); `null` as on an Enterprise Grid org-wide install. */
  team_id?: string | null;
  /** The clicker's own workspace (`user.team_id`); in a Slack Connect channel it can differ from `team_id`. Default: `team_id`. */
  user_team_id?: string;
  /** Enterprise Grid: the organisation owning the message (`enterprise.id`) and the clicker's (`user.enterprise_id`). */
  enterprise_id?: string;
  user_enterprise_id?: string;
  team_domain?: string;
  channel_name?: string;
  api_app_id?: string;
  token?: string;
  response_url?: string;
  trigger_id?: string;
  action_ts?: string;
  /** Leave `message.metadata` out of the payload even when the message has it. */
  withoutMetadata?: boolean;
}

interface FoundButton {
  block_id?: string;
  value?: string;
  text?: unknown;
  style?: string;
}

function findButton(blocks: ClickedMessage['blocks'], actionId: string): FoundButton | undefined {
  for (const block of blocks ?? []) {
    const elements = [...(Array.isArray(block.elements) ? block.elements : []), block.accessory];
    for (const element of elements) {
      if (typeof element !== 'object' || element === null) continue;
      const e = element as Record<string, unknown>;
      if (e.type === 'button' && e.action_id === actionId) {
        return {
          ...(typeof block.block_id === 'string' ? { block_id: block.block_id } : {}),
          ...(typeof e.value === 'string' ? { value: e.value } : {}),
          text: e.text,
          ...(typeof e.style === 'string' ? { style: e.style } : {}),
        };
      }
    }
  }
  return undefined;
}

const nowTs = () => {
  const micros = Date.now() * 1000;
  return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
};

/**
 * A `block_actions` payload for a click on a button of `message`, shaped like the saved fixture.
 * The button's block id, value, text and style come from the message's blocks, as Slack sends them;
 * a button that is not in the message (a forged click) gets what the input says, or the fixture's values.
 */
export function blockActionPayload(input: BlockActionInput): BlockActionPayload {
  const f = clickFixture;
  const fixtureAction = f.actions[0]!;
  const fixtureTeam = f.team ?? { id: f.user.team_id, domain: 'example' };
  const teamId = input.team_id === undefined ? fixtureTeam.id : input.team_id;
  const userTeamId = input.user_team_id ?? teamId ?? fixtureTeam.id;
  const channelId = input.channel_id ?? input.message.channel ?? f.channel.id;
  const button = findButton(input.message.blocks, input.action_id);
  const { metadata } = input.message;
  return {
    type: 'block_actions',
    user: {
      id: input.user_id,
      username: input.user_name ?? f.user.username,
      name: input.user_name ?? f.user.name,
      team_id: userTeamId,
      ...(input.user_enterprise_id ? { enterprise_id: input.user_enterprise_id } : {}),
    },
    api_app_id: input.api_app_id ?? f.api_app_id,
    token: input.token ?? f.token,
    container: { type: 'message', message_ts: input.message.ts, channel_id: channelId, is_ephemeral: false },
    trigger_id: input.trigger_id ?? f.trigger_id,
    team: teamId === null ? null : { id: teamId, domain: input.team_domain ?? fixtureTeam.domain },
    enterprise: input.enterprise_id ? { id: input.enterprise_id, name: 'Example Org' } : null,
    is_enterprise_install: teamId === null,
    channel: { id: channelId, name: input.channel_name ?? f.channel.name },
    message: {
      user: input.message.user ?? f.message.user,
      type: 'message',
      ts: input.message.ts,
      ...(input.message.thread_ts ? { thread_ts: input.message.thread_ts } : {}),
      bot_id: input.message.bot_id ?? f.message.bot_id,
      app_id: input.message.app_id ?? f.message.app_id,
      text: input.message.text ?? '',
      team: teamId ?? userTeamId,
      blocks: [...(input.message.blocks ?? [])],
      ...(metadata && !input.withoutMetadata ? { metadata } : {}),
    },
    state: { values: {} },
    response_url: input.response_url ?? f.response_url,
    actions: [
      {
        action_id: input.action_id,
        block_id: input.block_id ?? button?.block_id ?? fixtureAction.block_id,
        text: button?.text ?? fixtureAction.text,
        value: input.value ?? button?.value ?? fixtureAction.value,
        ...(button?.style ? { style: button.style } : {}),
        type: 'button',
        action_ts: input.action_ts ?? nowTs(),
      },
    ],
  };
}

/** A signed button click: form field `payload` holding the JSON, as Slack sends it. */
export function sendBlockAction(url: string, signingSecret: string, payload: BlockActionPayload | Json, opts: SignOptions = {}): Promise<SlackResponse> {
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  return sendSigned(url, signingSecret, body, FORM_CONTENT_TYPE, opts);
}

/** Who acts in a modal or the Home tab, and the app Slack delivers it to. */
export interface ViewActor {
  user_id: string;
  team_id: string;
  team_domain?: string;
  api_app_id?: string;
  token?: string;
}

/** A value in `view.state.values`, as Slack builds it for each element type. */
export type StateValue =
  | { type: 'plain_text_input' | 'email_text_input' | 'url_text_input' | 'number_input'; value: string | null }
  | {
      type: 'static_select' | 'external_select';
      selected_option: { text: { type: 'plain_text'; text: string; emoji?: boolean }; value: string } | null;
    }
  | { type: string; [field: string]: unknown };

/** `{block_id: {action_id: value}}`, as in `view.state.values`. */
export type StateValues = Record<string, Record<string, StateValue>>;

function viewUser(actor: ViewActor) {
  const f = clickFixture;
  return { id: actor.user_id, username: f.user.username, name: f.user.name, team_id: actor.team_id };
}

/** A `view_submission` payload: the view as Slack holds it, with the state the user entered. */
export function viewSubmissionPayload(view: Json, actor: ViewActor, values: StateValues, triggerId: string): Json {
  const f = clickFixture;
  return {
    type: 'view_submission',
    team: { id: actor.team_id, domain: actor.team_domain ?? 'example' },
    user: viewUser(actor),
    api_app_id: actor.api_app_id ?? f.api_app_id,
    token: actor.token ?? f.token,
    trigger_id: triggerId,
    view: { ...view, state: { values } },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

/** A `block_suggestion` payload: what Slack sends to the options load URL while someone types in an external_select. */
export function blockSuggestionPayload(view: Json, actor: ViewActor, input: { action_id: string; block_id: string; value: string }): Json {
  const f = clickFixture;
  return {
    type: 'block_suggestion',
    user: viewUser(actor),
    container: { type: 'view', view_id: view.id },
    api_app_id: actor.api_app_id ?? f.api_app_id,
    token: actor.token ?? f.token,
    action_id: input.action_id,
    block_id: input.block_id,
    value: input.value,
    team: { id: actor.team_id, domain: actor.team_domain ?? 'example' },
    enterprise: null,
    is_enterprise_install: false,
    view,
  };
}

/** An Events API `event_callback` for `app_home_opened` on the Home tab; Slack adds the Home view once one is published. */
export function appHomeOpenedPayload(actor: ViewActor & { bot_user_id: string; home?: Json }): Json {
  const now = Date.now();
  const eventTs = nowTs();
  return {
    token: actor.token ?? clickFixture.token,
    team_id: actor.team_id,
    api_app_id: actor.api_app_id ?? clickFixture.api_app_id,
    event: {
      type: 'app_home_opened',
      user: actor.user_id,
      // The app's DM with the user: Slack names it D + the rest of the user id here.
      channel: `D${actor.user_id.slice(1)}`,
      tab: 'home',
      event_ts: eventTs,
      ...(actor.home ? { view: actor.home } : {}),
    },
    type: 'event_callback',
    event_id: `Ev${now.toString(36).toUpperCase()}${Math.floor(Math.random() * 1e6)}`,
    event_time: Math.floor(now / 1000),
    authorizations: [{ enterprise_id: null, team_id: actor.team_id, user_id: actor.bot_user_id, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
  };
}

/** A signed interaction (view_submission, block_suggestion, block_actions): form field `payload` holding the JSON. */
export const sendInteraction = sendBlockAction;

/** A signed Events API request: a JSON body, as Slack sends events. */
export function sendEvent(url: string, signingSecret: string, payload: Json, opts: SignOptions = {}): Promise<SlackResponse> {
  return sendSigned(url, signingSecret, JSON.stringify(payload), 'application/json', opts);
}
