// The environment, as one zod schema: parsed once at start, with one clear line per problem.
import { z } from 'zod';
import { knownSandboxes } from './deletion/sandboxes.js';
import { upstreamUrlProblem } from './upstream-urls.js';

const DURATION_UNITS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
type DurationUnit = keyof typeof DURATION_UNITS;

/** `90s`, `30m`, `2h`, `30d` (also `500ms`) → milliseconds. */
export function parseDuration(text: string): number | null {
  const match = /^(\d{1,9})(ms|s|m|h|d)$/.exec(text.trim());
  if (!match) return null;
  return Number(match[1]) * DURATION_UNITS[match[2] as DurationUnit];
}

/** Milliseconds in the largest unit that divides them: 3_600_000 → `1h`, 7 days → `7d`. */
function formatDuration(ms: number): string {
  const units = (Object.entries(DURATION_UNITS) as Array<[DurationUnit, number]>).reverse();
  const [unit, size] = units.find(([, size]) => ms % size === 0) ?? ['ms', 1];
  return `${ms / size}${unit}`;
}

const duration = (min: number, max: number) =>
  z.string().transform((text, ctx) => {
    const ms = parseDuration(text);
    if (ms === null) {
      ctx.addIssue({ code: 'custom', message: `"${text}" is not a duration such as 90s, 30m, 2h or 30d` });
      return z.NEVER;
    }
    if (ms < min || ms > max) {
      ctx.addIssue({ code: 'custom', message: `must be between ${formatDuration(min)} and ${formatDuration(max)}` });
      return z.NEVER;
    }
    return ms;
  });

// http:// passes here only to be judged with OFFER_ALLOW_INSECURE_UPSTREAMS in loadConfig.
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an https:// URL' }).transform((url) => url.replace(/\/+$/, ''));

/** The languages offer-bot has catalogues for (src/slack/i18n); a test keeps the two lists in step. */
export const CHANNEL_LANGUAGES = ['en', 'sv'] as const;

const bool = z.enum(['true', 'false'], { error: 'must be true or false' }).transform((v) => v === 'true');

const SLACK_USER_OR_GROUP = /^[UWS][A-Z0-9]{2,}$/;
const SLACK_CHANNEL = /^[CGD][A-Z0-9]{2,}$/;
const SLACK_TEAM = /^T[A-Z0-9]{2,}$/;
/** What Adobe accepts as a sandbox name (lower-case letters, digits, hyphens), for ADOBE_SANDBOX_NAME and OFFER_SANDBOXES alike. */
const SANDBOX_NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;
const SANDBOX_NAME_RULE = 'lower-case letters, digits and hyphens, starting with a letter or digit, at most 64 characters';
/** Per-sandbox approvers: OFFER_APPROVERS_ followed by the sandbox's env suffix (OFFER_APPROVERS_STAGE). */
const SANDBOX_APPROVERS_PREFIX = 'OFFER_APPROVERS_';
/** Per-sandbox number of approvals: OFFER_REQUIRED_APPROVALS_STAGE. */
const SANDBOX_REQUIRED_APPROVALS_PREFIX = 'OFFER_REQUIRED_APPROVALS_';
/** Most approvals a request may need: more people than this are rarely at hand before it expires. */
const MAX_REQUIRED_APPROVALS = 5;

const idList = (pattern: RegExp, what: string) =>
  z.string().transform((text, ctx) => {
    const ids = text
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean);
    const bad = ids.filter((id) => !pattern.test(id));
    if (bad.length > 0 || ids.length === 0) {
      ctx.addIssue({ code: 'custom', message: `must be a comma-separated list of ${what}${bad.length ? `; not one: ${bad.join(', ')}` : ''}` });
      return z.NEVER;
    }
    return ids;
  });

/** A sandbox name as it appears in a per-sandbox variable's name: upper-cased, anything but letters and digits → `_` (dev-emea → DEV_EMEA). */
export const sandboxEnvSuffix = (sandbox: string): string => sandbox.toUpperCase().replace(/[^A-Z0-9]/g, '_');

