// The `/offer` command text and the offer id rule: what may ever reach an Adobe URL; what it cannot read, as codes and facts.

/** Letters, digits, `:`, `_`, `-`; starts with a letter or digit; 1–128 characters (every documented id form). */
export const OFFER_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9:_-]{0,127}$/;
export const MAX_OFFER_ID_LENGTH = 128;
export const MAX_REASON_LENGTH = 500;

export const isOfferId = (text: string): boolean => OFFER_ID_PATTERN.test(text);

/** Why a command could not be read, as a code and the facts its explanation needs (the Slack edge words it). */
export type ParseProblem =
  /** `verb`: the start of what was typed, without markup or control characters, to echo back. */
  | { code: 'unknown_verb'; verb: string }
  | { code: 'missing_offer_id' }
  | { code: 'offer_id_too_long'; maxLength: number }
  | { code: 'not_an_offer_id' }
  | { code: 'reason_too_long'; maxLength: number }
  | { code: 'history_extra_words' };

type Command =
  | { kind: 'delete'; offerId: string; reason: string }
  /** The latest requests, or one offer's when `offerId` is given. */
  | { kind: 'history'; offerId: string | null }
  | { kind: 'help' }
  | { kind: 'invalid'; problem: ParseProblem };

// Slack collapses nothing: split on any run of white space, but keep the reason's own words.
const WORD = /^\s*(\S+)\s*([\s\S]*)$/;

export function parseCommand(text: string): Command {
  const first = WORD.exec(text);
  if (!first) return { kind: 'help' };
  const [, verb = '', rest = ''] = first;
  if (verb.toLowerCase() === 'help') return { kind: 'help' };
  if (verb.toLowerCase() === 'history') return parseHistory(rest);
  if (verb.toLowerCase() !== 'delete') return { kind: 'invalid', problem: { code: 'unknown_verb', verb: clip(verb) } };
  const second = WORD.exec(rest);
  if (!second) return { kind: 'invalid', problem: { code: 'missing_offer_id' } };
  const [, offerId = '', reasonText = ''] = second;
  const problem = offerIdProblem(offerId);
  if (problem) return { kind: 'invalid', problem };
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what this strips
  const reason = reasonText.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  if (reason.length > MAX_REASON_LENGTH) {
    return { kind: 'invalid', problem: { code: 'reason_too_long', maxLength: MAX_REASON_LENGTH } };
  }
  return { kind: 'delete', offerId, reason };
}

function parseHistory(rest: string): Command {
  const words = WORD.exec(rest);
  if (!words) return { kind: 'history', offerId: null };
  const [, offerId = '', more = ''] = words;
  const problem = offerIdProblem(offerId);
  if (problem) return { kind: 'invalid', problem };
  if (more.trim() !== '') return { kind: 'invalid', problem: { code: 'history_extra_words' } };
  return { kind: 'history', offerId };
}

/** Why `text` is not an offer id, or null when it is one. */
function offerIdProblem(text: string): ParseProblem | null {
  if (isOfferId(text)) return null;
  return text.length > MAX_OFFER_ID_LENGTH ? { code: 'offer_id_too_long', maxLength: MAX_OFFER_ID_LENGTH } : { code: 'not_an_offer_id' };
}

/** Echo a bit of what the user typed without letting it run on, or format as a mention or link. */
function clip(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what this strips
  const safe = text.replace(/[`<>&\u0000-\u001f\u007f]/g, '');
  return safe.length > 30 ? `${safe.slice(0, 30)}…` : safe;
}
