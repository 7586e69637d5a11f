// Asking, deciding and sweeping, over fakes of the catalogue, people, notifier, outbox and clock and a real SQLite store.
import { describe, expect, it } from 'vitest';
import { createAwaiting } from '../../src/deletion/awaiting.js';
import { createDecide, type ClickContext } from '../../src/deletion/decide.js';
import { createRequestDeletion } from '../../src/deletion/request-deletion.js';
import { createSweep, expire } from '../../src/deletion/sweep.js';
import type { DeletionRequest } from '../../src/deletion/request.js';
import { ALICE, BOB, CHANNEL, FakeFailure, member, notFound, OFFER, pendingRequest, replies, scene, SETTINGS, TEAM, type Scene } from './fakes.js';

const asking = (reply: ReturnType<typeof replies>['reply'], userId = ALICE) => ({ teamId: TEAM, enterpriseId: null, channelId: CHANNEL, userId, reply });

describe('asking for a deletion', () => {
  const sandboxes = { default: 'prod', byChannel: new Map([[CHANNEL, ['stage', 'dev']]]) };

  it('a channel listed in OFFER_SANDBOXES asks in its default sandbox, and every look-up names it', async () => {
    const s = await scene({ settings: { sandboxes } });
    const { reply, said } = replies();
    await createRequestDeletion(s.core)(asking(reply), OFFER.id, '');
    expect(said).toEqual([{ type: 'confirmation_posted', offerId: OFFER.id }]);
    expect(await s.store.openRequestFor('stage', OFFER.id)).toMatchObject({ sandbox: 'stage', state: 'pending' });
    expect(s.sandboxesCalled).toEqual(['stage']);
  });

  it("an approver of the parked request's sandbox takes it over from another channel", async () => {
    const s = await scene({ settings: { sandboxes }, approvers: new Set(['U0SOMEONE']), approversBySandbox: { stage: new Set([BOB]) } });
    const parked = await pendingRequest(s.store, s.clock.now(), { sandbox: 'stage', channelId: 'C0PARKED1' });
    const { reply, said } = replies();
    await createRequestDeletion(s.core)(asking(reply, BOB), OFFER.id, '');
    expect(said).toEqual([{ type: 'confirmation_posted', offerId: OFFER.id }]);
    expect(await s.store.getRequest(parked.id)).toMatchObject({ state: 'cancelled', outcome: { reason: 'superseded' } });
    expect(await s.store.openRequestFor('stage', OFFER.id)).toMatchObject({ requesterId: BOB, channelId: CHANNEL });
  });

  it('a sandbox the channel may use is asked in when named', async () => {
    const s = await scene({ settings: { sandboxes } });
    const { reply } = replies();
    await createRequestDeletion(s.core)(asking(reply), OFFER.id, '', 'dev');
    expect(await s.store.openRequestFor('dev', OFFER.id)).toMatchObject({ sandbox: 'dev' });
    expect(s.sandboxesCalled).toEqual(['dev']);
  });

  it.each([
    ['prod', 'sandbox_not_allowed'],
    ['qa', 'sandbox_unknown'],
  ] as const)('naming %s, which this channel may not use, is refused before anyone is asked anything (%s)', async (requested, refusal) => {
    const s = await scene({ settings: { sandboxes }, peopleUnavailable: true });
    const { reply, said } = replies();
    await createRequestDeletion(s.core)(asking(reply), OFFER.id, '', requested);
    expect(said).toEqual([{ type: 'sandbox_refused', refusal, requested, allowed: ['stage', 'dev'] }]);
    expect(s.calls).toEqual([]);
    expect(await s.store.recentRequests({ teamId: TEAM, limit: 10, privateChannelsVisible: [] })).toEqual([]);
  });

  it('a request the policy allows is stored, its confirmation delivered, and the requester told it is posted', async () => {
    const s = await scene();
    const { reply, said } = replies();
    await createRequestDeletion(s.core)(asking(reply), OFFER.id, 'campaign ended');
    expect(said).toEqual([{ type: 'confirmation_posted', offerId: OFFER.id }]);
    expect(s.deliveries.count).toBe(1);
    expect(await s.store.openRequestFor(SETTINGS.sandboxes.default, OFFER.id)).toMatchObject({
      state: 'pending',
      requesterId: ALICE,
      reason: 'campaign ended',
    });
    expect(s.reached).toEqual(['after_lookup']);
  });

  it('a guest is refused when guests may not ask, and nothing is looked up', async () => {
    const s = await scene({ people: { [ALICE]: member(ALICE, { guest: true }) }, settings: { allowGuestRequests: false } });
    const { reply, said } = replies();
    await createRequestDeletion(s.core)(asking(reply), OFFER.id, '');
    expect(said).toEqual([{ type: 'request_refused', refusal: 'guest_requests_off' }]);
    expect(s.calls).toEqual([]);
  });

  it('when who asks cannot be told, the request is refused and nothing is looked up', async () => {
    const s = await scene({ peopleUnavailable: true });
    const { reply, said } = replies();
    await createRequestDeletion(s.core)(asking(reply), OFFER.id, '');
    expect(said).toEqual([{ type: 'request_refused', refusal: 'people_unavailable' }]);
    expect(s.calls).toEqual([]);
  });

  it('a person at the limit of open requests is refused before the look-up', async () => {
    const s = await scene({ settings: { maxOpenPerUser: 1 } });
    await pendingRequest(s.store, s.clock.now(), { id: '1d9c1f52-8b0e-4a3e-9f57-2f4b9b8c7a11', offer: { ...OFFER, id: 'other-offer' } });
    const { reply, said } = replies();
    await createRequestDeletion(s.core)(asking(reply), OFFER.id, '');
    expect(said).toEqual([{ type: 'over_limit', open: 1 }]);
    expect(s.calls).toEqual([]);
  });

  it('a second request for the same offer in the same channel names the first one', async () => {
    const s = await scene();
    await pendingRequest(s.store, s.clock.now());
    const { reply, said } = replies();
    await createRequestDeletion(s.core)(asking(reply, BOB), OFFER.id, '');
    expect(said).toMatchObject([{ type: 'already_requested', visible: true, existing: { requesterId: ALICE } }]);
  });

  it('a failed look-up tells the requester what Adobe said, and stores nothing', async () => {
    const s = await scene({ gets: [new FakeFailure('the Offer Library answered HTTP 500', { status: 500 })] });
    const { reply, said } = replies();
    await createRequestDeletion(s.core)(asking(reply), OFFER.id, '');
    expect(said).toEqual([
      {
        type: 'lookup_failed',
        offerId: OFFER.id,
        sandbox: 'prod',
        failure: { message: 'the Offer Library answered HTTP 500', status: 500, adobeMessage: null, requestId: null },
      },
    ]);
    expect(await s.store.openRequestFor(SETTINGS.sandboxes.default, OFFER.id)).toBeNull();
  });

  it('an offer Adobe does not have is reported, and nothing is stored', async () => {
    const s = await scene({ gets: [notFound()] });
    const { reply, said } = replies();
    await createRequestDeletion(s.core)(asking(reply), OFFER.id, '');
    expect(said).toEqual([{ type: 'offer_not_found', offerId: OFFER.id, sandbox: 'prod' }]);
  });

  it.each([
    [null, { type: 'confirmation_slow', offerId: OFFER.id }],
    [
      { posted: false as const, slackError: 'not_in_channel' },
      { type: 'confirmation_refused', offerId: OFFER.id, slackError: 'not_in_channel' },
    ],
  ])('the requester hears how the confirmation went: %j', async (result, news) => {
    const s = await scene();
    s.confirm(result);
    const { reply, said } = replies();
    await createRequestDeletion(s.core)(asking(reply), OFFER.id, '');
    expect(said).toEqual([news]);
  });

  it('a reply that fails is tried again before giving up', async () => {
    const s = await scene();
    let tries = 0;
    const flaky = async () => {
      tries += 1;
      if (tries < 3) throw new Error('response_url answered 503');
    };
    await createRequestDeletion(s.core)(asking(flaky), OFFER.id, '');
    expect(tries).toBe(3);
  });
});

