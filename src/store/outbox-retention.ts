// Outbox retention: Slack outbox items settled longer ago than OFFER_OUTBOX_RETENTION are deleted, a bounded batch at a time.
import type { Logger } from '../log.js';
import type { Store } from './store.js';

/** Items one delete takes, so no delete holds its locks (SQLite: the one write lock) for long. */
export const OUTBOX_PRUNE_BATCH = 500;
/** Batches one run deletes at most: a long backlog (the first run after an upgrade) is worked off over several sweeps. */
export const OUTBOX_PRUNE_BATCHES_PER_RUN = 20;

/**
 * Deletes the outbox items delivered or given up more than `retentionMs` before `now`, and says how many. Items not
 * yet settled stay, whatever their age; transitions (the audit) and requests are never touched.
 */
export async function pruneOutbox(store: Store, retentionMs: number, now: number, log: Logger, batch = OUTBOX_PRUNE_BATCH): Promise<number> {
  let deleted = 0;
  for (let run = 0; run < OUTBOX_PRUNE_BATCHES_PER_RUN; run++) {
    const count = await store.pruneOutbox(now - retentionMs, batch);
    deleted += count;
    // Fewer than a batch: nothing older is left, or another replica is deleting the rest.
    if (count < batch) break;
  }
  if (deleted > 0) log.info({ deleted, retentionMs }, 'deleted settled Slack outbox items past their retention');
  return deleted;
}
