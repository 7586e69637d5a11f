// Named parameters bound per dialect: the one statement text both stores run.
import { describe, expect, it } from 'vitest';
import { bind } from '../../src/store/sql/bind.js';

const claim = {
  sql: 'UPDATE t SET owner = :owner WHERE (owner = :owner OR until <= :now) AND id IN (:ids)',
  params: { owner: 'worker-a', now: 7, ids: ['x', 'y'], unused: 'ignored' },
};

describe('binding named parameters', () => {
  it('SQLite gets a ? for every use of a name, values in the order they appear', () => {
    expect(bind(claim, 'sqlite')).toEqual({
      text: 'UPDATE t SET owner = ? WHERE (owner = ? OR until <= ?) AND id IN (?, ?)',
      values: ['worker-a', 'worker-a', 7, 'x', 'y'],
    });
  });

  it('PostgreSQL gets $1, $2, … in the same order', () => {
    expect(bind(claim, 'postgres')).toEqual({
      text: 'UPDATE t SET owner = $1 WHERE (owner = $2 OR until <= $3) AND id IN ($4, $5)',
      values: ['worker-a', 'worker-a', 7, 'x', 'y'],
    });
  });

  it('a boolean is 1 or 0 for SQLite and stays a boolean for PostgreSQL', () => {
    const statement = { sql: 'UPDATE t SET flag = (flag OR :flag)', params: { flag: true } };
    expect(bind(statement, 'sqlite').values).toEqual([1]);
    expect(bind(statement, 'postgres').values).toEqual([true]);
  });

  it('a null is bound as null, and a PostgreSQL cast is not a parameter', () => {
    expect(bind({ sql: 'SELECT :a::text WHERE b = :b', params: { a: 'v', b: null } }, 'postgres')).toEqual({
      text: 'SELECT $1::text WHERE b = $2',
      values: ['v', null],
    });
  });

  it('a parameter without a value, or an empty list, is refused', () => {
    expect(() => bind({ sql: 'SELECT * FROM t WHERE id = :id', params: {} }, 'sqlite')).toThrow(':id');
    expect(() => bind({ sql: 'SELECT * FROM t WHERE id IN (:ids)', params: { ids: [] } }, 'postgres')).toThrow('empty');
  });
});