describe('deciding', () => {
  const click = (request: DeletionRequest, userId: string, decision: ClickContext['decision']): ClickContext => ({
    requestId: request.id,
    teamId: TEAM,
    enterpriseId: null,
    channelId: request.channelId,
    messageTs: request.messageTs ?? '',
    userId,
    userTeamId: TEAM,
    userEnterpriseId: null,
    decision,
  });
  /** A pending request whose confirmation is out (its ts stored), as a click finds it. */
  async function posted(s: Scene, overrides: Partial<DeletionRequest> = {}): Promise<DeletionRequest> {
    const pending = await pendingRequest(s.store, s.clock.now(), overrides);
    const [item] = await s.store.claimOutbox('test-owner', s.clock.now(), s.clock.now() + 60_000, 1);
    await s.store.settleOutbox(item!.id, s.clock.now(), { delivered: true, messageTs: '1764324000.000100' });
    return { ...pending, messageTs: '1764324000.000100' };
  }
  const steps = () => {
    const ran: string[] = [];
    return { ran, run: async (request: DeletionRequest) => void ran.push(request.id), expire: async () => undefined };
  };

  it('an approval by someone else is recorded with a lease and carried out', async () => {
    const s = await scene();
    const request = await posted(s);
    const { ran, ...rest } = steps();
    await createDecide(s.core, rest).decide(click(request, BOB, 'approve'));
    expect((await s.store.getRequest(request.id))?.state).toBe('approved');
    expect(ran).toEqual([request.id]);
    expect(s.told).toEqual([]);
    expect(s.reached).toEqual(['after_decision']);
  });

  it('approving your own request is refused, and nothing changes', async () => {
    const s = await scene();
    const request = await posted(s);
    const { ran, ...rest } = steps();
    await createDecide(s.core, rest).decide(click(request, ALICE, 'approve'));
    expect(s.told).toMatchObject([{ userId: ALICE, news: { type: 'click_refused', refusal: 'own_request' } }]);
    expect((await s.store.getRequest(request.id))?.state).toBe('pending');
    expect(ran).toEqual([]);
  });

  it('a button that matches no request (another message) is refused as unknown', async () => {
    const s = await scene();
    const request = await posted(s);
    await createDecide(s.core, steps()).decide({ ...click(request, BOB, 'approve'), messageTs: '1.2' });
    expect(s.told).toMatchObject([{ news: { type: 'click_refused', refusal: 'unknown_request', request: null } }]);
  });

  it('someone off the approver list is refused', async () => {
    const s = await scene({ approvers: new Set(['U0SOMEONE']) });
    const request = await posted(s);
    await createDecide(s.core, steps()).decide(click(request, BOB, 'reject'));
    expect(s.told).toMatchObject([{ news: { type: 'click_refused', refusal: 'not_an_approver' } }]);
  });

  it("a sandbox's own approvers decide its requests, and OFFER_APPROVERS still decides the others", async () => {
    const s = await scene({ approvers: new Set(['U0SOMEONE']), approversBySandbox: { stage: new Set([BOB]) } });
    const staged = await posted(s, { sandbox: 'stage' });
    const { ran, ...rest } = steps();
    await createDecide(s.core, rest).decide(click(staged, BOB, 'approve'));
    expect((await s.store.getRequest(staged.id))?.state).toBe('approved');
    expect(ran).toEqual([staged.id]);
    expect(s.told).toEqual([]);
  });

  it("OFFER_APPROVERS_<SANDBOX> of another sandbox gives nobody a say over this one's requests", async () => {
    const s = await scene({ approvers: new Set(['U0SOMEONE']), approversBySandbox: { stage: new Set([BOB]) } });
    const request = await posted(s);
    await createDecide(s.core, steps()).decide(click(request, BOB, 'approve'));
    expect(s.told).toMatchObject([{ news: { type: 'click_refused', refusal: 'not_an_approver' } }]);
    expect((await s.store.getRequest(request.id))?.state).toBe('pending');
  });

  it('a rejection ends the request and owes the outcome and the message update', async () => {
    const s = await scene();
    const request = await posted(s);
    await createDecide(s.core, steps()).decide(click(request, BOB, 'reject'));
    expect((await s.store.getRequest(request.id))?.state).toBe('rejected');
    expect(s.deliveries.count).toBe(1);
  });

  it('a click after the request expired marks it expired and says so', async () => {
    const s = await scene();
    const request = await posted(s);
    s.clock.at += SETTINGS.ttlMs;
    const expired: string[] = [];
    await createDecide(s.core, { run: async () => undefined, expire: async (r) => void expired.push(r.id) }).decide(click(request, BOB, 'approve'));
    expect(expired).toEqual([request.id]);
    expect(s.told).toMatchObject([{ news: { type: 'click_refused', refusal: 'expired' } }]);
  });
  describe('with several approvals required', () => {
    const CAROL = 'U0CAROL01';

    it('the request waits until two different people approved, then is carried out once', async () => {
      const s = await scene();
      const request = await posted(s, { requiredApprovals: 2 });
      const { ran, ...rest } = steps();
      const { decide } = createDecide(s.core, rest);
      await decide(click(request, BOB, 'approve'));
      expect(await s.store.getRequest(request.id)).toMatchObject({ state: 'pending', approvals: [{ by: BOB, comment: null }] });
      expect(ran).toEqual([]);
      await decide({ ...click(request, CAROL, 'approve'), comment: 'checked the campaign' });
      expect(await s.store.getRequest(request.id)).toMatchObject({
        state: 'approved',
        decidedBy: CAROL,
        approvals: [{ by: BOB }, { by: CAROL, comment: 'checked the campaign' }],
      });
      expect(ran).toEqual([request.id]);
      expect(s.told).toEqual([]);
      const audit = await s.store.transitions(request.id);
      expect(audit.map((record) => [record.from, record.to, record.actor, record.detail])).toEqual([
        [null, 'pending', ALICE, null],
        ['pending', 'pending', BOB, { approvals: 1, required: 2 }],
        ['pending', 'approved', CAROL, { approvals: 2, required: 2, comment: 'checked the campaign' }],
      ]);
    });

    it('the same person approving again is told they already approved, and it counts once', async () => {
      const s = await scene();
      const request = await posted(s, { requiredApprovals: 2 });
      const { ran, ...rest } = steps();
      const { decide } = createDecide(s.core, rest);
      await decide(click(request, BOB, 'approve'));
      await decide(click(request, BOB, 'approve'));
      expect(s.told).toMatchObject([{ userId: BOB, news: { type: 'click_refused', refusal: 'already_approved' } }]);
      expect(await s.store.getRequest(request.id)).toMatchObject({ state: 'pending', approvals: [{ by: BOB }] });
      expect(ran).toEqual([]);
    });

    it('a double click of one person at the same moment counts once; two people at the same moment both count', async () => {
      const s = await scene();
      const request = await posted(s, { requiredApprovals: 3 });
      const { ran, ...rest } = steps();
      const { decide } = createDecide(s.core, rest);
      await Promise.all([decide(click(request, BOB, 'approve')), decide(click(request, BOB, 'approve'))]);
      expect((await s.store.getRequest(request.id))?.approvals.map((a) => a.by)).toEqual([BOB]);
      expect(s.told).toMatchObject([{ userId: BOB, news: { refusal: 'already_approved' } }]);
      await Promise.all([decide(click(request, CAROL, 'approve')), decide(click(request, 'U0DAVE001', 'approve'))]);
      const approved = await s.store.getRequest(request.id);
      expect(approved?.state).toBe('approved');
      expect(approved?.approvals.map((a) => a.by).sort()).toEqual([BOB, CAROL, 'U0DAVE001'].sort());
      expect(ran).toEqual([request.id]);
    });

    it('one Reject ends a request with approvals, keeping its comment', async () => {
      const s = await scene();
      const request = await posted(s, { requiredApprovals: 2 });
      const { decide } = createDecide(s.core, steps());
      await decide(click(request, BOB, 'approve'));
      await decide({ ...click(request, CAROL, 'reject'), comment: 'wrong offer' });
      expect(await s.store.getRequest(request.id)).toMatchObject({ state: 'rejected', decidedBy: CAROL, decisionComment: 'wrong offer' });
    });

    it('the requester never counts, even with self-approval allowed', async () => {
      const s = await scene({ settings: { allowSelfApproval: true } });
      const request = await posted(s, { requiredApprovals: 2 });
      await createDecide(s.core, steps()).decide(click(request, ALICE, 'approve'));
      expect(s.told).toMatchObject([{ userId: ALICE, news: { refusal: 'own_request' } }]);
      expect((await s.store.getRequest(request.id))?.approvals).toEqual([]);
    });

    it('a new request takes its sandbox’s number of approvals', async () => {
      const s = await scene({ settings: { requiredApprovals: { default: 1, bySandbox: new Map([['prod', 3]]) } } });
      const { reply } = replies();
      await createRequestDeletion(s.core)(asking(reply), OFFER.id, '');
      expect(await s.store.openRequestFor('prod', OFFER.id)).toMatchObject({ requiredApprovals: 3, approvals: [] });
    });
  });

  describe('a decision in a modal', () => {
    it('opens the modal only for someone who may decide; anyone else is told at once and sees none', async () => {
      const s = await scene();
      const request = await posted(s);
      const opened: string[] = [];
      const { prepare } = createDecide(s.core, steps());
      await prepare(click(request, ALICE, 'approve'), async (found) => void opened.push(found.id));
      expect(opened).toEqual([]);
      expect(s.told).toMatchObject([{ userId: ALICE, news: { refusal: 'own_request' } }]);
      await prepare(click(request, BOB, 'reject'), async (found) => void opened.push(found.id));
      expect(opened).toEqual([request.id]);
      expect((await s.store.getRequest(request.id))?.state).toBe('pending');
    });

    it('a modal that cannot be shown tells the clicker to try again and decides nothing', async () => {
      const s = await scene();
      const request = await posted(s);
      await createDecide(s.core, steps()).prepare(click(request, BOB, 'reject'), async () => {
        throw new Error('expired_trigger_id');
      });
      expect(s.told).toMatchObject([{ userId: BOB, news: { type: 'click_refused', refusal: 'form_unavailable' } }]);
      expect((await s.store.getRequest(request.id))?.state).toBe('pending');
    });
  });
});

