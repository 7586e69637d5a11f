// The SQLite store: one file in WAL mode for a single replica; better-sqlite3 is synchronous, so each method runs whole.
import Database from 'better-sqlite3';
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
import { preparePrivateFile } from './sqlite-file.js';
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

/** How long a write waits for another connection (another process on the same file) to finish its own. */
export const SQLITE_BUSY_TIMEOUT_MS = 5_000;

/** States whose background work is guarded by a lease. */
const LEASED_STATES: readonly string[] = ['approved', 'deleting'];
const sqlList = (states: readonly string[]) => states.map((state) => `'${state}'`).join(', ');
const OPEN = sqlList(OPEN_STATES);
const LEASED = sqlList(LEASED_STATES);

/** SQLite result codes that mean the file cannot be used right now, rather than a mistake in a statement. */
const UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|CANTOPEN|IOERR|FULL|READONLY|CORRUPT|NOTADB|PERM|AUTH)/;

export interface SqliteStoreOptions {
  log: Logger;
  busyTimeoutMs?: number;
  /** Tests replace the migrations to exercise upgrades; the bot always uses MIGRATIONS. */
  migrations?: readonly Migration[];
}

/** Opens (creating the file and its directory if needed) a SQLite store; no migration yet. */
export function openSqliteStore(path: string, options: SqliteStoreOptions): SqliteStore {
  let db: Database.Database;
  try {
    preparePrivateFile(path, options.log);
    db = new Database(path, { timeout: options.busyTimeoutMs ?? SQLITE_BUSY_TIMEOUT_MS });
  } catch (error) {
    throw new StoreError('STORE_UNAVAILABLE', `cannot open the SQLite database ${path}: ${(error as Error).message}`, { cause: error });
  }
  try {
    // WAL lets readers run beside the one writer. synchronous=NORMAL: every commit survives a crash of the
    // process; an OS crash or power loss may roll back the last few (never corrupt). FULL costs an fsync per
    // commit (~1 ms here) on the event loop, which the benchmark showed delaying every ack under load; a lost
    // last transition is recovered safely (a DELETE already done verifies as 404).
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal' && path !== ':memory:') options.log.warn({ path, mode }, 'SQLite refused WAL mode; writes will block reads');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
  } catch (error) {
    db.close();
    throw new StoreError('STORE_UNAVAILABLE', `cannot use the SQLite database ${path}: ${(error as Error).message}`, { cause: error });
  }
  return new SqliteStore(db, path, options.log, options.migrations ?? MIGRATIONS);
}

