// The requester's wait for their confirmation: a signal from this process's delivery, or the shared store's word.
import type { ConfirmationResult, RequestStore } from '../deletion/ports.js';

/** How long the requester's "posted" answer waits for the confirmation to go out. */
const CONFIRMATION_WAIT_MS = 10_000;
/** How often that wait looks in a shared store for a confirmation another replica delivered. */
const CONFIRMATION_POLL_MS = 250;

export function createConfirmationWait(store: Pick<RequestStore, 'sharedByReplicas' | 'getRequest' | 'transitions'>) {
  /** Requesters waiting, in this process, to hear whether their confirmation went out. */
  const waiting = new Map<string, (result: ConfirmationResult) => void>();

  /** The confirmation's fate as the store has it: posted (its ts stored), given up (the request closed), or not yet known. */
  async function inStore(id: string): Promise<ConfirmationResult | null> {
    const stored = await store.getRequest(id);
    if (stored?.messageTs) return { posted: true };
    if (stored?.state !== 'cancelled') return null;
    const detail = (await store.transitions(id)).at(-1)?.detail;
    if (detail?.reason !== 'confirmation_not_posted') return null;
    return { posted: false, slackError: String(detail.slackError) };
  }

  return {
    /** Listens at once; resolves with the result, or null after CONFIRMATION_WAIT_MS. */
    confirmationOf(requestId: string): Promise<ConfirmationResult | null> {
      return new Promise<ConfirmationResult | null>((resolve) => {
        let poll: NodeJS.Timeout | undefined;
        let finished = false;
        const done = (outcome: ConfirmationResult | null) => {
          finished = true;
          clearTimeout(timer);
          clearTimeout(poll);
          resolve(outcome);
        };
        const timer = setTimeout(() => done(null), CONFIRMATION_WAIT_MS);
        waiting.set(requestId, done);
        // Every replica delivers whatever is due, so another may post this confirmation: its result is in the shared store.
        if (store.sharedByReplicas) {
          const look = () => {
            if (finished) return;
            poll = setTimeout(() => {
              void inStore(requestId).then((outcome) => (outcome ? done(outcome) : look()), look);
            }, CONFIRMATION_POLL_MS);
          };
          look();
        }
      }).finally(() => waiting.delete(requestId));
    },
    /** This process delivered (or gave up on) the confirmation. */
    settled(requestId: string, result: ConfirmationResult): void {
      waiting.get(requestId)?.(result);
    },
  };
}
