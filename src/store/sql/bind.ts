// Binds a statement's named parameters (:name) to a dialect's markers (? for SQLite, $1 … for PostgreSQL) and an ordered list of values.
import type { Dialect } from '../migrations.js';

/** A value for a parameter; a list stands for that many comma-separated values (`IN (:list)`). */
export type SqlValue = string | number | boolean | null | readonly string[];

/** One SQL statement, written once for both dialects, with its named parameters' values. */
export interface Statement {
  sql: string;
  params: Readonly<Record<string, SqlValue>>;
}

interface Bound {
  text: string;
  values: unknown[];
}

/** `:name`, but not the second colon of a PostgreSQL cast (`::text`). Values go in parameters, so no statement has a colon in a literal. */
const PARAMETER = /(?<!:):([A-Za-z_]\w*)/;

const MARKER: Record<Dialect, (position: number) => string> = {
  sqlite: () => '?',
  postgres: (position) => `$${position}`,
};

/** better-sqlite3 binds no booleans; SQLite stores them as 1 and 0 anyway. */
const DRIVER_VALUE: Record<Dialect, (value: string | number | boolean | null) => unknown> = {
  sqlite: (value) => (typeof value === 'boolean' ? Number(value) : value),
  postgres: (value) => value,
};

/** Statement texts split into [text, name, text, name, …, text], parsed once each (there are a few dozen). */
const parsed = new Map<string, string[]>();

function partsOf(sql: string): string[] {
  let parts = parsed.get(sql);
  if (!parts) {
    parts = sql.split(PARAMETER);
    parsed.set(sql, parts);
  }
  return parts;
}

export function bind(statement: Statement, dialect: Dialect): Bound {
  const parts = partsOf(statement.sql);
  const values: unknown[] = [];
  let text = parts[0] ?? '';
  for (let index = 1; index < parts.length; index += 2) {
    const name = parts[index] ?? '';
    const given = statement.params[name];
    if (given === undefined) throw new Error(`the statement needs a value for :${name}`);
    const items: ReadonlyArray<string | number | boolean | null> = typeof given === 'object' && given !== null ? given : [given];
    // `IN ()` is an error in PostgreSQL: a caller with nothing to list writes another condition instead.
    if (items.length === 0) throw new Error(`the list for :${name} is empty`);
    text += items.map((item) => MARKER[dialect](values.push(DRIVER_VALUE[dialect](item)))).join(', ');
    text += parts[index + 1] ?? '';
  }
  return { text, values };
}
