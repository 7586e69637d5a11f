// Faults a test injects into the Slack stand-in: rate limits, error codes, HTTP failures and dropped connections.
import { type Outcome, refuse } from './http.js';
import type { JsonObject } from './types.js';

export type FaultResponse = { error: 'ratelimited'; retryAfter: number } | { error: string } | { status: number } | 'reset';

export interface Fault {
  /** A Web API method name, `'response_url'` for response URL posts, or `'*'`. */
  method: string;
  /** How many matching requests fail; default 1. `Infinity` for all. */
  times?: number;
  respond: FaultResponse;
  /** Strikes only calls whose arguments this accepts (a DM to one person, say); default: every call of `method`. */
  match?: (args: JsonObject) => boolean;
  /** Runs as the fault strikes, with the call's arguments: for something else that happens at that moment. */
  onStrike?: (args: JsonObject) => void;
}

/** The faults injected so far, each struck in injection order until its `times` are spent. */
export class Faults {
  readonly #armed: Array<Fault & { left: number }> = [];

  inject(fault: Fault): void {
    this.#armed.push({ ...fault, left: fault.times ?? 1 });
  }

  /** The outcome of the first fault still armed for `method`, or `undefined` when none is. */
  strike(method: string, args: JsonObject): Outcome | undefined {
    const fault = this.#armed.find((f) => f.left > 0 && (f.method === method || f.method === '*') && (f.match?.(args) ?? true));
    if (!fault) return undefined;
    fault.left -= 1;
    fault.onStrike?.(args);
    return faultOutcome(fault.respond);
  }
}

function faultOutcome(respond: FaultResponse): Outcome {
  if (respond === 'reset') return 'reset';
  if ('status' in respond) return { status: respond.status, body: { ok: false, error: 'fatal_error' } };
  if ('retryAfter' in respond) return { status: 429, body: { ok: false, error: 'ratelimited' }, headers: { 'retry-after': String(respond.retryAfter) } };
  return refuse(respond.error);
}
