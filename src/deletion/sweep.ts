// Use case: the periodic sweep — expire what waited too long, remind what waited half as long, resume deletions whose worker died; safe in every replica.
import { FINAL_WRITES, type Core } from './core.js';
import type { DeletionRequest } from './request.js';

/** Requests handled per sweep, so a backlog cannot stall one pass. */
const SWEEP_BATCH = 50;

export async function expire(core: Core, request: DeletionRequest): Promise<void> {
  await core.apply(request, { type: 'expire' }, { tell: FINAL_WRITES });
}

interface SweepSteps {
  /** Whether this process is carrying the request out already. */
  isRunning(requestId: string): boolean;
  /** Carries out a request this process now holds the lease on. */
  run(request: DeletionRequest): Promise<void>;
}

export function createSweep(core: Core, steps: SweepSteps) {
  const { store, clock, owner, log } = core.ports;

  return async function sweep(options: { startingUp?: boolean } = {}): Promise<void> {
    core.deliver();
    const at = clock.now();
    for (const request of await store.expiredPending(at, SWEEP_BATCH)) await expire(core, request);
    // Marked and owed in one step in the store, so a reminder goes out once however many replicas sweep.
    const reminded = await store.markRemindersDue(at, SWEEP_BATCH);
    if (reminded.length > 0) {
      log.info({ requestIds: reminded.map((request) => request.id) }, 'reminding pending requests halfway to expiry');
      core.deliver();
    }
    // At start a single-replica store may take back its own leases at once: the process that held them is us, restarted.
    const leaseHorizon = options.startingUp && !store.sharedByReplicas ? Number.MAX_SAFE_INTEGER : at;
    for (const request of await store.unfinished(leaseHorizon, SWEEP_BATCH)) {
      if (steps.isRunning(request.id)) continue;
      if (!(await store.claim(request.id, owner, clock.now(), clock.now() + core.leaseMs))) continue;
      const claimed = await store.getRequest(request.id);
      if (claimed) {
        log.info({ requestId: claimed.id, state: claimed.state }, 'resuming a deletion left unfinished');
        void steps.run(claimed);
      }
    }
  };
}
