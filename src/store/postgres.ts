// The PostgreSQL store: shared by several replicas through a pg Pool; survives server restarts without a bot restart.
import pg from 'pg';
import type { Change } from '../deletion/lifecycle.js';
import { OPEN_STATES, type DeletionRequest, type TransitionRecord } from '../deletion/request.js';
import type { Logger } from '../log.js';
import {
  CREATE_SCHEMA_MIGRATIONS,
  MIGRATIONS,
  checksum,
  pendingMigrations,
  toRequest,
  toTransition,
  unknownVersions,
  type AppliedMigration,
  type Migration,
  type RequestRow,
  type TransitionRow,
  toOutboxItem,
  type OutboxRow,
  toAuditEvent,
  type AuditRow,
  privacyFlag,
  visibilityFilter,
} from './migrations.js';
import {
  StoreError,
  type AuditEvent,
  type CreateResult,
  type NewRequest,
  type OutboxItem,
  type OutboxKind,
  type OutboxResult,
  type RecentQuery,
  type Store,
  type TransitionOptions,
} from './store.js';

/** Connections per replica: the bot's queries are short, so a few serve many concurrent clicks. */
export const POOL_MAX = 10;
/** How long a call waits for a connection (a new one, or a free one from a busy pool). */
export const CONNECT_TIMEOUT_MS = 5_000;
/** Idle connections are closed after this, so a quiet bot holds none open. */
export const IDLE_TIMEOUT_MS = 30_000;
/** The server cancels any statement running longer than this (none of ours should take a second). */
export const STATEMENT_TIMEOUT_MS = 10_000;
/** The client gives up on an answer after this, for when the network, not the server, is stuck. */
export const QUERY_TIMEOUT_MS = 15_000;
/** TCP keep-alive probes start after this much silence, to notice a dead peer on an idle connection. */
export const KEEPALIVE_DELAY_MS = 10_000;
/** Migrations may wait behind another replica's migration, and a future one may build an index. */
export const MIGRATION_STATEMENT_TIMEOUT_MS = 5 * 60_000;
/** The advisory lock key under which replicas take turns to migrate (any constant unique to this app). */
export const MIGRATION_LOCK_KEY = 4_711_300_221;
/**
 * Tries of one call when connections break under it: after a server restart several pooled connections may be
 * dead before the pool has noticed, and each failing one is discarded on the way to a fresh connection.
 */
export const CONNECTION_ATTEMPTS = 3;
/** createRequest retries when the open request it collided with finished before it could be read. */
const CREATE_ATTEMPTS = 3;

const LEASED_STATES: readonly string[] = ['approved', 'deleting'];
const sqlList = (states: readonly string[]) => states.map((state) => `'${state}'`).join(', ');
const OPEN = sqlList(OPEN_STATES);
const LEASED = sqlList(LEASED_STATES);

export interface PostgresStoreOptions {
  log: Logger;
  poolMax?: number;
  /** Tests replace the migrations to exercise upgrades; the bot always uses MIGRATIONS. */
  migrations?: readonly Migration[];
}

/** host:port/database for messages and logs: never the user or password. */
export function describeTarget(url: string): string {
  try {
    const parsed = new URL(url);
    const host = parsed.hostname || parsed.searchParams.get('host') || 'localhost';
    const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || '(default database)';
    return `${host}:${parsed.port || '5432'}/${database}`;
  } catch {
    return 'the PostgreSQL server in DATABASE_URL';
  }
}

