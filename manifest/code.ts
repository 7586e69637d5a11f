// What the code under src/ needs from the manifest: its slash commands, and the bot scopes of the Web API methods it calls.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SRC_DIR = fileURLToPath(new URL('../src/', import.meta.url));

/**
 * The bot scope each Web API method needs (Slack's method reference), `null` for none. A method the code
 * calls that is missing here fails the manifest test: add it with its scope, and the scope to the manifest.
 */
export const METHOD_SCOPES: Readonly<Record<string, string | readonly string[] | null>> = {
  'auth.test': null,
  'chat.postMessage': 'chat:write',
  'chat.update': 'chat:write',
  'chat.postEphemeral': 'chat:write',
  'chat.delete': 'chat:write',
  'usergroups.users.list': 'usergroups:read',
  // Only to check what a delivery cut off by a crash already posted: public and private channels, and the requester's DM.
  'conversations.history': ['channels:history', 'groups:history', 'im:history'],
  // The requester's DM channel id, only to look there for a DM whose post got no clear answer.
  'conversations.open': 'im:write',
  'conversations.replies': ['channels:history', 'groups:history'],
  'usergroups.list': 'usergroups:read',
  'users.info': 'users:read',
  'conversations.info': ['channels:read', 'groups:read'],
  'users.conversations': 'groups:read',
  // Called with the app-level token (connections:write), which no bot scope grants or needs.
  'apps.connections.open': null,
  // The Home tab: no scope beyond the app_home_opened event that asks for it.
  'views.publish': null,
  // A modal opened with a trigger from the person's own command or click: no scope.
  'views.open': null,
};

/**
 * The bot scope each Events API event needs (Slack's event reference), `null` for none. An event the code listens to
 * that is missing here fails the manifest test; the manifest must also subscribe to it (settings.event_subscriptions).
 */
export const EVENT_SCOPES: Readonly<Record<string, string | null>> = {
  app_home_opened: null,
};

/** Bolt listener kinds and the scope that makes Slack send them; each event's own scope is in EVENT_SCOPES. */
export const LISTENER_SCOPES: Readonly<Record<string, string | null>> = {
  command: 'commands',
  event: null,
  action: null,
  view: null,
  options: null,
  shortcut: 'commands',
};

/** Bolt's default HTTP endpoint, when the code names none. */
const DEFAULT_ENDPOINT = '/slack/events';

export interface CodeNeeds {
  /** Slash commands registered with `app.command(…)`. */
  commands: string[];
  /** Web API methods called (`client.chat.postMessage(`, `apiCall('…')`, `say(` → chat.postMessage). */
  methods: string[];
  /** Listener kinds used (`app.command`, `app.action`, …). */
  listeners: string[];
  /** Events API events listened to (`app.event('…')`). */
  events: string[];
  /** Bot scopes the methods and listeners need. */
  scopes: string[];
  /** Methods or listener kinds the tables above do not know, with where they are called. */
  unknown: string[];
  /** HTTP endpoints given to Bolt (`endpoints: '…'`), or Bolt's default. */
  endpoints: string[];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|mts|js|mjs)$/.test(entry.name) && !/\.(test|spec)\./.test(entry.name) ? [path] : [];
  });
}

/** Drops comments, so a method named in prose is not counted as called. `://` in URLs is left alone. */
function stripComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