describe('sweeping', () => {
  it('marks pending requests past their lifetime expired, by the system', async () => {
    const s = await scene();
    const request = await pendingRequest(s.store, s.clock.now());
    s.clock.at += SETTINGS.ttlMs;
    await createSweep(s.core, { isRunning: () => false, run: async () => undefined })();
    expect(await s.store.getRequest(request.id)).toMatchObject({ state: 'expired', decidedBy: 'system' });
  });

  it('resumes an approved request whose lease ran out, unless this process runs it already', async () => {
    const s = await scene();
    const pending = await pendingRequest(s.store, s.clock.now());
    await s.core.apply(pending, { type: 'approve', actor: BOB }, { requireUnexpired: true, lease: true });
    s.clock.at += s.core.leaseMs + 1;
    const ran: string[] = [];
    await createSweep(s.core, { isRunning: () => true, run: async (r) => void ran.push(r.id) })();
    expect(ran).toEqual([]);
    await createSweep(s.core, { isRunning: () => false, run: async (r) => void ran.push(r.id) })();
    expect(ran).toEqual([pending.id]);
  });

  it('expire does nothing to a request that is no longer pending', async () => {
    const s = await scene();
    const pending = await pendingRequest(s.store, s.clock.now());
    await s.core.apply(pending, { type: 'reject', actor: BOB }, { requireUnexpired: true });
    await expire(s.core, pending);
    expect((await s.store.getRequest(pending.id))?.state).toBe('rejected');
  });
});