/**
 * OFFER_SANDBOXES: `C0PROD=prod,C0OPS=stage|dev`, the channel's sandboxes with its default first. One issue per bad entry,
 * each naming the entry, so a long list with two typos says both.
 */
const sandboxMap = z.string().transform((text, ctx) => {
  const byChannel = new Map<string, readonly string[]>();
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) ctx.addIssue({ code: 'custom', message: 'must map channels to sandboxes, such as C0PROD=prod,C0OPS=stage|dev' });
  for (const entry of entries) {
    const problem = (what: string) => ctx.addIssue({ code: 'custom', message: `"${entry.slice(0, 80)}" ${what}` });
    const equals = entry.indexOf('=');
    if (equals === -1) {
      problem('is not channel=sandbox (such as C0PROD=prod, or C0OPS=stage|dev with the default first)');
      continue;
    }
    const channel = entry.slice(0, equals).trim();
    const names = entry
      .slice(equals + 1)
      .split('|')
      .map((name) => name.trim());
    if (!SLACK_CHANNEL.test(channel)) problem('does not start with a Slack channel id (C…, G…)');
    else if (byChannel.has(channel)) problem(`lists ${channel} again: give each channel once, its sandboxes separated by |`);
    if (names.some((name) => name === '')) problem('has an empty sandbox name');
    const bad = names.filter((name) => name !== '' && !SANDBOX_NAME.test(name));
    if (bad.length > 0) problem(`names ${bad.map((name) => JSON.stringify(name.slice(0, 70))).join(', ')}, not a sandbox name (${SANDBOX_NAME_RULE})`);
    const twice = names.filter((name, index) => name !== '' && names.indexOf(name) !== index);
    if (twice.length > 0) problem(`names ${[...new Set(twice)].join(', ')} twice`);
    byChannel.set(channel, names);
  }
  return byChannel as ReadonlyMap<string, readonly string[]>;
});

const approverList = idList(SLACK_USER_OR_GROUP, 'Slack user ids (U…, W…) and user group ids (S…)');
const approvalCount = z.coerce
  .number({ error: 'must be a whole number' })
  .int('must be a whole number')
  .min(1, `must be between 1 and ${MAX_REQUIRED_APPROVALS}`)
  .max(MAX_REQUIRED_APPROVALS, `must be between 1 and ${MAX_REQUIRED_APPROVALS}`);

// Secrets are checked for shape only; their values never appear in an error message.
const secret = (what: string, prefix?: string) =>
  z
    .string({ error: 'is required' })
    .min(1, 'is required')
    .refine((v) => !/\s/.test(v), `${what} must not contain white space`)
    .refine((v) => prefix === undefined || v.startsWith(prefix), `${what} must start with ${prefix}`);

