// The app manifest: read it, derive its Socket Mode and filled-in HTTP variants, check it against Slack's schema.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject } from 'ajv';
import { parseDocument, visit, type Document } from 'yaml';

export const MANIFEST_PATH = fileURLToPath(new URL('../app.manifest.yml', import.meta.url));
const SCHEMA_DIR = fileURLToPath(new URL('./schema/', import.meta.url));
const TOP_SCHEMA = 'manifest.schema.json';

/** The placeholder the checked-in manifest uses for the bot's public host. */
export const HOST_PLACEHOLDER = 'YOUR-HOST';

/** The parts of a manifest this project reads; the schema checks the rest. */
export interface Manifest {
  display_information?: { name?: string; description?: string };
  features?: { slash_commands?: Array<{ command: string; url?: string; description?: string; usage_hint?: string }> };
  oauth_config?: { scopes?: { bot?: string[]; user?: string[] } };
  settings?: {
    interactivity?: { is_enabled?: boolean; request_url?: string; message_menu_options_url?: string };
    event_subscriptions?: { request_url?: string; bot_events?: string[] };
    socket_mode_enabled?: boolean;
  };
}

/** Parses YAML (or JSON, which is YAML) keeping comments; throws on a syntax error. */
export function parseManifest(text: string): Document {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new Error(`manifest is not valid YAML: ${doc.errors.map((e) => e.message).join('; ')}`);
  return doc;
}

export function readManifest(path: string = MANIFEST_PATH): Document {
  return parseManifest(readFileSync(path, 'utf8'));
}

export const toManifest = (doc: Document): Manifest => doc.toJS() as Manifest;

const SOCKET_HEADER = [
  ' Slack app manifest for offer-bot (Socket Mode): no public URL needed.',
  ' Paste it at https://api.slack.com/apps → "Create New App" → "From a manifest".',
  ' Then make an app-level token with the connections:write scope (Basic Information → App-Level',
  ' Tokens) and set it as SLACK_APP_TOKEN; set SLACK_BOT_TOKEN from OAuth & Permissions after installing,',
  ' and invite the bot to the channels where /offer is used (/invite @offer-bot).',
].join('\n');

/** The same app for Socket Mode: `socket_mode_enabled: true`, and no request URLs (Slack ignores them then). */
export function socketModeVariant(source: Document): Document {
  const doc = source.clone();
  doc.commentBefore = SOCKET_HEADER;
  const commands = toManifest(doc).features?.slash_commands ?? [];
  commands.forEach((_, i) => doc.deleteIn(['features', 'slash_commands', i, 'url']));
  doc.deleteIn(['settings', 'interactivity', 'request_url']);
  doc.deleteIn(['settings', 'event_subscriptions', 'request_url']);
  doc.deleteIn(['settings', 'interactivity', 'message_menu_options_url']);
  doc.setIn(['settings', 'socket_mode_enabled'], true);
  return doc;
}

/** The HTTP manifest with the placeholder host replaced, ready to paste. */
export function httpVariant(source: Document, host: string): Document {
  if (!/^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(host)) throw new Error(`not a host name: ${JSON.stringify(host)}`);
  const doc = source.clone();
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && node.value.includes(HOST_PLACEHOLDER)) {
        node.value = node.value.replaceAll(HOST_PLACEHOLDER, host);
        node.comment = null;
      }
    },
  });
  doc.commentBefore = ` Slack app manifest for offer-bot (HTTP mode), for https://${host}/.\n Paste it at https://api.slack.com/apps → "Create New App" → "From a manifest".`;
  return doc;
}

type Validate = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };
interface Validators {
  top: Validate;
  /** Each versioned schema by its major version, for errors that name one version's rules. */
  byMajor: Map<number, Validate>;
}
let compiled: Validators | undefined;

/**
 * Slack's official schema (github.com/slackapi/manifest-schema, MIT), copied into manifest/schema/.
 * The top schema `$ref`s the versioned files by their raw.githubusercontent.com URLs; each is registered
 * under the URL that names it, so nothing is fetched.
 */
function schemaValidators(): Validators {
  if (compiled) return compiled;
  // Non-strict: the schema uses keywords Ajv does not know (e.g. `regex`); formats are left to its patterns.
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  const top = JSON.parse(readFileSync(join(SCHEMA_DIR, TOP_SCHEMA), 'utf8')) as unknown;
  const refs = new Set<string>();
  JSON.stringify(top, (key, value: unknown) => {
    if (key === '$ref' && typeof value === 'string') refs.add(value);
    return value;
  });
  const files = new Set(readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.json') && f !== TOP_SCHEMA));
  const byMajor = new Map<number, Validate>();
  for (const ref of refs) {
    const file = basename(new URL(ref).pathname);
    if (!files.has(file)) throw new Error(`manifest/schema/ lacks ${file}, which ${TOP_SCHEMA} refers to as ${ref}`);
    ajv.addSchema(JSON.parse(readFileSync(join(SCHEMA_DIR, file), 'utf8')) as object, ref);
    const major = /\.(\d+)\.\d+\.\d+\.json$/.exec(file)?.[1];
    if (major) byMajor.set(Number(major), ajv.getSchema(ref) as Validate);
  }
  compiled = { top: ajv.compile(top as object) as Validate, byMajor };
  return compiled;
}

function describe(errors: ErrorObject[]): string[] {
  const lines = errors.map(
    (error) =>
      `${error.instancePath || '/'} ${error.message ?? error.keyword}${
        error.keyword === 'additionalProperties' ? ` (${String(error.params.additionalProperty)})` : ''
      }`,
  );
  return [...new Set(lines)];
}

/** Schema errors, plus what Slack needs in the chosen mode; empty when the manifest is good. */
export function manifestProblems(manifest: unknown): string[] {
  const { top, byMajor } = schemaValidators();
  const problems: string[] = [];
  if (!top(manifest)) {
    // The top schema is a oneOf over versions, whose errors repeat each other; report the version that applies.
    const major = (manifest as { _metadata?: { major_version?: unknown } } | null)?._metadata?.major_version;
    const versioned = byMajor.get(typeof major === 'number' ? major : 1);
    if (versioned && !versioned(manifest)) problems.push(...describe(versioned.errors ?? []));
    else problems.push(...describe(top.errors ?? []));
  }
  const m = manifest as Manifest;
  if (m?.settings?.socket_mode_enabled !== true) {
    (m?.features?.slash_commands ?? []).forEach((command, i) => {
      if (!command.url) problems.push(`/features/slash_commands/${i} needs a url when socket_mode_enabled is not true`);
    });
    if (m?.settings?.interactivity?.is_enabled && !m.settings.interactivity.request_url)
      problems.push('/settings/interactivity needs a request_url when socket_mode_enabled is not true');
  }
  return problems;
}