describe('what waits for a person’s decision', () => {
  it('keeps the requests the person may approve, by each sandbox’s approvers', async () => {
    const s = await scene({ approvers: new Set([BOB]), approversBySandbox: { stage: new Set(['U0SOMEONE']) } });
    const prod = await pendingRequest(s.store, s.clock.now());
    const stage = await pendingRequest(s.store, s.clock.now(), { sandbox: 'stage', id: '7c2a4e10-3f5b-4c1d-8e9a-0b6d5f4e3a21' });
    expect((await createAwaiting(s.core)(BOB, [prod, stage])).map((r) => r.id)).toEqual([prod.id]);
    expect(await createAwaiting(s.core)('U0SOMEONE', [prod, stage])).toEqual([stage]);
  });

  it('gives a guest or someone of another organisation nothing, and asks nobody when there is nothing to judge', async () => {
    const s = await scene({ people: { [BOB]: member(BOB, { guest: true }), U0STRANGE: member('U0STRANGE', { teamId: 'T0OTHER01' }) } });
    const request = await pendingRequest(s.store, s.clock.now());
    expect(await createAwaiting(s.core)(BOB, [request])).toEqual([]);
    expect(await createAwaiting(s.core)('U0STRANGE', [request])).toEqual([]);
    const down = await scene({ peopleUnavailable: true });
    expect(await createAwaiting(down.core)(BOB, [])).toEqual([]);
    await expect(createAwaiting(down.core)(BOB, [request])).rejects.toThrow('users.info is down');
  });
});

describe('reminding', () => {
  it('a sweep halfway to expiry owes one reminder and delivers it; a later sweep owes none', async () => {
    const s = await scene();
    const request = await pendingRequest(s.store, s.clock.now());
    const sweep = createSweep(s.core, { isRunning: () => false, run: async () => undefined });
    s.clock.at += SETTINGS.ttlMs / 2 - 1;
    await sweep();
    expect(await s.store.markRemindersDue(s.clock.now(), 10)).toEqual([]);
    s.clock.at += 1;
    const before = s.deliveries.count;
    await sweep();
    expect(s.deliveries.count).toBeGreaterThan(before + 1);
    expect(await s.store.markRemindersDue(s.clock.now(), 10)).toEqual([]);
    expect((await s.store.getRequest(request.id))?.state).toBe('pending');
  });
});
