// Errors from Adobe (IMS and the Offer Library), with the facts a user needs to act on them.
import type { Attempt, CatalogueFailure } from '../deletion/ports.js';

type AdobeErrorCode =
  /** Adobe answered with an HTTP error status (after any retries). */
  | 'ADOBE_HTTP'
  /** No answer: connection refused or reset, DNS, or a timeout. */
  | 'ADOBE_UNREACHABLE'
  /** An answer we cannot use: not JSON, or not the shape the docs promise. */
  | 'ADOBE_BAD_RESPONSE'
  /** IMS refused the credential (invalid_client, invalid_scope, …). */
  | 'IMS_REFUSED';

export class AdobeError extends Error implements CatalogueFailure {
  readonly code: AdobeErrorCode;
  /** HTTP status, when Adobe answered. */
  readonly status: number | null;
  /** Adobe's own words: `message`, `title: detail`, or `error: error_description`. */
  readonly adobeMessage: string | null;
  /** `x-request-id` (or similar) echoed by Adobe, when present. */
  readonly requestId: string | null;
  /** Every attempt of the call that failed, in order (none when nothing was sent). */
  readonly attempts: readonly Attempt[];

  constructor(
    code: AdobeErrorCode,
    message: string,
    facts: { status?: number | null; adobeMessage?: string | null; requestId?: string | null; cause?: unknown; attempts?: readonly Attempt[] } = {},
  ) {
    super(message, { cause: facts.cause });
    this.name = 'AdobeError';
    this.code = code;
    this.status = facts.status ?? null;
    this.adobeMessage = facts.adobeMessage ?? null;
    this.requestId = facts.requestId ?? null;
    this.attempts = facts.attempts ?? [];
  }

  /** The same failure, standing for these attempts (e.g. a call's, across a token replacement). */
  withAttempts(attempts: readonly Attempt[]): AdobeError {
    const copy = new AdobeError(this.code, this.message, {
      status: this.status,
      adobeMessage: this.adobeMessage,
      requestId: this.requestId,
      cause: this.cause,
      attempts,
    });
    if (this.stack !== undefined) copy.stack = this.stack;
    return copy;
  }
}