const configSchema = z.object({
  SLACK_BOT_TOKEN: secret('a bot token', 'xoxb-'),
  SLACK_SIGNING_SECRET: secret('a signing secret').optional(),
  SLACK_APP_TOKEN: secret('an app-level token', 'xapp-').optional(),
  SLACK_TEAM_ID: z.string().regex(SLACK_TEAM, 'must be a Slack workspace id such as T024BE7LD').optional(),
  SLACK_API_URL: httpUrl.transform((url) => `${url}/`).default('https://slack.com/api/'),
  PORT: z.coerce.number({ error: 'must be a port number' }).int('must be a port number').min(1, 'must be 1–65535').max(65535, 'must be 1–65535').default(3000),
  ADOBE_OFFER_API_URL: httpUrl.default('https://platform.adobe.io/data/core/dps'),
  ADOBE_IMS_URL: httpUrl.default('https://ims-na1.adobelogin.com'),
  ADOBE_CLIENT_ID: z.string({ error: 'is required' }).regex(/^[A-Za-z0-9_-]{1,128}$/, 'must be the client id from the Developer Console'),
  ADOBE_CLIENT_SECRET: secret('a client secret'),
  ADOBE_SCOPES: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]+(,[A-Za-z0-9_.:-]+)*$/, 'must be a comma-separated list of scopes')
    .default('openid,AdobeID,read_organizations,additional_info.projectedProductContext,session'),
  ADOBE_ORG_ID: z.string({ error: 'is required' }).regex(/^[A-Za-z0-9]+@AdobeOrg$/, 'must look like 0123456789ABCDEF@AdobeOrg'),
  ADOBE_SANDBOX_NAME: z.string().regex(SANDBOX_NAME, `must be a sandbox name such as prod (${SANDBOX_NAME_RULE})`).default('prod'),
  DATABASE_URL: z.string().optional(),
  OFFER_SANDBOXES: sandboxMap.optional(),
  OFFER_APPROVERS: approverList.optional(),
  OFFER_REQUIRED_APPROVALS: approvalCount.default(1),
  OFFER_ALLOW_SELF_APPROVAL: bool.default(false),
  OFFER_ALLOW_GUEST_REQUESTS: bool.default(true),
  OFFER_ALLOW_INSECURE_UPSTREAMS: bool.default(false),
  OFFER_ALLOWED_CHANNELS: idList(SLACK_CHANNEL, 'Slack channel ids (C…, G…)').optional(),
  OFFER_MAX_OPEN_PER_USER: z.coerce
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .min(1, 'must be between 1 and 1000')
    .max(1000, 'must be between 1 and 1000')
    .default(10),
  OFFER_APPROVAL_TTL: duration(10_000, 7 * 86_400_000).default(30 * 60_000),
  OFFER_VERIFY_TIMEOUT: duration(1_000, 600_000).default(30_000),
  OFFER_RESTORE_WINDOW: duration(60_000, 3650 * 86_400_000).default(7 * 86_400_000),
  OFFER_WORK_LEASE: duration(1_000, 3_600_000).default(120_000),
  OFFER_SWEEP_INTERVAL: duration(1_000, 3_600_000).default(15_000),
  OFFER_OUTBOX_RETENTION: duration(3_600_000, 3650 * 86_400_000).default(30 * 86_400_000),
  OFFER_CHANNEL_LANGUAGE: z.enum(CHANNEL_LANGUAGES, { error: `must be one of ${CHANNEL_LANGUAGES.join(', ')}` }).default('en'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

type Env = z.output<typeof configSchema>;

/** Everything offer-bot calls out to: https:// only, unless OFFER_ALLOW_INSECURE_UPSTREAMS=true. */
const UPSTREAM_URLS = ['SLACK_API_URL', 'ADOBE_OFFER_API_URL', 'ADOBE_IMS_URL'] as const;

export interface Config {
  slack: {
    botToken: string;
    signingSecret: string | undefined;
    appToken: string | undefined;
    apiUrl: string;
    port: number;
    /** The one workspace whose commands and clicks are taken; null takes any the app is installed in. */
    teamId: string | null;
  };
  adobe: {
    offerApiUrl: string;
    imsUrl: string;
    clientId: string;
    clientSecret: string;
    scopes: string;
    orgId: string;
    sandbox: string;
    /** http:// URLs are accepted (OFFER_ALLOW_INSECURE_UPSTREAMS=true: tests and local stand-ins only). */
    allowHttp: boolean;
  };
  /** The sandboxes each channel may use (OFFER_SANDBOXES, its default first); any other channel uses `default` (ADOBE_SANDBOX_NAME) alone. */
  sandboxes: { default: string; byChannel: ReadonlyMap<string, readonly string[]> };
  databaseUrl: string | undefined;
  approval: {
    /** Who may decide in a sandbox without its own list (OFFER_APPROVERS); null: anyone but the requester. */
    approvers: string[] | null;
    /** A sandbox's own approvers (OFFER_APPROVERS_<SANDBOX>), in place of `approvers` there. */
    approversBySandbox: ReadonlyMap<string, readonly string[]>;
    /** How many different people must approve a request (OFFER_REQUIRED_APPROVALS); the requester never counts. */
    requiredApprovals: number;
    /** A sandbox's own number (OFFER_REQUIRED_APPROVALS_<SANDBOX>), in place of `requiredApprovals` there. */
    requiredApprovalsBySandbox: ReadonlyMap<string, number>;
    allowSelfApproval: boolean;
    /** Guests may ask for deletions (they never decide them). */
    allowGuestRequests: boolean;
    allowedChannels: string[] | null;
    ttlMs: number;
  };
  /** Open (pending, approved, deleting) requests one person may have at once, so a loop cannot flood the channel. */
  maxOpenPerUser: number;
  /** How long after a deletion its outcome offers Restore (OFFER_RESTORE_WINDOW). */
  restoreWindowMs: number;
  verifyTimeoutMs: number;
  /** How long a replica holds a deletion beyond the verification window before another may take it over. */
  workLeaseMs: number;
  /** How often expired requests are marked and abandoned deletions are looked for. */
  sweepIntervalMs: number;
  /** How long a Slack outbox item is kept once delivered or given up; undelivered ones and the transitions (the audit) are kept. */
  outboxRetentionMs: number;
  /** The language of the messages posted in the channel, which many people read (private texts use each reader's locale). */
  channelLanguage: (typeof CHANNEL_LANGUAGES)[number];
  logLevel: Env['LOG_LEVEL'];
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads the environment; throws ConfigError with one line per problem (never a value). */
export function loadConfig(environment: NodeJS.ProcessEnv): Config {
  // An empty variable means unset, as a shell user writing `FOO=` expects.
  const present = Object.fromEntries(Object.entries(environment).filter(([key, value]) => key in configSchema.shape && value !== undefined && value !== ''));
  const parsed = configSchema.safeParse(present);
  const problems = parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.') || 'environment'}: ${issue.message}`);
  // Checked here rather than in the schema so it is reported together with every other problem.
  if (!present.SLACK_APP_TOKEN && !present.SLACK_SIGNING_SECRET) {
    problems.push('SLACK_SIGNING_SECRET: is required in HTTP mode (set SLACK_APP_TOKEN for Socket Mode)');
  }
  const allowHttp = present.OFFER_ALLOW_INSECURE_UPSTREAMS === 'true';
  for (const name of UPSTREAM_URLS) {
    const url = present[name];
    // A URL the schema already refused has its line; a default is https://.
    if (url === undefined || problems.some((problem) => problem.startsWith(`${name}:`))) continue;
    const problem = upstreamUrlProblem(url, allowHttp);
    if (problem) problems.push(`${name}: ${problem}`);
  }
  if (parsed.success && parsed.data.OFFER_ALLOWED_CHANNELS && parsed.data.OFFER_SANDBOXES) {
    const allowed = parsed.data.OFFER_ALLOWED_CHANNELS;
    const unused = [...parsed.data.OFFER_SANDBOXES.keys()].filter((channel) => !allowed.includes(channel));
    if (unused.length > 0) problems.push(`OFFER_SANDBOXES: maps ${unused.join(', ')}, where OFFER_ALLOWED_CHANNELS lets nobody use /offer`);
  }
  // The sandboxes alone decide what a per-sandbox variable may name: its problems are found even when others fail.
  const sandboxes = configSchema.pick({ ADOBE_SANDBOX_NAME: true, OFFER_SANDBOXES: true }).safeParse(present);
  const known = sandboxes.success
    ? knownSandboxes({ default: sandboxes.data.ADOBE_SANDBOX_NAME, byChannel: sandboxes.data.OFFER_SANDBOXES ?? new Map() })
    : null;
  const approversBySandbox = perSandbox(SANDBOX_APPROVERS_PREFIX, approverList, environment, known, problems);
  const requiredApprovalsBySandbox = perSandbox(SANDBOX_REQUIRED_APPROVALS_PREFIX, approvalCount, environment, known, problems);
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const env = parsed.data;
  return {
    slack: {
      botToken: env.SLACK_BOT_TOKEN,
      signingSecret: env.SLACK_SIGNING_SECRET,
      appToken: env.SLACK_APP_TOKEN,
      apiUrl: env.SLACK_API_URL,
      port: env.PORT,
      teamId: env.SLACK_TEAM_ID ?? null,
    },
    adobe: {
      offerApiUrl: env.ADOBE_OFFER_API_URL,
      imsUrl: env.ADOBE_IMS_URL,
      clientId: env.ADOBE_CLIENT_ID,
      clientSecret: env.ADOBE_CLIENT_SECRET,
      scopes: env.ADOBE_SCOPES,
      orgId: env.ADOBE_ORG_ID,
      sandbox: env.ADOBE_SANDBOX_NAME,
      allowHttp: env.OFFER_ALLOW_INSECURE_UPSTREAMS,
    },
    sandboxes: { default: env.ADOBE_SANDBOX_NAME, byChannel: env.OFFER_SANDBOXES ?? new Map() },
    databaseUrl: env.DATABASE_URL,
    approval: {
      approvers: env.OFFER_APPROVERS ?? null,
      approversBySandbox,
      requiredApprovals: env.OFFER_REQUIRED_APPROVALS,
      requiredApprovalsBySandbox,
      allowSelfApproval: env.OFFER_ALLOW_SELF_APPROVAL,
      allowGuestRequests: env.OFFER_ALLOW_GUEST_REQUESTS,
      allowedChannels: env.OFFER_ALLOWED_CHANNELS ?? null,
      ttlMs: env.OFFER_APPROVAL_TTL,
    },
    maxOpenPerUser: env.OFFER_MAX_OPEN_PER_USER,
    restoreWindowMs: env.OFFER_RESTORE_WINDOW,
    verifyTimeoutMs: env.OFFER_VERIFY_TIMEOUT,
    workLeaseMs: env.OFFER_WORK_LEASE,
    sweepIntervalMs: env.OFFER_SWEEP_INTERVAL,
    outboxRetentionMs: env.OFFER_OUTBOX_RETENTION,
    channelLanguage: env.OFFER_CHANNEL_LANGUAGE,
    logLevel: env.LOG_LEVEL,
  };
}

/**
 * A per-sandbox variable (`prefix` + the sandbox's env suffix: OFFER_APPROVERS_STAGE) for every sandbox offer-bot knows
 * (`known`; null until the sandboxes themselves parse). A variable naming no known sandbox is a problem: a typo
 * (OFFER_APPROVERS_STAGNG) would otherwise leave that sandbox to the general variable without a word.
 */
function perSandbox<T>(
  prefix: string,
  schema: z.ZodType<T>,
  environment: NodeJS.ProcessEnv,
  known: readonly string[] | null,
  problems: string[],
): ReadonlyMap<string, T> {
  const bySandbox = new Map<string, T>();
  const sandboxOf = new Map((known ?? []).map((sandbox) => [sandboxEnvSuffix(sandbox), sandbox]));
  for (const [key, value] of Object.entries(environment)) {
    if (!key.startsWith(prefix) || value === undefined || value === '') continue;
    const parsed = schema.safeParse(value);
    if (!parsed.success) problems.push(...parsed.error.issues.map((issue) => `${key}: ${issue.message}`));
    // Until the sandboxes themselves parse, which sandbox a variable means cannot be told.
    if (!known) continue;
    const sandbox = sandboxOf.get(key.slice(prefix.length));
    if (sandbox === undefined) {
      const expected = [...sandboxOf.keys()].map((suffix) => `${prefix}${suffix}`).join(', ');
      problems.push(`${key}: names no sandbox of ADOBE_SANDBOX_NAME or OFFER_SANDBOXES (these would be: ${expected})`);
    } else if (parsed.success) bySandbox.set(sandbox, parsed.data);
  }
  return bySandbox;
}
