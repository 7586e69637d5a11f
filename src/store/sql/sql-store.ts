// The Store, written once over a small SQL driver: each method is a script of statements, run by SQLite or PostgreSQL.
import type { Change } from '../../deletion/lifecycle.js';
import type { DeletionRequest, TransitionRecord } from '../../deletion/request.js';
import type { Dialect } from '../migrations.js';
import {
  type AuditEvent,
  type AwaitingQuery,
  type CreateResult,
  type NewRequest,
  type NextClaim,
  type NewRestore,
  type OutboxItem,
  type OutboxKind,
  type OutboxResult,
  type RecentQuery,
  type RequesterQuery,
  type Store,
  StoreError,
  type TransitionOptions,
} from '../store.js';
import { type AuditRow, type OutboxRow, type RequestRow, type TransitionRow, toAuditEvent, toOutboxItem, toRequest, toTransition } from './rows.js';
import type { Statement } from './bind.js';
import { changes, rows, type Script } from './script.js';
import { writesInOneStatement } from './dialect-sql.js';
import * as outboxSql from './outbox-statements.js';
import * as sql from './statements.js';

/** What differs between the databases: how a script's statements run, and how failures are told apart. */
export interface SqlDriver {
  readonly dialect: Dialect;
  readonly sharedByReplicas: boolean;
  /** Applies pending migrations (sql/migrate.ts), each database keeping other processes out its own way. */
  migrate(): Promise<void>;
  /**
   * Runs the script's statements, each on its own (autocommit); `what` names the work in errors. A script is made
   * anew per run, since a driver may run it again on a fresh connection after one broke: then `afterBreak` is true,
   * and the statements the broken run sent may or may not have been applied.
   */
  run<T>(what: string, script: (afterBreak: boolean) => Script<T>): Promise<T>;
  /** Runs the script in one write transaction: all of it is stored, or none. */
  transaction<T>(what: string, script: () => Script<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * createRequest tries again when the open request it collided with finished before it could be read (PostgreSQL,
 * where the conflicting insert is waited for; in SQLite the write transaction rules this out).
 */
const CREATE_ATTEMPTS = 3;

export class SqlStore implements Store {
  readonly sharedByReplicas: boolean;

  constructor(private readonly driver: SqlDriver) {
    this.sharedByReplicas = driver.sharedByReplicas;
  }

  migrate(): Promise<void> {
    return this.driver.migrate();
  }

  async createRequest(request: NewRequest): Promise<CreateResult> {
    const script = () => createScript(this.driver.dialect, request);
    for (let attempt = 1; attempt <= CREATE_ATTEMPTS; attempt++) {
      // The per-user limit's count and insert take turns under a lock held until COMMIT, so they need a transaction.
      const result =
        request.maxOpenPerRequester === undefined
          ? await this.writeAlone('create a request', script)
          : await this.driver.transaction('create a request', script);
      if (result) return result;
    }
    throw new Error(`the open request for ${request.offer.id} kept finishing and reappearing; gave up after ${CREATE_ATTEMPTS} attempts`);
  }

  async createRestore(restore: NewRestore): Promise<CreateResult> {
    const { dialect } = this.driver;
    const created = await this.writeAlone('create a restore', function* () {
      const row = yield* writeWithFollowers(dialect, sql.insertRestore(restore), [
        sql.insertTransition(restore.id, null, 'pending', restore.requesterId, restore.createdAt, null),
        ...owed(restore.id, ['confirmation'], restore.createdAt),
      ]);
      return row ? toRequest(row) : null;
    });
    if (created) return { ok: true, request: created };
    // Refused: another restore of the deletion is open or done (or, after a broken connection, this very one is).
    const [existing] = await this.restoresOf(restore.restoreOf.id);
    if (existing?.id === restore.id) return { ok: true, request: existing };
    if (existing && !['failed', 'rejected', 'cancelled', 'expired'].includes(existing.state)) return { ok: false, existing };
    // The deletion is not restorable (the caller checked it was), or an open request for its offer id is in the way.
    const open = await this.openRequestFor(restore.restoreOf.sandbox, restore.restoreOf.offer.id);
    if (open && open.id !== restore.restoreOf.id) return { ok: false, existing: open };
    throw new Error(`request ${restore.restoreOf.id} cannot be restored: it is not a deletion that deleted its offer`);
  }

  restoresOf(requestId: string): Promise<DeletionRequest[]> {
    return this.requests('read the restores of a request', sql.restoresOf(requestId));
  }

  async getRequest(id: string): Promise<DeletionRequest | null> {
    return (await this.requests('read a request', sql.requestById(id)))[0] ?? null;
  }

  async openRequestFor(sandbox: string, offerId: string): Promise<DeletionRequest | null> {
    return (await this.requests('read the open request for an offer', sql.openRequestFor(sandbox, offerId)))[0] ?? null;
  }

  transition(id: string, change: Change, at: number, options: TransitionOptions = {}): Promise<DeletionRequest | null> {
    const { dialect } = this.driver;
    // The row lock taken by UPDATE makes concurrent writers wait, then re-check the WHERE against the new state.
    const update = sql.updateState(id, change, at, options);
    const followers = [
      sql.insertTransition(id, change.from, change.to, change.actor, at, options.detail ?? null),
      ...(change.approval ? [sql.insertApproval(id, change.approval.added)] : []),
      ...owed(id, options.outbox ?? [], at),
    ];
    return this.writeAlone('apply a transition', function* (afterBreak) {
      const row = yield* writeWithFollowers(dialect, update, followers);
      if (row) return toRequest(row);
      // Run again after a broken connection, the compare-and-set may have failed on this very transition, applied by the
      // broken run. (Had that run not applied it, this one did: no transition returns a request to a state it has left,
      // and an approval, which leaves it pending, also moves the approval count its compare-and-set requires.)
      if (afterBreak)
        throw new StoreError('STORE_UNAVAILABLE', 'could not apply a transition: the connection broke under it, so it may or may not have been applied');
      return null;
    });
  }

  async transitions(id: string): Promise<TransitionRecord[]> {
    return (await this.driver.run('read transitions', () => rows<TransitionRow>(sql.transitionsOf(id)))).map(toTransition);
  }

  countOpen(requesterId: string): Promise<number> {
    return this.driver.run('count open requests', () => countOpen(requesterId));
  }

  recentRequests(query: RecentQuery): Promise<DeletionRequest[]> {
    return this.requests('list recent requests', sql.recentRequests(query));
  }

  awaitingDecision(query: AwaitingQuery): Promise<DeletionRequest[]> {
    return this.requests('list requests awaiting a decision', sql.awaitingDecision(query));
  }

  requestsBy(query: RequesterQuery): Promise<DeletionRequest[]> {
    return this.requests("list a requester's requests", sql.requestsBy(query));
  }

  async auditEvents(since: number): Promise<AuditEvent[]> {
    return (await this.driver.run('read audit events', () => rows<AuditRow>(sql.auditEvents(since)))).map(toAuditEvent);
  }

  expiredPending(now: number, limit: number): Promise<DeletionRequest[]> {
    return this.requests('list expired requests', sql.expiredPending(now, limit));
  }

  async markRemindersDue(now: number, limit: number): Promise<DeletionRequest[]> {
    const { dialect } = this.driver;
    // The marks and the reminders they owe commit together: a reminder is neither lost nor owed twice.
    const marked = await this.driver.transaction('mark reminders due', function* () {
      const due = yield* rows<RequestRow>(sql.markRemindersDue(dialect, now, limit));
      for (const row of due) yield* changes(sql.insertOutboxItems(row.id, ['reminder'], now)(false));
      return due;
    });
    return marked.map(toRequest).sort((a, b) => a.expiresAt - b.expiresAt || a.id.localeCompare(b.id));
  }

  unfinished(now: number, limit: number): Promise<DeletionRequest[]> {
    return this.requests('list unfinished requests', sql.unfinished(now, limit));
  }

  async claim(id: string, owner: string, now: number, until: number): Promise<boolean> {
    // Safe to retry after a lost answer: if the first try took the lease, the second finds it already ours.
    return (await this.driver.run('claim a lease', () => changes(sql.claimLease(id, owner, now, until)))) === 1;
  }

  async claimOutbox(owner: string, now: number, until: number, limit: number, ownLeaseBefore = 0): Promise<OutboxItem[]> {
    // One statement, atomic on its own in both databases (a SQLite write statement takes the write lock before it reads).
    const statement = outboxSql.claimOutbox(this.driver.dialect, owner, now, until, limit, ownLeaseBefore);
    const claimed = await this.driver.run('claim outbox items', () => rows<OutboxRow>(statement));
    return claimed.map(toOutboxItem).sort((a, b) => a.id - b.id);
  }

  async claimNextOf(requestId: string, owner: string, now: number, until: number, ownLeaseBefore = 0): Promise<OutboxItem | null> {
    const statement = outboxSql.claimNextOf(requestId, owner, now, until, ownLeaseBefore);
    const [claimed] = await this.driver.run("claim a request's next outbox item", () => rows<OutboxRow>(statement));
    return claimed ? toOutboxItem(claimed) : null;
  }

  async settleOutbox(id: number, at: number, result: OutboxResult, next?: NextClaim): Promise<OutboxItem | null> {
    const nextClaim = next ? { ...next, ownLeaseBefore: next.ownLeaseBefore ?? 0 } : null;
    if (writesInOneStatement(this.driver.dialect)) {
      // PostgreSQL: one statement, one round trip; an empty claim is made again once it has committed.
      const statement = outboxSql.settleAndClaimNext(id, at, result, nextClaim);
      const [claimed] = await this.driver.run('settle an outbox item', () => rows<OutboxRow>(statement));
      if (claimed) return toOutboxItem(claimed);
      return nextClaim ? this.claimNextOf(nextClaim.requestId, nextClaim.owner, at, nextClaim.until, nextClaim.ownLeaseBefore) : null;
    }
    // SQLite: one transaction, where the claim's answer holds (one writer at a time); a lone settle needs none.
    const claimNext = nextClaim ? outboxSql.claimNextOf(nextClaim.requestId, nextClaim.owner, at, nextClaim.until, nextClaim.ownLeaseBefore) : null;
    const messageTs = result.delivered ? result.messageTs : undefined;
    const settle = function* () {
      yield* changes(outboxSql.settleOutboxItem(id, at, result));
      if (messageTs) yield* changes(outboxSql.storeMessageTs(id, messageTs));
      return claimNext ? yield* rows<OutboxRow>(claimNext) : [];
    };
    const alone = !messageTs && !claimNext;
    const claimed = alone ? await this.driver.run('settle an outbox item', settle) : await this.driver.transaction('settle an outbox item', settle);
    return claimed[0] ? toOutboxItem(claimed[0]) : null;
  }

  async postponeOutbox(id: number, retryAt: number, error: string, inDoubt = false): Promise<void> {
    await this.driver.run('postpone an outbox item', () => changes(outboxSql.postponeOutboxItem(id, retryAt, error, inDoubt)));
  }

  pruneOutbox(settledBefore: number, limit: number): Promise<number> {
    return this.driver.run('prune the outbox', () => changes(outboxSql.pruneOutbox(this.driver.dialect, settledBefore, limit)));
  }

  async outboxBacklog(): Promise<number> {
    // PostgreSQL counts in a BIGINT, which pg gives as a string.
    const [row] = await this.driver.run('count the outbox backlog', () => rows<{ backlog: number | string }>(outboxSql.outboxBacklog()));
    return Number(row?.backlog ?? 0);
  }

  close(): Promise<void> {
    return this.driver.close();
  }

  /** Runs a script whose only write is one writeWithFollowers: a transaction only where that is several statements. */
  private writeAlone<T>(what: string, script: (afterBreak: boolean) => Script<T>): Promise<T> {
    return writesInOneStatement(this.driver.dialect) ? this.driver.run(what, script) : this.driver.transaction(what, () => script(false));
  }

  private async requests(what: string, statement: Statement): Promise<DeletionRequest[]> {
    return (await this.driver.run(what, () => rows<RequestRow>(statement))).map(toRequest);
  }
}

/** Inserts the request with its pending transition and confirmation, or finds the open request in its way (null: none any more). */
function* createScript(dialect: Dialect, request: NewRequest): Script<CreateResult | null> {
  const limit = request.maxOpenPerRequester;
  if (limit !== undefined) {
    // Taken before the insert's statement starts, so its count sees every request stored by whoever held it before.
    const lock = sql.lockRequesterOpenRequests(dialect, request.requesterId);
    if (lock) yield* rows(lock);
  }
  // PostgreSQL's ON CONFLICT waits for a concurrent insert of the same offer to commit, then does nothing.
  const row = yield* writeWithFollowers(dialect, sql.insertRequest(request), [
    sql.insertTransition(request.id, null, 'pending', request.requesterId, request.createdAt, null),
    ...owed(request.id, ['confirmation'], request.createdAt),
  ]);
  if (row) return { ok: true, request: toRequest(row) };
  if (limit !== undefined) {
    // Not stored: at the limit (still locked, so the count is the one the insert saw), or the offer has an open request.
    const open = yield* countOpen(request.requesterId);
    if (open >= limit) return { ok: false, limitReached: open };
  }
  const [open] = yield* rows<RequestRow>(sql.openRequestFor(request.sandbox, request.offer.id));
  if (!open) return null;
  // Our own id: this is a run again after a broken connection, and the broken run had stored the request.
  return open.id === request.id ? { ok: true, request: toRequest(open) } : { ok: false, existing: toRequest(open) };
}

/** Writes the request row and, only if it was written, its followers: one statement where the dialect can, else one after another. */
function* writeWithFollowers(dialect: Dialect, write: Statement, followers: readonly sql.Follower[]): Script<RequestRow | undefined> {
  if (writesInOneStatement(dialect)) return (yield* rows<RequestRow>(sql.writeWithFollowers(write, followers)))[0];
  const [row] = yield* rows<RequestRow>(write);
  if (row) for (const follower of followers) yield* changes(follower(false));
  return row;
}

function* countOpen(requesterId: string): Script<number> {
  // PostgreSQL counts in a BIGINT, which pg gives as a string.
  const [row] = yield* rows<{ open: number | string }>(sql.countOpen(requesterId));
  return Number(row?.open ?? 0);
}

/** The outbox items a write owes, as a follower (none when it owes nothing). */
const owed = (id: string, kinds: readonly OutboxKind[], at: number): sql.Follower[] => (kinds.length === 0 ? [] : [sql.insertOutboxItems(id, kinds, at)]);
