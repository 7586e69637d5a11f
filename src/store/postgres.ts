// The PostgreSQL store: shared by several replicas through a pg Pool; survives server restarts without a bot restart.
import pg from 'pg';
import type { Logger } from '../log.js';
import { MIGRATIONS, type Migration } from './migrations.js';
import { bind } from './sql/bind.js';
import { migrationScript } from './sql/migrate.js';
import { runAwaiting, type Script, type Step } from './sql/script.js';
import { SqlStore, type SqlDriver } from './sql/sql-store.js';
import { StoreError, type Store } from './store.js';

/** Connections per replica: the bot's queries are short, so a few serve many concurrent clicks. */
const POOL_MAX = 10;
/** How long a call waits for a connection (a new one, or a free one from a busy pool). */
const CONNECT_TIMEOUT_MS = 5_000;
/** Idle connections are closed after this, so a quiet bot holds none open. */
const IDLE_TIMEOUT_MS = 30_000;
/** The server cancels any statement running longer than this (none of ours should take a second). */
const STATEMENT_TIMEOUT_MS = 10_000;
/** The client gives up on an answer after this, for when the network, not the server, is stuck. */
const QUERY_TIMEOUT_MS = 15_000;
/** TCP keep-alive probes start after this much silence, to notice a dead peer on an idle connection. */
const KEEPALIVE_DELAY_MS = 10_000;
/** Migrations may wait behind another replica's migration, and a future one may build an index. */
const MIGRATION_STATEMENT_TIMEOUT_MS = 5 * 60_000;
/** The advisory lock key under which replicas take turns to migrate (any constant unique to this app). */
export const MIGRATION_LOCK_KEY = 4_711_300_221;
/**
 * Tries of one call when connections break under it: after a server restart several pooled connections may be
 * dead before the pool has noticed, and each failing one is discarded on the way to a fresh connection.
 */
const CONNECTION_ATTEMPTS = 3;
/**
 * Statement texts prepared under a name, once per connection; beyond this many (texts that vary, like `IN` lists of other
 * lengths), unnamed. The server parses and plans an unnamed statement anew at every call: in the bench its CPU per
 * workflow was 4.1–4.4 ms unnamed, 2.1–2.6 ms named (10 approvals in flight), and 50 in flight went from 144–160 to
 * 218–221 workflows/s.
 */
const PREPARED_MAX = 200;
/** What the server says when a prepared statement's table changed shape since (another replica migrated it). */
const STALE_PLAN = /cached plan must not change result type/;

interface PostgresStoreOptions {
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
export async function openPostgresStore(url: string, options: PostgresStoreOptions): Promise<Store> {
  const driver = new PostgresDriver(url, options);
  try {
    await driver.ping();
  } catch (error) {
    await driver.close();
    throw error;
  }
  return new SqlStore(driver);
}

type Failure = 'connection' | 'stale' | 'timeout' | 'config' | 'statement';

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
    // A statement this connection prepared before a migration changed its table: a new connection prepares it afresh.
    if (code === '0A000' && STALE_PLAN.test(error.message)) return 'stale';
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

class PostgresDriver implements SqlDriver {
  readonly dialect = 'postgres' as const;
  /** Every replica connects to the same server. */
  readonly sharedByReplicas = true;
  private readonly target: string;
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
      const script = migrationScript({
        migrations: this.migrations,
        dialect: this.dialect,
        database: `PostgreSQL ${this.target}`,
        place: this.target,
        log: this.log,
        transactionEach: true,
        isUnavailable: (error) => classify(error) !== 'statement',
      });
      await runAwaiting(script, (step) => answer(client, step));
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

  run<T>(what: string, script: (afterBreak: boolean) => Script<T>): Promise<T> {
    return this.withClient(what, (client, afterBreak) => runAwaiting(script(afterBreak), (step) => answer(client, step)));
  }

  /** The script inside BEGIN … COMMIT on one connection; any failure before COMMIT leaves nothing written. */
  transaction<T>(what: string, script: () => Script<T>): Promise<T> {
    return this.withClient(what, async (client) => {
      await client.query('BEGIN');
      let result: T;
      try {
        result = await runAwaiting(script(), (step) => answer(client, step));
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

  /**
   * Runs `work` on a pooled connection. A connection that broke under it (the server restarted, or dropped it)
   * is discarded and `work` runs again on another, told so by `afterBreak`: in a transaction nothing the broken
   * run sent was committed (a break during COMMIT is the exception, and is not retried), while a statement sent
   * on its own may have been applied, which the script run again judges. An unreachable server, a timeout or
   * CONNECTION_ATTEMPTS breaks reject with STORE_UNAVAILABLE.
   */
  private async withClient<T>(what: string, work: (client: pg.PoolClient, afterBreak: boolean) => Promise<T>): Promise<T> {
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
        const result = await work(client, attempt > 1);
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
        // Refused before it ran (in a transaction, which is rolled back): nothing was applied.
        if (kind === 'stale' && attempt < CONNECTION_ATTEMPTS) {
          this.log.warn({ target: this.target, what }, 'a table changed since this connection prepared its statements (a migration); retrying on a new one');
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

/** Answers one step of a script on this connection. */
async function answer(client: pg.ClientBase, step: Step): Promise<unknown> {
  if (step.want === 'exec') {
    await client.query(step.sql);
    return undefined;
  }
  const { text, values } = bind(step.statement, 'postgres');
  const name = preparedName(text);
  const result = await client.query(name === undefined ? { text, values } : { name, text, values });
  return step.want === 'rows' ? result.rows : (result.rowCount ?? 0);
}

const preparedNames = new Map<string, string>();

/** The name `text` is prepared under (the same in every connection: pg prepares it on a connection's first use), if any. */
function preparedName(text: string): string | undefined {
  let name = preparedNames.get(text);
  if (name === undefined && preparedNames.size < PREPARED_MAX) {
    name = `offer-bot-${preparedNames.size + 1}`;
    preparedNames.set(text, name);
  }
  return name;
}
