// The schema: numbered migrations shared by both stores, and how its rows read back as requests and transitions.
import { createHash } from 'node:crypto';
import type { DeletionRequest, Outcome, State, TransitionRecord } from '../deletion/request.js';
import type { AuditEvent, OutboxItem, OutboxKind } from './store.js';

export type Dialect = 'sqlite' | 'postgres';

export interface Migration {
  version: number;
  name: string;
  /** The SQL for one dialect; several statements separated by semicolons. */
  sql: (dialect: Dialect) => string;
}

/**
 * Applied in version order, each once and inside a transaction (PostgreSQL: one per migration, under an advisory
 * lock; SQLite: all pending ones in one IMMEDIATE transaction). A version's SQL never changes after it ships
 * (the recorded checksum says so) and a migration only adds: tables, columns, indexes.
 * Epoch milliseconds are BIGINT: 64-bit in PostgreSQL, INTEGER affinity in SQLite.
 * JSON is kept as TEXT, not jsonb, so what Adobe sent reads back byte for byte.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'deletion requests and their transitions',
    sql: (dialect) => `
      CREATE TABLE deletion_requests (
        id TEXT PRIMARY KEY,
        team_id TEXT NOT NULL,
        channel_id TEXT NOT NULL,
        message_ts TEXT,
        sandbox TEXT NOT NULL,
        offer_id TEXT NOT NULL,
        offer_name TEXT NOT NULL,
        offer_status TEXT NOT NULL,
        offer_modified TEXT,
        offer_modified_by TEXT,
        offer_etag TEXT,
        offer_json TEXT NOT NULL,
        requester_id TEXT NOT NULL,
        reason TEXT NOT NULL,
        state TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL,
        decided_by TEXT,
        decided_at BIGINT,
        outcome_json TEXT,
        lease_owner TEXT,
        lease_until BIGINT
      );
      -- At most one open request per offer: the database, not the code, is the last word on this.
      CREATE UNIQUE INDEX deletion_requests_one_open_per_offer
        ON deletion_requests (sandbox, offer_id) WHERE state IN ('pending', 'approved', 'deleting');
      CREATE INDEX deletion_requests_pending_by_expiry
        ON deletion_requests (expires_at, id) WHERE state = 'pending';
      CREATE INDEX deletion_requests_in_flight_by_lease
        ON deletion_requests (lease_until) WHERE state IN ('approved', 'deleting');
      CREATE TABLE deletion_transitions (
        id ${dialect === 'sqlite' ? 'INTEGER PRIMARY KEY AUTOINCREMENT' : 'BIGSERIAL PRIMARY KEY'},
        request_id TEXT NOT NULL REFERENCES deletion_requests (id),
        from_state TEXT,
        to_state TEXT NOT NULL,
        actor TEXT NOT NULL,
        at BIGINT NOT NULL,
        detail_json TEXT
      );
      CREATE INDEX deletion_transitions_by_request ON deletion_transitions (request_id, id);
    `,
  },
  {
    version: 2,
    name: 'outbox of Slack messages owed',
    sql: (dialect) => `
      CREATE TABLE slack_outbox (
        id ${dialect === 'sqlite' ? 'INTEGER PRIMARY KEY AUTOINCREMENT' : 'BIGSERIAL PRIMARY KEY'},
        request_id TEXT NOT NULL REFERENCES deletion_requests (id),
        kind TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        -- Claims beyond attempts + 1 mean an attempt died half-way: Slack may or may not have the message.
        claims INTEGER NOT NULL DEFAULT 0,
        -- An attempt got no clear answer from Slack (connection lost, 5xx): the message may be there.
        in_doubt BOOLEAN NOT NULL DEFAULT FALSE,
        next_attempt_at BIGINT NOT NULL,
        lease_owner TEXT,
        lease_until BIGINT,
        settled_at BIGINT,
        result TEXT
      );
      -- Delivery takes the oldest unsettled message of each request: in order, one at a time per request.
      CREATE INDEX slack_outbox_unsettled ON slack_outbox (request_id, id) WHERE settled_at IS NULL;
      -- Without it a claim scans every message ever sent (1.5 ms at 50,000 rows, measured; 0.03 ms with it).
      CREATE INDEX slack_outbox_due ON slack_outbox (id) WHERE settled_at IS NULL;
    `,
  },
  {
    version: 3,
    name: 'indexes for the per-user limit, the history and the audit export',
    sql: () => `
      CREATE INDEX deletion_requests_open_by_requester
        ON deletion_requests (requester_id) WHERE state IN ('pending', 'approved', 'deleting');
      CREATE INDEX deletion_requests_by_team_and_time ON deletion_requests (team_id, created_at, id);
      CREATE INDEX deletion_requests_by_offer_and_time ON deletion_requests (team_id, offer_id, created_at, id);
      CREATE INDEX deletion_transitions_by_at ON deletion_transitions (at, id);
    `,
  },
  {
    version: 4,
    name: 'the enterprise of a request, and whether its channel is private',
    // 1 private (or a DM), 0 public, NULL not known (older rows): read as private, so history never over-shares.
    sql: () => `
      ALTER TABLE deletion_requests ADD COLUMN enterprise_id TEXT;
      ALTER TABLE deletion_requests ADD COLUMN channel_private INTEGER;
    `,
  },
];

/** The bookkeeping table; created before anything else, identical in both dialects. */
export const CREATE_SCHEMA_MIGRATIONS = `
  CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    checksum TEXT NOT NULL,
    applied_at BIGINT NOT NULL
  )`;

export const checksum = (sql: string): string => createHash('sha256').update(sql).digest('hex');

export interface AppliedMigration {
  version: number;
  checksum: string;
}

