// Databases for tests: a fresh SQLite file, or a fresh PostgreSQL database on the test server, and a quiet logger.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pg from 'pg';
import { pino } from 'pino';
import type { Logger } from '../../src/log.js';
import { describeTarget } from '../../src/store/postgres.js';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
/** How long the availability probe waits for the test server. */
const PROBE_TIMEOUT_MS = 2_000;

const tempDirs: string[] = [];
process.once('exit', () => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/** A new, empty temporary directory, removed when the test process exits. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `offer-bot-${prefix}-`));
  tempDirs.push(dir);
  return dir;
}

/** `sqlite:/tmp/…/offer-bot.db` in a new temporary directory, removed when the test process exits. */
export function sqliteUrl(): string {
  return `sqlite:${join(tempDir('store'), 'offer-bot.db')}`;
}

let availability: Promise<boolean> | undefined;

/**
 * Whether the PostgreSQL test server answers. When it does not, says so and returns false so the suites skip,
 * except in CI (CI=true), where a missing server fails the run instead of silently testing less.
 */
export function postgresAvailable(): Promise<boolean> {
  availability ??= (async () => {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: PROBE_TIMEOUT_MS });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } catch (error) {
      const reason = (error as Error).message || (error as { code?: string }).code || 'no answer';
      const where = `PostgreSQL at ${describeTarget(TEST_DATABASE_URL)} (TEST_DATABASE_URL) is unreachable: ${reason}`;
      if (process.env.CI === 'true') throw new Error(`${where}. CI must run the PostgreSQL store tests, so this is a failure.`);
      console.warn(`Skipping the PostgreSQL store tests: ${where}.`);
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return availability;
}

export interface TestDatabase {
  url: string;
  /** Drops the database, closing any connection still open to it. */
  drop(): Promise<void>;
}

async function onServer<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: PROBE_TIMEOUT_MS });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A new, empty database on the test server, named uniquely so parallel runs never share one. */
export async function withPostgres(): Promise<TestDatabase> {
  const name = `offer_bot_test_${randomBytes(6).toString('hex')}`;
  await onServer((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => onServer((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

/** A logger that keeps its lines for assertions instead of printing them. */
export function testLog(): { log: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { log: pino({ level: 'debug' }, sink), lines };
}
