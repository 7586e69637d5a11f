// Recognising offer-bot's own messages: by the bot id (and app id) auth.test named, whatever metadata a message carries.
import { describe, expect, it } from 'vitest';
import { createOwnMessages } from '../../src/slack/own-messages.js';

const BOT_ID = 'B07QX4LCA9D';
const APP_ID = 'A07QX4LB8RV';
const ours = { bot_id: BOT_ID, app_id: APP_ID, bot_profile: { id: BOT_ID, app_id: APP_ID } };

const learnt = (auth: { bot_id?: string; user_id?: string; app_id?: string }) => {
  const own = createOwnMessages();
  own.learn(auth);
  return own;
};

describe('own messages', () => {
  it.each([
    ['posted by this app', ours, true],
    ['posted by another app', { bot_id: 'B09LOOKALK1', app_id: 'A09LOOKALK2', bot_profile: { id: 'B09LOOKALK1', app_id: 'A09LOOKALK2' } }, false],
    ["another app's, claiming our app id", { bot_id: 'B09LOOKALK1', app_id: APP_ID }, false],
    ['posted by a person', { app_id: APP_ID }, false],
    ['with our bot id but another bot profile', { ...ours, bot_profile: { id: 'B09LOOKALK1', app_id: APP_ID } }, false],
    ['with our bot id but another app id', { ...ours, app_id: 'A09LOOKALK2' }, false],
    ['with our bot id and no app id at all', { bot_id: BOT_ID }, true],
  ])('a message %s is ours: %s (auth.test named the app id)', (_what, message, expected) => {
    expect(learnt({ bot_id: BOT_ID, user_id: 'U07QX4M1B2C', app_id: APP_ID }).isOurs(message)).toBe(expected);
  });

  it('without an app id from auth.test, the bot id decides', () => {
    const own = learnt({ bot_id: BOT_ID, user_id: 'U07QX4M1B2C' });
    expect(own.isOurs(ours)).toBe(true);
    expect(own.isOurs({ bot_id: 'B09LOOKALK1', app_id: APP_ID })).toBe(false);
  });

  it('refuses a token auth.test names no bot for, and answers nothing before auth.test did', () => {
    expect(() => learnt({ user_id: 'U07QX4M1B2C' })).toThrow(/not a bot token/);
    expect(() => createOwnMessages().isOurs(ours)).toThrow(/before auth.test/);
  });
});
