// `npm run audit`: the store's audit events (every transition, with its request) as CSV or JSON, or one request's offer JSON.
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { parseDuration } from '../src/config.js';
import { FINAL_STATES, type DeletionRequest } from '../src/deletion/request.js';
import { createLogger } from '../src/log.js';
import { LANGUAGES, type Language, translator, type Translate } from '../src/slack/i18n/translator.js';
import { threadLink } from '../src/slack/views/history.js';
import { outcomeSentence } from '../src/slack/views/outcome.js';
import { openStore, parseDatabaseUrl } from '../src/store/open-store.js';
import type { AuditEvent, Store } from '../src/store/store.js';

const USAGE = `usage: npm run audit -- [--since 7d] [--format csv|json] [--language ${LANGUAGES.join('|')}]
       npm run audit -- --request <request-id>

  --since     how far back: a duration (90m, 12h, 7d) or a date (2026-11-01, 2026-11-01T09:00:00Z); default 7d
  --format    csv (default) or json
  --language  the language of outcome_summary, the one column in words (dates in it in UTC); default en.
              Every other column is codes and facts, the same in any language
  --request   print the offer's JSON as stored with that request (what was approved, and deleted), byte for byte

Reads the database DATABASE_URL names, as the bot does (unset: ./data/offer-bot.db).`;

const DEFAULT_SINCE = '7d';
const REQUEST_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/;

/** Exit statuses: 1 when the store fails or has no such request, 2 for arguments we cannot use. */
const EXIT_FAILURE = 1;
const EXIT_USAGE = 2;

class UsageError extends Error {}

type Task = { kind: 'export'; since: number; format: 'csv' | 'json'; language: Language } | { kind: 'offer'; requestId: string };

const isLanguage = (text: string): text is Language => (LANGUAGES as readonly string[]).includes(text);

function parse(argv: string[], now: number): Task {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        since: { type: 'string' },
        format: { type: 'string' },
        language: { type: 'string' },
        request: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) throw new UsageError('');
  if (values.request !== undefined) {
    if (values.since !== undefined || values.format !== undefined || values.language !== undefined)
      throw new UsageError('--request prints one offer; it takes neither --since, --format nor --language');
    if (!REQUEST_ID.test(values.request))
      throw new UsageError(`"${values.request.slice(0, 60)}" is not a request id (a UUID, as in the thread reply and the export)`);
    return { kind: 'offer', requestId: values.request.toLowerCase() };
  }
  const format = values.format ?? 'csv';
  if (format !== 'csv' && format !== 'json') throw new UsageError(`--format must be csv or json, not "${format.slice(0, 20)}"`);
  // Auditors and scripts read it: English unless asked, whatever OFFER_CHANNEL_LANGUAGE the bot speaks.
  const language = values.language ?? 'en';
  if (!isLanguage(language)) throw new UsageError(`--language must be one of ${LANGUAGES.join(', ')}, not "${language.slice(0, 20)}"`);
  return { kind: 'export', since: sinceOf(values.since ?? DEFAULT_SINCE, now), format, language };
}

function sinceOf(text: string, now: number): number {
  const ms = parseDuration(text);
  if (ms !== null) return now - ms;
  const at = ISO_DATE.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(at)) throw new UsageError(`--since must be a duration such as 7d or 12h, or a date such as 2026-11-01; not "${text.slice(0, 40)}"`);
  return at;
}

/** One exported event: the transition, the request it belongs to, and how the request ended on its final transition. */
interface AuditLine {
  requestId: string;
  offerId: string;
  offerName: string;
  sandbox: string;
  teamId: string;
  channelId: string;
  messageTs: string | null;
  threadUrl: string | null;
  requester: string;
  reason: string;
  from: string | null;
  to: string;
  actor: string;
  at: string;
  detail: Record<string, unknown> | null;
  outcomeReason: string | null;
  outcomeSummary: string | null;
  adobeStatus: number | null;
  adobeMessage: string | null;
  adobeRequestIds: string[];
  /** What the person who approved or rejected wrote with the decision (the decision modal), as they wrote it. */
  comment: string | null;
  /** `delete`, or `restore` (of the deleted request `restoreOf`, re-created as `restoredOfferId`). */
  action: string;
  restoreOf: string | null;
  restoredOfferId: string | null;
}

const isFinal = (state: string) => (FINAL_STATES as readonly string[]).includes(state);

