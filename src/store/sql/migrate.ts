// Applying the migrations: which ones a database lacks, and the script that applies them, the same for both drivers.
import { createHash } from 'node:crypto';
import type { Logger } from '../../log.js';
import { CREATE_SCHEMA_MIGRATIONS, type Dialect, type Migration } from '../migrations.js';
import { StoreError } from '../store.js';
import { changes, exec, rows, type Script } from './script.js';

const checksum = (sql: string): string => createHash('sha256').update(sql).digest('hex');

interface AppliedMigration {
  version: number;
  checksum: string;
}

/**
 * Which migrations still have to run, given what the database says it has. Throws (a message for
 * STORE_MIGRATION) when an applied migration's SQL differs from ours: someone edited history.
 */
function pendingMigrations(migrations: readonly Migration[], dialect: Dialect, applied: AppliedMigration[]): Migration[] {
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
const unknownVersions = (migrations: readonly Migration[], applied: AppliedMigration[]): number[] =>
  applied.map((row) => Number(row.version)).filter((version) => !migrations.some((migration) => migration.version === version));

interface MigrationRun {
  migrations: readonly Migration[];
  dialect: Dialect;
  /** The database as messages name it: `SQLite database <path>`, `PostgreSQL <host:port/database>`. */
  database: string;
  /** Where, for a migration that failed: the file path, or host:port/database. */
  place: string;
  log: Logger;
  /**
   * PostgreSQL applies each migration in a transaction of its own (the advisory lock keeps replicas out);
   * SQLite runs the whole script in one IMMEDIATE transaction.
   */
  transactionEach: boolean;
  /** Whether an error means the database cannot be used right now (passed on as it is), not that a migration's SQL failed. */
  isUnavailable: (error: unknown) => boolean;
}

export function* migrationScript(run: MigrationRun): Script<void> {
  yield* exec(CREATE_SCHEMA_MIGRATIONS);
  const applied = yield* rows<AppliedMigration>({ sql: 'SELECT version, checksum FROM schema_migrations', params: {} });
  const newer = unknownVersions(run.migrations, applied);
  if (newer.length > 0) run.log.warn({ versions: newer }, 'the database has migrations newer than this build; continuing, as migrations only add');
  let todo: Migration[];
  try {
    todo = pendingMigrations(run.migrations, run.dialect, applied);
  } catch (error) {
    throw new StoreError('STORE_MIGRATION', `${run.database}: ${(error as Error).message}`);
  }
  for (const migration of todo) {
    const sql = migration.sql(run.dialect);
    try {
      if (run.transactionEach) yield* exec('BEGIN');
      yield* exec(sql);
      yield* changes({
        sql: 'INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (:version, :name, :checksum, :appliedAt)',
        params: { version: migration.version, name: migration.name, checksum: checksum(sql), appliedAt: Date.now() },
      });
      if (run.transactionEach) yield* exec('COMMIT');
    } catch (error) {
      if (run.transactionEach) yield* rollBack();
      if (run.isUnavailable(error)) throw error;
      throw new StoreError('STORE_MIGRATION', `migration ${migration.version} (${migration.name}) failed on ${run.place}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    run.log.info({ version: migration.version, name: migration.name }, 'applied a database migration');
  }
}

/** ROLLBACK after a failure; if the connection is gone the server has rolled back already, and the failure says why. */
function* rollBack(): Script<void> {
  try {
    yield* exec('ROLLBACK');
  } catch {
    // The original failure is the one to report.
  }
}
