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

/** A catalogue's messages for one reader, and their dates where Slack's `<!date^…>` cannot be used (plain text). */
export interface Translate {
  (id: MessageId, values?: MessageValues): string;
  readonly language: Language;
  /**
   * A date and time as plain text, in the reader's locale and time zone (users.info `tz`), with the zone's name;
   * in UTC for a channel, whose readers have no one zone. For texts Slack shows as written: plain_text fields
   * (modal titles, options, buttons) and the outcome sentence, which is also the audit export's.
   */
  formatDateTime(ms: number): string;
}

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

const CHANNEL_TIME_ZONE = 'UTC';
const DATE_TIME_FIELDS: Intl.DateTimeFormatOptions = {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZoneName: 'short',
};

/**
 * The reader's own locale (`en-GB` dates differ from `en-US`) when Intl knows it, else the catalogue's language;
 * their time zone when Intl knows it, else UTC. Slack's values are not trusted to be valid: Intl throws on bad ones.
 */
function dateTimeFormat(locale: string | null | undefined, language: Language, timeZone: string | null | undefined): Intl.DateTimeFormat {
  const bcp47 = (locale ?? '').replace('_', '-');
  const own = (() => {
    try {
      return languageOf(bcp47) === language && Intl.DateTimeFormat.supportedLocalesOf(bcp47).length > 0 ? [bcp47, language] : [language];
    } catch {
      return [language];
    }
  })();
  try {
    return new Intl.DateTimeFormat(own, { ...DATE_TIME_FIELDS, timeZone: timeZone ?? CHANNEL_TIME_ZONE });
  } catch {
    return new Intl.DateTimeFormat(own, { ...DATE_TIME_FIELDS, timeZone: CHANNEL_TIME_ZONE });
  }
}

/** The translator for a reader's locale and time zone (or a channel's language code, in UTC). */
export function translator(locale: string | null | undefined, timeZone?: string | null): Translate {
  const language = languageOf(locale);
  // Built on first use: most translators (one per ack) never format a plain-text date.
  let dates: Intl.DateTimeFormat | undefined;
  const translate = (id: MessageId, values?: MessageValues) => String(compile(language, id).format(values));
  return Object.assign(translate, {
    language,
    formatDateTime: (ms: number) => {
      dates ??= dateTimeFormat(locale, language, timeZone);
      return dates.format(ms);
    },
  });
}

export const english: Translate = translator(FALLBACK_LANGUAGE);
