// The outbox retention run: batch after batch of settled items, bounded per run, on a real SQLite store.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OUTBOX_PRUNE_BATCHES_PER_RUN, pruneOutbox } from '../../src/store/outbox-retention.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import { sqliteUrl, testLog } from '../support/databases.js';
import { T0 } from '../support/requests.js';
import { aNewRequest } from './contract.js';

const HOUR_MS = 3_600_000;

describe('the outbox retention run', () => {
  let store: Store;
  let logged: Array<Record<string, unknown>>;
  let log: ReturnType<typeof testLog>['log'];

  beforeEach(async () => {
    ({ log, lines: logged } = testLog());
    store = await openStore(sqliteUrl(), { log });
    await store.migrate();
  });
  afterEach(() => store.close());

  /** `count` requests whose confirmations were delivered at T0. */
  async function deliveredAtT0(count: number): Promise<void> {
    for (let i = 0; i < count; i += 1) await store.createRequest(aNewRequest());
    for (const item of await store.claimOutbox('worker-a', T0, T0 + 30_000, count)) await store.settleOutbox(item.id, T0, { delivered: true });
  }

  it('deletes batch after batch until one comes back short, and logs how many it deleted', async () => {
    await deliveredAtT0(5);
    expect(await pruneOutbox(store, HOUR_MS, T0 + HOUR_MS + 1, log, 2)).toBe(5);
    expect(await store.pruneOutbox(Number.MAX_SAFE_INTEGER, 100)).toBe(0);
    expect(logged).toContainEqual(expect.objectContaining({ msg: 'deleted settled Slack outbox items past their retention', deleted: 5 }));
  });

  it('keeps items settled within the retention, and logs nothing', async () => {
    await deliveredAtT0(2);
    expect(await pruneOutbox(store, HOUR_MS, T0 + HOUR_MS, log)).toBe(0);
    expect(await store.pruneOutbox(T0 + 1, 100)).toBe(2);
    expect(logged.filter((line) => line.msg === 'deleted settled Slack outbox items past their retention')).toEqual([]);
  });

  it('stops after its bounded number of batches and leaves the rest to the next run', async () => {
    await deliveredAtT0(OUTBOX_PRUNE_BATCHES_PER_RUN + 1);
    expect(await pruneOutbox(store, HOUR_MS, T0 + HOUR_MS + 1, log, 1)).toBe(OUTBOX_PRUNE_BATCHES_PER_RUN);
    expect(await pruneOutbox(store, HOUR_MS, T0 + HOUR_MS + 1, log, 1)).toBe(1);
  });
});
