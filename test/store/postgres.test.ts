// The store contract against PostgreSQL, plus what only a networked, shared store has to get right.
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { next } from '../../src/deletion/lifecycle.js';
import { openStore } from '../../src/store/open-store.js';
import { openPostgresStore } from '../../src/store/postgres.js';
import { StoreError, type Store } from '../../src/store/store.js';
import { postgresAvailable, testLog, withPostgres, type TestDatabase } from '../support/databases.js';
import { T0 } from '../support/requests.js';
import { aNewRequest, describeStoreContract } from './contract.js';

const available = await postgresAvailable();

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The first word of each statement a store call sends: each is one round trip to the server. */
async function statementsSentBy(work: () => Promise<unknown>): Promise<string[]> {
  const query = vi.spyOn(pg.Client.prototype, 'query');
  try {
    await work();
    return query.mock.calls.map(([sent]: unknown[]) => (typeof sent === 'string' ? sent : (sent as { text: string }).text).trim().split(/\s+/)[0] ?? '');
  } finally {
    query.mockRestore();
  }
}

/**
 * Makes the next statement a store sends reach the server, be applied, and its answer be lost with the connection, as
 * when the network fails after the server committed (`applied`), or fail before it is sent (`not sent`).
 */
function loseTheNextAnswer(when: 'applied' | 'not sent'): void {
  const original = pg.Client.prototype.query;
  const query = vi.spyOn(pg.Client.prototype, 'query').mockImplementationOnce(async function (this: pg.Client, ...args: unknown[]) {
    query.mockRestore();
    if (when === 'applied') await (original as (...a: unknown[]) => Promise<unknown>).apply(this, args);
    throw new Error('Connection terminated unexpectedly');
  } as never);
}

/** Closes every connection to the store's database but the caller's, as a server restart would. */
const TERMINATE_OTHERS = 'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()';