function toLine({ transition, request }: AuditEvent, t: Translate): AuditLine {
  // The outcome belongs to the request; it is shown on the transition that ended it.
  const outcome = isFinal(transition.to) && transition.to === request.state ? request.outcome : null;
  return {
    requestId: request.id,
    offerId: request.offer.id,
    offerName: request.offer.name,
    sandbox: request.sandbox,
    teamId: request.teamId,
    channelId: request.channelId,
    messageTs: request.messageTs,
    threadUrl: threadLink(request.channelId, request.threadTs ?? request.messageTs),
    requester: request.requesterId,
    reason: request.reason,
    from: transition.from,
    to: transition.to,
    actor: transition.actor,
    at: new Date(transition.at).toISOString(),
    detail: transition.detail,
    outcomeReason: outcome?.reason ?? null,
    outcomeSummary: outcome ? outcomeSentence(outcome, t) : null,
    adobeStatus: outcome?.status ?? null,
    adobeMessage: outcome?.adobeMessage ?? null,
    adobeRequestIds: outcome?.adobeRequestIds ?? [],
    comment: typeof transition.detail?.comment === 'string' ? transition.detail.comment : null,
    action: request.action,
    restoreOf: request.restoreOf,
    restoredOfferId: outcome?.restoredId ?? null,
  };
}

const CSV_COLUMNS: Array<[string, (line: AuditLine) => string]> = [
  ['request_id', (l) => l.requestId],
  ['offer_id', (l) => l.offerId],
  ['offer_name', (l) => l.offerName],
  ['sandbox', (l) => l.sandbox],
  ['team_id', (l) => l.teamId],
  ['channel_id', (l) => l.channelId],
  ['message_ts', (l) => l.messageTs ?? ''],
  ['thread_url', (l) => l.threadUrl ?? ''],
  ['requester', (l) => l.requester],
  ['reason', (l) => l.reason],
  ['from', (l) => l.from ?? ''],
  ['to', (l) => l.to],
  ['actor', (l) => l.actor],
  ['at', (l) => l.at],
  ['detail', (l) => (l.detail === null ? '' : JSON.stringify(l.detail))],
  ['outcome_reason', (l) => l.outcomeReason ?? ''],
  ['outcome_summary', (l) => l.outcomeSummary ?? ''],
  ['adobe_status', (l) => (l.adobeStatus === null ? '' : String(l.adobeStatus))],
  ['adobe_message', (l) => l.adobeMessage ?? ''],
  ['adobe_request_ids', (l) => l.adobeRequestIds.join(' ')],
  ['comment', (l) => l.comment ?? ''],
  ['action', (l) => l.action],
  ['restore_of', (l) => l.restoreOf ?? ''],
  ['restored_offer_id', (l) => l.restoredOfferId ?? ''],
];

/**
 * RFC 4180 quoting. A cell a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a leading
 * apostrophe: offer names and reasons are typed by people. The JSON format keeps every value exactly.
 */
function csvCell(value: string): string {
  const inert = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(inert) ? `"${inert.replace(/"/g, '""')}"` : inert;
}

function toCsv(lines: AuditLine[]): string {
  const rows = [CSV_COLUMNS.map(([name]) => name), ...lines.map((line) => CSV_COLUMNS.map(([, cell]) => cell(line)))];
  return `${rows.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

async function run(task: Task, store: Store): Promise<{ output: string } | { problem: string }> {
  if (task.kind === 'offer') {
    const request: DeletionRequest | null = await store.getRequest(task.requestId);
    if (!request) return { problem: `no request ${task.requestId} in this database` };
    return { output: request.offer.json.endsWith('\n') ? request.offer.json : `${request.offer.json}\n` };
  }
  const t = translator(task.language);
  const lines = (await store.auditEvents(task.since)).map((event) => toLine(event, t));
  return { output: task.format === 'json' ? `${JSON.stringify(lines, null, 2)}\n` : toCsv(lines) };
}

async function main(): Promise<number> {
  let task: Task;
  try {
    task = parse(process.argv.slice(2), Date.now());
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message ? `audit: ${error.message}\n\n` : ''}${USAGE}\n`);
    return error.message ? EXIT_USAGE : 0;
  }
  const databaseUrl = process.env.DATABASE_URL;
  let store: Store;
  try {
    const target = parseDatabaseUrl(databaseUrl);
    // Opening a SQLite path creates the file: a mistyped path would export nothing without a word.
    if (target.kind === 'sqlite' && !existsSync(target.path)) {
      process.stderr.write(`audit: there is no SQLite database at ${target.path} (DATABASE_URL)\n`);
      return EXIT_FAILURE;
    }
    // Warnings only, on standard error: standard output is the export.
    store = await openStore(databaseUrl, { log: createLogger('warn', pino.destination({ dest: 2, sync: true })) });
  } catch (error) {
    process.stderr.write(`audit: ${(error as Error).message}\n`);
    return EXIT_FAILURE;
  }
  try {
    const result = await run(task, store);
    if ('problem' in result) {
      process.stderr.write(`audit: ${result.problem}\n`);
      return EXIT_FAILURE;
    }
    process.stdout.write(result.output);
    return 0;
  } catch (error) {
    process.stderr.write(`audit: could not read the audit records: ${(error as Error).message}\n`);
    return EXIT_FAILURE;
  } finally {
    await store.close();
  }
}

// exitCode rather than exit(): standard output, piped to a file, is written out in full first.
process.exitCode = await main();
