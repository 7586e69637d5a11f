// The Slack app manifest passes Slack's schema in both modes, and asks for exactly what the code uses.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeNeeds } from '../manifest/code.js';
import { HOST_PLACEHOLDER, httpVariant, manifestProblems, parseManifest, readManifest, socketModeVariant, toManifest } from '../manifest/manifest.js';
import { OFFER_COMMAND } from '../src/slack/constants.js';

const manifest = toManifest(readManifest());
const socket = toManifest(socketModeVariant(readManifest()));
const needs = codeNeeds();

describe("Slack's manifest schema", () => {
  it('accepts the HTTP manifest as checked in, and with a real host filled in', () => {
    expect(manifestProblems(manifest)).toEqual([]);
    const filled = toManifest(httpVariant(readManifest(), 'offer-bot.example.com'));
    expect(manifestProblems(filled)).toEqual([]);
    expect(JSON.stringify(filled)).not.toContain(HOST_PLACEHOLDER);
  });

  it('accepts the Socket Mode variant, which has no URLs and turns Socket Mode on', () => {
    expect(manifestProblems(socket)).toEqual([]);
    expect(socket.settings?.socket_mode_enabled).toBe(true);
    expect(JSON.stringify(socket)).not.toMatch(/url|YOUR-HOST/);
  });

  it('refuses what Slack would refuse, so a pass means something', () => {
    const bad = parseManifest(`
display_information: { name: offer-bot, description: "${'x'.repeat(141)}" }
features:
  slash_commands: [{ command: offer, description: d, url: "https://h/slack/events" }]
  bot_user: { display_name: offer-bot, colour: red }
`);
    expect(manifestProblems(toManifest(bad))).toEqual([
      '/display_information/description must NOT have more than 140 characters',
      '/features/bot_user must NOT have additional properties (colour)',
      '/features/slash_commands/0/command must match pattern "^\\/"',
    ]);
  });

  it('an HTTP manifest without request URLs is refused', () => {
    const noUrls = socketModeVariant(readManifest());
    noUrls.setIn(['settings', 'socket_mode_enabled'], false);
    expect(manifestProblems(toManifest(noUrls))).toHaveLength(2);
  });
});

describe('the manifest and the code agree', () => {
  it('the scan of src/ understands every Web API method and listener the code uses', () => {
    expect(needs.unknown).toEqual([]);
  });

  it('the slash command is the one the code registers', () => {
    expect(manifest.features?.slash_commands?.map((c) => c.command)).toEqual([OFFER_COMMAND]);
    expect(needs.commands).toEqual([OFFER_COMMAND]);
  });

  it('the bot scopes are exactly those the called Web API methods and listeners need', () => {
    expect([...(manifest.oauth_config?.scopes?.bot ?? [])].sort()).toEqual(needs.scopes);
    expect(manifest.oauth_config?.scopes?.user).toBeUndefined();
  });

  it('the manifest subscribes to exactly the events the code listens to, and turns on the Home and Messages tabs they use', () => {
    expect([...(manifest.settings?.event_subscriptions?.bot_events ?? [])].sort()).toEqual(needs.events);
    expect(needs.events).toEqual(['app_home_opened']);
    expect(readManifest().getIn(['features', 'app_home', 'home_tab_enabled'])).toBe(true);
    expect(readManifest().getIn(['features', 'app_home', 'messages_tab_enabled'])).toBe(true);
  });

  it('the options load URL is set when the code answers options (the delete form’s menu), and only then', () => {
    expect(Boolean(manifest.settings?.interactivity?.message_menu_options_url)).toBe(needs.listeners.includes('options'));
  });

  it('every request URL ends in the endpoint the app listens on', () => {
    const urls = [
      ...(manifest.features?.slash_commands ?? []).map((c) => c.url),
      manifest.settings?.interactivity?.request_url,
      manifest.settings?.event_subscriptions?.request_url,
      manifest.settings?.interactivity?.message_menu_options_url,
    ];
    for (const url of urls) expect(needs.endpoints).toContain(new URL(String(url)).pathname);
  });
});

describe('the scan of src/', () => {
  it('flags a method missing from the scope table, resolves command constants, and ignores comments', () => {
    const dir = mkdtempSync(join(tmpdir(), 'offer-bot-scan-'));
    try {
      writeFileSync(join(dir, 'constants.ts'), "export const CMD = '/thing';\n");
      writeFileSync(
        join(dir, 'app.ts'),
        [
          '// client.users.info( in a comment does not count',
          'app.command(CMD, async () => {});',
          'await client.chat',
          '  .postMessage({ channel, text }); // https://example.com',
          'await client.conversations.members({ channel });',
        ].join('\n'),
      );
      const scanned = codeNeeds(dir);
      expect(scanned.commands).toEqual(['/thing']);
      expect(scanned.methods).toEqual(['chat.postMessage', 'conversations.members']);
      expect(scanned.unknown).toEqual(['Web API method conversations.members (called in app.ts) is not in METHOD_SCOPES']);
      expect(scanned.scopes).toEqual(['chat:write', 'commands']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
