// In-memory stand-ins for the core's ports (catalogue, notifier, directories, clock, outbox) and a real SQLite store.
import type { Person } from '../../src/deletion/approval-policy.js';
import { createCore, type Core, type WorkflowSettings } from '../../src/deletion/core.js';
import type { ClickerNews, RequesterNews } from '../../src/deletion/news.js';
import type { Attempt, CatalogueFailure, ConfirmationResult, DeleteResult, LookupResult, Offer, OfferCatalogue } from '../../src/deletion/ports.js';
import type { DeletionRequest } from '../../src/deletion/request.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import { sqliteUrl, testLog } from '../support/databases.js';
import { aRequest, T0 } from '../support/requests.js';

export const ALICE = 'U024BE7LH';
export const BOB = 'U0G9QF9C6';
export const TEAM = 'T024BE7LD';
export const CHANNEL = 'C024BE91L';
export const OFFER = aRequest().offer;

export const SETTINGS: WorkflowSettings = {
  sandboxes: { default: 'prod', byChannel: new Map() },
  ttlMs: 30 * 60_000,
  verifyTimeoutMs: 10_000,
  workLeaseMs: 60_000,
  allowSelfApproval: false,
  allowGuestRequests: true,
  maxOpenPerUser: 2,
  requiredApprovals: { default: 1, bySandbox: new Map() },
  restoreWindowMs: 7 * 86_400_000,
};

/** A failure as the catalogue throws it: what it said, and the attempts it made. */
export class FakeFailure extends Error implements CatalogueFailure {
  readonly status: number | null;
  readonly adobeMessage: string | null;
  readonly requestId: string | null;
  readonly attempts: readonly Attempt[];
  constructor(message: string, facts: { status?: number; adobeMessage?: string; requestId?: string; attempts?: Attempt[] } = {}) {
    super(message);
    this.status = facts.status ?? null;
    this.adobeMessage = facts.adobeMessage ?? null;
    this.requestId = facts.requestId ?? null;
    this.attempts = facts.attempts ?? [];
  }
}

export const answered = (status: number, requestId: string | null = `del-${status}`): Attempt => ({ at: T0, status, error: null, requestId });
export const failedAttempt = (error: string): Attempt => ({ at: T0, status: null, error, requestId: null });

const offerJson = (offer: Offer) => JSON.stringify(offer);
export const found = (
  offer: Offer = {
    id: OFFER.id,
    name: OFFER.name,
    status: OFFER.status,
    modified: OFFER.modified ?? undefined,
    etag: 7,
    lastModifiedBy: 'marketer@example.com',
  },
  requestId = 'get-1',
): LookupResult => ({
  found: true,
  offer,
  json: offerJson(offer),
  requestId,
});
export const notFound = (requestId = 'get-404'): LookupResult => ({ found: false, requestId });

type Scripted<T> = T | Error;

/** The catalogue as a script: each GET takes the next answer (the last one repeats); the DELETE takes its one answer. */
export function fakeCatalogue(gets: Array<Scripted<LookupResult>>, deleted: Scripted<DeleteResult> = accepted()) {
  const calls: string[] = [];
  /** The sandbox each call named, in order. */
  const sandboxes: string[] = [];
  let next = 0;
  const catalogue: OfferCatalogue = {
    async getOffer(sandbox) {
      calls.push('GET');
      sandboxes.push(sandbox);
      const answer = gets[Math.min(next++, gets.length - 1)];
      if (answer === undefined) throw new Error('no GET answer scripted');
      if (answer instanceof Error) throw answer;
      return answer;
    },
    async deleteOffer(sandbox) {
      calls.push('DELETE');
      sandboxes.push(sandbox);
      if (deleted instanceof Error) throw deleted;
      return deleted;
    },
    async searchOffers(sandbox) {
      calls.push('SEARCH');
      sandboxes.push(sandbox);
      return { offers: [], more: false };
    },
    async createOffer() {
      throw new Error('no create scripted');
    },
    async offersNamed() {
      throw new Error('no name look-up scripted');
    },
  };
  return { catalogue, calls, sandboxes };
}

export function accepted(...earlier: Attempt[]): DeleteResult {
  return { alreadyGone: false, status: 200, requestId: 'del-200', attempts: [...earlier, answered(200)] };
}
export function goneAtDelete(...earlier: Attempt[]): DeleteResult {
  return { alreadyGone: true, status: 404, requestId: 'del-404', attempts: [...earlier, answered(404)] };
}

export const member = (id: string, overrides: Partial<Person> = {}): Person => ({
  id,
  teamId: TEAM,
  enterpriseId: null,
  guest: false,
  external: false,
  ...overrides,
});

