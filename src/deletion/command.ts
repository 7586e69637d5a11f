// The `/offer` command text and the offer id rule: what may ever reach an Adobe URL; what it cannot read, as codes and facts.

/** Letters, digits, `:`, `_`, `-`; starts with a letter or digit; 1–128 characters (every documented id form). */
export const OFFER_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9:_-]{0,127}$/;
export const MAX_OFFER_ID_LENGTH = 128;
export const MAX_REASON_LENGTH = 500;
/** The longest text `/offer find` (or the modal's menu) searches names for: a name is what people remember, not a paragraph. */
export const MAX_SEARCH_TEXT = 100;
/** What Adobe accepts as a sandbox name; config.ts holds OFFER_SANDBOXES to the same rule. */
export const SANDBOX_NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;

export const isOfferId = (text: string): boolean => OFFER_ID_PATTERN.test(text);

/** Why a command could not be read, as a code and the facts its explanation needs (the Slack edge words it). */
export type ParseProblem =
  /** `verb`: the start of what was typed, without markup or control characters, to echo back. */
  | { code: 'unknown_verb'; verb: string }
  | { code: 'missing_offer_id' }
  | { code: 'offer_id_too_long'; maxLength: number }
  | { code: 'not_an_offer_id' }
  | { code: 'reason_too_long'; maxLength: number }
  | { code: 'history_extra_words' }
  | { code: 'sandbox_twice' }
  | { code: 'sandbox_name_missing' }
  | { code: 'missing_search_text' }
  | { code: 'search_text_too_long'; maxLength: number }
  /** `name`: what followed `--sandbox`, cleaned like `verb`. */
  | { code: 'not_a_sandbox_name'; name: string };

type Command =
  /** `sandbox`: the one `--sandbox` names, or null for the channel's default. */
  | { kind: 'delete'; offerId: string; reason: string; sandbox: string | null }
  /** `delete` without an id: the form (a modal) that finds the offer by name. */
  | { kind: 'delete_form'; sandbox: string | null }
  /** Offers whose name contains `text`, listed to the caller. */
  | { kind: 'find'; text: string; sandbox: string | null }
  /** The latest requests, or one offer's when `offerId` is given. */
  | { kind: 'history'; offerId: string | null }
  | { kind: 'help' }
  | { kind: 'invalid'; problem: ParseProblem };

// Slack collapses nothing: split on any run of white space, but keep the reason's own words.
const WORD = /^\s*(\S+)\s*([\s\S]*)$/;
// `--sandbox stage` or `--sandbox=stage`, anywhere among the words; `—` too, which Slack on macOS makes of a typed `--`.
const SANDBOX_FLAG = /(?:^|\s+)(?:--|\u2014)sandbox(?:=|\s+)(?!--|\u2014)(\S+)(?=\s|$)/gi;
const BARE_SANDBOX_FLAG = /(?:^|\s)(?:--|\u2014)sandbox(?:=|\s|$)/i;

/** Takes `--sandbox <name>` out of the words: the name (null when not given) and the words left, or the problem. */
function takeSandbox(text: string): { sandbox: string | null; rest: string } | { problem: ParseProblem } {
  const names = [...text.matchAll(SANDBOX_FLAG)].map((match) => match[1] ?? '');
  const rest = text.replace(SANDBOX_FLAG, '');
  if (names.length > 1) return { problem: { code: 'sandbox_twice' } };
  if (BARE_SANDBOX_FLAG.test(rest)) return { problem: { code: 'sandbox_name_missing' } };
  const [given] = names;
  if (given === undefined) return { sandbox: null, rest };
  // Adobe's sandbox names are lower-case, so `Stage` can only mean `stage`.
  const sandbox = given.toLowerCase();
  if (!SANDBOX_NAME_PATTERN.test(sandbox)) {
    return { problem: { code: 'not_a_sandbox_name', name: clip(given) } };
  }
  return { sandbox, rest };
}

export function parseCommand(text: string): Command {
  const first = WORD.exec(text);
  if (!first) return { kind: 'help' };
  const [, verb = '', rest = ''] = first;
  if (verb.toLowerCase() === 'help') return { kind: 'help' };
  if (verb.toLowerCase() === 'history') return parseHistory(rest);
  if (verb.toLowerCase() === 'find') return parseFind(rest);
  if (verb.toLowerCase() !== 'delete') return { kind: 'invalid', problem: { code: 'unknown_verb', verb: clip(verb) } };
  const flag = takeSandbox(rest);
  if ('problem' in flag) return { kind: 'invalid', problem: flag.problem };
  const second = WORD.exec(flag.rest);
  if (!second) return { kind: 'delete_form', sandbox: flag.sandbox };
  const [, offerId = '', reasonText = ''] = second;
  const problem = offerIdProblem(offerId);
  if (problem) return { kind: 'invalid', problem };
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what this strips
  const reason = reasonText.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  if (reason.length > MAX_REASON_LENGTH) {
    return { kind: 'invalid', problem: { code: 'reason_too_long', maxLength: MAX_REASON_LENGTH } };
  }
  return { kind: 'delete', offerId, reason, sandbox: flag.sandbox };
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

function parseFind(rest: string): Command {
  const flag = takeSandbox(rest);
  if ('problem' in flag) return { kind: 'invalid', problem: flag.problem };
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what this strips
  const text = flag.rest.replace(/[\u0000-\u001f\u007f\s]+/g, ' ').trim();
  if (text === '') return { kind: 'invalid', problem: { code: 'missing_search_text' } };
  if (text.length > MAX_SEARCH_TEXT) return { kind: 'invalid', problem: { code: 'search_text_too_long', maxLength: MAX_SEARCH_TEXT } };
  return { kind: 'find', text, sandbox: flag.sandbox };
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
