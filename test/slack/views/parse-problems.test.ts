// What a person is told about a command offer-bot could not read: the parser's codes and facts, worded in their language.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../../src/deletion/command.js';
import { english, translator } from '../../../src/slack/i18n/translator.js';
import { commandTexts, parseProblemText } from '../../../src/slack/views/replies.js';

const problemOf = (text: string) => {
  const parsed = parseCommand(text);
  if (parsed.kind !== 'invalid') throw new Error(`${text} parsed as ${parsed.kind}`);
  return parsed.problem;
};

describe('a command offer-bot could not read, in words', () => {
  it.each([
    ['list', '`list` is not an /offer command.', '`list` är inget /offer-kommando.'],
    ['find', 'Find which offers? Give part of a name: `/offer find <text>`.', 'Vilka erbjudanden? Ange en del av ett namn: `/offer find <text>`.'],
    ['delete a/b', /^That is not an offer id: ids are letters, digits/, /^Det är inget id för ett erbjudande: ett id består av bokstäver, siffror/],
    [
      `delete ${'a'.repeat(129)}`,
      'That offer id is too long: offer ids have at most 128 characters.',
      'Det id:t är för långt: ett erbjudandes id har högst 128 tecken.',
    ],
    [`delete abc ${'x'.repeat(501)}`, 'The reason is too long: at most 500 characters.', 'Skälet är för långt: högst 500 tecken.'],
    [
      'history abc def',
      'History takes at most one offer id: `/offer history [offer-id]`.',
      'Kommandot history tar högst ett erbjudandes id: `/offer history [offer-id]`.',
    ],
  ])('%j is explained in English and in Swedish', (text, inEnglish, inSwedish) => {
    const problem = problemOf(text);
    expect(parseProblemText(problem, english)).toMatch(inEnglish);
    expect(parseProblemText(problem, translator('sv-SE'))).toMatch(inSwedish);
  });

  it('the explanation comes before the usage, both in the reader’s language', () => {
    const ack = commandTexts(translator('sv')).invalid(problemOf('find'));
    expect(ack).toMatch(/^Vilka erbjudanden\?.*\n\n\*\/offer\* tar bort ett personaliserat erbjudande/s);
  });

  it('no explanation, in any language, echoes a mention, a link or broken code markup (property)', () => {
    const verbs = fc.constantFrom('', 'delete ', 'history ', '<!channel> ', '<@U024BE7LH>', '`x` ', '&lt; ');
    fc.assert(
      fc.property(verbs, fc.string({ unit: 'binary', maxLength: 200 }), (verb, text) => {
        const parsed = parseCommand(verb + text);
        if (parsed.kind !== 'invalid') return;
        for (const t of [english, translator('sv')]) {
          const said = parseProblemText(parsed.problem, t);
          expect(said).not.toMatch(/<[!@#]|<https?:/);
          if (parsed.problem.code === 'unknown_verb') expect(said.split('`').length).toBe(3);
        }
      }),
      { numRuns: 1_000 },
    );
  });
});
