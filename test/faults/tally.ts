// The fault matrix's tally: every case records the fault it injected and how its requests ended; the reporter adds them up.

/** What one case of the matrix reports (attached to its test as `task.meta.fault`, so it crosses worker boundaries). */
export interface FaultTally {
  /** The fault, in words. */
  fault: string;
  /** Every assertion held: what the user saw, the audit record, no secret anywhere, no duplicate, nothing lost. */
  endedCorrectly: boolean;
  /**
   * Things done twice: an offer removed twice, a DELETE sent after Adobe had answered one with success, a second
   * confirmation or outcome reply for one request, a second run of the deletion (two `deleting` transitions).
   */
  duplicates: number;
  /**
   * Requests left behind: one still open (pending, approved, deleting) when the case ended, an approved request whose
   * outcome reached nobody (no thread reply and no direct message), or a command whose requester never heard back.
   */
  lost: number;
}

declare module 'vitest' {
  interface TaskMeta {
    fault?: FaultTally;
  }
}

export interface FaultSummary {
  injected: number;
  endedCorrectly: number;
  duplicates: number;
  lost: number;
}

/** Starts a case's record: injected, and not (yet) ended correctly. */
export function startTally(meta: { fault?: FaultTally }, fault: string): FaultTally {
  const record: FaultTally = { fault, endedCorrectly: false, duplicates: 0, lost: 0 };
  meta.fault = record;
  return record;
}

export function summarise(records: Iterable<FaultTally>): FaultSummary {
  const sum: FaultSummary = { injected: 0, endedCorrectly: 0, duplicates: 0, lost: 0 };
  for (const record of records) {
    sum.injected += 1;
    if (record.endedCorrectly) sum.endedCorrectly += 1;
    sum.duplicates += record.duplicates;
    sum.lost += record.lost;
  }
  return sum;
}

/** The one line `npm run test:faults` ends with. */
export function closingLine(sum: FaultSummary): string {
  return `faults: ${sum.injected} injected, ${sum.endedCorrectly} ended correctly, ${sum.duplicates} duplicates, ${sum.lost} lost`;
}