/** A clock that moves only when someone waits on it: the verification window passes at once. */
export function fakeClock(start = T0) {
  const clock = {
    at: start,
    now: () => clock.at,
    sleep: async (ms: number) => {
      clock.waits.push(ms);
      clock.at += ms;
    },
    waits: [] as number[],
  };
  return clock;
}

export interface Scene {
  core: Core;
  store: Store;
  clock: ReturnType<typeof fakeClock>;
  calls: string[];
  /** The sandbox each catalogue call named. */
  sandboxesCalled: string[];
  told: Array<{ userId: string; news: ClickerNews }>;
  deliveries: { count: number };
  reached: string[];
  logLines: Array<Record<string, unknown>>;
  /** Settles confirmations the scene's outbox was asked about. */
  confirm(result: ConfirmationResult | null): void;
}

export interface SceneOptions {
  gets?: Array<Scripted<LookupResult>>;
  deleted?: Scripted<DeleteResult>;
  people?: Record<string, Person>;
  /** The people directory cannot tell who anyone is. */
  peopleUnavailable?: boolean;
  approvers?: ReadonlySet<string> | null;
  /** A sandbox's own approvers, in place of `approvers` there. */
  approversBySandbox?: Record<string, ReadonlySet<string>>;
  settings?: Partial<WorkflowSettings>;
}

/** The core over a real SQLite store and fakes of every other port. */
export async function scene(options: SceneOptions = {}): Promise<Scene> {
  const { log, lines } = testLog();
  const store = await openStore(sqliteUrl(), { log });
  await store.migrate();
  const clock = fakeClock();
  const { catalogue, calls, sandboxes: sandboxesCalled } = fakeCatalogue(options.gets ?? [found()], options.deleted ?? accepted());
  const told: Scene['told'] = [];
  const deliveries = { count: 0 };
  const reached: string[] = [];
  let confirmation: ConfirmationResult | null = { posted: true };
  const people = options.people ?? {};
  const core = createCore(
    { ...SETTINGS, ...options.settings },
    {
      store,
      offers: catalogue,
      outbox: {
        deliverDue: async () => {
          deliveries.count += 1;
        },
        deliverFor: async () => {
          deliveries.count += 1;
        },
        confirmationOf: async () => confirmation,
      },
      notifier: {
        tellClicker: async (click, news) => {
          told.push({ userId: click.userId, news });
        },
      },
      approvers: { whoMayDecide: async (sandbox) => options.approversBySandbox?.[sandbox] ?? options.approvers ?? null },
      people: {
        describe: async (userId) => {
          if (options.peopleUnavailable) throw new Error('users.info is down');
          return people[userId] ?? member(userId);
        },
      },
      channels: { isPrivate: async () => false, privateChannelsOf: async () => [] },
      clock,
      failpoints: (point) => reached.push(point),
      log,
      owner: 'test-owner',
    },
  );
  return {
    core,
    store,
    clock,
    calls,
    sandboxesCalled,
    told,
    deliveries,
    reached,
    logLines: lines,
    confirm: (result) => {
      confirmation = result;
    },
  };
}

/** A pending request stored as `/offer delete` stores it, then approved by BOB with this process's lease. */
export async function approvedRequest({ core, store }: Scene): Promise<DeletionRequest> {
  const pending = await pendingRequest(store, core.ports.clock.now());
  const approved = await core.apply(pending, { type: 'approve', actor: BOB }, { requireUnexpired: true, lease: true });
  if (!approved.ok) throw new Error(`could not approve: ${approved.refusal}`);
  return approved.request;
}

export async function pendingRequest(store: Store, at: number, overrides: Partial<DeletionRequest> = {}): Promise<DeletionRequest> {
  const template = aRequest(overrides);
  const created = await store.createRequest({
    id: template.id,
    teamId: template.teamId,
    channelId: template.channelId,
    channelPrivate: false,
    sandbox: template.sandbox,
    offer: template.offer,
    requesterId: template.requesterId,
    reason: template.reason,
    createdAt: at,
    expiresAt: at + SETTINGS.ttlMs,
    requiredApprovals: template.requiredApprovals,
  });
  if (!created.ok) throw new Error('could not store the request');
  return created.request;
}

/** A request's requester answers, as the core sent them. */
export function replies(): { reply: (news: RequesterNews) => Promise<void>; said: RequesterNews[] } {
  const said: RequesterNews[] = [];
  return {
    said,
    reply: async (news) => {
      said.push(news);
    },
  };
}
