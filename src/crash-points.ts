// Test-only: kill the process at a named step, so tests can prove a crash there loses nothing and repeats nothing.

export type CrashPoint =
  | 'after_ack'
  | 'after_lookup'
  | 'after_confirmation_posted'
  | 'after_decision'
  | 'after_delete_answered'
  | 'after_verification'
  | 'after_thread_reply';

/** Read once: unset in every real deployment, where crashPoint() does nothing. */
const CRASH_AT = process.env.OFFER_BOT_TEST_CRASH_AT;

export function crashPoint(point: CrashPoint): void {
  if (CRASH_AT === point) process.kill(process.pid, 'SIGKILL');
}
