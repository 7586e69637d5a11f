// The `/offer` command text and the offer id rule: what may ever reach an Adobe URL.

/** Letters, digits, `:`, `_`, `-`; starts with a letter or digit; 1–128 characters (every documented id form). */
export const OFFER_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9:_-]{0,127}$/;
export const MAX_REASON_LENGTH = 500;
/** What Adobe accepts as a sandbox name; config.ts holds OFFER_SANDBOXES to the same rule. */
export const SANDBOX_NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;

export const isOfferId = (text: string): boolean => OFFER_ID_PATTERN.test(text);

type Command =
  /** `sandbox`: the one `--sandbox` names, or null for the channel's default. */
  | { kind: 'delete'; offerId: string; reason: string; sandbox: string | null }
  /** The latest requests, or one offer's when `offerId` is given. */
  | { kind: 'history'; offerId: string | null }
  | { kind: 'help' }
  | { kind: 'invalid'; problem: string };

// Slack collapses nothing: split on any run of white space, but keep the reason's own words.
const WORD = /^\s*(\S+)\s*([\s\S]*)$/;
// `--sandbox stage` or `--sandbox=stage`, anywhere among the words; `—` too, which Slack on macOS makes of a typed `--`.
const SANDBOX_FLAG = /(?:^|\s+)(?:--|\u2014)sandbox(?:=|\s+)(?!--|\u2014)(\S+)(?=\s|$)/gi;
const BARE_SANDBOX_FLAG = /(?:^|\s)(?:--|\u2014)sandbox(?:=|\s|$)/i;

/** Takes `--sandbox <name>` out of the words: the name (null when not given) and the words left, or the problem. */
function takeSandbox(text: string): { sandbox: string | null; rest: string } | { problem: string } {
  const names = [...text.matchAll(SANDBOX_FLAG)].map((match) => match[1] ?? '');
  const rest = text.replace(SANDBOX_FLAG, '');
  if (names.length > 1) return { problem: 'Name one sandbox: `--sandbox <name>` once.' };
  if (BARE_SANDBOX_FLAG.test(rest)) return { problem: 'Which sandbox? Follow `--sandbox` with its name, such as `--sandbox stage`.' };
  const [given] = names;
  if (given === undefined) return { sandbox: null, rest };
  // Adobe's sandbox names are lower-case, so `Stage` can only mean `stage`.
  const sandbox = given.toLowerCase();
  if (!SANDBOX_NAME_PATTERN.test(sandbox)) {
    return { problem: `\`${clip(given)}\` is not a sandbox name: sandbox names are lower-case letters, digits and hyphens (e.g. \`stage\`).` };
  }
  return { sandbox, rest };
}

export function parseCommand(text: string): Command {
  const first = WORD.exec(text);
  if (!first) return { kind: 'help' };
  const [, verb = '', rest = ''] = first;
  if (verb.toLowerCase() === 'help') return { kind: 'help' };
  if (verb.toLowerCase() === 'history') return parseHistory(rest);
  if (verb.toLowerCase() !== 'delete') return { kind: 'invalid', problem: `\`${clip(verb)}\` is not an /offer command.` };
  const flag = takeSandbox(rest);
  if ('problem' in flag) return { kind: 'invalid', problem: flag.problem };
  const second = WORD.exec(flag.rest);
  if (!second) return { kind: 'invalid', problem: 'Which offer? Give its id: `/offer delete <offer-id> [reason] [--sandbox <name>]`.' };
  const [, offerId = '', reasonText = ''] = second;
  const problem = offerIdProblem(offerId);
  if (problem) return { kind: 'invalid', problem };
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what this strips
  const reason = reasonText.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  if (reason.length > MAX_REASON_LENGTH) {
    return { kind: 'invalid', problem: `The reason is too long: at most ${MAX_REASON_LENGTH} characters.` };
  }
  return { kind: 'delete', offerId, reason, sandbox: flag.sandbox };
}

function parseHistory(rest: string): Command {
  const words = WORD.exec(rest);
  if (!words) return { kind: 'history', offerId: null };
  const [, offerId = '', more = ''] = words;
  const problem = offerIdProblem(offerId);
  if (problem) return { kind: 'invalid', problem };
  if (more.trim() !== '') return { kind: 'invalid', problem: 'History takes at most one offer id: `/offer history [offer-id]`.' };
  return { kind: 'history', offerId };
}

/** Why `text` is not an offer id, or null when it is one. */
function offerIdProblem(text: string): string | null {
  if (isOfferId(text)) return null;
  return text.length > 128
    ? 'That offer id is too long: offer ids have at most 128 characters.'
    : 'That is not an offer id: ids are letters, digits, `:`, `_` and `-`, starting with a letter or digit (e.g. `dps:personalized-offer:1a4c514f745dbd7c`).';
}

/** Echo a bit of what the user typed without letting it run on, or format as a mention or link. */
function clip(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what this strips
  const safe = text.replace(/[`<>&\u0000-\u001f\u007f]/g, '');
  return safe.length > 30 ? `${safe.slice(0, 30)}…` : safe;
}
