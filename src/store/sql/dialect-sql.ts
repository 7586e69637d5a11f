// The few places where the two databases' SQL differs, named once for every statement that needs them.
import type { Dialect } from '../migrations.js';

/** A list of literals, for states and kinds the code names (never for values from outside). */
export const sqlList = (items: readonly string[]) => items.map((item) => `'${item}'`).join(', ');

interface DialectSql {
  /**
   * Makes creators of one requester's requests take turns until commit, so counting their open requests and inserting
   * are one step. SQLite needs none: its write transaction (BEGIN IMMEDIATE) already lets one writer in at a time.
   */
  lockRequesterOpenRequests: string | null;
  /** Lets replicas claim outbox items side by side, each skipping the rows another's claim holds; SQLite has one writer at a time. */
  skipLocked: string;
  /**
   * Whether a row and the rows that go with it can be written by one statement (a data-modifying WITH, see writeWithFollowers),
   * atomic without BEGIN and COMMIT: one round trip to PostgreSQL. SQLite has no data-modifying WITH: it runs the same
   * statements one by one in its write transaction, where a statement costs no round trip.
   */
  writesInOneStatement: boolean;
}

export const DIALECT_SQL: Record<Dialect, DialectSql> = {
  sqlite: { lockRequesterOpenRequests: null, skipLocked: '', writesInOneStatement: false },
  postgres: {
    lockRequesterOpenRequests: 'SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))',
    skipLocked: 'FOR UPDATE SKIP LOCKED',
    writesInOneStatement: true,
  },
};

export const writesInOneStatement = (dialect: Dialect): boolean => DIALECT_SQL[dialect].writesInOneStatement;
