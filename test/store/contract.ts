// The store contract: what every Store must do, run unchanged against SQLite and PostgreSQL.
import { randomBytes, randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { next, type LifecycleEvent } from '../../src/deletion/lifecycle.js';
import type { DeletionRequest, Outcome } from '../../src/deletion/request.js';
import { MIGRATIONS, type Migration } from '../../src/store/migrations.js';
import { openStore } from '../../src/store/open-store.js';
import { StoreError, type NewRequest, type OutboxItem, type Store, type TransitionOptions } from '../../src/store/store.js';
import type { TestDatabase } from '../support/databases.js';
import { testLog } from '../support/databases.js';
import { T0, TTL } from '../support/requests.js';

export interface ContractTarget {
  /** A new, empty database for one test. */
  newDatabase(): Promise<TestDatabase>;
  /** Opens a store with other migrations than the bot's, to exercise upgrades. */
  openWithMigrations(url: string, migrations: readonly Migration[]): Promise<Store>;
  /** The versions recorded in schema_migrations, read directly from the database. */
  appliedVersions(url: string): Promise<number[]>;
}

const REQUESTER = 'U024BE7LH';
const APPROVER = 'U024BE91M';
const LEASE_MS = 150_000;
const deleted: Outcome = {
  reason: 'deleted',
  summary: 'Adobe accepted the DELETE and a GET confirmed the offer is gone (404).',
  adobeRequestIds: ['wJ3yX1kqUqhvlMUsM2Y3Tq0x1Zt4vN9c', 'q8Vd0sR2mYk7cB4nL1pE6aT9uW3zX5hJ'],
};

const offerId = () => `dps:personalized-offer:${randomBytes(8).toString('hex')}`;

/** The whole offer as Adobe sent it, with the details an exact copy must keep: order, spacing, 1.50, a 20-digit number, non-ASCII. */
const offerJson = (id: string) =>
  `{"@id":"${id}","xdm:name":"Winter sale — 20 % off ❄️","xdm:status":"approved","xdm:rank":{"priority": 1.50},` +
  `"repo:etag":7,"_instance":{"xdm:representations":[{"xdm:channel":"https://ns.adobe.com/xdm/channel-types/web"}]},"big":12345678901234567890}`;

export function aNewRequest(overrides: Partial<NewRequest> = {}): NewRequest {
  const id = overrides.offer?.id ?? offerId();
  return {
    id: randomUUID(),
    teamId: 'T024BE7LD',
    channelId: 'C024BE91L',
    sandbox: 'prod',
    offer: {
      id,
      name: 'Winter sale — 20 % off ❄️',
      status: 'approved',
      modified: '2026-11-20T09:12:44.000Z',
      lastModifiedBy: 'marketer@example.com',
      etag: '7',
      json: offerJson(id),
    },
    requesterId: REQUESTER,
    reason: 'campaign ended; "Winter sale" replaced by the spring offer',
    createdAt: T0,
    expiresAt: T0 + TTL,
    ...overrides,
  };
}

export function describeStoreContract(name: string, target: ContractTarget): void {
  describe(`the ${name} store`, () => {
    const { log } = testLog();
    let database: TestDatabase;
    let opened: Store[] = [];
    let store: Store;

    /** Another store on this test's database: another connection (SQLite) or another pool (PostgreSQL). */
    async function openUnmigrated(): Promise<Store> {
      const another = await openStore(database.url, { log });
      opened.push(another);
      return another;
    }
    async function open(): Promise<Store> {
      const another = await openUnmigrated();
      await another.migrate();
      return another;
    }

    beforeEach(async () => {
      database = await target.newDatabase();
      store = await open();
    });
    afterEach(async () => {
      await Promise.all(opened.map((s) => s.close()));
      opened = [];
      await database.drop();
    });

    async function create(overrides: Partial<NewRequest> = {}): Promise<DeletionRequest> {
      const created = await store.createRequest(aNewRequest(overrides));
      if (!created.ok) throw new Error('expected a new request');
      return created.request;
    }

    /** Applies a lifecycle event the way the workflow does: the pure core decides, the store compares and sets. */
    async function apply(request: DeletionRequest, event: LifecycleEvent, at: number, options?: TransitionOptions, on: Store = store) {
      const step = next(request, event, at);
      if (!step.ok) throw new Error(`the lifecycle refused ${event.type}: ${step.refusal}`);
      return on.transition(request.id, step.change, at, options);
    }

    async function approved(
      overrides: Partial<NewRequest> = {},
      at = T0 + 60_000,
      lease: { owner: string; until: number } | undefined = { owner: 'worker-a', until: T0 + 60_000 + LEASE_MS },
    ) {
      const request = await create(overrides);
      const result = await apply(request, { type: 'approve', actor: APPROVER }, at, { requireUnexpired: true, ...(lease ? { lease } : {}) });
      if (!result) throw new Error('expected the approval to win');
      return result;
    }

    describe('requests', () => {
      it('a created request reads back with every field, the offer JSON byte for byte', async () => {
        const input = aNewRequest();
        const created = await store.createRequest(input);
        const expected: DeletionRequest = {
          id: input.id,
          action: 'delete',
          restoreOf: null,
          threadTs: null,
          teamId: 'T024BE7LD',
          enterpriseId: null,
          channelId: 'C024BE91L',
          channelPrivate: null,
          messageTs: null,
          sandbox: 'prod',
          offer: input.offer,
          requesterId: REQUESTER,
          reason: input.reason,
          state: 'pending',
          createdAt: T0,
          expiresAt: T0 + TTL,
          updatedAt: T0,
          requiredApprovals: 1,
          approvals: [],
          decidedBy: null,
          decidedAt: null,
          decisionComment: null,
          outcome: null,
        };
        expect(created).toEqual({ ok: true, request: expected });
        const read = await store.getRequest(input.id);
        expect(read).toEqual(expected);
        expect(read?.offer.json).toBe(offerJson(input.offer.id));
      });

      it('an offer snapshot without modified, modifier or etag reads back with nulls', async () => {
        const input = aNewRequest();
        input.offer = { ...input.offer, modified: null, lastModifiedBy: null, etag: null };
        await store.createRequest(input);
        expect((await store.getRequest(input.id))?.offer).toEqual(input.offer);
      });

      it('creating a request records its pending transition by the requester', async () => {
        const request = await create();
        expect(await store.transitions(request.id)).toEqual([{ requestId: request.id, from: null, to: 'pending', actor: REQUESTER, at: T0, detail: null }]);
      });

      it('the confirmation message ts is stored with the request', async () => {
        const request = await create();
        const [confirmation] = await store.claimOutbox('worker-a', T0, T0 + 30_000, 100);
        await store.settleOutbox(confirmation!.id, T0 + 1, { delivered: true, messageTs: '1764324000.000100' });
        expect(await store.getRequest(request.id)).toEqual({ ...request, messageTs: '1764324000.000100' });
      });

      it('an unknown request reads as null, with no transitions', async () => {
        expect(await store.getRequest('5b7e2f0c-0000-4000-8000-000000000000')).toBeNull();
        expect(await store.transitions('5b7e2f0c-0000-4000-8000-000000000000')).toEqual([]);
      });

      it('a second request for an offer with a pending request returns the pending one and stores nothing', async () => {
        const first = await create();
        const second = aNewRequest({ offer: first.offer, requesterId: 'U061F7AUR', createdAt: T0 + 5_000 });
        expect(await store.createRequest(second)).toEqual({ ok: false, existing: first });
        expect(await store.getRequest(second.id)).toBeNull();
        expect(await store.transitions(second.id)).toEqual([]);
      });

      it('while a request is approved or deleting, a second request for its offer returns it', async () => {
        const approvedOne = await approved();
        expect(await store.createRequest(aNewRequest({ offer: approvedOne.offer }))).toEqual({ ok: false, existing: approvedOne });
        const deleting = await apply(approvedOne, { type: 'start_delete' }, T0 + 61_000, { lease: { owner: 'worker-a', until: T0 + 300_000 } });
        expect(deleting?.state).toBe('deleting');
        expect(await store.createRequest(aNewRequest({ offer: approvedOne.offer }))).toEqual({ ok: false, existing: deleting });
      });

      it('the same offer in another sandbox can have its own open request', async () => {
        const first = await create();
        const other = await store.createRequest(aNewRequest({ offer: first.offer, sandbox: 'dev-emea' }));
        expect(other).toMatchObject({ ok: true, request: { sandbox: 'dev-emea', state: 'pending' } });
      });

      it('once a request has finished, its offer can be requested again', async () => {
        const first = await create();
        const rejected = await apply(first, { type: 'reject', actor: APPROVER }, T0 + 10_000, { requireUnexpired: true });
        const again = await store.createRequest(aNewRequest({ offer: first.offer, createdAt: T0 + 20_000, expiresAt: T0 + 20_000 + TTL }));
        expect(again).toMatchObject({ ok: true, request: { state: 'pending', createdAt: T0 + 20_000 } });
        expect(await store.getRequest(first.id)).toEqual(rejected);
      });

      it('fifty concurrent requests for one offer from three store instances store exactly one', async () => {
        const stores = [store, await open(), await open()];
        const offer = aNewRequest().offer;
        const attempts = Array.from({ length: 50 }, (_, i) => aNewRequest({ offer, requesterId: `U024BE${String(i).padStart(3, '0')}` }));
        const results = await Promise.all(attempts.map((attempt, i) => stores[i % stores.length]!.createRequest(attempt)));
        const winners = results.flatMap((result) => (result.ok ? [result.request] : []));
        expect(winners).toHaveLength(1);
        const winner = winners[0]!;
        for (const result of results) if (!result.ok) expect('existing' in result && result.existing.id).toBe(winner.id);
        for (const attempt of attempts) if (attempt.id !== winner.id) expect(await store.getRequest(attempt.id)).toBeNull();
      });
    });

    describe('transitions', () => {
      it('a request deleted end to end has one transition row per step, and its outcome reads back exactly', async () => {
        const request = await create();
        const lease = (at: number) => ({ owner: 'worker-a', until: at + LEASE_MS });
        const approvedOne = await apply(request, { type: 'approve', actor: APPROVER }, T0 + 60_000, { requireUnexpired: true, lease: lease(T0 + 60_000) });
        const deleting = await apply(approvedOne!, { type: 'start_delete' }, T0 + 61_000, { lease: lease(T0 + 61_000) });
        const done = await apply(deleting!, { type: 'finish', result: 'deleted', outcome: deleted }, T0 + 63_000, {
          lease: lease(T0 + 63_000),
          detail: { adobeStatus: 204, attempts: 2 },
        });
        expect(done).toEqual({
          ...request,
          state: 'deleted',
          updatedAt: T0 + 63_000,
          approvals: [{ by: APPROVER, at: T0 + 60_000, comment: null }],
          decidedBy: APPROVER,
          decidedAt: T0 + 60_000,
          outcome: deleted,
        });
        expect(await store.getRequest(request.id)).toEqual(done);
        expect(await store.transitions(request.id)).toEqual([
          { requestId: request.id, from: null, to: 'pending', actor: REQUESTER, at: T0, detail: null },
          { requestId: request.id, from: 'pending', to: 'approved', actor: APPROVER, at: T0 + 60_000, detail: null },
          { requestId: request.id, from: 'approved', to: 'deleting', actor: 'system', at: T0 + 61_000, detail: null },
          { requestId: request.id, from: 'deleting', to: 'deleted', actor: 'system', at: T0 + 63_000, detail: { adobeStatus: 204, attempts: 2 } },
        ]);
      });

      const endings: Array<{ path: string; events: LifecycleEvent[]; at: number }> = [
        { path: 'rejected', events: [{ type: 'reject', actor: APPROVER }], at: T0 + 1_000 },
        { path: 'cancelled', events: [{ type: 'cancel', actor: REQUESTER }], at: T0 + 1_000 },
        { path: 'expired', events: [{ type: 'expire' }], at: T0 + TTL },
        {
          path: 'failed before any DELETE',
          events: [
            { type: 'approve', actor: APPROVER },
            { type: 'abort', outcome: { ...deleted, reason: 'offer_changed', summary: 'the offer changed' } },
          ],
          at: T0 + 1_000,
        },
        {
          path: 'failed by Adobe',
          events: [
            { type: 'approve', actor: APPROVER },
            { type: 'start_delete' },
            { type: 'finish', result: 'failed', outcome: { ...deleted, reason: 'delete_refused', summary: 'refused', status: 403, adobeMessage: 'Forbidden' } },
          ],
          at: T0 + 1_000,
        },
        {
          path: 'unverified',
          events: [
            { type: 'approve', actor: APPROVER },
            { type: 'start_delete' },
            { type: 'finish', result: 'unverified', outcome: { ...deleted, reason: 'not_confirmed', summary: 'still there' } },
          ],
          at: T0 + 1_000,
        },
      ];
      for (const ending of endings) {
        it(`a request that ends ${ending.path} records every step with its actor`, async () => {
          let request = await create();
          const expected = [{ from: null, to: 'pending', actor: REQUESTER }];
          let at = ending.at;
          for (const event of ending.events) {
            const step = next(request, event, at);
            if (!step.ok) throw new Error(step.refusal);
            const result = await store.transition(request.id, step.change, at, { lease: { owner: 'worker-a', until: at + LEASE_MS } });
            expect(result).not.toBeNull();
            expected.push({ from: step.change.from, to: step.change.to, actor: step.change.actor } as never);
            request = result!;
            at += 1_000;
          }
          expect((await store.transitions(request.id)).map(({ from, to, actor }) => ({ from, to, actor }))).toEqual(expected);
          expect(await store.getRequest(request.id)).toEqual(request);
        });
      }

      it('a transition from a state the request has left returns null and records nothing', async () => {
        const request = await create();
        const approvedOne = await apply(request, { type: 'approve', actor: APPROVER }, T0 + 1_000);
        // A second click computed against the stale, still-pending copy of the request.
        expect(await apply(request, { type: 'reject', actor: 'U061F7AUR' }, T0 + 2_000)).toBeNull();
        expect(await store.getRequest(request.id)).toEqual(approvedOne);
        expect((await store.transitions(request.id)).map((t) => t.to)).toEqual(['pending', 'approved']);
      });

      it('a transition of an unknown request returns null', async () => {
        const ghost = { ...(await create()), id: '5b7e2f0c-0000-4000-8000-000000000000' };
        expect(await apply(ghost, { type: 'approve', actor: APPROVER }, T0 + 1_000)).toBeNull();
        expect(await store.transitions(ghost.id)).toEqual([]);
      });

      it('a decision that requires an unexpired request is refused at its expiry and allowed a millisecond before', async () => {
        const request = await create();
        const change = { from: 'pending' as const, to: 'approved' as const, actor: APPROVER, patch: { decidedBy: APPROVER, decidedAt: T0 + TTL } };
        expect(await store.transition(request.id, change, T0 + TTL, { requireUnexpired: true })).toBeNull();
        expect(await store.transition(request.id, change, T0 + TTL + 1, { requireUnexpired: true })).toBeNull();
        expect((await store.transitions(request.id)).map((t) => t.to)).toEqual(['pending']);
        const justInTime = await store.transition(request.id, { ...change, patch: { decidedBy: APPROVER, decidedAt: T0 + TTL - 1 } }, T0 + TTL - 1, {
          requireUnexpired: true,
        });
        expect(justInTime).toMatchObject({ state: 'approved', decidedAt: T0 + TTL - 1 });
      });

      it('fifty concurrent approvals from three store instances: exactly one wins and one approved transition is stored', async () => {
        const stores = [store, await open(), await open()];
        const request = await create();
        const at = T0 + 60_000;
        const approvers = Array.from({ length: 50 }, (_, i) => `U024BF${String(i).padStart(3, '0')}`);
        const results = await Promise.all(
          approvers.map((actor, i) =>
            apply(
              request,
              { type: 'approve', actor },
              at,
              { requireUnexpired: true, lease: { owner: `worker-${i}`, until: at + LEASE_MS } },
              stores[i % stores.length],
            ),
          ),
        );
        const winners = results.filter((result) => result !== null);
        expect(winners).toHaveLength(1);
        const approvals = (await store.transitions(request.id)).filter((t) => t.to === 'approved');
        expect(approvals).toHaveLength(1);
        expect(approvals[0]!.actor).toBe(winners[0]!.decidedBy);
        // The lease went to the winner only.
        const winner = approvers.indexOf(winners[0]!.decidedBy!);
        expect(await store.claim(request.id, `worker-${(winner + 1) % 50}`, at + 1, at + LEASE_MS)).toBe(false);
        expect(await store.claim(request.id, `worker-${winner}`, at + 1, at + LEASE_MS)).toBe(true);
      });

      describe('several approvals', () => {
        const SECOND = 'U024BE91N';

        it('an approval short of the number required keeps the request pending with it; the last one approves it', async () => {
          const request = await create({ requiredApprovals: 2 });
          expect(request).toMatchObject({ requiredApprovals: 2, approvals: [] });
          const first = await apply(request, { type: 'approve', actor: APPROVER, comment: 'fine by me' }, T0 + 60_000, { requireUnexpired: true });
          expect(first).toMatchObject({ state: 'pending', decidedBy: null, approvals: [{ by: APPROVER, at: T0 + 60_000, comment: 'fine by me' }] });
          const last = await apply(first!, { type: 'approve', actor: SECOND }, T0 + 61_000, { requireUnexpired: true });
          expect(last).toMatchObject({ state: 'approved', decidedBy: SECOND, approvals: [{ by: APPROVER }, { by: SECOND, comment: null }] });
          expect(await store.getRequest(request.id)).toEqual(last);
          expect((await store.transitions(request.id)).map((t) => [t.from, t.to, t.actor])).toEqual([
            [null, 'pending', REQUESTER],
            ['pending', 'pending', APPROVER],
            ['pending', 'approved', SECOND],
          ]);
        });

        it('an approval applied again (run again after a lost answer) finds the count moved on: null, and nothing more recorded', async () => {
          const request = await create({ requiredApprovals: 2 });
          const step = next(request, { type: 'approve', actor: APPROVER }, T0 + 60_000);
          if (!step.ok) throw new Error(step.refusal);
          expect(await store.transition(request.id, step.change, T0 + 60_000)).toMatchObject({ state: 'pending' });
          expect(await store.transition(request.id, step.change, T0 + 60_000)).toBeNull();
          expect((await store.getRequest(request.id))?.approvals).toHaveLength(1);
          expect(await store.transitions(request.id)).toHaveLength(2);
        });

        it('fifty concurrent approvals by different people that saw the same count from three store instances: exactly one is recorded', async () => {
          const stores = [store, await open(), await open()];
          const request = await create({ requiredApprovals: 3 });
          const approvers = Array.from({ length: 50 }, (_, i) => `U024BF${String(i).padStart(3, '0')}`);
          const results = await Promise.all(
            approvers.map((actor, i) => apply(request, { type: 'approve', actor }, T0 + 60_000, { requireUnexpired: true }, stores[i % stores.length])),
          );
          const winners = results.filter((result) => result !== null);
          expect(winners).toHaveLength(1);
          expect(await store.getRequest(request.id)).toMatchObject({ state: 'pending', approvals: [{ by: winners[0]!.approvals[0]!.by }] });
          expect((await store.transitions(request.id)).filter((t) => t.from === 'pending')).toHaveLength(1);
        });

        it('the database keeps one approval per person: a second one by the same person fails whole, changing nothing', async () => {
          const request = await create({ requiredApprovals: 3 });
          const first = await apply(request, { type: 'approve', actor: APPROVER }, T0 + 60_000);
          // The lifecycle refuses this; a store given it anyway must not count the person twice.
          const again = { ...first!, approvals: [] };
          const step = next(again, { type: 'approve', actor: APPROVER }, T0 + 61_000);
          if (!step.ok) throw new Error(step.refusal);
          const forged = { ...step.change, approval: { ...step.change.approval!, before: 1 } };
          await expect(store.transition(request.id, forged, T0 + 61_000)).rejects.toThrow();
          expect(await store.getRequest(request.id)).toEqual(first);
          expect(await store.transitions(request.id)).toHaveLength(2);
        });

        it("a Reject's comment reads back with the request and in its transition's detail", async () => {
          const request = await create({ requiredApprovals: 2 });
          const step = next(request, { type: 'reject', actor: APPROVER, comment: 'wrong <offer> & sandbox' }, T0 + 60_000);
          if (!step.ok) throw new Error(step.refusal);
          const rejected = await store.transition(request.id, step.change, T0 + 60_000, { detail: step.change.detail! });
          expect(rejected).toMatchObject({ state: 'rejected', decisionComment: 'wrong <offer> & sandbox' });
          expect((await store.transitions(request.id))[1]!.detail).toEqual({ comment: 'wrong <offer> & sandbox' });
        });
      });

      it('a transition out of approved with a lease succeeds only for the lease holder', async () => {
        const request = await approved();
        const at = T0 + 61_000;
        expect(await apply(request, { type: 'start_delete' }, at, { lease: { owner: 'worker-b', until: at + LEASE_MS } })).toBeNull();
        expect((await store.transitions(request.id)).map((t) => t.to)).toEqual(['pending', 'approved']);
        expect(await apply(request, { type: 'start_delete' }, at, { lease: { owner: 'worker-a', until: at + LEASE_MS } })).toMatchObject({ state: 'deleting' });
      });

      it('a transition with a lease keeps other workers off the request until the lease runs out', async () => {
        const until = T0 + 60_000 + LEASE_MS;
        const request = await approved({}, T0 + 60_000, { owner: 'worker-a', until });
        expect(await store.claim(request.id, 'worker-b', until - 1, until + LEASE_MS)).toBe(false);
        expect(await store.claim(request.id, 'worker-b', until, until + LEASE_MS)).toBe(true);
        // worker-a lost the request: its next step is refused.
        expect(await apply(request, { type: 'start_delete' }, until + 1, { lease: { owner: 'worker-a', until: until + LEASE_MS } })).toBeNull();
      });
    });

    describe('sweeps', () => {
      it('expiredPending lists pending requests whose lifetime ended at or before now, earliest expiry first, up to the limit', async () => {
        const now = T0 + TTL;
        const endedFirst = await create({ createdAt: T0 - 120_000, expiresAt: T0 + TTL - 120_000 });
        const endedNow = await create({ expiresAt: now });
        const endedSecond = await create({ createdAt: T0 - 60_000, expiresAt: T0 + TTL - 60_000 });
        await create({ expiresAt: now + 1 });
        await approved({ createdAt: T0 - 180_000, expiresAt: now - 180_000 }, T0 - 170_000);
        expect((await store.expiredPending(now, 10)).map((r) => r.id)).toEqual([endedFirst.id, endedSecond.id, endedNow.id]);
        expect((await store.expiredPending(now, 2)).map((r) => r.id)).toEqual([endedFirst.id, endedSecond.id]);
        expect(await store.expiredPending(T0, 10)).toEqual([]);
      });

      it('unfinished lists approved and deleting requests with no lease or a lapsed lease, least recently changed first, up to the limit', async () => {
        const now = T0 + 600_000;
        const noLease = await approved({}, T0 + 30_000, undefined);
        const lapsed = await approved({}, T0 + 10_000, { owner: 'worker-a', until: now });
        const lapsedDeleting = await apply(await approved({}, T0 + 1_000, { owner: 'worker-a', until: T0 + 100_000 }), { type: 'start_delete' }, T0 + 20_000, {
          lease: { owner: 'worker-a', until: T0 + 120_000 },
        });
        await approved({}, T0 + 5_000, { owner: 'worker-a', until: now + 1 });
        await create();
        const finished = await approved({}, T0 + 2_000);
        await apply(finished, { type: 'abort', outcome: { ...deleted, reason: 'lookup_failed', summary: 'look-up failed' } }, T0 + 3_000, {
          lease: { owner: 'worker-a', until: T0 + 100_000 },
        });
        expect((await store.unfinished(now, 10)).map((r) => r.id)).toEqual([lapsed.id, lapsedDeleting!.id, noLease.id]);
        expect((await store.unfinished(now, 1)).map((r) => r.id)).toEqual([lapsed.id]);
      });

      it('markRemindersDue marks pending requests halfway to expiry once, owes each a reminder, and passes over the rest', async () => {
        const halfway = T0 + TTL / 2;
        const due = await create();
        const dueEarlier = await create({ createdAt: T0 - 60_000, expiresAt: T0 + TTL - 60_000 });
        const notYet = await create({ createdAt: T0 + 1, expiresAt: T0 + 1 + TTL });
        await create({ createdAt: T0 - TTL, expiresAt: halfway });
        await apply(await create(), { type: 'reject', actor: APPROVER }, T0 + 1_000);
        // The confirmations go out first, so a request's next item is the one the mark owes.
        for (const item of await store.claimOutbox('worker-r', T0 + 2_000, T0 + 2_000 + LEASE_MS, 50))
          await store.settleOutbox(item.id, T0 + 2_000, { delivered: true });
        const marked = await store.markRemindersDue(halfway, 10);
        expect(marked.map((r) => r.id)).toEqual([dueEarlier.id, due.id]);
        expect(await store.markRemindersDue(halfway, 10)).toEqual([]);
        const owed = (await store.claimOutbox('worker-r', halfway, halfway + LEASE_MS, 20)).filter((item) => item.kind === 'reminder');
        expect(owed.map((item) => item.requestId).sort()).toEqual([due.id, dueEarlier.id].sort());
        // The one a millisecond short of halfway comes on its own turn.
        expect((await store.markRemindersDue(T0 + 1 + TTL / 2, 10)).map((r) => r.id)).toEqual([notYet.id]);
      });

      it('fifty concurrent reminder sweeps from three store instances mark each request once and owe one reminder each', async () => {
        const stores = [store, await open(), await open()];
        const requests = await Promise.all(Array.from({ length: 5 }, () => create()));
        const at = T0 + TTL / 2;
        const marks = await Promise.all(Array.from({ length: 50 }, (_, i) => stores[i % stores.length]!.markRemindersDue(at, 2)));
        expect(
          marks
            .flat()
            .map((r) => r.id)
            .sort(),
        ).toEqual(requests.map((r) => r.id).sort());
        expect(await store.outboxBacklog()).toBe(requests.length * 2);
      });

      it('fifty concurrent claims by different workers on three store instances: exactly one takes the lease', async () => {
        const stores = [store, await open(), await open()];
        const request = await approved({}, T0 + 60_000, { owner: 'worker-dead', until: T0 + 100_000 });
        const now = T0 + 200_000;
        const claims = await Promise.all(
          Array.from({ length: 50 }, (_, i) => stores[i % stores.length]!.claim(request.id, `worker-${i}`, now, now + LEASE_MS)),
        );
        expect(claims.filter(Boolean)).toHaveLength(1);
        expect(await store.unfinished(now + LEASE_MS - 1, 10)).toEqual([]);
      });

      it('a lapsed lease can be taken over by another worker, who then holds it', async () => {
        const request = await approved({}, T0 + 60_000, { owner: 'worker-a', until: T0 + 100_000 });
        expect(await store.claim(request.id, 'worker-b', T0 + 100_000, T0 + 250_000)).toBe(true);
        expect(await store.claim(request.id, 'worker-a', T0 + 100_001, T0 + 250_000)).toBe(false);
        expect(await apply(request, { type: 'start_delete' }, T0 + 100_002, { lease: { owner: 'worker-b', until: T0 + 250_000 } })).toMatchObject({
          state: 'deleting',
        });
      });

      it('the holder can renew its lease before it runs out', async () => {
        const request = await approved({}, T0 + 60_000, { owner: 'worker-a', until: T0 + 100_000 });
        expect(await store.claim(request.id, 'worker-a', T0 + 90_000, T0 + 300_000)).toBe(true);
        expect(await store.unfinished(T0 + 299_999, 10)).toEqual([]);
        expect((await store.unfinished(T0 + 300_000, 10)).map((r) => r.id)).toEqual([request.id]);
      });

      it('only approved and deleting requests can be claimed', async () => {
        const pending = await create();
        const rejected = await apply(await create(), { type: 'reject', actor: APPROVER }, T0 + 1_000);
        expect(await store.claim(pending.id, 'worker-a', T0, T0 + LEASE_MS)).toBe(false);
        expect(await store.claim(rejected!.id, 'worker-a', T0, T0 + LEASE_MS)).toBe(false);
        expect(await store.claim('5b7e2f0c-0000-4000-8000-000000000000', 'worker-a', T0, T0 + LEASE_MS)).toBe(false);
      });
    });

    describe('the Slack outbox', () => {
      const WORKER = 'worker-a';
      const claimAll = (at = T0, owner = WORKER, on: Store = store) => on.claimOutbox(owner, at, at + 30_000, 100);

      it('a new request owes its confirmation, and claiming it leases it to one worker', async () => {
        const request = await create();
        expect(await claimAll()).toEqual([{ id: expect.any(Number), requestId: request.id, kind: 'confirmation', attempts: 0, inDoubt: false }]);
        expect(await claimAll(T0, 'worker-b')).toEqual([]);
        expect(await claimAll(T0 + 30_000, 'worker-b')).toHaveLength(1);
      });

      it('delivering the confirmation stores its ts on the request, in the same transaction', async () => {
        const request = await create();
        const [item] = await claimAll();
        await store.settleOutbox(item!.id, T0 + 1, { delivered: true, messageTs: '1764324000.000100' });
        expect((await store.getRequest(request.id))?.messageTs).toBe('1764324000.000100');
        expect(await claimAll(T0 + 60_000)).toEqual([]);
      });

      it("a request's items are delivered one at a time, oldest first; other requests' items go side by side", async () => {
        const first = await create();
        const second = await create();
        await apply(first, { type: 'reject', actor: APPROVER }, T0 + 5, { outbox: ['outcome', 'message'] });
        let claimed = await claimAll(T0 + 10);
        expect(claimed.map((i) => [i.requestId, i.kind])).toEqual([
          [first.id, 'confirmation'],
          [second.id, 'confirmation'],
        ]);
        await store.settleOutbox(claimed[0]!.id, T0 + 11, { delivered: true, messageTs: '1764324000.000100' });
        const kindOf = (items: OutboxItem[], request: DeletionRequest) => items.filter((i) => i.requestId === request.id).map((i) => i.kind);
        claimed = await claimAll(T0 + 12);
        expect(kindOf(claimed, first)).toEqual(['outcome']);
        // The second request's confirmation is still in flight with this worker: not handed out again.
        expect(kindOf(claimed, second)).toEqual([]);
        await store.settleOutbox(claimed.find((i) => i.requestId === first.id)!.id, T0 + 13, { delivered: true });
        expect(kindOf(await claimAll(T0 + 14), first)).toEqual(['message']);
      });

      it('a transition that loses its compare-and-set owes nothing', async () => {
        const request = await create();
        await apply(request, { type: 'reject', actor: APPROVER }, T0 + 5, { outbox: ['outcome'] });
        const late = next(request, { type: 'approve', actor: APPROVER }, T0 + 6);
        if (!late.ok) throw new Error('expected the pure step to allow it');
        expect(await store.transition(request.id, late.change, T0 + 6, { outbox: ['message'] })).toBeNull();
        const [confirmation] = await claimAll(T0 + 7);
        await store.settleOutbox(confirmation!.id, T0 + 8, { delivered: true });
        expect((await claimAll(T0 + 9)).map((i) => i.kind)).toEqual(['outcome']);
      });

      it('a postponed item counts the attempt and waits until its retry time, holding back the items behind it', async () => {
        const request = await create();
        await apply(request, { type: 'cancel', actor: REQUESTER }, T0 + 5, { outbox: ['outcome'] });
        const [item] = await claimAll(T0 + 10);
        await store.postponeOutbox(item!.id, T0 + 5_000, 'ratelimited');
        expect(await claimAll(T0 + 4_999)).toEqual([]);
        expect(await claimAll(T0 + 5_000)).toEqual([{ id: item!.id, requestId: request.id, kind: 'confirmation', attempts: 1, inDoubt: false }]);
      });

      it('the backlog counts the items neither delivered nor given up on, however many attempts they have had', async () => {
        expect(await store.outboxBacklog()).toBe(0);
        const first = await create();
        await create();
        await apply(first, { type: 'cancel', actor: REQUESTER }, T0 + 5, { outbox: ['outcome', 'message'] });
        expect(await store.outboxBacklog()).toBe(4);
        const claimed = await claimAll(T0 + 10);
        await store.settleOutbox(claimed[0]!.id, T0 + 11, { delivered: true, messageTs: '1764324000.000100' });
        await store.settleOutbox(claimed[1]!.id, T0 + 11, { delivered: false, error: 'channel_not_found' });
        const [outcome] = await claimAll(T0 + 12);
        await store.postponeOutbox(outcome!.id, T0 + 5_000, 'ratelimited');
        expect(await store.outboxBacklog()).toBe(2);
      });

      it('an item given up on is settled and lets the next one through', async () => {
        const request = await create();
        await apply(request, { type: 'cancel', actor: REQUESTER }, T0 + 5, { outbox: ['outcome'] });
        const [item] = await claimAll(T0 + 10);
        await store.settleOutbox(item!.id, T0 + 11, { delivered: false, error: 'channel_not_found' });
        expect((await claimAll(T0 + 12)).map((i) => i.kind)).toEqual(['outcome']);
      });

      it("a worker's own live leases are skipped; its leases from an earlier run (a restarted single replica) are taken back", async () => {
        await create();
        const [item] = await store.claimOutbox(WORKER, T0, T0 + 30_000, 100);
        expect(await store.claimOutbox(WORKER, T0 + 1, T0 + 30_001, 100)).toEqual([]);
        // Restarted at T0 + 2 with the same owner id: leases ending before its first own one are the earlier run's.
        expect(await store.claimOutbox(WORKER, T0 + 2, T0 + 30_002, 100, T0 + 30_002)).toMatchObject([{ id: item!.id, inDoubt: true }]);
      });

      it('an item claimed again after its worker vanished mid-attempt is in doubt, and stays so after a counted failure, since the lost attempt may have posted', async () => {
        await create();
        const [first] = await claimAll(T0);
        expect(first?.inDoubt).toBe(false);
        const [again] = await claimAll(T0 + 30_000, 'worker-b');
        expect(again).toMatchObject({ id: first!.id, inDoubt: true });
        await store.postponeOutbox(again!.id, T0 + 30_001, 'ratelimited');
        const [retried] = await claimAll(T0 + 30_002, 'worker-b');
        expect(retried).toMatchObject({ id: first!.id, attempts: 1, inDoubt: true });
      });

      it('pruning deletes items delivered or given up before the cut-off, and keeps unsettled items, transitions and requests', async () => {
        const first = await create();
        const rejected = await apply(first, { type: 'reject', actor: APPROVER }, T0 + 5, { outbox: ['outcome', 'message'] });
        const second = await create();
        const [confirmation, otherConfirmation] = await claimAll(T0 + 10);
        await store.settleOutbox(confirmation!.id, T0 + 10, { delivered: true, messageTs: '1764324000.000100' });
        const [outcome] = await claimAll(T0 + 20);
        await store.settleOutbox(outcome!.id, T0 + 20, { delivered: false, error: 'channel_not_found' });
        // Before the cut-off means strictly before: the item given up at T0 + 20 stays until a later one.
        expect(await store.pruneOutbox(T0 + 20, 100)).toBe(1);
        expect(await store.pruneOutbox(T0 + 21, 100)).toBe(1);
        // Left: the first request's message update and the second's confirmation (still leased), unsettled for ever after.
        expect(await store.pruneOutbox(Number.MAX_SAFE_INTEGER, 100)).toBe(0);
        expect(await claimAll(T0 + 60_000)).toEqual([
          { id: expect.any(Number), requestId: first.id, kind: 'message', attempts: 0, inDoubt: false },
          { id: otherConfirmation!.id, requestId: second.id, kind: 'confirmation', attempts: 0, inDoubt: true },
        ]);
        expect((await store.transitions(first.id)).map((t) => t.to)).toEqual(['pending', 'rejected']);
        expect(await store.getRequest(first.id)).toEqual({ ...rejected, messageTs: '1764324000.000100' });
        expect(await store.getRequest(second.id)).toEqual(second);
      });

      it('pruning deletes at most the limit, the items settled longest ago first', async () => {
        for (let i = 0; i < 3; i += 1) await create();
        const items = await claimAll(T0);
        // Settled in another order than created: T0 + 3, T0 + 1, T0 + 2.
        for (const [index, item] of items.entries()) await store.settleOutbox(item.id, T0 + ((index + 2) % 3) + 1, { delivered: true });
        expect(await store.pruneOutbox(T0 + 10, 2)).toBe(2);
        // The two deleted were those settled at T0 + 1 and T0 + 2: nothing settled before T0 + 3 is left.
        expect(await store.pruneOutbox(T0 + 3, 100)).toBe(0);
        expect(await store.pruneOutbox(T0 + 4, 100)).toBe(1);
      });

      it("claiming one request's next item takes only that request's oldest unsettled item, when it is due and free", async () => {
        const first = await create();
        const second = await create();
        const item = await store.claimNextOf(first.id, WORKER, T0, T0 + 30_000);
        expect(item).toEqual({ id: expect.any(Number), requestId: first.id, kind: 'confirmation', attempts: 0, inDoubt: false });
        // Leased now: neither this worker nor another gets it again, and the other request's item is untouched.
        expect(await store.claimNextOf(first.id, WORKER, T0 + 1, T0 + 30_001)).toBeNull();
        expect(await store.claimNextOf(first.id, 'worker-b', T0 + 1, T0 + 30_001)).toBeNull();
        expect((await claimAll(T0 + 2, 'worker-b')).map((i) => i.requestId)).toEqual([second.id]);
        // Not yet due after a postponement; a request owing nothing gives nothing.
        await store.postponeOutbox(item!.id, T0 + 5_000, 'ratelimited');
        expect(await store.claimNextOf(first.id, WORKER, T0 + 4_999, T0 + 34_999)).toBeNull();
        expect(await store.claimNextOf(first.id, WORKER, T0 + 5_000, T0 + 35_000)).toMatchObject({ id: item!.id, attempts: 1 });
        expect(await store.claimNextOf('5b7e2f0c-0000-4000-8000-000000000000', WORKER, T0, T0 + 30_000)).toBeNull();
      });

      it("settling an item can claim its request's next one in the same step; without it, nothing is claimed", async () => {
        const request = await create();
        await apply(request, { type: 'reject', actor: APPROVER }, T0 + 5, { outbox: ['outcome', 'message'] });
        const confirmation = await store.claimNextOf(request.id, WORKER, T0 + 10, T0 + 30_010);
        const next = { requestId: request.id, owner: WORKER, until: T0 + 30_011 };
        const outcome = await store.settleOutbox(confirmation!.id, T0 + 11, { delivered: true, messageTs: '1764324000.000100' }, next);
        expect(outcome).toEqual({ id: expect.any(Number), requestId: request.id, kind: 'outcome', attempts: 0, inDoubt: false });
        expect((await store.getRequest(request.id))?.messageTs).toBe('1764324000.000100');
        // Leased to this worker by the settling: the sweep's claim does not hand it out again.
        expect(await claimAll(T0 + 12, 'worker-b')).toEqual([]);
        expect(await store.settleOutbox(outcome!.id, T0 + 13, { delivered: false, error: 'channel_not_found' })).toBeNull();
        // Not claimed by a settle without `next`: still free for anyone.
        expect((await claimAll(T0 + 14, 'worker-b')).map((i) => i.kind)).toEqual(['message']);
      });

      it('a transition owing an item while the item before it settles: exactly one of the two claims it', async () => {
        // The race delivering at once makes: a worker settles the request's last owed item (asking for the next) while the
        // workflow stores a transition that owes a new one and then claims it for that request.
        const other = await open();
        for (let round = 0; round < 10; round += 1) {
          const request = await create({ createdAt: T0 + round, expiresAt: T0 + round + TTL });
          const confirmation = await store.claimNextOf(request.id, WORKER, T0 + 10, T0 + 30_010);
          const [settledNext, claimedByWorkflow] = await Promise.all([
            store.settleOutbox(
              confirmation!.id,
              T0 + 11,
              { delivered: true, messageTs: '1764324000.000100' },
              { requestId: request.id, owner: WORKER, until: T0 + 30_011 },
            ),
            apply(request, { type: 'reject', actor: APPROVER }, T0 + 11, { outbox: ['outcome'] }, other).then(() =>
              other.claimNextOf(request.id, 'worker-b', T0 + 12, T0 + 30_012),
            ),
          ]);
          const claims = [settledNext, claimedByWorkflow].filter((item) => item !== null);
          expect(claims.map((item) => item?.kind)).toEqual(['outcome']);
        }
      });

      it('twenty concurrent claims from three store instances lease each item to exactly one worker', async () => {
        for (let i = 0; i < 5; i += 1) await create();
        const others = [store, await open(), await open()];
        const claims = await Promise.all(Array.from({ length: 20 }, (_, i) => claimAll(T0, `worker-${i}`, others[i % others.length])));
        const ids = claims.flat().map((item) => item.id);
        expect(ids).toHaveLength(5);
        expect(new Set(ids).size).toBe(5);
      });
    });

    describe('the per-user count, the history and the audit', () => {
      const OTHER = 'U061F7AUR';

      it("counts a person's pending, approved and deleting requests, and neither finished ones nor other people's", async () => {
        await create();
        const toApprove = await create();
        const toDelete = await approved();
        await apply(toDelete, { type: 'start_delete' }, T0 + 61_000, { lease: { owner: 'worker-a', until: T0 + 300_000 } });
        await apply(await create(), { type: 'reject', actor: APPROVER }, T0 + 1_000);
        await apply(await create(), { type: 'cancel', actor: REQUESTER }, T0 + 1_000);
        await create({ requesterId: OTHER });
        expect(await store.countOpen(REQUESTER)).toBe(3);
        await apply(toApprove, { type: 'approve', actor: APPROVER }, T0 + 2_000);
        expect(await store.countOpen(REQUESTER)).toBe(3);
        expect(await store.countOpen(OTHER)).toBe(1);
        expect(await store.countOpen('U0NOBODY1')).toBe(0);
      });

      it("lists a workspace's latest requests newest first, up to the limit, as they are now", async () => {
        const made: DeletionRequest[] = [];
        for (let i = 0; i < 5; i += 1) made.push(await create({ createdAt: T0 + i * 1_000, expiresAt: T0 + i * 1_000 + TTL }));
        const rejected = await apply(made[3]!, { type: 'reject', actor: APPROVER }, T0 + 10_000);
        await create({ teamId: 'T0OTHERWS', createdAt: T0 + 9_000 });
        const recent = await store.recentRequests({ teamId: 'T024BE7LD', limit: 3 });
        expect(recent).toEqual([made[4], rejected, made[2]]);
      });

      it("lists one offer's requests, finished and open, newest first, and nothing for an offer never asked about", async () => {
        const first = await create();
        const rejected = await apply(first, { type: 'reject', actor: APPROVER }, T0 + 1_000);
        const again = await create({ offer: first.offer, createdAt: T0 + 2_000, expiresAt: T0 + 2_000 + TTL });
        await create();
        expect(await store.recentRequests({ teamId: 'T024BE7LD', offerId: first.offer.id, limit: 10 })).toEqual([again, rejected]);
        expect(await store.recentRequests({ teamId: 'T0OTHERWS', offerId: first.offer.id, limit: 10 })).toEqual([]);
        expect(await store.recentRequests({ teamId: 'T024BE7LD', offerId: 'dps:personalized-offer:0000000000000000', limit: 10 })).toEqual([]);
      });

      it('refuses a request at the per-user limit in the same step as the insert, even when fifty arrive at once from three store instances', async () => {
        const stores = [store, await open(), await open()];
        const attempts = Array.from({ length: 50 }, () => aNewRequest({ maxOpenPerRequester: 3 }));
        const results = await Promise.all(attempts.map((attempt, i) => stores[i % stores.length]!.createRequest(attempt)));
        expect(results.filter((result) => result.ok)).toHaveLength(3);
        for (const result of results) if (!result.ok) expect(result).toEqual({ ok: false, limitReached: 3 });
        expect(await store.countOpen(REQUESTER)).toBe(3);
        expect((await store.createRequest(aNewRequest({ requesterId: OTHER, maxOpenPerRequester: 3 }))).ok).toBe(true);
      });

      it('finds the open request for an offer, and none once it is finished', async () => {
        const first = await create();
        expect(await store.openRequestFor('prod', first.offer.id)).toEqual(first);
        expect(await store.openRequestFor('dev-emea', first.offer.id)).toBeNull();
        await apply(first, { type: 'reject', actor: APPROVER }, T0 + 1_000);
        expect(await store.openRequestFor('prod', first.offer.id)).toBeNull();
      });

      it('keeps requests from private channels (and of unknown privacy) out of a history whose reader is not in them', async () => {
        const inPublic = await create({ channelPrivate: false, createdAt: T0 + 1_000 });
        const inPrivate = await create({ channelId: 'C0PRIVATE1', channelPrivate: true, createdAt: T0 + 2_000 });
        const unknown = await create({ channelId: 'C0UNKNOWN1', createdAt: T0 + 3_000 });
        expect(inPrivate.channelPrivate).toBe(true);
        expect(unknown.channelPrivate).toBeNull();
        expect(await store.recentRequests({ teamId: 'T024BE7LD', limit: 10, privateChannelsVisible: [] })).toEqual([inPublic]);
        expect(await store.recentRequests({ teamId: 'T024BE7LD', limit: 10, privateChannelsVisible: ['C0PRIVATE1'] })).toEqual([inPrivate, inPublic]);
        expect(await store.recentRequests({ teamId: 'T024BE7LD', offerId: inPrivate.offer.id, limit: 10, privateChannelsVisible: ['C0OTHER001'] })).toEqual([]);
        expect(await store.recentRequests({ teamId: 'T024BE7LD', limit: 10 })).toEqual([unknown, inPrivate, inPublic]);
      });

      it('awaitingDecision lists unexpired pending requests of the workspace asked by others, soonest expiry first, visible ones only', async () => {
        const OTHER = 'U0OTHER001';
        const later = await create({ requesterId: OTHER, channelPrivate: false, expiresAt: T0 + TTL + 2_000 });
        const sooner = await create({ requesterId: OTHER, channelPrivate: false, expiresAt: T0 + TTL + 1_000 });
        const hidden = await create({ requesterId: OTHER, channelId: 'C0PRIVATE1', channelPrivate: true });
        await create({ requesterId: APPROVER, channelPrivate: false });
        await create({ requesterId: OTHER, channelPrivate: false, expiresAt: T0 + 60_000 });
        await create({ requesterId: OTHER, channelPrivate: false, teamId: 'T0ANOTHER1' });
        await apply(await create({ requesterId: OTHER, channelPrivate: false }), { type: 'reject', actor: APPROVER }, T0 + 1_000);
        const query = { teamId: 'T024BE7LD', deciderId: APPROVER, now: T0 + 60_000, limit: 10 };
        expect((await store.awaitingDecision({ ...query, privateChannelsVisible: [] })).map((r) => r.id)).toEqual([sooner.id, later.id]);
        expect((await store.awaitingDecision({ ...query, privateChannelsVisible: ['C0PRIVATE1'] })).map((r) => r.id)).toEqual([hidden.id, sooner.id, later.id]);
        expect((await store.awaitingDecision({ ...query, limit: 1, privateChannelsVisible: [] })).map((r) => r.id)).toEqual([sooner.id]);
      });

      it("requestsBy lists one requester's requests of the workspace, finished and open, newest first, up to the limit", async () => {
        const first = await create({ createdAt: T0 + 1_000 });
        const second = await apply(await create({ createdAt: T0 + 2_000 }), { type: 'reject', actor: APPROVER }, T0 + 3_000);
        await create({ requesterId: APPROVER, createdAt: T0 + 4_000 });
        await create({ teamId: 'T0ANOTHER1', createdAt: T0 + 5_000 });
        expect(await store.requestsBy({ teamId: 'T024BE7LD', requesterId: REQUESTER, limit: 10 })).toEqual([second, first]);
        expect(await store.requestsBy({ teamId: 'T024BE7LD', requesterId: REQUESTER, limit: 1 })).toEqual([second]);
        expect(await store.requestsBy({ teamId: 'T024BE7LD', requesterId: 'U0NOBODY01', limit: 10 })).toEqual([]);
      });

      it('the audit events since a time are every transition from then on, oldest first, each with its request and detail', async () => {
        const early = await create({ createdAt: T0 - 60_000, expiresAt: T0 - 60_000 + TTL });
        const request = await create();
        const lease = { owner: 'worker-a', until: T0 + 300_000 };
        const approvedOne = await apply(request, { type: 'approve', actor: APPROVER }, T0 + 1_000, { lease });
        const deleting = await apply(approvedOne!, { type: 'start_delete' }, T0 + 2_000, { lease });
        const done = await apply(deleting!, { type: 'finish', result: 'deleted', outcome: deleted }, T0 + 3_000, { lease, detail: { adobeStatus: 204 } });
        await apply(early, { type: 'cancel', actor: REQUESTER }, T0 + 4_000);
        const events = await store.auditEvents(T0);
        expect(events.map((e) => [e.transition.requestId, e.transition.from, e.transition.to, e.transition.actor, e.transition.at])).toEqual([
          [request.id, null, 'pending', REQUESTER, T0],
          [request.id, 'pending', 'approved', APPROVER, T0 + 1_000],
          [request.id, 'approved', 'deleting', 'system', T0 + 2_000],
          [request.id, 'deleting', 'deleted', 'system', T0 + 3_000],
          [early.id, 'pending', 'cancelled', REQUESTER, T0 + 4_000],
        ]);
        expect(events[3]).toEqual({
          transition: { requestId: request.id, from: 'deleting', to: 'deleted', actor: 'system', at: T0 + 3_000, detail: { adobeStatus: 204 } },
          request: done,
        });
        expect(events[3]!.request.outcome?.adobeRequestIds).toEqual(deleted.adobeRequestIds);
        expect(events[3]!.request.offer.json).toBe(offerJson(request.offer.id));
        expect(await store.auditEvents(T0 + 4_001)).toEqual([]);
      });
    });

    describe('restores', () => {
      const RESTORER = 'W012A3CDE';

      /** A request carried to `deleted`, the only state a restore may start from. */
      async function deletedRequest(): Promise<DeletionRequest> {
        const request = await approved();
        const lease = { owner: 'worker-a', until: T0 + 60_000 + LEASE_MS };
        const deleting = await apply(request, { type: 'start_delete' }, T0 + 61_000, { lease });
        const done = await apply(deleting!, { type: 'finish', result: 'deleted', outcome: deleted }, T0 + 62_000, { lease });
        if (!done) throw new Error('expected the deletion to finish');
        return done;
      }

      const restoreOf = (request: DeletionRequest, id = randomUUID()) =>
        store.createRestore({ id, restoreOf: request, requesterId: RESTORER, createdAt: T0 + 70_000, expiresAt: T0 + 70_000 + 1_800_000 });

      it('a restore copies its deletion’s offer, channel and sandbox, in its thread, with a pending transition and a confirmation owed', async () => {
        const request = { ...(await deletedRequest()), messageTs: '1764324000.000100' };
        const created = await restoreOf(request);
        expect(created.ok).toBe(true);
        const restore = (created as { request: DeletionRequest }).request;
        expect(restore).toMatchObject({
          action: 'restore',
          restoreOf: request.id,
          state: 'pending',
          requesterId: RESTORER,
          sandbox: request.sandbox,
          channelId: request.channelId,
          offer: request.offer,
          messageTs: null,
        });
        expect(await store.restoresOf(request.id)).toEqual([restore]);
        expect((await store.transitions(restore.id)).map((t) => [t.from, t.to, t.actor])).toEqual([[null, 'pending', RESTORER]]);
        expect((await store.claimOutbox('w', T0 + 80_000, T0 + 140_000, 10)).map((item) => [item.requestId, item.kind])).toContainEqual([
          restore.id,
          'confirmation',
        ]);
      });

      it('a deletion has one restore open or done: a second is refused with the first, in both stores, even at once', async () => {
        const request = await deletedRequest();
        const results = await Promise.all([restoreOf(request), restoreOf(request), restoreOf(request)]);
        expect(results.filter((r) => r.ok)).toHaveLength(1);
        const winner = results.find((r) => r.ok) as { request: DeletionRequest };
        for (const refused of results.filter((r) => !r.ok)) expect(refused).toEqual({ ok: false, existing: winner.request });
        expect(await store.restoresOf(request.id)).toHaveLength(1);
      });

      it('after a restore that was cancelled another may be asked; a request that is not deleted cannot be restored', async () => {
        const request = await deletedRequest();
        const first = (await restoreOf(request)) as { request: DeletionRequest };
        await apply(first.request, { type: 'cancel', actor: RESTORER }, T0 + 71_000, { requireUnexpired: true });
        expect((await restoreOf(request)).ok).toBe(true);
        await expect(restoreOf(await create())).rejects.toThrow(/cannot be restored/);
      });
    });

    describe('migrations', () => {
      // Versions may skip numbers (parallel work reserves them): the next one is past the highest.
      const NEXT_VERSION = Math.max(...MIGRATIONS.map((m) => m.version)) + 1;
      const allVersions = MIGRATIONS.map((m) => m.version);
      const addIndex: Migration = {
        version: NEXT_VERSION,
        name: 'transitions by time',
        sql: () => 'CREATE INDEX deletion_transitions_by_time ON deletion_transitions (at)',
      };

      it('running the migrations again changes nothing and keeps the data', async () => {
        const request = await create();
        await store.migrate();
        await (await open()).migrate();
        expect(await target.appliedVersions(database.url)).toEqual(MIGRATIONS.map((m) => m.version));
        expect(await store.getRequest(request.id)).toEqual(request);
      });

      it('several store instances migrating a fresh database at once all succeed', async () => {
        await database.drop();
        database = await target.newDatabase();
        const stores = await Promise.all(Array.from({ length: 4 }, () => openUnmigrated()));
        await expect(Promise.all(stores.map((s) => s.migrate()))).resolves.toBeDefined();
        expect(await target.appliedVersions(database.url)).toEqual(MIGRATIONS.map((m) => m.version));
        store = stores[0]!;
        expect((await create()).state).toBe('pending');
      });

      it('a newer build applies only the migrations the database lacks', async () => {
        const request = await create();
        const newer = await target.openWithMigrations(database.url, [...MIGRATIONS, addIndex]);
        opened.push(newer);
        await newer.migrate();
        expect(await target.appliedVersions(database.url)).toEqual([...allVersions, NEXT_VERSION]);
        expect(await newer.getRequest(request.id)).toEqual(request);
      });

      it('an older build still starts on a database a newer build migrated, since migrations only add', async () => {
        const newer = await target.openWithMigrations(database.url, [...MIGRATIONS, addIndex]);
        opened.push(newer);
        await newer.migrate();
        await expect(store.migrate()).resolves.toBeUndefined();
        expect((await create()).state).toBe('pending');
      });

      it('a migration edited after it was applied stops start-up with STORE_MIGRATION', async () => {
        const edited: Migration = { ...MIGRATIONS[0]!, sql: (dialect) => `${MIGRATIONS[0]!.sql(dialect)}\n-- edited` };
        const tampered = await target.openWithMigrations(database.url, [edited]);
        opened.push(tampered);
        const failure = await tampered.migrate().catch((error: unknown) => error);
        expect(failure).toBeInstanceOf(StoreError);
        expect(failure).toMatchObject({ code: 'STORE_MIGRATION', message: expect.stringContaining('migration 1') });
      });

      it('a migration that fails leaves no trace and reports STORE_MIGRATION', async () => {
        const broken: Migration = {
          version: NEXT_VERSION,
          name: 'a broken one',
          sql: () => 'CREATE TABLE extra (id TEXT); CREATE INDEX x ON no_such_table (id)',
        };
        const failing = await target.openWithMigrations(database.url, [...MIGRATIONS, broken]);
        opened.push(failing);
        await expect(failing.migrate()).rejects.toMatchObject({
          code: 'STORE_MIGRATION',
          message: expect.stringContaining(`migration ${NEXT_VERSION} (a broken one)`),
        });
        expect(await target.appliedVersions(database.url)).toEqual(allVersions);
        // Had `extra` survived, creating it again would fail.
        const fixed = await target.openWithMigrations(database.url, [...MIGRATIONS, { ...broken, sql: () => 'CREATE TABLE extra (id TEXT)' }]);
        opened.push(fixed);
        await expect(fixed.migrate()).resolves.toBeUndefined();
      });
    });
  });
}
