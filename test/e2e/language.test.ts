// Each reader's language end to end: the channel speaks OFFER_CHANNEL_LANGUAGE, a person alone their Slack locale.
import { afterEach, describe, expect, it } from 'vitest';
import { DELETE_FORM, EVENT_TYPE } from '../../src/slack/constants.js';
import { translator } from '../../src/slack/i18n/translator.js';
import { ALICE, BOB, CAROL, OFFER_ID, ours, startBot, type Bot } from '../support/bot.js';
import { commented, reject } from '../support/decisions.js';
import { filledIn, optionsOf } from '../support/delete-form.js';
import type { JsonObject, OpenedView, PostedMessage } from '../support/slack-api.js';

let bot: Bot;
afterEach(async () => {
  await bot?.stop();
});

const buttonTexts = (message: { blocks?: unknown }) =>
  JSON.stringify(message.blocks)
    .match(/"type":"button"[^}]*?"text":\{"type":"plain_text","text":"([^"]+)"/g)
    ?.map((match) => match.replace(/.*"text":"/, '').replace(/"$/, '')) ?? [];

const HALFWAY_MS = 15 * 60_000;
/** When the seeded offer was last changed in Journey Optimizer (the stand-in's Winter sale 20% off). */
const SEEDED_MODIFIED = Date.parse('2026-11-20T09:12:44.000Z');
const STOCKHOLM = { locale: 'sv-SE', tz: 'Europe/Stockholm' };

/** What a modal shows: its title, buttons and blocks, as one string to look for words in. */
const shown = (view: OpenedView) => JSON.stringify({ title: view.view.title, submit: view.view.submit, close: view.view.close, blocks: view.view.blocks });
const blocksOf = (view: JsonObject) => JSON.stringify(view.blocks);
/** The confirmation as its last chat.update left it. */
const latest = (b: Bot, message: PostedMessage) => JSON.stringify(b.slack.updates.filter((u) => u.ts === message.ts).at(-1)?.blocks ?? message.blocks);
const outcomeDm = (b: Bot, user: string) =>
  b.slack.waitFor(() => b.slack.directMessages(user).find((m) => ours(m) && m.metadata?.event_type === EVENT_TYPE.dm), 5_000);
const responseBlocks = (b: Bot, text: string) => JSON.stringify(b.slack.responses.findLast((response) => response.body.text === text)?.body.blocks);

/** `user` opens the delete form with `/offer delete` and types `typed` into its offer menu: the form, and the menu's options. */
async function formAndOptions(b: Bot, user: string, typed: string): Promise<{ view: OpenedView; options: string[][] }> {
  await b.command('delete', { user });
  const view = await b.nextView(user);
  return { view, options: optionsOf((await b.suggest(view, user, DELETE_FORM.offer, DELETE_FORM.offer, typed)).json) };
}

/** The Home tab `user` sees when they open it. */
async function home(b: Bot, user: string): Promise<string> {
  await b.openHome(user);
  return blocksOf(await b.nextHome(user));
}

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