/** The string value of each exported `const NAME = '…'`, so `app.command(OFFER_COMMAND` resolves. */
function stringConstants(sources: string[]): Map<string, string> {
  const constants = new Map<string, string>();
  for (const source of sources) {
    for (const match of source.matchAll(/\bconst\s+([A-Z][A-Z0-9_]*)\s*(?::\s*string\s*)?=\s*(['"])([^'"]*)\2/g)) {
      constants.set(match[1]!, match[3]!);
    }
  }
  return constants;
}

const API_FAMILIES = [
  'admin',
  'apps',
  'auth',
  'bookmarks',
  'bots',
  'canvases',
  'chat',
  'conversations',
  'dnd',
  'emoji',
  'files',
  'pins',
  'reactions',
  'reminders',
  'search',
  'stars',
  'team',
  'usergroups',
  'users',
  'views',
  'workflows',
];
const METHOD_CALL = new RegExp(`\\.\\s*(${API_FAMILIES.join('|')})((?:\\s*\\.\\s*[A-Za-z]+)+)\\s*\\(`, 'g');
const API_CALL = /\.apiCall\(\s*(['"`])([A-Za-z.]+)\1/g;
const SAY_CALL = /\bsay\s*\(/g;
// A type argument (`app.options<'block_suggestion'>(`) may stand between the kind and its call.
const LISTENER = /\bapp\s*\.\s*(command|action|view|options|shortcut|event|message|function|assistant)\s*(?:<[^>]*>)?\s*\(\s*([^,)]*)/g;
const ENDPOINTS = /\bendpoints\s*:\s*(['"])([^'"]+)\1/g;

export function codeNeeds(srcDir: string = SRC_DIR): CodeNeeds {
  const files = sourceFiles(srcDir).map((path) => ({ path: relative(srcDir, path), source: stripComments(readFileSync(path, 'utf8')) }));
  const constants = stringConstants(files.map((f) => f.source));
  const methods = new Map<string, string>();
  const listeners = new Map<string, string>();
  const commands = new Set<string>();
  const events = new Map<string, string>();
  const endpoints = new Set<string>();
  const unknown: string[] = [];
  for (const { path, source } of files) {
    for (const match of source.matchAll(METHOD_CALL)) methods.set(`${match[1]}${match[2]!.replace(/\s/g, '')}`, path);
    for (const match of source.matchAll(API_CALL)) methods.set(match[2]!, path);
    if (SAY_CALL.test(source)) methods.set('chat.postMessage', path);
    SAY_CALL.lastIndex = 0;
    for (const match of source.matchAll(LISTENER)) {
      const kind = match[1]!;
      listeners.set(kind, path);
      const arg = match[2]!.trim();
      if (kind === 'event') {
        const literal = /^(['"`])([^'"`]+)\1$/.exec(arg);
        if (literal) events.set(literal[2]!, path);
        else unknown.push(`app.event(${arg}) in ${path}: cannot tell which event it listens to`);
        continue;
      }
      if (kind !== 'command') continue;
      const literal = /^(['"`])([^'"`]+)\1$/.exec(arg);
      const command = literal ? literal[2] : constants.get(arg);
      if (command) commands.add(command);
      else unknown.push(`app.command(${arg}) in ${path}: cannot tell which command it registers`);
    }
    for (const match of source.matchAll(ENDPOINTS)) endpoints.add(match[2]!);
  }
  const scopes = new Set<string>();
  for (const [method, path] of methods) {
    const scope = METHOD_SCOPES[method];
    if (scope === undefined) unknown.push(`Web API method ${method} (called in ${path}) is not in METHOD_SCOPES`);
    else if (scope) for (const one of typeof scope === 'string' ? [scope] : scope) scopes.add(one);
  }
  for (const [event, path] of events) {
    const scope = EVENT_SCOPES[event];
    if (scope === undefined) unknown.push(`event ${event} (in ${path}) is not in EVENT_SCOPES`);
    else if (scope) scopes.add(scope);
  }
  for (const [kind, path] of listeners) {
    const scope = LISTENER_SCOPES[kind];
    if (scope === undefined) unknown.push(`app.${kind}() (in ${path}) is not in LISTENER_SCOPES`);
    else if (scope) scopes.add(scope);
  }
  return {
    commands: [...commands].sort(),
    methods: [...methods.keys()].sort(),
    listeners: [...listeners.keys()].sort(),
    events: [...events.keys()].sort(),
    scopes: [...scopes].sort(),
    unknown,
    endpoints: endpoints.size > 0 ? [...endpoints].sort() : [DEFAULT_ENDPOINT],
  };
}
