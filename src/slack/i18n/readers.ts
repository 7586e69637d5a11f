// The translator for one reader, from their Slack locale: English when Slack cannot say in time.
import type { ReaderDirectory } from '../people.js';
import { english, type Translate, translator } from './translator.js';

/**
 * How long an ack waits for a reader's locale before answering in English: Slack drops an ack after 3 s, and
 * the look-up is usually a cache hit or one quick users.info call.
 */
export const ACK_LOCALE_BUDGET_MS = 1_000;

/** A person's translator; never throws. */
export type ReaderTranslator = (userId: string, budgetMs?: number) => Promise<Translate>;

export function readerTranslator(readers: ReaderDirectory): ReaderTranslator {
  return async (userId, budgetMs) => {
    const lookUp = readers.readerOf(userId).then(
      (reader) => translator(reader.locale, reader.tz),
      () => english,
    );
    if (budgetMs === undefined) return lookUp;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<Translate>((resolve) => {
      timer = setTimeout(() => resolve(english), budgetMs);
      timer.unref();
    });
    try {
      return await Promise.race([lookUp, late]);
    } finally {
      clearTimeout(timer);
    }
  };
}
