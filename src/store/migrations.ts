// The schema: numbered migrations shared by both stores (sql/migrate.ts applies them), which an older replica can run beside.
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
 * (the recorded checksum says so) and a migration only adds (tables, columns, indexes) or drops an index a later one
 * made redundant, which no query of the version before needs: a replica of that version, in a rolling deploy, runs on it.
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
  {
    version: 5,
    name: 'settled outbox items by time, for their retention',
    // The retention's delete takes the oldest settled items; without it, each sweep would scan every message ever sent.
    sql: () => `
      CREATE INDEX slack_outbox_settled_by_time ON slack_outbox (settled_at, id) WHERE settled_at IS NOT NULL;
    `,
  },
  {
    version: 6,
    name: 'several approvals of a request, and the comments of decisions',
    // approval_count is the compare-and-set's version of an approval (pending → pending keeps the state); approvals_json the
    // list the messages show; deletion_approvals the record, where the database keeps one approval per person and request.
    sql: () => `
      ALTER TABLE deletion_requests ADD COLUMN required_approvals INTEGER NOT NULL DEFAULT 1;
      ALTER TABLE deletion_requests ADD COLUMN approval_count INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE deletion_requests ADD COLUMN approvals_json TEXT;
      ALTER TABLE deletion_requests ADD COLUMN decision_comment TEXT;
      CREATE TABLE deletion_approvals (
        request_id TEXT NOT NULL REFERENCES deletion_requests (id),
        approver_id TEXT NOT NULL,
        comment TEXT,
        at BIGINT NOT NULL,
        PRIMARY KEY (request_id, approver_id)
      );
    `,
  },
  {
    version: 7,
    name: "when a pending request was reminded in its thread; one requester's requests by time",
    // reminded_at NULL: not reminded yet. The sweep sets it once, halfway to expiry; the index keeps that look cheap.
    // The second index serves the App Home's "your recent requests".
    sql: () => `
      ALTER TABLE deletion_requests ADD COLUMN reminded_at BIGINT;
      CREATE INDEX deletion_requests_pending_unreminded ON deletion_requests (expires_at, id) WHERE state = 'pending' AND reminded_at IS NULL;
      CREATE INDEX deletion_requests_by_requester_and_time ON deletion_requests (team_id, requester_id, created_at, id);
    `,
  },
  {
    version: 8,
    name: 'restores: a request may re-create a deleted offer',
    // A restore is a request row of its own: `restore_of` the deleted request, `thread_ts` that request's thread. A deleted
    // offer is re-created at most once: the database refuses a second restore while one is open or has (perhaps) succeeded.
    sql: () => `
      ALTER TABLE deletion_requests ADD COLUMN action TEXT NOT NULL DEFAULT 'delete';
      ALTER TABLE deletion_requests ADD COLUMN restore_of TEXT REFERENCES deletion_requests (id);
      ALTER TABLE deletion_requests ADD COLUMN thread_ts TEXT;
      CREATE UNIQUE INDEX deletion_requests_one_restore_per_deletion
        ON deletion_requests (restore_of) WHERE state IN ('pending', 'approved', 'restoring', 'restored', 'unverified');
      CREATE INDEX deletion_requests_restoring_by_lease ON deletion_requests (lease_until) WHERE state = 'restoring';
    `,
  },
  {
    version: 9,
    name: 'the open-request look-ups of every command, with restoring among the open states',
    // Migrations 1 and 3 index open requests as ('pending', 'approved', 'deleting'); since restoring is open too, the
    // per-command look-ups (an offer's open request, a requester's open count) no longer match those partial indexes,
    // and PostgreSQL scanned a whole index for each: 4.7x slower acks with 1,000,000 stored requests (bench/results.md).
    sql: () => `
      CREATE INDEX deletion_requests_open_by_offer ON deletion_requests (sandbox, offer_id)
        WHERE state IN ('pending', 'approved', 'deleting', 'restoring');
      CREATE INDEX deletion_requests_open_by_requester_v2 ON deletion_requests (requester_id)
        WHERE state IN ('pending', 'approved', 'deleting', 'restoring');
    `,
  },
  {
    version: 10,
    name: 'fewer indexes to keep up to date on every write of a request',
    // Every request write updates each index whose predicate names its state. Migration 9's index replaced migration 3's
    // open_by_requester, which no query uses since; and a deletion (restore_of NULL) has nothing to do in the one-restore
    // index, which held an entry for every open deletion. One request and its three transitions: 23 % fewer CPU
    // instructions in SQLite (callgrind; bench/README.md).
    sql: () => `
      DROP INDEX deletion_requests_open_by_requester;
      DROP INDEX deletion_requests_one_restore_per_deletion;
      CREATE UNIQUE INDEX deletion_requests_one_restore_per_deletion_v2 ON deletion_requests (restore_of)
        WHERE restore_of IS NOT NULL AND state IN ('pending', 'approved', 'restoring', 'restored', 'unverified');
    `,
  },
  {
    version: 11,
    name: 'the sweep of leased requests, with restoring among the leased states',
    // The sweep's look for requests whose lease ran out asks for approved, deleting and restoring ones; migration 1 indexes
    // approved and deleting, migration 8 restoring, so neither serves it and SQLite read the whole table: 0.3 s of a
    // start with 1,000,000 stored requests (bench/results.md, section 6), and again at every sweep. In the query's order,
    // so the first ones due are the first read.
    sql: () => `
      DROP INDEX deletion_requests_in_flight_by_lease;
      DROP INDEX deletion_requests_restoring_by_lease;
      CREATE INDEX deletion_requests_leased_by_update ON deletion_requests (updated_at, id)
        WHERE state IN ('approved', 'deleting', 'restoring');
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