/** Opens a pool and checks the server answers; STORE_UNAVAILABLE (or STORE_CONFIG for a login refused) if not. */
export async function openPostgresStore(url: string, options: PostgresStoreOptions): Promise<PostgresStore> {
  const store = new PostgresStore(url, options);
  try {
    await store.ping();
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

type Failure = 'connection' | 'timeout' | 'config' | 'statement';

/**
 * What went wrong, judged by who raised it: the server's SQLSTATE, or the client (no SQLSTATE) when the
 * socket broke or an answer never came. Programming errors (TypeError, …) count as `statement` and pass through.
 */
function classify(error: unknown): Failure {
  if (error instanceof pg.DatabaseError) {
    const code = error.code ?? '';
    if (code === '57014') return 'timeout';
    // 08: connection exception; 57P: shutdown, crash, starting up; 53: too many connections, out of memory.
    if (code.startsWith('08') || code.startsWith('57P') || code.startsWith('53')) return 'connection';
    // 28: login refused; 3D000: no such database.
    if (code.startsWith('28') || code === '3D000') return 'config';
    return 'statement';
  }
  if (error instanceof AggregateError) return 'connection';
  if (!(error instanceof Error) || error.constructor !== Error) return 'statement';
  return /timeout/i.test(error.message) ? 'timeout' : 'connection';
}

/** One line about an error, for a person; an AggregateError (several addresses tried) has no message of its own. */
function reasonOf(error: unknown): string {
  if (error instanceof AggregateError) return error.errors.map(reasonOf).join('; ') || 'connection failed';
  if (error instanceof Error) return error.message || String((error as { code?: unknown }).code ?? error.name);
  return String(error);
}

/** Marks a failure while COMMIT was under way: the transaction may or may not have been applied, so it is not retried. */
class CommitUncertain extends Error {
  constructor(readonly original: unknown) {
    super(reasonOf(original));
  }
}

export class PostgresStore implements Store {
  /** Every replica connects to the same server. */
  readonly sharedByReplicas = true;
  readonly target: string;
  private readonly pool: pg.Pool;
  private readonly log: Logger;
  private readonly migrations: readonly Migration[];
  private closing: Promise<void> | null = null;

  constructor(
    private readonly url: string,
    options: PostgresStoreOptions,
  ) {
    this.target = describeTarget(url);
    this.log = options.log;
    this.migrations = options.migrations ?? MIGRATIONS;
    this.pool = new pg.Pool({
      ...this.clientConfig(),
      max: options.poolMax ?? POOL_MAX,
      idleTimeoutMillis: IDLE_TIMEOUT_MS,
      statement_timeout: STATEMENT_TIMEOUT_MS,
      query_timeout: QUERY_TIMEOUT_MS,
    });
    // An idle connection the server closed (restart, pg_terminate_backend) is dropped by the pool and reported
    // here; without a listener it would crash the process. Only code and message: the error holds the client and its password.
    this.pool.on('error', (error: Error & { code?: string }) => {
      this.log.warn({ target: this.target, code: error.code, reason: error.message }, 'PostgreSQL closed an idle connection; the pool will open a new one');
    });
  }

  /** Runs a trivial query, so start-up fails early and clearly when the server is unreachable. */
  async ping(): Promise<void> {
    await this.withClient('connect', (client) => client.query('SELECT 1'));
  }

  async migrate(): Promise<void> {
    // A dedicated session: it holds the advisory lock while it migrates, and its statements may take longer than the pool allows.
    const client = new pg.Client({ ...this.clientConfig(), statement_timeout: MIGRATION_STATEMENT_TIMEOUT_MS });
    client.on('error', (error) => this.log.warn({ target: this.target, reason: error.message }, 'the migration connection failed'));
    try {
      await client.connect();
    } catch (error) {
      throw this.failure('migrate', error);
    }
    try {
      // Replicas starting together queue here; the first migrates, the others then find nothing to do.
      await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      await client.query(CREATE_SCHEMA_MIGRATIONS);
      const applied = (await client.query<AppliedMigration>('SELECT version, checksum FROM schema_migrations')).rows;
      const newer = unknownVersions(this.migrations, applied);
      if (newer.length > 0) this.log.warn({ versions: newer }, 'the database has migrations newer than this build; continuing, as migrations only add');
      let todo: Migration[];
      try {
        todo = pendingMigrations(this.migrations, 'postgres', applied);
      } catch (error) {
        throw new StoreError('STORE_MIGRATION', `PostgreSQL ${this.target}: ${(error as Error).message}`);
      }
      for (const migration of todo) {
        const sql = migration.sql('postgres');
        try {
          await client.query('BEGIN');
          await client.query(sql);
          await client.query('INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES ($1, $2, $3, $4)', [
            migration.version,
            migration.name,
            checksum(sql),
            Date.now(),
          ]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          if (classify(error) !== 'statement') throw error;
          throw new StoreError('STORE_MIGRATION', `migration ${migration.version} (${migration.name}) failed on ${this.target}: ${reasonOf(error)}`, {
            cause: error,
          });
        }
        this.log.info({ version: migration.version, name: migration.name }, 'applied a database migration');
      }
    } catch (error) {
      if (error instanceof StoreError) throw error;
      if (classify(error) === 'statement') {
        throw new StoreError('STORE_MIGRATION', `could not migrate PostgreSQL at ${this.target}: ${reasonOf(error)}`, { cause: error });
      }
      throw this.failure('migrate', error);
    } finally {
      // Ending the session releases the advisory lock, even if the unlock itself could not be sent.
      await client.end().catch(() => undefined);
    }
  }

  async createRequest(request: NewRequest): Promise<CreateResult> {
    for (let attempt = 1; attempt <= CREATE_ATTEMPTS; attempt++) {
      const result = await this.transaction('create a request', async (client): Promise<CreateResult | null> => {
        if (request.maxOpenPerRequester !== undefined) {
          // One creator per requester at a time (a lock released at commit), so the count and the insert are one step.
          await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`offer-bot:open-requests:${request.requesterId}`]);
          const counted = await client.query<{ open: string }>(
            `SELECT COUNT(*) AS open FROM deletion_requests WHERE requester_id = $1 AND state IN (${OPEN})`,
            [request.requesterId],
          );
          const open = Number(counted.rows[0]?.open ?? 0);
          if (open >= request.maxOpenPerRequester) return { ok: false, limitReached: open };
        }
        // ON CONFLICT waits for a concurrent insert of the same offer to commit, then does nothing.
        const inserted = await client.query<RequestRow>(
          `INSERT INTO deletion_requests (
             id, team_id, channel_id, message_ts, sandbox, offer_id, offer_name, offer_status, offer_modified,
             offer_modified_by, offer_etag, offer_json, requester_id, reason, state, created_at, expires_at, updated_at,
             enterprise_id, channel_private)
           VALUES ($1, $2, $3, NULL, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'pending', $14, $15, $14, $16, $17)
           ON CONFLICT (sandbox, offer_id) WHERE state IN (${OPEN}) DO NOTHING
           RETURNING *`,
          [
            request.id,
            request.teamId,
            request.channelId,
            request.sandbox,
            request.offer.id,
            request.offer.name,
            request.offer.status,
            request.offer.modified,
            request.offer.lastModifiedBy,
            request.offer.etag,
            request.offer.json,
            request.requesterId,
            request.reason,
            request.createdAt,
            request.expiresAt,
            request.enterpriseId ?? null,
            privacyFlag(request.channelPrivate),
          ],
        );
        const row = inserted.rows[0];
        if (row) {
          await insertTransition(client, request.id, null, 'pending', request.requesterId, request.createdAt, null);
          await enqueue(client, request.id, ['confirmation'], request.createdAt);
          return { ok: true, request: toRequest(row) };
        }
        const existing = await client.query<RequestRow>(`SELECT * FROM deletion_requests WHERE sandbox = $1 AND offer_id = $2 AND state IN (${OPEN})`, [
          request.sandbox,
          request.offer.id,
        ]);
        const open = existing.rows[0];
        return open ? { ok: false, existing: toRequest(open) } : null;
      });
      if (result) return result;
    }
    throw new Error(`the open request for ${request.offer.id} kept finishing and reappearing; gave up after ${CREATE_ATTEMPTS} attempts`);
  }

  async getRequest(id: string): Promise<DeletionRequest | null> {
    const result = await this.withClient('read a request', (client) => client.query<RequestRow>('SELECT * FROM deletion_requests WHERE id = $1', [id]));
    const row = result.rows[0];
    return row ? toRequest(row) : null;
  }

  async transition(id: string, change: Change, at: number, options: TransitionOptions = {}): Promise<DeletionRequest | null> {
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    const atParam = param(at);
    const sets = [`state = ${param(change.to)}`, `updated_at = ${atParam}`];
    const conditions = [`id = ${param(id)}`, `state = ${param(change.from)}`];
    if (change.patch.decidedBy !== undefined) sets.push(`decided_by = ${param(change.patch.decidedBy)}`);
    if (change.patch.decidedAt !== undefined) sets.push(`decided_at = ${param(change.patch.decidedAt)}`);
    if (change.patch.outcome !== undefined) sets.push(`outcome_json = ${param(change.patch.outcome === null ? null : JSON.stringify(change.patch.outcome))}`);
    if (options.requireUnexpired) conditions.push(`expires_at > ${atParam}`);
    if (options.lease) {
      const owner = param(options.lease.owner);
      sets.push(`lease_owner = ${owner}`, `lease_until = ${param(options.lease.until)}`);
      if (LEASED_STATES.includes(change.from)) conditions.push(`lease_owner = ${owner}`);
    }
    const sql = `UPDATE deletion_requests SET ${sets.join(', ')} WHERE ${conditions.join(' AND ')} RETURNING *`;
    return this.transaction('apply a transition', async (client) => {
      // The row lock taken by UPDATE makes concurrent writers wait, then re-check the WHERE against the new state.
      const row = (await client.query<RequestRow>(sql, params)).rows[0];
      if (!row) return null;
      await insertTransition(client, id, change.from, change.to, change.actor, at, options.detail ?? null);
      await enqueue(client, id, options.outbox ?? [], at);
      return toRequest(row);
    });
  }

  async transitions(id: string): Promise<TransitionRecord[]> {
    const result = await this.withClient('read transitions', (client) =>
      client.query<TransitionRow>(
        'SELECT request_id, from_state, to_state, actor, at, detail_json FROM deletion_transitions WHERE request_id = $1 ORDER BY id',
        [id],
      ),
    );
    return result.rows.map(toTransition);
  }

  async openRequestFor(sandbox: string, offerId: string): Promise<DeletionRequest | null> {
    const result = await this.withClient('read the open request for an offer', (client) =>
      client.query<RequestRow>(`SELECT * FROM deletion_requests WHERE sandbox = $1 AND offer_id = $2 AND state IN (${OPEN})`, [sandbox, offerId]),
    );
    const row = result.rows[0];
    return row ? toRequest(row) : null;
  }

  async countOpen(requesterId: string): Promise<number> {
    const result = await this.withClient('count open requests', (client) =>
      client.query<{ open: string }>(`SELECT COUNT(*) AS open FROM deletion_requests WHERE requester_id = $1 AND state IN (${OPEN})`, [requesterId]),
    );
    return Number(result.rows[0]?.open ?? 0);
  }

  async recentRequests(query: RecentQuery): Promise<DeletionRequest[]> {
    const params: unknown[] = [query.teamId];
    const param = (value: unknown) => `$${params.push(value)}`;
    const byOffer = query.offerId === undefined ? '' : ` AND offer_id = ${param(query.offerId)}`;
    const before = params.length;
    const visible = visibilityFilter(query.privateChannelsVisible, (index) => `$${before + 1 + index}`);
    params.push(...visible.params);
    const sql = `SELECT * FROM deletion_requests WHERE team_id = $1${byOffer}${visible.sql} ORDER BY created_at DESC, id DESC LIMIT ${param(query.limit)}`;
    const result = await this.withClient('list recent requests', (client) => client.query<RequestRow>(sql, params));
    return result.rows.map(toRequest);
  }

  async auditEvents(since: number): Promise<AuditEvent[]> {
    const result = await this.withClient('read audit events', (client) =>
      client.query<AuditRow>(
        `SELECT r.*, t.from_state, t.to_state, t.actor, t.at, t.detail_json
         FROM deletion_transitions t JOIN deletion_requests r ON r.id = t.request_id
         WHERE t.at >= $1 ORDER BY t.at, t.id`,
        [since],
      ),
    );
    return result.rows.map(toAuditEvent);
  }

  async expiredPending(now: number, limit: number): Promise<DeletionRequest[]> {
    const result = await this.withClient('list expired requests', (client) =>
      client.query<RequestRow>(`SELECT * FROM deletion_requests WHERE state = 'pending' AND expires_at <= $1 ORDER BY expires_at, id LIMIT $2`, [now, limit]),
    );
    return result.rows.map(toRequest);
  }

  async unfinished(now: number, limit: number): Promise<DeletionRequest[]> {
    const result = await this.withClient('list unfinished requests', (client) =>
      client.query<RequestRow>(
        `SELECT * FROM deletion_requests WHERE state IN (${LEASED}) AND (lease_until IS NULL OR lease_until <= $1) ORDER BY updated_at, id LIMIT $2`,
        [now, limit],
      ),
    );
    return result.rows.map(toRequest);
  }

  async claim(id: string, owner: string, now: number, until: number): Promise<boolean> {
    // Safe to retry after a lost answer: if the first try took the lease, the second finds it already ours.
    const result = await this.withClient('claim a lease', (client) =>
      client.query(
        `UPDATE deletion_requests SET lease_owner = $2, lease_until = $4
         WHERE id = $1 AND state IN (${LEASED}) AND (lease_owner = $2 OR lease_until IS NULL OR lease_until <= $3)`,
        [id, owner, now, until],
      ),
    );
    return result.rowCount === 1;
  }

  async claimOutbox(owner: string, now: number, until: number, limit: number, ownLeaseBefore = 0): Promise<OutboxItem[]> {
    // SKIP LOCKED lets replicas claim side by side; the outer lease check is re-evaluated if a row was claimed meanwhile.
    const result = await this.withClient('claim outbox items', (client) =>
      client.query<OutboxRow>(
        `UPDATE slack_outbox SET lease_owner = $1, lease_until = $3, claims = claims + 1
         WHERE (lease_until IS NULL OR lease_until <= $2 OR (lease_owner = $1 AND lease_until < $5)) AND settled_at IS NULL
           AND id IN (
             SELECT o.id FROM slack_outbox o
             WHERE o.settled_at IS NULL AND o.next_attempt_at <= $2
               AND (o.lease_until IS NULL OR o.lease_until <= $2 OR (o.lease_owner = $1 AND o.lease_until < $5))
               AND o.id = (SELECT MIN(f.id) FROM slack_outbox f WHERE f.request_id = o.request_id AND f.settled_at IS NULL)
             ORDER BY o.id LIMIT $4
             FOR UPDATE SKIP LOCKED)
         RETURNING id, request_id, kind, attempts, claims, in_doubt`,
        [owner, now, until, limit, ownLeaseBefore],
      ),
    );
    return result.rows.map(toOutboxItem).sort((a, b) => a.id - b.id);
  }

  async settleOutbox(id: number, at: number, result: OutboxResult): Promise<void> {
    await this.transaction('settle an outbox item', async (client) => {
      await client.query('UPDATE slack_outbox SET settled_at = $2, result = $3, lease_owner = NULL, lease_until = NULL WHERE id = $1', [
        id,
        at,
        result.delivered ? 'delivered' : result.error,
      ]);
      if (result.delivered && result.messageTs) {
        await client.query('UPDATE deletion_requests SET message_ts = $2 WHERE id = (SELECT request_id FROM slack_outbox WHERE id = $1)', [
          id,
          result.messageTs,
        ]);
      }
    });
  }

  async postponeOutbox(id: number, retryAt: number, error: string, inDoubt = false): Promise<void> {
    await this.withClient('postpone an outbox item', (client) =>
      client.query(
        `UPDATE slack_outbox SET attempts = attempts + 1, next_attempt_at = $2, result = $3, in_doubt = (in_doubt OR $4),
           lease_owner = NULL, lease_until = NULL WHERE id = $1`,
        [id, retryAt, error, inDoubt],
      ),
    );
  }

  close(): Promise<void> {
    this.closing ??= this.pool.end();
    return this.closing;
  }

  private clientConfig(): pg.ClientConfig {
    return {
      connectionString: this.url,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      keepAlive: true,
      keepAliveInitialDelayMillis: KEEPALIVE_DELAY_MS,
      application_name: 'offer-bot',
    };
  }

  /** `work` inside BEGIN … COMMIT on one connection; any failure before COMMIT leaves nothing written. */
  private transaction<T>(what: string, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return this.withClient(what, async (client) => {
      await client.query('BEGIN');
      let result: T;
      try {
        result = await work(client);
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
      try {
        await client.query('COMMIT');
      } catch (error) {
        throw classify(error) === 'connection' ? new CommitUncertain(error) : error;
      }
      return result;
    });
  }

  /**
   * Runs `work` on a pooled connection. A connection that broke under it (the server restarted, or dropped it)
   * is discarded and `work` runs again on another, since nothing it sent was committed (a break during COMMIT
   * is the exception, and is not retried); an unreachable server, a timeout or CONNECTION_ATTEMPTS breaks
   * reject with STORE_UNAVAILABLE.
   */
  private async withClient<T>(what: string, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    if (this.closing) throw new StoreError('STORE_UNAVAILABLE', `could not ${what}: the store for ${this.target} is closed`);
    for (let attempt = 1; ; attempt++) {
      let client: pg.PoolClient;
      try {
        client = await this.pool.connect();
      } catch (error) {
        throw this.failure(what, error);
      }
      // While checked out, a connection error between queries would otherwise be an unhandled 'error' event.
      const onError = (error: Error) => this.log.warn({ target: this.target, reason: error.message }, 'a PostgreSQL connection in use failed');
      client.on('error', onError);
      try {
        const result = await work(client);
        client.off('error', onError);
        client.release();
        return result;
      } catch (error) {
        client.off('error', onError);
        // Never return a connection that saw an error to the pool: it may be broken or mid-transaction.
        client.release(true);
        if (error instanceof CommitUncertain) throw this.failure(what, error.original, ' (it may or may not have been applied)');
        const kind = classify(error);
        if (kind === 'statement') throw error;
        if (kind === 'connection' && attempt < CONNECTION_ATTEMPTS) {
          this.log.warn({ target: this.target, reason: reasonOf(error), what }, 'a PostgreSQL connection broke; retrying on a new one');
          continue;
        }
        throw this.failure(what, error);
      }
    }
  }

  private failure(what: string, error: unknown, note = ''): StoreError {
    if (error instanceof StoreError) return error;
    const kind = classify(error);
    if (kind === 'config') {
      return new StoreError('STORE_CONFIG', `PostgreSQL at ${this.target} refused the connection: ${reasonOf(error)}`, { cause: error });
    }
    const why = kind === 'timeout' ? 'timed out' : 'is unreachable';
    return new StoreError('STORE_UNAVAILABLE', `could not ${what}: PostgreSQL at ${this.target} ${why}${note}: ${reasonOf(error)}`, { cause: error });
  }
}

async function enqueue(client: pg.PoolClient, id: string, kinds: readonly OutboxKind[], at: number) {
  for (const kind of kinds) {
    await client.query('INSERT INTO slack_outbox (request_id, kind, created_at, next_attempt_at) VALUES ($1, $2, $3, $3)', [id, kind, at]);
  }
}

function insertTransition(
  client: pg.PoolClient,
  id: string,
  from: string | null,
  to: string,
  actor: string,
  at: number,
  detail: Record<string, unknown> | null,
) {
  return client.query('INSERT INTO deletion_transitions (request_id, from_state, to_state, actor, at, detail_json) VALUES ($1, $2, $3, $4, $5, $6)', [
    id,
    from,
    to,
    actor,
    at,
    detail === null ? null : JSON.stringify(detail),
  ]);
}
