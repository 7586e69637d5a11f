import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isOfferId, parseCommand } from '../../src/deletion/command.js';

describe('the /offer command text', () => {
  it.each([
    ['delete dps:personalized-offer:1a4c514f745dbd7c campaign ended', 'dps:personalized-offer:1a4c514f745dbd7c', 'campaign ended'],
    ['  DELETE   personalizedOffer1234  ', 'personalizedOffer1234', ''],
    ['delete xcore:personalized-offer:124cc332095cfa74\tduplicate of\nthe winter one', 'xcore:personalized-offer:124cc332095cfa74', 'duplicate of the winter one'],
  ])('reads %j as a deletion', (text, offerId, reason) => {
    expect(parseCommand(text)).toEqual({ kind: 'delete', offerId, reason });
  });

  it.each(['', '   ', 'help', 'HELP me'])('answers %j with the usage', (text) => {
    expect(parseCommand(text)).toEqual({ kind: 'help' });
  });

  it.each([
    ['list', /not an \/offer command/],
    ['delete', /Which offer/],
    ['delete ../../offers', /not an offer id/],
    ['delete a/b', /not an offer id/],
    ['delete a.b', /not an offer id/],
    ['delete a%2e', /not an offer id/],
    ['delete a?offer-type=fallback', /not an offer id/],
    ['delete a#b', /not an offer id/],
    ['delete -leading-dash', /not an offer id/],
    ['delete :colon-first', /not an offer id/],
    ['delete <@U024BE7LH>', /not an offer id/],
    ['delete é-accent', /not an offer id/],
    [`delete ${'a'.repeat(129)}`, /too long/],
    [`delete abc ${'x'.repeat(501)}`, /reason is too long/],
  ])('refuses %j with a clear message', (text, message) => {
    const parsed = parseCommand(text);
    expect(parsed.kind).toBe('invalid');
    expect(parsed.kind === 'invalid' && parsed.problem).toMatch(message);
  });

  it('never echoes markup from the unknown verb', () => {
    const parsed = parseCommand('<!channel>`boom`');
    expect(parsed.kind === 'invalid' && parsed.problem).not.toMatch(/[<>]/);
  });

  it('accepts exactly the documented id alphabet (property)', () => {
    const idChar = fc.constantFrom(...'abcXYZ019:_-'.split(''));
    fc.assert(
      fc.property(fc.constantFrom(...'aZ9'.split('')), fc.array(idChar, { maxLength: 127 }), (first, rest) => isOfferId(first + rest.join(''))),
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
