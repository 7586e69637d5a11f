// The deletion workflow: wires the use cases (request, decide, carry out and verify, sweep) over the core's ports.
import { randomUUID } from 'node:crypto';
import { errorCode } from '../errors.js';
import { createAwaiting } from './awaiting.js';
import { createCarryOut } from './carry-out.js';
import { createCore, type WorkflowPorts, type WorkflowSettings } from './core.js';
import { createDecide, type ClickContext } from './decide.js';
import { SYSTEM_ACTOR } from './lifecycle.js';
import type { ConfirmationResult } from './ports.js';
import { replyReliably } from './reply.js';
import { createRequestDeletion, type CommandContext } from './request-deletion.js';
import type { DeletionRequest } from './request.js';
import { createRestore, type RestoreClick } from './restore.js';
import { createSweep, expire } from './sweep.js';
import { createVerify } from './verify.js';

/** The lease holder of the one replica a store it has to itself serves. */
const SINGLE_REPLICA_OWNER = 'single-replica';

/** This process as a lease holder: one replica of a shared store is one of many; alone, a restarted process is the same worker. */
export const leaseHolder = (sharedByReplicas: boolean): string => (sharedByReplicas ? `${process.pid}-${randomUUID()}` : SINGLE_REPLICA_OWNER);

export function createWorkflow(settings: WorkflowSettings, ports: WorkflowPorts) {
  const core = createCore(settings, ports);
  const { notifier, clock } = ports;
  /** Deletions started by this process, so a sweep never runs one twice. */
  const running = new Map<string, Promise<void>>();
  const carryOut = createCarryOut(core, createVerify(core));
  const restore = createRestore(core);

  /** Runs a request this process holds the lease on, once per process. */
  function run(request: DeletionRequest): Promise<void> {
    const existing = running.get(request.id);
    if (existing) return existing;
    const work = core
      .track(`${request.action} ${request.id}`, () => (request.action === 'restore' ? restore.carryOut(request) : carryOut(request)))
      .finally(() => running.delete(request.id));
    running.set(request.id, work);
    return work;
  }

  const requestDeletion = createRequestDeletion(core);
  const { vet, prepare, decide } = createDecide(core, { run, expire: (request) => expire(core, request) });
  const sweep = createSweep(core, { run, isRunning: (id) => running.has(id) });
  const awaitingDecisionBy = createAwaiting(core);

  return {
    // Whatever breaks inside (the database, most likely), the person who acted hears about it.
    /** `requestedSandbox`: the one `--sandbox` (or a modal) names; checked against the channel's, the default when absent. */
    requestDeletion: (context: CommandContext, offerId: string, reason: string, requestedSandbox?: string) =>
      core.track('request', () =>
        requestDeletion(context, offerId, reason, requestedSandbox).catch(async (error: unknown) => {
          await replyReliably(context.reply, clock.sleep)({ type: 'internal_failure', code: errorCode(error) });
          throw error;
        }),
      ),
    decide: (click: ClickContext) =>
      core.track('decide', () =>
        decide(click).catch(async (error: unknown) => {
          await notifier.tellClicker(click, { type: 'internal_failure', code: errorCode(error) });
          throw error;
        }),
      ),
    /** Whether `click` may decide its request now, changing nothing (a decision's modal when it is submitted). */
    vetDecision: (click: ClickContext) => vet(click),
    /** A decision that opens a modal first: `open` shows it unless the clicker may not decide (then they are told why, at once). */
    prepareDecision: (click: ClickContext, open: (request: DeletionRequest) => Promise<void>) =>
      core.track('prepare a decision', () =>
        prepare(click, open).catch(async (error: unknown) => {
          await notifier.tellClicker(click, { type: 'internal_failure', code: errorCode(error) });
          throw error;
        }),
      ),
    /** A Restore click on a deletion's outcome reply: a restore request of its own, posted in the deletion's thread. */
    requestRestore: (click: RestoreClick) =>
      core.track('restore', () =>
        restore.requestRestore(click).catch(async (error: unknown) => {
          await notifier.tellClicker(click, { type: 'internal_failure', code: errorCode(error) });
          throw error;
        }),
      ),
    sweep: (options?: { startingUp?: boolean }) => core.track('sweep', () => sweep(options)),
    /** The candidates this person may decide now (App Home); throws when Slack cannot tell. */
    awaitingDecisionBy,
    /** The outbox settled a confirmation: one that never went out leaves nothing anyone could approve, so the request closes. */
    async confirmationSettled(request: DeletionRequest, result: ConfirmationResult): Promise<void> {
      if (!result.posted)
        await core.apply(request, { type: 'cancel', actor: SYSTEM_ACTOR }, { detail: { reason: 'confirmation_not_posted', slackError: result.slackError } });
    },
    /** Waits for the work in flight, at most `timeoutMs`; says whether everything finished. */
    async waitUntilIdle(timeoutMs: number): Promise<boolean> {
      // Work in flight starts more work (a transition starts a delivery): wait until none is left.
      const deadline = Date.now() + timeoutMs;
      while (core.inFlight.size > 0 && Date.now() < deadline) {
        // An unref'd timer: waiting must not keep a process alive that has nothing else to do.
        await Promise.race([Promise.allSettled([...core.inFlight]), new Promise((resolve) => setTimeout(resolve, deadline - Date.now()).unref())]);
      }
      return core.inFlight.size === 0;
    },
  };
}

export type Workflow = ReturnType<typeof createWorkflow>;