export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  private readonly statements = new Map<string, Database.Statement>();

  constructor(
    private readonly db: Database.Database,
    readonly path: string,
    private readonly log: Logger,
    private readonly migrations: readonly Migration[],
  ) {}

  async migrate(): Promise<void> {
    // IMMEDIATE takes the write lock first, so a second process starting at once waits and then finds nothing to do.
    const run = this.db.transaction(() => {
      this.db.exec(CREATE_SCHEMA_MIGRATIONS);
      const applied = this.db.prepare('SELECT version, checksum FROM schema_migrations').all() as AppliedMigration[];
      const newer = unknownVersions(this.migrations, applied);
      if (newer.length > 0) this.log.warn({ versions: newer }, 'the database has migrations newer than this build; continuing, as migrations only add');
      let todo: Migration[];
      try {
        todo = pendingMigrations(this.migrations, 'sqlite', applied);
      } catch (error) {
        throw new StoreError('STORE_MIGRATION', `SQLite database ${this.path}: ${(error as Error).message}`);
      }
      for (const migration of todo) {
        const sql = migration.sql('sqlite');
        try {
          this.db.exec(sql);
        } catch (error) {
          if (isUnavailable(error)) throw error;
          throw new StoreError('STORE_MIGRATION', `migration ${migration.version} (${migration.name}) failed on ${this.path}: ${(error as Error).message}`, {
            cause: error,
          });
        }
        this.db
          .prepare('INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)')
          .run(migration.version, migration.name, checksum(sql), Date.now());
        this.log.info({ version: migration.version, name: migration.name }, 'applied a database migration');
      }
    });
    this.guard('migrate', () => run.immediate());
  }

  async createRequest(request: NewRequest): Promise<CreateResult> {
    const create = this.db.transaction((): CreateResult => {
      // The write transaction (BEGIN IMMEDIATE) serialises creators, so the count and the insert are one step.
      if (request.maxOpenPerRequester !== undefined) {
        const open = this.countOpenNow(request.requesterId);
        if (open >= request.maxOpenPerRequester) return { ok: false, limitReached: open };
      }
      const row = this.statement(`
        INSERT INTO deletion_requests (
          id, team_id, enterprise_id, channel_id, channel_private, message_ts, sandbox, offer_id, offer_name, offer_status,
          offer_modified, offer_modified_by, offer_etag, offer_json, requester_id, reason, state, created_at, expires_at, updated_at)
        VALUES (
          @id, @teamId, @enterpriseId, @channelId, @channelPrivate, NULL, @sandbox, @offerId, @offerName, @offerStatus,
          @offerModified, @offerModifiedBy, @offerEtag, @offerJson, @requesterId, @reason, 'pending', @createdAt, @expiresAt, @createdAt)
        ON CONFLICT (sandbox, offer_id) WHERE state IN (${OPEN}) DO NOTHING
        RETURNING *`).get({
        id: request.id,
        teamId: request.teamId,
        enterpriseId: request.enterpriseId ?? null,
        channelId: request.channelId,
        channelPrivate: privacyFlag(request.channelPrivate),
        sandbox: request.sandbox,
        offerId: request.offer.id,
        offerName: request.offer.name,
        offerStatus: request.offer.status,
        offerModified: request.offer.modified,
        offerModifiedBy: request.offer.lastModifiedBy,
        offerEtag: request.offer.etag,
        offerJson: request.offer.json,
        requesterId: request.requesterId,
        reason: request.reason,
        createdAt: request.createdAt,
        expiresAt: request.expiresAt,
      }) as RequestRow | undefined;
      if (row) {
        this.recordTransition(request.id, null, 'pending', request.requesterId, request.createdAt, null);
        this.enqueue(request.id, ['confirmation'], request.createdAt);
        return { ok: true, request: toRequest(row) };
      }
      // Inside the same write transaction the request that blocked the insert is still there and still open.
      const existing = this.statement(`SELECT * FROM deletion_requests WHERE sandbox = ? AND offer_id = ? AND state IN (${OPEN})`).get(
        request.sandbox,
        request.offer.id,
      ) as RequestRow | undefined;
      if (!existing) throw new Error(`no open request for ${request.offer.id} although the insert conflicted`);
      return { ok: false, existing: toRequest(existing) };
    });
    return this.guard('create a request', () => create.immediate());
  }

  async setMessageTs(id: string, messageTs: string): Promise<void> {
    this.guard('store the message ts', () => this.statement('UPDATE deletion_requests SET message_ts = ? WHERE id = ?').run(messageTs, id));
  }

  async getRequest(id: string): Promise<DeletionRequest | null> {
    const row = this.guard('read a request', () => this.statement('SELECT * FROM deletion_requests WHERE id = ?').get(id) as RequestRow | undefined);
    return row ? toRequest(row) : null;
  }

  async transition(id: string, change: Change, at: number, options: TransitionOptions = {}): Promise<DeletionRequest | null> {
    const sets = ['state = @to', 'updated_at = @at'];
    const conditions = ['id = @id', 'state = @from'];
    const params: Record<string, string | number | null> = { id, from: change.from, to: change.to, at };
    if (change.patch.decidedBy !== undefined) {
      sets.push('decided_by = @decidedBy');
      params.decidedBy = change.patch.decidedBy;
    }
    if (change.patch.decidedAt !== undefined) {
      sets.push('decided_at = @decidedAt');
      params.decidedAt = change.patch.decidedAt;
    }
    if (change.patch.outcome !== undefined) {
      sets.push('outcome_json = @outcome');
      params.outcome = change.patch.outcome === null ? null : JSON.stringify(change.patch.outcome);
    }
    if (options.requireUnexpired) conditions.push('expires_at > @at');
    if (options.lease) {
      sets.push('lease_owner = @leaseOwner', 'lease_until = @leaseUntil');
      params.leaseOwner = options.lease.owner;
      params.leaseUntil = options.lease.until;
      if (LEASED_STATES.includes(change.from)) conditions.push('lease_owner = @leaseOwner');
    }
    const sql = `UPDATE deletion_requests SET ${sets.join(', ')} WHERE ${conditions.join(' AND ')} RETURNING *`;
    const apply = this.db.transaction((): DeletionRequest | null => {
      const row = this.statement(sql).get(params) as RequestRow | undefined;
      if (!row) return null;
      this.recordTransition(id, change.from, change.to, change.actor, at, options.detail ?? null);
      this.enqueue(id, options.outbox ?? [], at);
      return toRequest(row);
    });
    return this.guard('apply a transition', () => apply.immediate());
  }

  async transitions(id: string): Promise<TransitionRecord[]> {
    const rows = this.guard(
      'read transitions',
      () =>
        this.statement('SELECT request_id, from_state, to_state, actor, at, detail_json FROM deletion_transitions WHERE request_id = ? ORDER BY id').all(
          id,
        ) as TransitionRow[],
    );
    return rows.map(toTransition);
  }

  async countOpen(requesterId: string): Promise<number> {
    return this.guard('count open requests', () => this.countOpenNow(requesterId));
  }

  private countOpenNow(requesterId: string): number {
    const row = this.statement(`SELECT COUNT(*) AS open FROM deletion_requests WHERE requester_id = ? AND state IN (${OPEN})`).get(requesterId) as {
      open: number;
    };
    return Number(row.open);
  }

  async openRequestFor(sandbox: string, offerId: string): Promise<DeletionRequest | null> {
    const row = this.guard(
      'read the open request for an offer',
      () =>
        this.statement(`SELECT * FROM deletion_requests WHERE sandbox = ? AND offer_id = ? AND state IN (${OPEN})`).get(sandbox, offerId) as
          | RequestRow
          | undefined,
    );
    return row ? toRequest(row) : null;
  }

  async recentRequests(query: RecentQuery): Promise<DeletionRequest[]> {
    // Two statements rather than `@offerId IS NULL OR …`, so each can use its index.
    const visible = visibilityFilter(query.privateChannelsVisible, () => '?');
    const rows = this.guard('list recent requests', () =>
      query.offerId === undefined
        ? (this.statement(`SELECT * FROM deletion_requests WHERE team_id = ?${visible.sql} ORDER BY created_at DESC, id DESC LIMIT ?`).all(
            query.teamId,
            ...visible.params,
            query.limit,
          ) as RequestRow[])
        : (this.statement(`SELECT * FROM deletion_requests WHERE team_id = ? AND offer_id = ?${visible.sql} ORDER BY created_at DESC, id DESC LIMIT ?`).all(
            query.teamId,
            query.offerId,
            ...visible.params,
            query.limit,
          ) as RequestRow[]),
    );
    return rows.map(toRequest);
  }

  async auditEvents(since: number): Promise<AuditEvent[]> {
    const rows = this.guard(
      'read audit events',
      () =>
        this.statement(
          `SELECT r.*, t.from_state, t.to_state, t.actor, t.at, t.detail_json
           FROM deletion_transitions t JOIN deletion_requests r ON r.id = t.request_id
           WHERE t.at >= ? ORDER BY t.at, t.id`,
        ).all(since) as AuditRow[],
    );
    return rows.map(toAuditEvent);
  }

  async expiredPending(now: number, limit: number): Promise<DeletionRequest[]> {
    const rows = this.guard(
      'list expired requests',
      () =>
        this.statement(`SELECT * FROM deletion_requests WHERE state = 'pending' AND expires_at <= ? ORDER BY expires_at, id LIMIT ?`).all(
          now,
          limit,
        ) as RequestRow[],
    );
    return rows.map(toRequest);
  }

  async unfinished(now: number, limit: number): Promise<DeletionRequest[]> {
    const rows = this.guard(
      'list unfinished requests',
      () =>
        this.statement(
          `SELECT * FROM deletion_requests WHERE state IN (${LEASED}) AND (lease_until IS NULL OR lease_until <= ?) ORDER BY updated_at, id LIMIT ?`,
        ).all(now, limit) as RequestRow[],
    );
    return rows.map(toRequest);
  }

  async claim(id: string, owner: string, now: number, until: number): Promise<boolean> {
    const result = this.guard('claim a lease', () =>
      this.statement(
        `UPDATE deletion_requests SET lease_owner = @owner, lease_until = @until
         WHERE id = @id AND state IN (${LEASED}) AND (lease_owner = @owner OR lease_until IS NULL OR lease_until <= @now)`,
      ).run({ id, owner, now, until }),
    );
    return result.changes === 1;
  }

  async claimOutbox(owner: string, now: number, until: number, limit: number, ownLeaseBefore = 0): Promise<OutboxItem[]> {
    const rows = this.guard('claim outbox items', () =>
      this.db
        .transaction(
          () =>
            this.statement(`
              UPDATE slack_outbox SET lease_owner = @owner, lease_until = @until, claims = claims + 1
              WHERE id IN (
                SELECT o.id FROM slack_outbox o
                WHERE o.settled_at IS NULL AND o.next_attempt_at <= @now
                  AND (o.lease_until IS NULL OR o.lease_until <= @now OR (o.lease_owner = @owner AND o.lease_until < @ownLeaseBefore))
                  AND o.id = (SELECT MIN(f.id) FROM slack_outbox f WHERE f.request_id = o.request_id AND f.settled_at IS NULL)
                ORDER BY o.id LIMIT @limit)
              RETURNING id, request_id, kind, attempts, claims, in_doubt`).all({ owner, now, until, limit, ownLeaseBefore }) as OutboxRow[],
        )
        .immediate(),
    );
    return rows.map(toOutboxItem).sort((a, b) => a.id - b.id);
  }

  async settleOutbox(id: number, at: number, result: OutboxResult): Promise<void> {
    const settle = this.db.transaction(() => {
      this.statement('UPDATE slack_outbox SET settled_at = ?, result = ?, lease_owner = NULL, lease_until = NULL WHERE id = ?').run(
        at,
        result.delivered ? 'delivered' : result.error,
        id,
      );
      if (result.delivered && result.messageTs) {
        this.statement('UPDATE deletion_requests SET message_ts = ? WHERE id = (SELECT request_id FROM slack_outbox WHERE id = ?)').run(result.messageTs, id);
      }
    });
    this.guard('settle an outbox item', () => settle.immediate());
  }

  async postponeOutbox(id: number, retryAt: number, error: string, inDoubt = false): Promise<void> {
    this.guard('postpone an outbox item', () =>
      this.statement(
        `UPDATE slack_outbox SET attempts = attempts + 1, next_attempt_at = ?, result = ?, in_doubt = (in_doubt OR ?),
           lease_owner = NULL, lease_until = NULL WHERE id = ?`,
      ).run(retryAt, error, inDoubt ? 1 : 0, id),
    );
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  private enqueue(id: string, kinds: readonly OutboxKind[], at: number) {
    for (const kind of kinds) {
      this.statement('INSERT INTO slack_outbox (request_id, kind, created_at, next_attempt_at) VALUES (?, ?, ?, ?)').run(id, kind, at, at);
    }
  }

  private recordTransition(id: string, from: string | null, to: string, actor: string, at: number, detail: Record<string, unknown> | null) {
    this.statement('INSERT INTO deletion_transitions (request_id, from_state, to_state, actor, at, detail_json) VALUES (?, ?, ?, ?, ?, ?)').run(
      id,
      from,
      to,
      actor,
      at,
      detail === null ? null : JSON.stringify(detail),
    );
  }

  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /** Runs `work`, turning "the file is busy or unusable" into STORE_UNAVAILABLE; other errors are bugs and pass through. */
  private guard<T>(what: string, work: () => T): T {
    try {
      return work();
    } catch (error) {
      if (isUnavailable(error)) {
        throw new StoreError('STORE_UNAVAILABLE', `could not ${what} in the SQLite database ${this.path}: ${(error as Error).message}`, { cause: error });
      }
      throw error;
    }
  }
}

function isUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && UNAVAILABLE.test(code);
}