async function eventually(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.skipIf(!available)('PostgreSQL', () => {
  describeStoreContract('PostgreSQL', {
    newDatabase: withPostgres,
    openWithMigrations: (url, migrations) => openPostgresStore(url, { log: testLog().log, migrations }),
    appliedVersions: (url) =>
      withClient(url, async (client) =>
        (await client.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version')).rows.map((row) => row.version),
      ),
  });

  describe('PostgreSQL connections', () => {
    let database: TestDatabase;
    let store: Store;
    let logged: Array<Record<string, unknown>>;

    beforeEach(async () => {
      database = await withPostgres();
      const { log, lines } = testLog();
      logged = lines;
      store = await openPostgresStore(database.url, { log });
      await store.migrate();
    });
    afterEach(async () => {
      await store.close();
      await database.drop();
    });

    it('keeps epoch milliseconds as bigint columns', async () => {
      const types = await withClient(
        database.url,
        async (client) =>
          (
            await client.query<{ column_name: string; data_type: string }>(
              `SELECT column_name, data_type FROM information_schema.columns
             WHERE table_name IN ('deletion_requests', 'deletion_transitions') AND column_name IN ('created_at', 'expires_at', 'updated_at', 'decided_at', 'lease_until', 'at')`,
            )
          ).rows,
      );
      expect(types).toHaveLength(6);
      for (const column of types) expect(column).toMatchObject({ data_type: 'bigint' });
    });

    it('answers again after the server drops all its connections, and logs the dropped idle ones instead of crashing', async () => {
      const input = aNewRequest();
      await store.createRequest(input);
      // Several idle connections in the pool, as after a burst of clicks.
      await Promise.all(Array.from({ length: 5 }, () => store.getRequest(input.id)));
      await withClient(database.url, (client) => client.query(TERMINATE_OTHERS));

      const first = await store.getRequest(input.id).catch((error: unknown) => error);
      if (first instanceof Error) expect(first).toMatchObject({ name: 'StoreError', code: 'STORE_UNAVAILABLE' });
      else expect(first).toMatchObject({ id: input.id });
      expect(await store.getRequest(input.id)).toMatchObject({ id: input.id, state: 'pending' });
      expect(await store.createRequest(aNewRequest())).toMatchObject({ ok: true });
      await eventually(
        () => logged.some((line) => line.msg === 'PostgreSQL closed an idle connection; the pool will open a new one'),
        'the pool reported the dropped connections',
      );
      expect(JSON.stringify(logged)).not.toContain('password');
    });

    it('a transition whose connection is cut mid-transaction is applied once or not at all', async () => {
      const created = await store.createRequest(aNewRequest());
      if (!created.ok) throw new Error('expected a new request');
      const request = created.request;
      const step = next(request, { type: 'approve', actor: 'U024BE91M' }, T0 + 60_000);
      if (!step.ok) throw new Error(step.refusal);

      const locker = new pg.Client({ connectionString: database.url });
      await locker.connect();
      try {
        // Hold the row, so the store's UPDATE is in flight inside its transaction when its connection is cut.
        await locker.query('BEGIN');
        await locker.query('SELECT 1 FROM deletion_requests WHERE id = $1 FOR UPDATE', [request.id]);
        const outcome = store.transition(request.id, step.change, T0 + 60_000, { requireUnexpired: true }).then(
          (updated) => ({ updated }),
          (error: unknown) => ({ error }),
        );
        await eventually(
          async () => (await locker.query(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`)).rowCount === 1,
          'the store waits for the row lock',
        );
        await locker.query(TERMINATE_OTHERS);
        await locker.query('ROLLBACK');
        const settled = await outcome;
        const current = await store.getRequest(request.id);
        const approvals = (await store.transitions(request.id)).filter((t) => t.to === 'approved');
        if ('error' in settled) {
          expect(settled.error).toMatchObject({ name: 'StoreError', code: 'STORE_UNAVAILABLE' });
          expect(current?.state).toBe('pending');
          expect(approvals).toHaveLength(0);
        } else {
          expect(settled.updated).toMatchObject({ state: 'approved', decidedBy: 'U024BE91M' });
          expect(current?.state).toBe('approved');
          expect(approvals).toHaveLength(1);
        }
      } finally {
        await locker.end();
      }
    });

    it('a transition whose answer was lost after it was applied reports STORE_UNAVAILABLE, not that another writer won', async () => {
      const created = await store.createRequest(aNewRequest());
      if (!created.ok) throw new Error('expected a new request');
      const step = next(created.request, { type: 'approve', actor: 'U024BE91M' }, T0 + 60_000);
      if (!step.ok) throw new Error(step.refusal);
      loseTheNextAnswer('applied');
      await expect(store.transition(created.request.id, step.change, T0 + 60_000, { outbox: ['message'] })).rejects.toMatchObject({
        code: 'STORE_UNAVAILABLE',
        message: expect.stringContaining('may or may not have been applied'),
      });
      expect((await store.transitions(created.request.id)).map((t) => t.to)).toEqual(['pending', 'approved']);
    });

    it('an approval that leaves the request pending, run again after its answer was lost, is not counted twice', async () => {
      // pending → pending: the state alone cannot tell the run again from a new approval; the approval count does.
      const created = await store.createRequest(aNewRequest({ requiredApprovals: 3 }));
      if (!created.ok) throw new Error('expected a new request');
      const step = next(created.request, { type: 'approve', actor: 'U024BE91M' }, T0 + 60_000);
      if (!step.ok) throw new Error(step.refusal);
      loseTheNextAnswer('applied');
      await expect(store.transition(created.request.id, step.change, T0 + 60_000, { outbox: ['message'] })).rejects.toMatchObject({
        code: 'STORE_UNAVAILABLE',
      });
      expect(await store.getRequest(created.request.id)).toMatchObject({ state: 'pending', approvals: [{ by: 'U024BE91M' }] });
      expect((await store.transitions(created.request.id)).map((t) => t.to)).toEqual(['pending', 'pending']);
    });

    it('a transition whose connection broke before it was sent is applied once, on a new connection', async () => {
      const created = await store.createRequest(aNewRequest());
      if (!created.ok) throw new Error('expected a new request');
      const step = next(created.request, { type: 'approve', actor: 'U024BE91M' }, T0 + 60_000);
      if (!step.ok) throw new Error(step.refusal);
      loseTheNextAnswer('not sent');
      expect(await store.transition(created.request.id, step.change, T0 + 60_000, { outbox: ['message'] })).toMatchObject({ state: 'approved' });
      expect((await store.transitions(created.request.id)).map((t) => t.to)).toEqual(['pending', 'approved']);
    });

    it('a request stored by a statement whose answer was lost is reported created, not as an open request in its own way', async () => {
      const input = aNewRequest();
      loseTheNextAnswer('applied');
      expect(await store.createRequest(input)).toMatchObject({ ok: true, request: { id: input.id, state: 'pending' } });
      expect(await store.transitions(input.id)).toHaveLength(1);
    });

    it('a closed store refuses calls with STORE_UNAVAILABLE', async () => {
      await store.close();
      await expect(store.getRequest('0d9c1f52-8b0e-4a3e-9f57-2f4b9b8c7a11')).rejects.toMatchObject({
        code: 'STORE_UNAVAILABLE',
        message: expect.stringContaining('closed'),
      });
    });
  });

  describe('PostgreSQL round trips', () => {
    let database: TestDatabase;
    let store: Store;

    beforeEach(async () => {
      database = await withPostgres();
      store = await openPostgresStore(database.url, { log: testLog().log });
      await store.migrate();
    });
    afterEach(async () => {
      await store.close();
      await database.drop();
    });

    it('a statement prepared before another replica migrated its table is prepared again on a new connection, and answers', async () => {
      const { log, lines } = testLog();
      const logged = await openPostgresStore(database.url, { log, poolMax: 1 });
      try {
        const created = await logged.createRequest(aNewRequest());
        if (!created.ok) throw new Error('expected a new request');
        expect(await logged.getRequest(created.request.id)).toMatchObject({ id: created.request.id });
        // `SELECT *` was prepared on the pool's one connection; a column added since changes what it answers.
        await withClient(database.url, (client) => client.query('ALTER TABLE deletion_requests ADD COLUMN added_by_a_newer_replica TEXT'));
        expect(await logged.getRequest(created.request.id)).toMatchObject({ id: created.request.id, state: 'pending' });
        expect(lines.some((line) => String(line.msg).includes('a table changed since this connection prepared its statements'))).toBe(true);
      } finally {
        await logged.close();
      }
    });

    it('a transition is one statement with no BEGIN or COMMIT, whether it wins or loses its compare-and-set', async () => {
      const created = await store.createRequest(aNewRequest());
      if (!created.ok) throw new Error('expected a new request');
      const step = next(created.request, { type: 'approve', actor: 'U024BE91M' }, T0 + 60_000);
      if (!step.ok) throw new Error(step.refusal);
      const approve = () =>
        store.transition(created.request.id, step.change, T0 + 60_000, {
          requireUnexpired: true,
          lease: { owner: 'worker-a', until: T0 + 200_000 },
          outbox: ['message', 'outcome'],
        });
      expect(await statementsSentBy(approve)).toEqual(['WITH']);
      expect(await statementsSentBy(approve)).toEqual(['WITH']);
    });

    it('creating a request is one statement (two when the offer has an open request); the per-user limit adds the transaction and its lock', async () => {
      const first = aNewRequest();
      expect(await statementsSentBy(() => store.createRequest(first))).toEqual(['WITH']);
      expect(await statementsSentBy(() => store.createRequest(aNewRequest({ offer: first.offer })))).toEqual(['WITH', 'SELECT']);
      // The lock, then the insert that counts the requester's open requests; a count of its own only when refused.
      expect(await statementsSentBy(() => store.createRequest(aNewRequest({ maxOpenPerRequester: 10 })))).toEqual(['BEGIN', 'SELECT', 'WITH', 'COMMIT']);
      expect(await statementsSentBy(() => store.createRequest(aNewRequest({ maxOpenPerRequester: 2 })))).toEqual([
        'BEGIN',
        'SELECT',
        'WITH',
        'SELECT',
        'COMMIT',
      ]);
    });

    it("settling an outbox item, storing the confirmation's ts and claiming the request's next one is one statement; a claim that found none is made again after it", async () => {
      const created = await store.createRequest(aNewRequest());
      if (!created.ok) throw new Error('expected a new request');
      const { id: requestId } = created.request;
      const step = next(created.request, { type: 'reject', actor: 'U024BE91M' }, T0 + 1_000);
      if (!step.ok) throw new Error(step.refusal);
      await store.transition(requestId, step.change, T0 + 1_000, { outbox: ['outcome', 'message'] });
      const claim = { requestId, owner: 'worker-a', until: T0 + 60_000 };
      const confirmation = await store.claimNextOf(requestId, 'worker-a', T0 + 2_000, T0 + 60_000);
      let outcome: Awaited<ReturnType<typeof store.settleOutbox>> = null;
      const settleConfirmation = async () => {
        outcome = await store.settleOutbox(confirmation!.id, T0 + 3_000, { delivered: true, messageTs: '1764324000.000100' }, claim);
      };
      expect(await statementsSentBy(settleConfirmation)).toEqual(['WITH']);
      expect(outcome).toMatchObject({ kind: 'outcome' });
      expect((await store.getRequest(requestId))?.messageTs).toBe('1764324000.000100');
      let message: Awaited<ReturnType<typeof store.settleOutbox>> = null;
      const settleOutcome = async () => {
        message = await store.settleOutbox(outcome!.id, T0 + 4_000, { delivered: true }, claim);
      };
      expect(await statementsSentBy(settleOutcome)).toEqual(['WITH']);
      expect(message).toMatchObject({ kind: 'message' });
      // Nothing left to claim: asked again once the settle has committed, so a transition committing while it ran is not
      // missed by both this claim and its own.
      expect(await statementsSentBy(() => store.settleOutbox(message!.id, T0 + 5_000, { delivered: true }, claim))).toEqual(['WITH', 'UPDATE']);
      expect(await statementsSentBy(() => store.settleOutbox(message!.id, T0 + 5_000, { delivered: true }))).toEqual(['UPDATE']);
    });
  });

  describe('opening PostgreSQL', () => {
    let opened: Store | undefined;
    afterEach(async () => {
      await opened?.close();
      opened = undefined;
    });

    it('accepts both postgres:// and postgresql:// URLs', async () => {
      const database = await withPostgres();
      try {
        for (const url of [database.url, database.url.replace(/^postgres:/, 'postgresql:')]) {
          opened = await openStore(url, { log: testLog().log });
          expect(opened.sharedByReplicas).toBe(true);
          await opened.close();
          opened = undefined;
        }
      } finally {
        await database.drop();
      }
    });

    it('a database that does not exist is a configuration error naming the server', async () => {
      const url = new URL(process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test');
      url.pathname = '/offer_bot_no_such_database';
      url.password = 'hunter2-s3cret';
      const failure = await openStore(url.toString(), { log: testLog().log }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(StoreError);
      expect(failure).toMatchObject({
        code: 'STORE_CONFIG',
        message: expect.stringContaining(`${url.hostname}:${url.port || '5432'}/offer_bot_no_such_database`),
      });
      expect((failure as Error).message).not.toContain('hunter2-s3cret');
    });
  });
});
