// A separate process writing the same SQLite file as the test, to prove locking across processes (run with tsx).
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { T0, TTL } from '../support/requests.js';

const [mode, path, requestId, startAt, label] = process.argv.slice(2) as [string, string, string, string, string];
const ROUNDS = 25;

const store = openSqliteStore(path, { log: pino({ level: 'silent' }) });
// Start together with the other processes, so the writes really overlap.
while (Date.now() < Number(startAt)) await new Promise((resolve) => setTimeout(resolve, 1));

const results: unknown[] = [];
for (let i = 0; i < ROUNDS; i++) {
  try {
    if (mode === 'approve') {
      const actor = `U${label}${String(i).padStart(3, '0')}`;
      const at = Date.parse('2026-11-28T10:01:00Z');
      const change = { from: 'pending' as const, to: 'approved' as const, actor, patch: { decidedBy: actor, decidedAt: at } };
      results.push(
        (await store.transition(requestId, change, at, { requireUnexpired: true, lease: { owner: `${label}-${i}`, until: at + 150_000 } }))?.decidedBy ?? null,
      );
    } else {
      const offerId = `dps:personalized-offer:${label.toLowerCase()}${String(i).padStart(13, '0')}`;
      const offer = { id: offerId, name: 'Spring sale', status: 'approved', modified: null, lastModifiedBy: null, etag: '3', json: `{"id":"${offerId}"}` };
      const request = {
        id: randomUUID(),
        teamId: 'T024BE7LD',
        channelId: 'C024BE91L',
        sandbox: 'prod',
        offer,
        requesterId: 'U024BE7LH',
        reason: 'ended',
        createdAt: T0,
        expiresAt: T0 + TTL,
      };
      results.push((await store.createRequest(request)).ok);
    }
  } catch (error) {
    results.push({ error: (error as { code?: string }).code ?? String(error) });
  }
}
await store.close();
process.stdout.write(`${JSON.stringify(results)}\n`);
