// `npm run audit`, run as a person runs it: a child process reading a SQLite file that the store filled.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { next, type LifecycleEvent } from '../../src/deletion/lifecycle.js';
import type { DeletionRequest } from '../../src/deletion/request.js';
import { openStore, parseDatabaseUrl } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import { ALICE, BOB, OFFER_ID, startBot } from '../support/bot.js';
import { sqliteUrl, testLog } from '../support/databases.js';
import { aNewRequest } from '../store/contract.js';

const SCRIPT = fileURLToPath(new URL('../../scripts/audit.ts', import.meta.url));
const DAY = 86_400_000;
const APPROVER = 'U0G9QF9C6';
const ADOBE_IDS = ['wJ3yX1kqUqhvlMUsM2Y3Tq0x1Zt4vN9c', 'q8Vd0sR2mYk7cB4nL1pE6aT9uW3zX5hJ'];

interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

function audit(args: string[], databaseUrl: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', SCRIPT, ...args],
      { env: { ...process.env, DATABASE_URL: databaseUrl }, timeout: 30_000 },
      (error, stdout, stderr) => {
        resolve({ status: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

/** RFC 4180, enough to read back what the script wrote. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i += 1;
    } else cell += c;
  }
  return rows;
}

describe('npm run audit', () => {
  const url = sqliteUrl();
  const now = Date.now();
  let store: Store;
  let deleted: DeletionRequest;
  let old: DeletionRequest;

  async function apply(request: DeletionRequest, event: LifecycleEvent, at: number, detail?: Record<string, unknown>): Promise<DeletionRequest> {
    const step = next(request, event, at);
    if (!step.ok) throw new Error(step.refusal);
    const lease = { owner: 'worker-a', until: at + 60_000 };
    // The audit record's facts as the core gives them: the lifecycle's (an approval's comment), then the caller's.
    const facts = step.change.detail || detail ? { ...step.change.detail, ...detail } : undefined;
    const result = await store.transition(request.id, step.change, at, { lease, ...(facts ? { detail: facts } : {}) });
    if (!result) throw new Error('transition lost');
    return result;
  }

  beforeAll(async () => {
    store = await openStore(url, { log: testLog().log });
    await store.migrate();
    const oldInput = aNewRequest({ createdAt: now - 10 * DAY, expiresAt: now - 10 * DAY + 1_800_000 });
    const created = await store.createRequest(oldInput);
    if (!created.ok) throw new Error('expected a new request');
    old = await apply(created.request, { type: 'cancel', actor: created.request.requesterId }, now - 10 * DAY + 60_000);

    const input = aNewRequest({ createdAt: now - 120_000, expiresAt: now + 1_800_000, reason: 'duplicate, see "Winter sale 2"\nagain' });
    input.offer = { ...input.offer, name: '=HYPERLINK("https://evil.example","click")' };
    const fresh = await store.createRequest(input);
    if (!fresh.ok) throw new Error('expected a new request');
    // The confirmation posted, as the outbox worker records it.
    const confirmation = (await store.claimOutbox('worker-a', now - 119_000, now, 10)).find((item) => item.requestId === input.id);
    await store.settleOutbox(confirmation!.id, now - 119_000, { delivered: true, messageTs: '1764324000.000100' });
    let request = await apply(
      { ...fresh.request, messageTs: '1764324000.000100' },
      { type: 'approve', actor: APPROVER, comment: '=checked with the campaign owner' },
      now - 60_000,
    );
    request = await apply(request, { type: 'start_delete' }, now - 59_000);
    deleted = await apply(
      request,
      {
        type: 'finish',
        result: 'deleted',
        outcome: { reason: 'deleted', summary: 'Adobe accepted the DELETE and a GET confirmed the offer is gone (404).', adobeRequestIds: ADOBE_IDS },
      },
      now - 58_000,
      { adobeStatus: 204 },
    );
  });
  afterAll(async () => {
    await store.close();
  });

  it("exports the last 7 days' transitions as CSV, each with its request, ISO times and the Adobe request ids of the outcome", async () => {
    const run = await audit(['--since', '7d', '--format', 'csv'], url);
    expect(run).toMatchObject({ status: 0, stderr: '' });
    const [header, ...rows] = parseCsv(run.stdout);
    expect(header).toEqual([
      'request_id',
      'offer_id',
      'offer_name',
      'sandbox',
      'team_id',
      'channel_id',
      'message_ts',
      'thread_url',
      'requester',
      'reason',
      'from',
      'to',
      'actor',
      'at',
      'detail',
      'outcome_reason',
      'outcome_summary',
      'adobe_status',
      'adobe_message',
      'adobe_request_ids',
      'comment',
      'action',
      'restore_of',
      'restored_offer_id',
    ]);
    const records = rows.map((row) => Object.fromEntries(header!.map((name, i) => [name, row[i]])));
    expect(records.map((r) => [r.request_id, r.from, r.to, r.actor])).toEqual([
      [deleted.id, '', 'pending', deleted.requesterId],
      [deleted.id, 'pending', 'approved', APPROVER],
      [deleted.id, 'approved', 'deleting', 'system'],
      [deleted.id, 'deleting', 'deleted', 'system'],
    ]);
    const final = records[3]!;
    expect(final).toMatchObject({
      offer_id: deleted.offer.id,
      sandbox: 'prod',
      channel_id: 'C024BE91L',
      message_ts: '1764324000.000100',
      thread_url: 'https://slack.com/archives/C024BE91L/p1764324000000100',
      reason: 'duplicate, see "Winter sale 2"\nagain',
      at: new Date(now - 58_000).toISOString(),
      detail: '{"adobeStatus":204}',
      outcome_reason: 'deleted',
      adobe_request_ids: ADOBE_IDS.join(' '),
    });
    // A name a spreadsheet would run as a formula is made inert.
    expect(final.offer_name).toBe(`'${deleted.offer.name}`);
    expect(records[0]!.adobe_request_ids).toBe('');
    // The approver's comment, on the approval's line, as inert as any other cell people type.
    expect(records[1]).toMatchObject({ comment: "'=checked with the campaign owner", detail: '{"comment":"=checked with the campaign owner"}' });
    expect(final.comment).toBe('');
  });

  it('exports JSON with every value exact, and a longer window reaches older requests', async () => {
    const run = await audit(['--since', '30d', '--format', 'json'], url);
    expect(run.status).toBe(0);
    const lines = JSON.parse(run.stdout) as Array<Record<string, unknown>>;
    expect(lines.map((l) => [l.requestId, l.to])).toEqual([
      [old.id, 'pending'],
      [old.id, 'cancelled'],
      [deleted.id, 'pending'],
      [deleted.id, 'approved'],
      [deleted.id, 'deleting'],
      [deleted.id, 'deleted'],
    ]);
    expect(lines[5]).toMatchObject({
      offerName: deleted.offer.name,
      at: new Date(now - 58_000).toISOString(),
      detail: { adobeStatus: 204 },
      outcomeReason: 'deleted',
      adobeRequestIds: ADOBE_IDS,
    });
    expect(lines[1]).toMatchObject({ actor: old.requesterId, outcomeReason: null, adobeRequestIds: [], comment: null });
    expect(lines[3]).toMatchObject({ actor: APPROVER, comment: '=checked with the campaign owner' });
  });

  it('takes a date as well as a duration for --since, and csv as the default format', async () => {
    const run = await audit(['--since', new Date(now - 11 * DAY).toISOString().slice(0, 10)], url);
    expect(run.status).toBe(0);
    expect(parseCsv(run.stdout)).toHaveLength(1 + 6);
  });

  it("--request prints the offer's JSON as stored with the request, byte for byte", async () => {
    const run = await audit(['--request', deleted.id], url);
    expect(run).toMatchObject({ status: 0, stdout: `${deleted.offer.json}\n` });
  });

  it.each([
    [['--format', 'xml'], /--format must be csv or json/],
    [['--since', 'last week'], /--since must be a duration/],
    [['--since', '7'], /--since must be a duration/],
    [['--request', '../../etc/passwd'], /not a request id/],
    [['--request', '00000000-0000-4000-8000-000000000000', '--format', 'json'], /takes neither/],
    [['--request', '00000000-0000-4000-8000-000000000000', '--language', 'sv'], /takes neither/],
    [['--verbose'], /Unknown option/],
    [['export'], /positional/i],
    [['--since'], /argument missing/i],
  ])('refuses %j with a clear message and exit status 2', async (args, message) => {
    const run = await audit(args, url);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toContain('usage: npm run audit');
  });

  it('an unknown request id, or a database that is not there, is a clear failure with exit status 1, and creates nothing', async () => {
    const unknown = await audit(['--request', '5b7e2f0c-0000-4000-8000-000000000000'], url);
    expect(unknown).toMatchObject({ status: 1, stdout: '' });
    expect(unknown.stderr).toMatch(/no request 5b7e2f0c-0000-4000-8000-000000000000/);
    const missing = `${url}.missing`;
    const none = await audit(['--since', '7d'], missing);
    expect(none.status).toBe(1);
    expect(none.stderr).toMatch(/no SQLite database at/);
    const target = parseDatabaseUrl(missing);
    expect(target.kind === 'sqlite' && existsSync(target.path)).toBe(false);
  });
});

describe('npm run audit, after the bot deleted an offer', () => {
  it('words outcome_summary in English, whatever the channel’s language, and in another language with --language', async () => {
    const url = sqliteUrl();
    const bot = await startBot({ databaseUrl: url, env: { OFFER_CHANNEL_LANGUAGE: 'sv' } });
    try {
      await bot.command(`delete ${OFFER_ID}`, { user: ALICE });
      const confirmation = await bot.nextConfirmation();
      bot.adobe.inject({ service: 'offers', method: 'DELETE', respond: { status: 403, body: { title: 'Forbidden', status: 403 } } });
      await bot.click('approve', confirmation, BOB);
      expect((await bot.nextThreadReply(confirmation)).text).toContain('Adobe avvisade DELETE: ');
      await bot.settled();
    } finally {
      await bot.stop();
    }
    const summaryIn = async (args: string[]) => {
      const run = await audit(['--format', 'json', ...args], url);
      expect(run).toMatchObject({ status: 0, stderr: '' });
      const final = (JSON.parse(run.stdout) as { to: string; outcomeReason: string; outcomeSummary: string }[]).find((line) => line.to === 'failed');
      expect(final?.outcomeReason).toBe('delete_refused');
      return final?.outcomeSummary;
    };
    expect(await summaryIn([])).toMatch(/^Adobe refused the DELETE: the Offer Library answered HTTP 403.*The offer is still there\.$/);
    expect(await summaryIn(['--language', 'sv'])).toMatch(/^Adobe avvisade DELETE: the Offer Library answered HTTP 403.*Erbjudandet finns kvar\.$/);
    const refused = await audit(['--language', 'de'], url);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/--language must be one of en, sv, not "de"/);
  });

  it('shows every DELETE attempt, with its status or error and Adobe’s request id, on the transition that ended the request', async () => {
    const url = sqliteUrl();
    const bot = await startBot({ databaseUrl: url });
    try {
      await bot.command(`delete ${OFFER_ID} campaign ended`, { user: ALICE });
      const confirmation = await bot.nextConfirmation();
      bot.adobe.inject({
        service: 'offers',
        method: 'DELETE',
        respond: { status: 429, headers: { 'retry-after': '0' }, body: { title: 'Too Many Requests' } },
      });
      await bot.click('approve', confirmation, BOB);
      await bot.nextThreadReply(confirmation);
      await bot.settled();
    } finally {
      await bot.stop();
    }
    const deletes = bot.adobe.requestsTo('offers').filter((request) => request.method === 'DELETE');
    const run = await audit(['--format', 'json'], url);
    expect(run).toMatchObject({ status: 0, stderr: '' });
    const final = (JSON.parse(run.stdout) as { to: string; detail: { deleteAttempts?: unknown } | null }[]).find((line) => line.to === 'deleted');
    expect(final?.detail?.deleteAttempts).toEqual([
      { at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/), status: 429, requestId: deletes[0]?.answeredWithId },
      { at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/), status: 200, requestId: deletes[1]?.answeredWithId },
    ]);
  });
});
