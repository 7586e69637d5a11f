// Bolt's logger, written through pino: what Bolt, the Web API client and Socket Mode log, with secrets scrubbed out.
import { inspect } from 'node:util';
import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import { scrub, type Logger } from '../log.js';

/** How deep an object that JSON cannot write (a cycle) is shown. */
const INSPECT_DEPTH = 4;

/**
 * Bolt's lines are text, so pino's redact paths never see inside them: at debug level they hold request bodies,
 * Socket Mode envelopes (with the verification token and response_url) and connection URLs. Every line is
 * scrubbed; objects are written as JSON first, so what they hold is both readable and scrubbed.
 */
export function boltLogger(log: Logger): BoltLogger {
  const child = log.child({ component: 'bolt' });
  let level = LogLevel.INFO;
  const write =
    (method: 'debug' | 'info' | 'warn' | 'error') =>
    (...parts: unknown[]): void => {
      // Skip the work for lines pino would drop anyway (most of Bolt's are debug).
      if (child.isLevelEnabled(method)) child[method](scrub(parts.map(asText).join(' ')));
    };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}

function asText(part: unknown): string {
  if (typeof part === 'string') return part;
  if (part instanceof Error) return String(part);
  try {
    return JSON.stringify(part) ?? String(part);
  } catch {
    return inspect(part, { depth: INSPECT_DEPTH, breakLength: Number.POSITIVE_INFINITY });
  }
}
