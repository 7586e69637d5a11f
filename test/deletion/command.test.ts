import fc from 'fast-check';
import { MockAgent } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { createOfferLibrary } from '../../src/adobe/offer-library.js';
import { isOfferId, MAX_REASON_LENGTH, OFFER_ID_PATTERN, parseCommand } from '../../src/deletion/command.js';
import { createLogger } from '../../src/log.js';

describe('the /offer command text', () => {
  it.each([
    ['delete dps:personalized-offer:1a4c514f745dbd7c campaign ended', 'dps:personalized-offer:1a4c514f745dbd7c', 'campaign ended'],
    ['  DELETE   personalizedOffer1234  ', 'personalizedOffer1234', ''],
    [
      'delete xcore:personalized-offer:124cc332095cfa74\tduplicate of\nthe winter one',
      'xcore:personalized-offer:124cc332095cfa74',
      'duplicate of the winter one',
    ],
  ])('reads %j as a deletion', (text, offerId, reason) => {
    expect(parseCommand(text)).toEqual({ kind: 'delete', offerId, reason, sandbox: null });
  });

  it.each([
    ['delete personalizedOffer1234 --sandbox stage', 'stage', ''],
    ['delete personalizedOffer1234 --sandbox stage campaign ended', 'stage', 'campaign ended'],
    ['delete personalizedOffer1234 campaign --sandbox dev-emea ended', 'dev-emea', 'campaign ended'],
    ['delete personalizedOffer1234 campaign ended --sandbox=stage', 'stage', 'campaign ended'],
    ['delete --sandbox stage personalizedOffer1234 campaign ended', 'stage', 'campaign ended'],
    ['delete personalizedOffer1234 campaign ended \u2014sandbox stage', 'stage', 'campaign ended'],
    ['delete personalizedOffer1234 --SANDBOX Stage campaign ended', 'stage', 'campaign ended'],
  ])('reads the sandbox of %j wherever the flag stands', (text, sandbox, reason) => {
    expect(parseCommand(text)).toEqual({ kind: 'delete', offerId: 'personalizedOffer1234', reason, sandbox });
  });

  it.each([
    ['history', null],
    ['  HISTORY  ', null],
    ['history dps:personalized-offer:1a4c514f745dbd7c', 'dps:personalized-offer:1a4c514f745dbd7c'],
    ['history\tpersonalizedOffer1234\n', 'personalizedOffer1234'],
  ])('reads %j as a history request', (text, offerId) => {
    expect(parseCommand(text)).toEqual({ kind: 'history', offerId });
  });

  it.each(['', '   ', 'help', 'HELP me'])('answers %j with the usage', (text) => {
    expect(parseCommand(text)).toEqual({ kind: 'help' });
  });

  it.each([
    ['list', { code: 'unknown_verb', verb: 'list' }],
    ['find', { code: 'missing_search_text' }],
    ['find   --sandbox stage', { code: 'missing_search_text' }],
    [`find ${'w'.repeat(101)}`, { code: 'search_text_too_long', maxLength: 100 }],
    ['find winter --sandbox', { code: 'sandbox_name_missing' }],
    ['delete ../../offers', { code: 'not_an_offer_id' }],
    ['delete a/b', { code: 'not_an_offer_id' }],
    ['delete a.b', { code: 'not_an_offer_id' }],
    ['delete a%2e', { code: 'not_an_offer_id' }],
    ['delete a?offer-type=fallback', { code: 'not_an_offer_id' }],
    ['delete a#b', { code: 'not_an_offer_id' }],
    ['delete -leading-dash', { code: 'not_an_offer_id' }],
    ['delete :colon-first', { code: 'not_an_offer_id' }],
    ['delete <@U024BE7LH>', { code: 'not_an_offer_id' }],
    ['delete é-accent', { code: 'not_an_offer_id' }],
    [`delete ${'a'.repeat(129)}`, { code: 'offer_id_too_long', maxLength: 128 }],
    [`delete abc ${'x'.repeat(501)}`, { code: 'reason_too_long', maxLength: MAX_REASON_LENGTH }],
    ['history ../../offers', { code: 'not_an_offer_id' }],
    ['history a?offer-type=fallback', { code: 'not_an_offer_id' }],
    ['history <!channel>', { code: 'not_an_offer_id' }],
    [`history ${'a'.repeat(129)}`, { code: 'offer_id_too_long', maxLength: 128 }],
    ['history abc def', { code: 'history_extra_words' }],
    ['delete personalizedOffer1234 campaign ended --sandbox', { code: 'sandbox_name_missing' }],
    ['delete personalizedOffer1234 --sandbox= campaign ended', { code: 'sandbox_name_missing' }],
    ['delete personalizedOffer1234 --sandbox --sandbox stage', { code: 'sandbox_name_missing' }],
    ['delete personalizedOffer1234 --sandbox stage --sandbox dev', { code: 'sandbox_twice' }],
    ['delete personalizedOffer1234 --sandbox stage_1', { code: 'not_a_sandbox_name', name: 'stage_1' }],
    ['delete personalizedOffer1234 --sandbox <!channel>', { code: 'not_a_sandbox_name', name: '!channel' }],
    [`delete personalizedOffer1234 --sandbox ${'s'.repeat(65)}`, { code: 'not_a_sandbox_name', name: `${'s'.repeat(30)}…` }],
  ])('refuses %j with a code and the facts to explain it, no sentence', (text, problem) => {
    expect(parseCommand(text)).toEqual({ kind: 'invalid', problem });
  });

  it.each([
    ['delete', { kind: 'delete_form', sandbox: null }],
    ['delete   ', { kind: 'delete_form', sandbox: null }],
    ['delete --sandbox stage', { kind: 'delete_form', sandbox: 'stage' }],
    ['find winter sale', { kind: 'find', text: 'winter sale', sandbox: null }],
    ['FIND  20%  (off)\u0000 --sandbox=dev', { kind: 'find', text: '20% (off)', sandbox: 'dev' }],
  ])('reads %j as the form or a search', (text, command) => {
    expect(parseCommand(text)).toEqual(command);
  });

  it('never echoes markup from the unknown verb', () => {
    expect(parseCommand('<!channel>`boom`')).toEqual({ kind: 'invalid', problem: { code: 'unknown_verb', verb: '!channelboom' } });
  });

  it('echoes at most the first 30 characters of an unknown verb', () => {
    expect(parseCommand(`${'v'.repeat(40)} x`)).toEqual({ kind: 'invalid', problem: { code: 'unknown_verb', verb: `${'v'.repeat(30)}…` } });
  });

  it('accepts exactly the documented id alphabet (property)', () => {
    const idChar = fc.constantFrom(...'abcXYZ019:_-'.split(''));
    fc.assert(fc.property(fc.constantFrom(...'aZ9'.split('')), fc.array(idChar, { maxLength: 127 }), (first, rest) => isOfferId(first + rest.join(''))));
  });

  it('any text at all parses to an answer, never a throw, and a refusal never echoes markup (property)', () => {
    const verbs = fc.constantFrom('', 'delete ', 'DELETE ', 'history ', 'help ', '<!channel> ', 'delete\u00a0');
    fc.assert(
      fc.property(verbs, fc.string({ unit: 'binary', maxLength: 300 }), (verb, text) => {
        const parsed = parseCommand(verb + text);
        expect(['delete', 'delete_form', 'find', 'history', 'help', 'invalid']).toContain(parsed.kind);
        if (parsed.kind === 'invalid' && parsed.problem.code === 'unknown_verb') expect(parsed.problem.verb).not.toMatch(/[<>&`]/);
        if (parsed.kind === 'delete') {
          expect(parsed.reason.length).toBeLessThanOrEqual(MAX_REASON_LENGTH);
          // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what this must leave out
          expect(parsed.reason).not.toMatch(/[\u0000-\u001f\u007f]/);
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('an id taken by history always follows the rule (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: 1, maxLength: 140 }), (text) => {
        const parsed = parseCommand(`history ${text}`);
        return parsed.kind !== 'history' || parsed.offerId === null || OFFER_ID_PATTERN.test(parsed.offerId);
      }),
      { numRuns: 2_000 },
    );
  });

  it("an id made of the rule's characters with one outside character mixed in is refused (property)", () => {
    const idChar = fc.constantFrom(...'abcXYZ019:_-'.split(''));
    const outside = fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }).filter((c) => !/[A-Za-z0-9:_-]/.test(c) && !/\s/.test(c));
    fc.assert(
      fc.property(fc.array(idChar, { minLength: 1, maxLength: 60 }), outside, fc.nat(), (chars, bad, at) => {
        const id = [...chars.slice(0, at % (chars.length + 1)), bad, ...chars.slice(at % (chars.length + 1))].join('');
        expect(isOfferId(id)).toBe(false);
        expect(parseCommand(`delete ${id}`).kind).toBe('invalid');
        expect(parseCommand(`history ${id}`).kind).toBe('invalid');
      }),
      { numRuns: 2_000 },
    );
  });

  it('no string with a character outside the rule is ever taken as an id (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: 1, maxLength: 140 }), (text) => {
        const parsed = parseCommand(`delete ${text}`);
        if (parsed.kind !== 'delete') return true;
        return /^[A-Za-z0-9][A-Za-z0-9:_-]{0,127}$/.test(parsed.offerId) && !/[/.?#%\s]/.test(parsed.offerId);
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('from command text to the Offer Library URL', () => {
  const ORIGIN = 'https://platform.adobe.example';
  const paths: string[] = [];
  const agent = new MockAgent();
  agent.disableNetConnect();
  agent
    .get(ORIGIN)
    .intercept({
      path: (path) => {
        paths.push(path);
        return true;
      },
      method: () => true,
    })
    .reply(404, '{}')
    .persist();
  const config = {
    offerApiUrl: `${ORIGIN}/data/core/dps`,
    imsUrl: ORIGIN,
    clientId: 'client',
    clientSecret: 'secret',
    scopes: 'openid',
    orgId: 'ORG@AdobeOrg',
    sandbox: 'prod',
    allowHttp: false,
  };
  const offers = createOfferLibrary(config, {
    tokens: { getToken: async () => 'token', invalidate: () => undefined },
    dispatcher: agent,
    log: createLogger('silent'),
  });
  afterAll(() => agent.close());
  const aroundAnId = fc
    .tuple(fc.string({ unit: 'binary', maxLength: 3 }), fc.stringMatching(OFFER_ID_PATTERN), fc.string({ unit: 'binary', maxLength: 3 }))
    .map(([before, id, after]) => before + id + after);
  let sentInAll = 0;

  it('no generated string outside the rule ever reaches a URL, whether typed in a command or handed to the client (property)', async () => {
    await fc.assert(
      // Random text, ids, and ids with arbitrary text around them: both sides of the rule, and its edges.
      fc.asyncProperty(fc.oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 140 }), fc.stringMatching(OFFER_ID_PATTERN), aroundAnId), async (text) => {
        paths.length = 0;
        const parsed = parseCommand(`delete ${text}`);
        const candidates = parsed.kind === 'delete' ? [parsed.offerId, text] : [text];
        for (const candidate of candidates) {
          const sent = await offers.getOffer('prod', candidate).then(
            () => true,
            (error: unknown) => {
              expect(error).toBeInstanceOf(TypeError);
              return false;
            },
          );
          expect(sent).toBe(isOfferId(candidate));
        }
        for (const path of paths) {
          const id = /^\/data\/core\/dps\/offers\/(.*)\?offer-type=personalized$/.exec(path)?.[1];
          expect(id !== undefined && OFFER_ID_PATTERN.test(id)).toBe(true);
        }
        sentInAll += paths.length;
      }),
      { numRuns: 500 },
    );
    // The property saw both sides: some ids went out.
    expect(sentInAll).toBeGreaterThan(50);
  });
});
