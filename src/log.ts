// Structured logs (pino), with every secret redacted wherever it could appear.
import { pino, type Logger } from 'pino';

export type { Logger };

/** Paths pino blanks out: config objects, HTTP headers and token responses. */
export const REDACT_PATHS = [
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

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'offer-bot' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination ?? pino.destination({ dest: 1, sync: false }),
  );
}
