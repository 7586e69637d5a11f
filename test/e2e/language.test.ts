// Each reader's language end to end: the channel speaks OFFER_CHANNEL_LANGUAGE, a person alone their Slack locale.
import { afterEach, describe, expect, it } from 'vitest';
import { translator } from '../../src/slack/i18n/translator.js';
import { ALICE, BOB, CAROL, OFFER_ID, startBot, type Bot } from '../support/bot.js';
import { reject } from '../support/decisions.js';

let bot: Bot;
afterEach(async () => {
  await bot?.stop();
});

const buttonTexts = (message: { blocks?: unknown }) =>
  JSON.stringify(message.blocks)
    .match(/"type":"button"[^}]*?"text":\{"type":"plain_text","text":"([^"]+)"/g)
    ?.map((match) => match.replace(/.*"text":"/, '').replace(/"$/, '')) ?? [];

describe('OFFER_CHANNEL_LANGUAGE', () => {
  it('the confirmation in the channel is in Swedish with OFFER_CHANNEL_LANGUAGE=sv, buttons included', async () => {
    bot = await startBot({ env: { OFFER_CHANNEL_LANGUAGE: 'sv' } });
    await bot.command(`delete ${OFFER_ID} kampanjen är slut`, { user: ALICE });
    const confirmation = await bot.nextConfirmation();
    expect(confirmation.text).toContain('vill ta bort det personaliserade erbjudandet');
    expect(JSON.stringify(confirmation.blocks)).toContain('Måste godkännas av någon annan');
    expect(buttonTexts(confirmation)).toEqual(['Godkänn', 'Godkänn med kommentar…', 'Avvisa', 'Avbryt (beställaren)']);
    await reject(bot, confirmation, BOB);
    expect((await bot.nextThreadReply(confirmation)).text).toMatch(/^Begäran om att ta bort `[^`]+` från sandlådan `prod` avvisades av <@U0G9QF9C6> /);
  });

  it('with OFFER_CHANNEL_LANGUAGE=sv, the thread explains a deletion’s outcome in Swedish, the confirmation’s update too', async () => {
    bot = await startBot({ env: { OFFER_CHANNEL_LANGUAGE: 'sv' } });
    bot.adobe.usedBy.set(OFFER_ID, [{ kind: 'collection', name: 'Winter collection' }]);
    await bot.command(`delete ${OFFER_ID}`, { user: ALICE });
    const confirmation = await bot.nextConfirmation();
    await bot.click('approve', confirmation, BOB);
    const reply = await bot.nextThreadReply(confirmation);
    expect(reply.text).toContain(':x: Tog inte bort det personaliserade erbjudandet');
    expect(reply.text).toContain('Adobe ville inte ta bort det eftersom en samling eller ett beslut fortfarande använder det');
    // Adobe's own words are quoted as Adobe wrote them.
    expect(reply.text).toContain("referenced by collection 'Winter collection'");
    expect(reply.text).not.toContain('Adobe would not delete it');
    await bot.settled();
    expect(JSON.stringify(bot.slack.messages.find((m) => m.ts === confirmation.ts)?.blocks)).toContain('Inte borttaget: Adobe ville inte ta bort det');
  });

  it('without it, the channel stays English', async () => {
    bot = await startBot();
    await bot.command(`delete ${OFFER_ID}`, { user: ALICE });
    const confirmation = await bot.nextConfirmation();
    expect(confirmation.text).toContain('asks to delete personalized offer');
    expect(buttonTexts(confirmation)).toEqual(['Approve', 'Approve with comment…', 'Reject', 'Cancel (requester)']);
  });
});

describe('a person alone is answered in their Slack locale', () => {
  it('a Swedish-locale user gets Swedish answers and refusals while the channel message stays in OFFER_CHANNEL_LANGUAGE', async () => {
    bot = await startBot({ users: { [ALICE]: { locale: 'sv-SE', tz: 'Europe/Stockholm' } } });
    const ack = await bot.command(`delete ${OFFER_ID}`, { user: ALICE });
    expect(ack.body).toContain('Slår upp erbjudandet');
    expect(await bot.nextResponse()).toMatch(/^Din begäran om att ta bort `[^`]+` är postad\. Någon annan måste godkänna den/);
    const confirmation = await bot.nextConfirmation();
    expect(confirmation.text).toContain('asks to delete personalized offer');
    expect(buttonTexts(confirmation)).toEqual(['Approve', 'Approve with comment…', 'Reject', 'Cancel (requester)']);
    await bot.click('approve', confirmation, ALICE);
    expect(await bot.nextEphemeral(ALICE)).toBe('Du kan inte godkänna din egen begäran: någon annan måste godkänna den.');
    expect((await bot.command('help', { user: ALICE })).body).toContain('tar bort ett personaliserat erbjudande');
    await bot.command('history', { user: ALICE });
    expect(await bot.nextResponse((text) => text.includes('nyast först'))).toBe('Senaste begäran om borttagning av erbjudanden, nyast först:');
    // Slack sent the locale because offer-bot asked for it.
    expect(bot.slack.calls.filter((call) => call.method === 'users.info').every((call) => String(call.args.include_locale) === 'true')).toBe(true);
  });

  it('a Swedish-locale user reads how a deletion ended in Swedish in /offer history, though the thread said it in English', async () => {
    bot = await startBot({ users: { [BOB]: { locale: 'sv-SE', tz: 'Europe/Stockholm' } } });
    await bot.command(`delete ${OFFER_ID}`, { user: ALICE });
    const confirmation = await bot.nextConfirmation();
    bot.adobe.inject({ service: 'offers', method: 'DELETE', respond: { status: 403, body: { title: 'Forbidden', status: 403 } } });
    await bot.click('approve', confirmation, CAROL);
    expect((await bot.nextThreadReply(confirmation)).text).toContain('Adobe refused the DELETE: ');
    await bot.command('history', { user: BOB });
    const history = await bot.nextResponse((text) => text.includes('nyast först'));
    const blocks = JSON.stringify(bot.slack.responses.findLast((r) => r.body.text === history)?.body.blocks);
    // The client's own diagnostic inside it is quoted as written (English), like Adobe's words; the history clips the sentence.
    expect(blocks).toMatch(
      /:x: inte borttagen, godkänd av <@W012A3CDE> <!date\^\d+\^\{date_short_pretty\} kl\. \{time\}\|[^>]+>: Adobe avvisade DELETE: the Offer Library answered HTTP 403/,
    );
    expect(blocks).not.toContain('Adobe refused');
  });

  it('a time inside the outcome sentence is plain text in the reader’s own time zone (users.info tz), in UTC in the channel', async () => {
    bot = await startBot({ users: { [BOB]: { locale: 'sv-SE', tz: 'Europe/Stockholm' } } });
    await bot.command(`delete ${OFFER_ID}`, { user: ALICE });
    const confirmation = await bot.nextConfirmation();
    const modified = Date.parse(bot.adobe.modifyOffer(OFFER_ID).modified);
    await bot.click('approve', confirmation, CAROL);
    const thread = (await bot.nextThreadReply(confirmation)).text;
    expect(thread).toContain(`modified ${translator('en').formatDateTime(modified)} by someone-else@example.com`);
    expect(thread).toMatch(/ UTC by /);
    await bot.command('history', { user: BOB });
    const history = await bot.nextResponse((text) => text.includes('nyast först'));
    const blocks = JSON.stringify(bot.slack.responses.findLast((r) => r.body.text === history)?.body.blocks);
    const inStockholm = translator('sv-SE', 'Europe/Stockholm').formatDateTime(modified);
    expect(inStockholm).toMatch(/ (CET|CEST)$/);
    expect(blocks).toContain(`erbjudandet ändrades efter begäran (etag 7 → 8, ändrat ${inStockholm} av someone-else@example.com)`);
  });

  it('a Swedish-locale user is told in Swedish why offer-bot could not read their command, before the Swedish usage', async () => {
    bot = await startBot({ users: { [ALICE]: { locale: 'sv-SE' } } });
    const notAnId = await bot.command('delete a/b', { user: ALICE });
    expect(notAnId.body).toMatch(/^Det är inget id för ett erbjudande: ett id består av bokstäver, siffror/);
    expect(notAnId.body).toContain('tar bort ett personaliserat erbjudande');
    expect((await bot.command('lista', { user: ALICE })).body).toMatch(/^`lista` är inget \/offer-kommando\./);
    expect((await bot.command('list', { user: BOB })).body).toMatch(/^`list` is not an \/offer command\./);
  });

  it('a user whose locale offer-bot has no catalogue for gets English, beside a Swedish colleague', async () => {
    bot = await startBot({ users: { [ALICE]: { locale: 'sv-SE' }, [BOB]: { locale: 'ja-JP' } } });
    await bot.command(`delete ${OFFER_ID}`, { user: ALICE });
    const confirmation = await bot.nextConfirmation();
    await bot.click('cancel', confirmation, BOB);
    expect(await bot.nextEphemeral(BOB)).toBe('Only the person who asked for this deletion can cancel it.');
    expect((await bot.command('help', { user: BOB })).body).toContain('deletes a personalized offer');
  });
});

describe('message metadata', () => {
  it('is the same codes and facts whatever the channel language: no sentence in it', async () => {
    const metadataIn = async (language: string) => {
      bot = await startBot({ env: { OFFER_CHANNEL_LANGUAGE: language } });
      await bot.command(`delete ${OFFER_ID} kampanjen är slut`, { user: ALICE });
      const confirmation = await bot.nextConfirmation();
      // Read before the click: the stand-in shows the message as chat.update leaves it.
      const asPosted = structuredClone(confirmation.metadata);
      await reject(bot, confirmation, BOB);
      const outcome = await bot.nextThreadReply(confirmation);
      const facts = (payload: Record<string, unknown> | undefined) => {
        const { request_id: _request, expires_at: _expires, ...rest } = payload ?? {};
        return rest;
      };
      return [asPosted, outcome.metadata].map((metadata) => ({ event_type: metadata?.event_type, facts: facts(metadata?.event_payload) }));
    };
    const english = await metadataIn('en');
    await bot.stop();
    const swedish = await metadataIn('sv');
    expect(swedish).toEqual(english);
    expect(english[1]?.facts).toMatchObject({ outcome: 'rejected', decided_by: BOB });
  });
});
