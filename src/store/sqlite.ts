// The SQLite store: one file in WAL mode for a single replica; better-sqlite3 is synchronous, so each method runs whole.
import { setImmediate as afterPendingIo } from 'node:timers/promises';
import Database from 'better-sqlite3';
import type { Logger } from '../log.js';
import { MIGRATIONS, type Migration } from './migrations.js';
import { bind } from './sql/bind.js';
import { migrationScript } from './sql/migrate.js';
import { runNow, type Script, type Step } from './sql/script.js';
import { SqlStore, type SqlDriver } from './sql/sql-store.js';
import { StoreError, type Store } from './store.js';
import { preparePrivateFile } from './sqlite-file.js';

/** How long a write waits for another connection (another process on the same file) to finish its own. */
const SQLITE_BUSY_TIMEOUT_MS = 5_000;

/** SQLite result codes that mean the file cannot be used right now, rather than a mistake in a statement. */
const UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|CANTOPEN|IOERR|FULL|READONLY|CORRUPT|NOTADB|PERM|AUTH)/;

interface SqliteStoreOptions {
  log: Logger;
  busyTimeoutMs?: number;
  /** Tests replace the migrations to exercise upgrades; the bot always uses MIGRATIONS. */
  migrations?: readonly Migration[];
}

/** Opens (creating the file and its directory if needed) a SQLite store; no migration yet. */
export function openSqliteStore(path: string, options: SqliteStoreOptions): Store {
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
  return new SqlStore(new SqliteDriver(db, path, options.log, options.migrations ?? MIGRATIONS));
}

/**
 * Every call waits for the event loop's pending I/O first (setImmediate), then runs whole: better-sqlite3 blocks the loop
 * while it works, and run straight from the promise chains of many requests in a burst its work came before the acks
 * Slack waits for. Measured (bench/README.md): burst ack p50 and p99 0.6–0.8× of the same build without it.
 */
class SqliteDriver implements SqlDriver {
  readonly dialect = 'sqlite' as const;
  /** One replica has the file to itself. */
  readonly sharedByReplicas = false;
  private readonly statements = new Map<string, Database.Statement>();
  /** better-sqlite3 builds a transaction function once and calls it many times; building one per call showed in the profile. */
  private readonly inTransaction: Database.Transaction<(work: () => unknown) => unknown>;

  constructor(
    private readonly db: Database.Database,
    private readonly path: string,
    private readonly log: Logger,
    private readonly migrations: readonly Migration[],
  ) {
    this.inTransaction = db.transaction((work) => work());
  }

  async migrate(): Promise<void> {
    // IMMEDIATE takes the write lock first, so a second process starting at once waits and then finds nothing to do.
    const script = migrationScript({
      migrations: this.migrations,
      dialect: this.dialect,
      database: `SQLite database ${this.path}`,
      place: this.path,
      log: this.log,
      transactionEach: false,
      isUnavailable,
    });
    this.guard('migrate', () => this.inTransaction.immediate(() => runNow(script, this.answer)));
  }

  async run<T>(what: string, script: (afterBreak: boolean) => Script<T>): Promise<T> {
    await afterPendingIo();
    // A single write statement needs no BEGIN IMMEDIATE: in autocommit it takes the write lock before it reads.
    // A file has no connection to break, so nothing is ever run again.
    return this.guard(what, () => runNow(script(false), this.answer));
  }

  async transaction<T>(what: string, script: () => Script<T>): Promise<T> {
    await afterPendingIo();
    // The write lock comes first (BEGIN IMMEDIATE), so a transaction never fails half-way on another process's write.
    return this.guard(what, () => this.inTransaction.immediate(() => runNow(script(), this.answer)) as T);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  private readonly answer = (step: Step): unknown => {
    if (step.want === 'exec') {
      this.db.exec(step.sql);
      return undefined;
    }
    const { text, values } = bind(step.statement, this.dialect);
    const statement = this.statement(text);
    return step.want === 'rows' ? statement.all(...values) : statement.run(...values).changes;
  };

  private statement(text: string): Database.Statement {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  /** Runs `work`, turning "the file is busy or unusable" into STORE_UNAVAILABLE; other errors are bugs and pass through. */
  private guard<T>(what: string, work: () => T): T {
    // Closed while this call waited its turn (a shutdown): refused like any call to a closed store.
    if (!this.db.open) throw new StoreError('STORE_UNAVAILABLE', `could not ${what}: the SQLite database ${this.path} is closed`);
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