/**
 * Which migrations still have to run, given what the database says it has. Throws (a message for
 * STORE_MIGRATION) when an applied migration's SQL differs from ours: someone edited history.
 */
export function pendingMigrations(migrations: readonly Migration[], dialect: Dialect, applied: AppliedMigration[]): Migration[] {
  const known = new Map(applied.map((row) => [Number(row.version), row.checksum]));
  for (const migration of migrations) {
    const recorded = known.get(migration.version);
    if (recorded !== undefined && recorded !== checksum(migration.sql(dialect))) {
      throw new Error(
        `migration ${migration.version} (${migration.name}) differs from the one applied to this database; migrations must never be edited once shipped`,
      );
    }
  }
  return [...migrations].sort((a, b) => a.version - b.version).filter((migration) => !known.has(migration.version));
}

/** Versions the database has that this build does not know: a newer build migrated it (tolerated, since migrations only add). */
export const unknownVersions = (migrations: readonly Migration[], applied: AppliedMigration[]): number[] =>
  applied.map((row) => Number(row.version)).filter((version) => !migrations.some((migration) => migration.version === version));

// ---- rows ---------------------------------------------------------------------------------------

/** A `deletion_requests` row as either driver returns it (pg gives BIGINT as a string). */
export interface RequestRow {
  id: string;
  team_id: string;
  enterprise_id: string | null;
  channel_id: string;
  channel_private: number | string | null;
  message_ts: string | null;
  sandbox: string;
  offer_id: string;
  offer_name: string;
  offer_status: string;
  offer_modified: string | null;
  offer_modified_by: string | null;
  offer_etag: string | null;
  offer_json: string;
  requester_id: string;
  reason: string;
  state: string;
  created_at: number | string;
  expires_at: number | string;
  updated_at: number | string;
  decided_by: string | null;
  decided_at: number | string | null;
  outcome_json: string | null;
}

export interface TransitionRow {
  request_id: string;
  from_state: string | null;
  to_state: string;
  actor: string;
  at: number | string;
  detail_json: string | null;
}

/** A transition row joined with its request's row (`deletion_requests.*`). */
export type AuditRow = RequestRow & Omit<TransitionRow, 'request_id'>;

/** Epoch milliseconds from a BIGINT, refusing anything a JavaScript number cannot hold exactly. */
export function epochMs(value: number | string): number {
  const ms = typeof value === 'number' ? value : Number(value);
  if (!Number.isSafeInteger(ms)) throw new RangeError(`${String(value)} is not an exact epoch-millisecond time`);
  return ms;
}

export function toRequest(row: RequestRow): DeletionRequest {
  return {
    id: row.id,
    teamId: row.team_id,
    enterpriseId: row.enterprise_id ?? null,
    channelId: row.channel_id,
    channelPrivate: row.channel_private === null || row.channel_private === undefined ? null : Number(row.channel_private) === 1,
    messageTs: row.message_ts,
    sandbox: row.sandbox,
    offer: {
      id: row.offer_id,
      name: row.offer_name,
      status: row.offer_status,
      modified: row.offer_modified,
      lastModifiedBy: row.offer_modified_by,
      etag: row.offer_etag,
      json: row.offer_json,
    },
    requesterId: row.requester_id,
    reason: row.reason,
    state: row.state as State,
    createdAt: epochMs(row.created_at),
    expiresAt: epochMs(row.expires_at),
    updatedAt: epochMs(row.updated_at),
    decidedBy: row.decided_by,
    decidedAt: row.decided_at === null ? null : epochMs(row.decided_at),
    outcome: row.outcome_json === null ? null : (JSON.parse(row.outcome_json) as Outcome),
  };
}

export function toTransition(row: TransitionRow): TransitionRecord {
  return {
    requestId: row.request_id,
    from: row.from_state as State | null,
    to: row.to_state as State,
    actor: row.actor,
    at: epochMs(row.at),
    detail: row.detail_json === null ? null : (JSON.parse(row.detail_json) as Record<string, unknown>),
  };
}

export const toAuditEvent = (row: AuditRow): AuditEvent => ({
  transition: toTransition({ ...row, request_id: row.id }),
  request: toRequest(row),
});

/** A `slack_outbox` row as either driver returns it. */
export interface OutboxRow {
  id: number | string;
  request_id: string;
  kind: string;
  attempts: number | string;
  claims: number | string;
  in_doubt: boolean | number;
}

export const toOutboxItem = (row: OutboxRow): OutboxItem => ({
  id: Number(row.id),
  requestId: row.request_id,
  kind: row.kind as OutboxKind,
  attempts: Number(row.attempts),
  // This claim is counted: an earlier one that neither settled nor postponed the item died mid-attempt.
  inDoubt: Boolean(row.in_doubt) || Number(row.claims) > Number(row.attempts) + 1,
});

/** The stored form of a channel's privacy: 1 private, 0 public, NULL not known. */
export const privacyFlag = (channelPrivate: boolean | null | undefined): number | null =>
  channelPrivate === null || channelPrivate === undefined ? null : channelPrivate ? 1 : 0;

/**
 * The history's visibility condition (` AND …`, or nothing): public channels, plus the private ones listed.
 * A channel of unknown privacy counts as private. `placeholder(i)` is the marker of the filter's i-th parameter.
 */
export function visibilityFilter(
  privateChannelsVisible: readonly string[] | undefined,
  placeholder: (index: number) => string,
): { sql: string; params: string[] } {
  if (privateChannelsVisible === undefined) return { sql: '', params: [] };
  if (privateChannelsVisible.length === 0) return { sql: ' AND channel_private = 0', params: [] };
  const markers = privateChannelsVisible.map((_, index) => placeholder(index)).join(', ');
  return { sql: ` AND (channel_private = 0 OR channel_id IN (${markers}))`, params: [...privateChannelsVisible] };
}
