// Each reader's language end to end: the channel speaks OFFER_CHANNEL_LANGUAGE, a person alone their Slack locale.
import { afterEach, describe, expect, it } from 'vitest';
import { ALICE, BOB, OFFER_ID, startBot, type Bot } from '../support/bot.js';

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
    expect(buttonTexts(confirmation)).toEqual(['Godkänn', 'Avvisa', 'Avbryt (beställaren)']);
    await bot.click('reject', confirmation, BOB);
    expect((await bot.nextThreadReply(confirmation)).text).toMatch(/^Begäran om att ta bort `[^`]+` från sandlådan `prod` avvisades av <@U0G9QF9C6> /);
  });

  it('without it, the channel stays English', async () => {
    bot = await startBot();
    await bot.command(`delete ${OFFER_ID}`, { user: ALICE });
    const confirmation = await bot.nextConfirmation();
    expect(confirmation.text).toContain('asks to delete personalized offer');
    expect(buttonTexts(confirmation)).toEqual(['Approve', 'Reject', 'Cancel (requester)']);
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
    expect(buttonTexts(confirmation)).toEqual(['Approve', 'Reject', 'Cancel (requester)']);
    await bot.click('approve', confirmation, ALICE);
    expect(await bot.nextEphemeral(ALICE)).toBe('Du kan inte godkänna din egen begäran: någon annan måste godkänna den.');
    expect((await bot.command('help', { user: ALICE })).body).toContain('tar bort ett personaliserat erbjudande');
    await bot.command('history', { user: ALICE });
    expect(await bot.nextResponse((text) => text.includes('nyast först'))).toBe('Senaste begäran om borttagning av erbjudanden, nyast först:');
    // Slack sent the locale because offer-bot asked for it.
    expect(bot.slack.calls.filter((call) => call.method === 'users.info').every((call) => String(call.args.include_locale) === 'true')).toBe(true);
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
      await bot.click('reject', confirmation, BOB);
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