describe('the surfaces added since, each in its reader’s language', () => {
  it('a Swedish-locale user gets the delete form, its options (a match, none, a failed search), its field error and its answer in Swedish; the confirmation stays in OFFER_CHANNEL_LANGUAGE', async () => {
    bot = await startBot({ users: { [ALICE]: STOCKHOLM } });
    const { view, options } = await formAndOptions(bot, ALICE, 'winter');
    expect(view.view).toMatchObject({ title: { text: 'Ta bort ett erbjudande' }, submit: { text: 'Be om godkännande' }, close: { text: 'Avbryt' } });
    expect(shown(view)).toContain('Hitta erbjudandet efter namn.');
    expect(shown(view)).toContain('Skriv en del av namnet');
    expect(shown(view)).toContain('Varför ska det bort? (t.ex. kampanjen är slut)');
    // The option is plain text: its time in her own zone, its status in Swedish.
    expect(options).toEqual([[`Winter sale 20% off · godkänt · ${translator('sv-SE', 'Europe/Stockholm').formatDateTime(SEEDED_MODIFIED)}`, OFFER_ID]]);
    expect(options[0]?.[0]).toMatch(/ CET$/);
    expect(optionsOf((await bot.suggest(view, ALICE, DELETE_FORM.offer, DELETE_FORM.offer, 'zzz')).json)).toEqual([
      ['Inget erbjudandes namn innehåller ”zzz”', '-'],
    ]);
    const picked = { text: options[0]?.[0] ?? '', value: OFFER_ID };
    const blank = await bot.submitView(view, ALICE, filledIn(picked, '   ', 'prod'));
    expect(blank.json).toEqual({ response_action: 'errors', errors: { [DELETE_FORM.reason]: 'Skriv varför erbjudandet ska tas bort.' } });
    await bot.submitView(view, ALICE, filledIn(picked, 'kampanjen är slut', 'prod'));
    expect(await bot.nextEphemeral(ALICE)).toBe(`Din begäran om att ta bort \`${OFFER_ID}\` är postad. Någon annan måste godkänna den innan den löper ut.`);
    const confirmation = await bot.nextConfirmation();
    expect(confirmation.text).toContain('asks to delete personalized offer');
    expect(JSON.stringify(confirmation.blocks)).toContain('*Status*\\napproved');
    bot.adobe.inject({ service: 'offers', method: 'GET', times: Infinity, respond: 'hang' });
    expect((await formAndOptions(bot, ALICE, 'win')).options).toEqual([['Sökningen misslyckades: försök igen strax', '-']]);
  });

  it('/offer find answers a Swedish-locale user in Swedish, the offers’ statuses too', async () => {
    bot = await startBot({ users: { [ALICE]: STOCKHOLM } });
    await bot.command('find winter', { user: ALICE });
    const text = await bot.nextResponse((t) => t.startsWith('Personaliserade'));
    expect(text).toBe('Personaliserade erbjudanden i sandlådan `prod` vars namn innehåller `winter`, senast ändrade först:');
    const blocks = responseBlocks(bot, text);
    expect(blocks).toContain('*Winter sale 20% off* `dps:personalized-offer:1a4c514f745dbd7c`\\ngodkänt · senast ändrat <!date^');
    expect(blocks).toContain('^{date_short_pretty} kl. {time}|');
    expect(blocks).toContain('Be om en borttagning: `/offer delete <offer-id> [reason]`');
    await bot.command('find loyalty', { user: ALICE });
    expect(responseBlocks(bot, await bot.nextResponse((t) => t.startsWith('Personaliserade')))).toContain('arkiverat · senast ändrat');
    await bot.command('find zzz', { user: ALICE });
    expect(await bot.nextResponse()).toBe('Inget personaliserat erbjudande i sandlådan `prod` har ett namn som innehåller `zzz`.');
  });

  it('a Swedish-locale approver gets the decision modal, its validation errors and the partial-approval notice in Swedish, while the confirmation’s update stays in OFFER_CHANNEL_LANGUAGE', async () => {
    bot = await startBot({ env: { OFFER_REQUIRED_APPROVALS: '2' }, users: { [BOB]: STOCKHOLM } });
    await bot.command(`delete ${OFFER_ID} campaign ended`, { user: ALICE });
    const confirmation = await bot.nextConfirmation();
    await bot.click('approveWithComment', confirmation, BOB);
    const approve = await bot.nextView(BOB);
    expect(approve.view).toMatchObject({ title: { text: 'Godkänn borttagning' }, submit: { text: 'Godkänn' }, close: { text: 'Tillbaka' } });
    expect(shown(approve)).toContain('Ditt godkännande är 1 av 2: erbjudandet tas bort efter det sista.');
    expect(shown(approve)).toContain('Visas i begärans tråd och sparas i granskningsloggen.');
    expect((await bot.submitView(approve, BOB, commented('x'.repeat(501)))).json).toEqual({
      response_action: 'errors',
      errors: { comment: 'Högst 500 tecken.' },
    });
    expect((await bot.submitView(approve, BOB, commented('kollat med kampanjägaren'))).status).toBe(200);
    await bot.settled();
    expect(latest(bot, confirmation)).toContain(`Approved by <@${BOB}> (1 of 2). Waiting for one more approval.`);
    expect(latest(bot, confirmation)).toContain(`<@${BOB}> wrote:`);
    await bot.click('approve', confirmation, BOB);
    expect(await bot.nextEphemeral(BOB)).toBe('Du har redan godkänt begäran: den behöver ett godkännande till, av någon annan.');
    await bot.click('reject', confirmation, BOB);
    const rejecting = await bot.nextView(BOB);
    expect(rejecting.view).toMatchObject({ title: { text: 'Avvisa borttagning' }, submit: { text: 'Avvisa' } });
    expect(shown(rejecting)).toContain('Att avvisa avslutar begäran och inget tas bort.');
    expect((await bot.submitView(rejecting, BOB, commented('  '))).json).toEqual({
      response_action: 'errors',
      errors: { comment: 'Skriv varför du avvisar: ett avvisande behöver en kommentar.' },
    });
    await bot.submitView(rejecting, BOB, commented('fel erbjudande'));
    expect((await bot.nextThreadReply(confirmation)).text).toMatch(/^Request to delete `[^`]+` from sandbox `prod` rejected by <@U0G9QF9C6> /);
  });

  it('a Swedish-locale person’s Home tab and a Swedish-locale requester’s DM are Swedish; the reminder and the outcome in the thread stay in OFFER_CHANNEL_LANGUAGE', async () => {
    bot = await startBot({ users: { [ALICE]: STOCKHOLM, [BOB]: STOCKHOLM } });
    await bot.command(`delete ${OFFER_ID} campaign ended`, { user: ALICE });
    const confirmation = await bot.nextConfirmation();
    bot.advanceClock(HALFWAY_MS);
    await bot.sweep();
    const reminder = await bot.nextThreadReply(confirmation);
    expect(reminder.text).toMatch(/^:bell: Still waiting for a decision: deleting personalized offer \*Winter sale 20% off\*/);
    expect(reminder.text).toContain(`Anyone in this workspace but <@${ALICE}> may approve or reject it above.`);
    const bobs = await home(bot, BOB);
    expect(bobs).toContain('"text":"Borttagning av erbjudanden"');
    const [waiting, own] = bobs.split('Dina senaste begäranden');
    expect(waiting).toContain('*Väntar på ditt beslut*');
    expect(waiting).toContain(':hourglass: väntar på godkännande till <!date^');
    expect(own).toContain('Du har inte bett om att ta bort några erbjudanden ännu.');
    expect(bobs).toContain('Be om en borttagning med `/offer delete <offer-id> [reason]`');
    const alices = await home(bot, ALICE);
    expect(alices).toContain('Inget väntar på ditt beslut.');
    expect(alices.split('Dina senaste begäranden')[1]).toContain(`Begärd av <@${ALICE}>`);
    await reject(bot, confirmation, CAROL, 'not now');
    expect((await bot.nextThreadReply(confirmation)).text).toMatch(/^Request to delete `[^`]+` from sandbox `prod` rejected by <@W012A3CDE> /);
    const dm = await outcomeDm(bot, ALICE);
    expect(dm.text).toContain('Din begäran om att ta bort det personaliserade erbjudandet *Winter sale 20% off*');
    expect(dm.text).toContain(`:no_entry_sign: Avvisat av <@${CAROL}>.`);
    expect(dm.text).toContain('|Öppna tråden> i <#');
  });

  it('a user whose locale offer-bot has no catalogue for (ja-JP), or whose locale is empty, gets English on every one of these surfaces', async () => {
    bot = await startBot({ env: { OFFER_REQUIRED_APPROVALS: '2' }, users: { [ALICE]: { locale: '' }, [BOB]: { locale: 'ja-JP', tz: 'Asia/Tokyo' } } });
    const { view, options } = await formAndOptions(bot, BOB, 'winter');
    expect(view.view).toMatchObject({ title: { text: 'Delete an offer' }, submit: { text: 'Ask for approval' }, close: { text: 'Cancel' } });
    expect(options[0]?.[0]).toMatch(/^Winter sale 20% off · approved · /);
    expect(optionsOf((await bot.suggest(view, BOB, DELETE_FORM.offer, DELETE_FORM.offer, 'zzz')).json)).toEqual([['No offer name contains “zzz”', '-']]);
    await bot.command('find winter', { user: BOB });
    const found = await bot.nextResponse((t) => t.startsWith('Personalized'));
    expect(responseBlocks(bot, found)).toContain('approved · last changed <!date^');
    await bot.command(`delete ${OFFER_ID} campaign ended`, { user: ALICE });
    expect(await bot.nextResponse((t) => t.startsWith('Posted'))).toMatch(/^Posted your request to delete `[^`]+`\. Someone else must approve it/);
    const confirmation = await bot.nextConfirmation();
    const bobs = await home(bot, BOB);
    expect(bobs).toContain('*Waiting for your decision*');
    expect(bobs).toContain(':hourglass: waiting for approval until <!date^');
    await bot.click('approveWithComment', confirmation, BOB);
    const approve = await bot.nextView(BOB);
    expect(approve.view).toMatchObject({ title: { text: 'Approve deletion' }, close: { text: 'Back' } });
    expect(shown(approve)).toContain('Your approval is 1 of 2: the offer is deleted after the last one.');
    await bot.submitView(approve, BOB, commented(''));
    await bot.settled();
    await bot.click('approve', confirmation, BOB);
    expect(await bot.nextEphemeral(BOB)).toBe('You already approved this request: it needs one more approval, from someone else.');
    await bot.click('reject', confirmation, BOB);
    const rejecting = await bot.nextView(BOB);
    expect((await bot.submitView(rejecting, BOB, commented(' '))).json).toEqual({
      response_action: 'errors',
      errors: { comment: 'Say why you reject it: a Reject needs a comment.' },
    });
    await bot.submitView(rejecting, BOB, commented('wrong offer'));
    expect((await outcomeDm(bot, ALICE)).text).toContain(`:no_entry_sign: Rejected by <@${BOB}>.`);
  });

  it('with OFFER_CHANNEL_LANGUAGE=sv and an English reader, the channel is Swedish (confirmation, update, reminder, thread) and what the reader reads alone is English', async () => {
    bot = await startBot({ env: { OFFER_CHANNEL_LANGUAGE: 'sv', OFFER_REQUIRED_APPROVALS: '2' } });
    await bot.command(`delete ${OFFER_ID} campaign ended`, { user: ALICE });
    expect(await bot.nextResponse((t) => t.startsWith('Posted'))).toMatch(/^Posted your request to delete/);
    const confirmation = await bot.nextConfirmation();
    expect(confirmation.text).toContain('vill ta bort det personaliserade erbjudandet');
    expect(JSON.stringify(confirmation.blocks)).toContain('*Status*\\ngodkänt');
    expect(JSON.stringify(confirmation.blocks)).toContain('Måste godkännas av 2 olika personer utöver beställaren. Löper ut <!date^');
    bot.advanceClock(HALFWAY_MS);
    await bot.sweep();
    expect((await bot.nextThreadReply(confirmation)).text).toMatch(/^:bell: Väntar fortfarande på ett beslut: borttagning av det personaliserade erbjudandet/);
    await bot.click('approveWithComment', confirmation, BOB);
    const approve = await bot.nextView(BOB);
    expect(approve.view).toMatchObject({ title: { text: 'Approve deletion' } });
    await bot.submitView(approve, BOB, commented('checked'));
    await bot.settled();
    expect(latest(bot, confirmation)).toContain(`Godkänt av <@${BOB}> (1 av 2). Väntar på ett godkännande till.`);
    await bot.click('approve', confirmation, BOB);
    expect(await bot.nextEphemeral(BOB)).toBe('You already approved this request: it needs one more approval, from someone else.');
    expect(await home(bot, CAROL)).toContain('*Waiting for your decision*');
    const { view, options } = await formAndOptions(bot, CAROL, 'free');
    expect(view.view).toMatchObject({ title: { text: 'Delete an offer' } });
    expect(options[0]?.[0]).toMatch(/^Free shipping over \$50 · draft · /);
    await reject(bot, confirmation, CAROL, 'not yet');
    expect((await bot.nextThreadReply(confirmation)).text).toMatch(/^Begäran om att ta bort `[^`]+` från sandlådan `prod` avvisades av <@W012A3CDE> /);
    expect((await outcomeDm(bot, ALICE)).text).toContain(`Your request to delete personalized offer *Winter sale 20% off*`);
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
