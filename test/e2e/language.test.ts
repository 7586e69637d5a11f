// Each reader's language end to end: the channel speaks OFFER_CHANNEL_LANGUAGE, a person alone their Slack locale.
import { afterEach, describe, expect, it } from 'vitest';
import { ALICE, OFFER_ID, startBot, type Bot } from '../support/bot.js';

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
    expect(buttonTexts(confirmation)).toEqual(['Godkänn', 'Avvisa', 'Återkalla (den som bad)']);
  });

  it('without it, the channel stays English', async () => {
    bot = await startBot();
    await bot.command(`delete ${OFFER_ID}`, { user: ALICE });
    const confirmation = await bot.nextConfirmation();
    expect(confirmation.text).toContain('asks to delete personalized offer');
    expect(buttonTexts(confirmation)).toEqual(['Approve', 'Reject', 'Cancel (requester)']);
  });
});
