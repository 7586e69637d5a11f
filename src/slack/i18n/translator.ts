// A reader's language from their Slack locale, and the translator that formats its catalogue's ICU messages.
import { IntlMessageFormat } from 'intl-messageformat';
import { type Catalogue, en, type MessageId } from './en.js';
import { sv } from './sv.js';

/** Every language offer-bot speaks, by its code; English is the fallback for any other locale. */
export const CATALOGUES = { en, sv } as const satisfies Record<string, Catalogue>;
export type Language = keyof typeof CATALOGUES;
export const LANGUAGES = Object.keys(CATALOGUES) as Language[];
export const FALLBACK_LANGUAGE: Language = 'en';

/** Values a message is given: already escaped mrkdwn fragments, or numbers for plurals. */
export type MessageValues = Record<string, string | number>;
export type Translate = (id: MessageId, values?: MessageValues) => string;

const isLanguage = (code: string): code is Language => Object.hasOwn(CATALOGUES, code);

/** `sv-SE`, `sv_SE` and `sv` are Swedish; an unknown or missing locale is English. */
export function languageOf(locale: string | null | undefined): Language {
  const primary = (locale ?? '').split(/[-_]/)[0]?.toLowerCase() ?? '';
  return isLanguage(primary) ? primary : FALLBACK_LANGUAGE;
}

/** Compiled once per language and id: parsing ICU is the expensive part. */
const compiled = new Map<string, IntlMessageFormat>();

function compile(language: Language, id: MessageId): IntlMessageFormat {
  const key = `${language}:${id}`;
  let format = compiled.get(key);
  if (!format) {
    // ignoreTag: `<offer-id>` and Slack's `<@U…>` are text, not ICU rich-text tags.
    format = new IntlMessageFormat(CATALOGUES[language][id], language, undefined, { ignoreTag: true });
    compiled.set(key, format);
  }
  return format;
}

/** The translator for a reader's locale (or a channel's language code). */
export function translator(locale: string | null | undefined): Translate {
  const language = languageOf(locale);
  return (id, values) => String(compile(language, id).format(values));
}

export const english: Translate = translator(FALLBACK_LANGUAGE);
