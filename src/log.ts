// Structured logs (pino), with every secret redacted wherever it could appear.
import { pino, type Logger } from 'pino';

export type { Logger };

/** Paths pino blanks out: config objects, HTTP headers and token responses. */
const REDACT_PATHS = [
  'botToken',
  'signingSecret',
  'appToken',
  'clientSecret',
  'access_token',
  'token',
  'client_secret',
  '*.botToken',
  '*.signingSecret',
  '*.appToken',
  '*.clientSecret',
  '*.access_token',
  '*.token',
  '*.client_secret',
  '*.authorization',
  '*.Authorization',
  'headers.authorization',
  'req.headers.authorization',
  'req.headers["x-slack-signature"]',
  'config.slack.botToken',
  'config.slack.signingSecret',
  'config.slack.appToken',
  'config.adobe.clientSecret',
];

/** What stands in for a secret scrubbed out of text. */
export const SCRUBBED = '[redacted]';

// How separators and quotes appear in logged text: plain, escaped inside JSON (Slack writes `\/`), or
// percent-encoded inside a form body or URL.
const SLASH = String.raw`(?:\\?/|%2F)`;
const ASSIGN = String.raw`(?:\s*[:=]\s*|%3A|%3D)`;
const QUOTE = String.raw`(?:\\?["']|%22|%27)?`;
/** A value up to its closing quote or the next separator. */
const VALUE = String.raw`(?:\\/|[^"'\\\s,&}%])+`;

/**
 * Secrets that turn up inside text rather than in a field pino can redact by path: Bolt, the Web API client and
 * the Socket Mode client write request and response bodies, envelopes and URLs into their debug lines.
 */
const SECRET_PATTERNS: ReadonlyArray<{ name: string; pattern: RegExp; replacement: string }> = [
  // A field whose name says it holds one: `"token":"…"` (Slack's legacy verification token, in every payload),
  // `token: '…'`, `client_secret=…`, `"response_url":"…"`, `"ticket":"…"`.
  {
    name: 'secret field',
    pattern: new RegExp(`(${QUOTE}(?:[a-z_]*token|[a-z_]*secret|response_url|ticket)${QUOTE}${ASSIGN}${QUOTE})${VALUE}`, 'gi'),
    replacement: `$1${SCRUBBED}`,
  },
  // Slack tokens: bot (xoxb-), user (xoxp-), refresh and configuration (xoxe-, xoxe.xoxp-), and any other xox?- kind.
  { name: 'Slack token', pattern: /xox[a-z](?:\.xox[a-z])?-[A-Za-z0-9-]+/g, replacement: SCRUBBED },
  { name: 'Slack app-level token', pattern: /xapp-[A-Za-z0-9-]+/g, replacement: SCRUBBED },
  // A response_url (https://hooks.slack.com/commands/T…/…/…, or /actions/) lets whoever holds it post as the app.
  {
    name: 'Slack response URL',
    pattern: new RegExp(String.raw`(${SLASH}(?:commands|actions)${SLASH}[TE][A-Z0-9]+${SLASH}\d+${SLASH})[A-Za-z0-9]+`, 'gi'),
    replacement: `$1${SCRUBBED}`,
  },
  // The Socket Mode connection URL (wss://…/link/?ticket=…) opens a connection as the app.
  { name: 'Socket Mode ticket', pattern: /([?&]ticket=)[^&\s"'\\]+/g, replacement: `$1${SCRUBBED}` },
];

/** `text` with every secret SECRET_PATTERNS knows replaced by SCRUBBED. */
export function scrub(text: string): string {
  return SECRET_PATTERNS.reduce((scrubbed, { pattern, replacement }) => scrubbed.replace(pattern, replacement), text);
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'offer-bot' },
      redact: { paths: REDACT_PATHS, censor: SCRUBBED },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination ?? pino.destination({ dest: 1, sync: false }),
  );
}
