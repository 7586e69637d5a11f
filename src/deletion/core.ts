// What every use case shares: the settings, the ports, background work, and one audited compare-and-set transition.
import type { Logger } from '../log.js';
import type { ApprovalRules } from './approval-policy.js';
import { next, type LifecycleEvent, type Refusal } from './lifecycle.js';
import type {
  ApproverDirectory,
  ChannelDirectory,
  Clock,
  Failpoints,
  Notifier,
  OfferCatalogue,
  Outbox,
  OutboxKind,
  PeopleDirectory,
  RequestStore,
} from './ports.js';
import type { DeletionRequest, State } from './request.js';
import type { SandboxRules } from './sandboxes.js';

export interface WorkflowSettings {
  /** Which sandboxes each channel may use (OFFER_SANDBOXES), and everyone else's (ADOBE_SANDBOX_NAME). */
  sandboxes: SandboxRules;
  ttlMs: number;
  verifyTimeoutMs: number;
  /** A lease covers the verification window plus this much for the look-up, the DELETE and their retries. */
  workLeaseMs: number;
  allowSelfApproval: boolean;
  /** Guests may ask for deletions (never decide them) unless OFFER_ALLOW_GUEST_REQUESTS=false. */
  allowGuestRequests: boolean;
  /** Open requests one person may have at once (OFFER_MAX_OPEN_PER_USER). */
  maxOpenPerUser: number;
  /** How long after a deletion its offer may be restored (OFFER_RESTORE_WINDOW). */
  restoreWindowMs: number;
  /** How many different people must approve a request (OFFER_REQUIRED_APPROVALS), and a sandbox's own number (…_<SANDBOX>). */
  requiredApprovals: { default: number; bySandbox: ReadonlyMap<string, number> };
}

/** How many approvals a new request in `sandbox` needs. */
export const requiredApprovalsIn = (settings: WorkflowSettings, sandbox: string): number =>
  settings.requiredApprovals.bySandbox.get(sandbox) ?? settings.requiredApprovals.default;

export interface WorkflowPorts {
  store: RequestStore;
  offers: OfferCatalogue;
  outbox: Outbox;
  notifier: Notifier;
  approvers: ApproverDirectory;
  people: PeopleDirectory;
  channels: ChannelDirectory;
  clock: Clock;
  failpoints: Failpoints;
  log: Logger;
  /** Identifies this process as a lease holder. */
  owner: string;
}

/** States whose background work is guarded by a lease. */
const LEASED_STATES: readonly State[] = ['approved', 'deleting'];

/**
 * What a final state owes people: the thread reply first (it is what people wait for), then the message update, then
 * the requester's direct message, which links to that thread.
 */
export const FINAL_WRITES: OutboxKind[] = ['outcome', 'message', 'dm'];
/** A requester who ends their own request (cancels or rejects it) has nothing to hear directly: they just did it. */
export const OWN_ENDING_WRITES: OutboxKind[] = ['outcome', 'message'];

interface ApplyOptions {
  requireUnexpired?: boolean;
  lease?: boolean;
  detail?: Record<string, unknown>;
  /** Writes the new state owes; stored with it, then delivered. */
  tell?: OutboxKind[];
}

export type Applied = { ok: true; request: DeletionRequest } | { ok: false; refusal: Refusal; request: DeletionRequest };

export interface Core {
  settings: WorkflowSettings;
  ports: WorkflowPorts;
  leaseMs: number;
  /** Runs background work, remembered until it settles; failures are logged, never thrown at the caller. */
  track(what: string, work: () => Promise<unknown>): Promise<void>;
  /** Work started and not yet settled. */
  readonly inFlight: ReadonlySet<Promise<unknown>>;
  /** Delivers, in the background, what one request (as just written) owes now, or with no request every write that is due. */
  deliver(request?: DeletionRequest): void;
  /** Applies `event` to `request` through the store (compare-and-set), logs the audit line, delivers what it owes. */
  apply(request: DeletionRequest, event: LifecycleEvent, options?: ApplyOptions): Promise<Applied>;
}

export function createCore(settings: WorkflowSettings, ports: WorkflowPorts): Core {
  const { store, log, clock, owner } = ports;
  const leaseMs = settings.verifyTimeoutMs + settings.workLeaseMs;
  const tasks = new Set<Promise<unknown>>();

  function track(what: string, work: () => Promise<unknown>): Promise<void> {
    const task = work().then(
      () => undefined,
      (error: unknown) => log.error({ err: error, what }, 'background work failed'),
    );
    tasks.add(task);
    void task.finally(() => tasks.delete(task));
    return task;
  }

  const deliver = (request?: DeletionRequest) =>
    void track('deliver', () => (request === undefined ? ports.outbox.deliverDue() : ports.outbox.deliverFor(request)));

  async function apply(request: DeletionRequest, event: LifecycleEvent, options: ApplyOptions = {}): Promise<Applied> {
    const at = clock.now();
    const step = next(request, event, at);
    if (!step.ok) return { ok: false, refusal: step.refusal, request };
    const detail = step.change.detail || options.detail ? { ...step.change.detail, ...options.detail } : undefined;
    // A lease guards background work (approved, deleting): an approval that leaves the request pending starts none.
    const leased = options.lease && (LEASED_STATES.includes(step.change.from) || LEASED_STATES.includes(step.change.to));
    const updated = await store.transition(request.id, step.change, at, {
      ...(options.requireUnexpired ? { requireUnexpired: true } : {}),
      ...(leased ? { lease: { owner, until: at + leaseMs } } : {}),
      ...(detail ? { detail } : {}),
      ...(options.tell ? { outbox: options.tell } : {}),
    });
    if (!updated) {
      // Another click, process or replica moved the request first: report what it is now.
      const current = (await store.getRequest(request.id)) ?? request;
      return { ok: false, refusal: 'already_decided', request: current };
    }
    log.info(
      {
        audit: true,
        requestId: updated.id,
        offerId: updated.offer.id,
        sandbox: updated.sandbox,
        actor: step.change.actor,
        from: step.change.from,
        to: step.change.to,
        ...(detail ? { detail } : {}),
      },
      'audit',
    );
    if (options.tell?.length) deliver(updated);
    return { ok: true, request: updated };
  }

  return { settings, ports, leaseMs, track, inFlight: tasks, deliver, apply };
}

/** The approval rules now in `sandbox`: the settings and who may decide there, as the approver directory says. */
export async function approvalRules({ settings, ports }: Core, sandbox: string): Promise<ApprovalRules> {
  return { allowSelfApproval: settings.allowSelfApproval, approvers: await ports.approvers.whoMayDecide(sandbox) };
}
