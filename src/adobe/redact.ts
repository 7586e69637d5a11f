// Takes secrets out of what an upstream said, before any of it is cut to an excerpt, put in a message or logged.

const REDACTED = '[redacted]';

/** Replaces the secrets in one text. */
export type Redactor = (text: string) => string;

/**
 * Credentials by their shape, whoever they belong to: each keeps the words that name the secret and hides
 * the value, so a message still says what was wrong ("client_secret=[redacted] is revoked").
 */
const SECRET_SHAPES: readonly [RegExp, string][] = [
  // Authorization header values, as a server may echo them (8+ credential characters, so "Basic auth" stays).
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, `$1 ${REDACTED}`],
  // OAuth and API fields as JSON ("access_token":"…"), a form (client_secret=…) or prose (client_secret: …).
  [/\b(access_token|refresh_token|id_token|client_secret|api_key|password)(["']?\s*[:=]\s*["']?)[^\s"'&,;}]+/gi, `$1$2${REDACTED}`],
  // Slack tokens: bot, user, refresh and configuration (xox…-), app-level (xapp-).
  [/\bxox[a-z]-[A-Za-z0-9-]+/g, REDACTED],
  [/\bxapp-[A-Za-z0-9-]+/g, REDACTED],
  // JSON Web Tokens (IMS access tokens are JWTs): `eyJ` is base64url for `{"`.
  [/\beyJ[A-Za-z0-9_-]{8,}(?:\.[A-Za-z0-9_-]*){0,2}/g, REDACTED],
];

/**
 * A redactor for `known` secret values (the client secret, access tokens) as they are, URL-encoded or
 * JSON-escaped, and for anything shaped like a credential.
 */
export function redactorFor(known: readonly string[] = []): Redactor {
  const forms = new Set<string>();
  for (const value of known) {
    if (value === '') continue;
    forms.add(value);
    forms.add(encodeURIComponent(value));
    forms.add(new URLSearchParams({ v: value }).toString().slice('v='.length));
    forms.add(JSON.stringify(value).slice(1, -1));
  }
  // Longest first, so a secret that contains another is replaced whole.
  const values = [...forms].sort((a, b) => b.length - a.length);
  return (text) => {
    let redacted = text;
    for (const value of values) redacted = redacted.split(value).join(REDACTED);
    for (const [shape, replacement] of SECRET_SHAPES) redacted = redacted.replace(shape, replacement);
    return redacted;
  };
}

/** Redacts credential shapes only, for text from a call that carried no secret of ours. */
export const redactShapes: Redactor = redactorFor();
