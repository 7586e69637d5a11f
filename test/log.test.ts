// Secrets scrubbed out of logged text: each pattern in each form Slack's clients write it, and nothing else touched.
import { describe, expect, it } from 'vitest';
import { createLogger, SCRUBBED, scrub } from '../src/log.js';
import { boltLogger } from '../src/slack/bolt-logger.js';

const VERIFICATION_TOKEN = 'gIkuvaNzQIHg97ATvDxqgjtO';
const HOOK_SECRET = 'Kx6v0cGz7aVoYlqD2dSdoZ3P';

describe('scrub', () => {
  it.each([
    ['a JSON payload', `{"token":"${VERIFICATION_TOKEN}","team_id":"T1"}`, `{"token":"${SCRUBBED}","team_id":"T1"}`],
    ['a JSON string inside JSON', `"payload":"{\\"token\\":\\"${VERIFICATION_TOKEN}\\"}"`, `"payload":"{\\"token\\":\\"${SCRUBBED}\\"}"`],
    ['an inspected object', `{ token: '${VERIFICATION_TOKEN}', tokens: 3 }`, `{ token: '${SCRUBBED}', tokens: 3 }`],
    ['a form body', `token=${VERIFICATION_TOKEN}&team_id=T1`, `token=${SCRUBBED}&team_id=T1`],
    ['a percent-encoded payload field', `payload=%7B%22token%22%3A%22${VERIFICATION_TOKEN}%22%7D`, `payload=%7B%22token%22%3A%22${SCRUBBED}%22%7D`],
    [
      'secrets by any name',
      '{"access_token":"eyJ0","client_secret":"p8e-1","signingSecret":"s"}',
      `{"access_token":"${SCRUBBED}","client_secret":"${SCRUBBED}","signingSecret":"${SCRUBBED}"}`,
    ],
    ['a bearer header', 'Authorization: Bearer xoxb-1-2-abc', `Authorization: Bearer ${SCRUBBED}`],
    ['user, refresh and configuration tokens', 'xoxp-1-a xoxe-1-b xoxe.xoxp-1-c', `${SCRUBBED} ${SCRUBBED} ${SCRUBBED}`],
    ['an app-level token', 'connecting with xapp-1-FAKE-1-abc', `connecting with ${SCRUBBED}`],
    [
      'a Socket Mode connection URL',
      'wss://wss-primary.slack.com/link/?ticket=4c88f550-ea1c&app_id=A1',
      `wss://wss-primary.slack.com/link/?ticket=${SCRUBBED}&app_id=A1`,
    ],
  ])('takes the secret out of %s', (_form, text, scrubbed) => {
    expect(scrub(text)).toBe(scrubbed);
  });

  it.each([
    ['in a JSON field', `{"response_url":"https://hooks.slack.com/commands/T024BE7LD/7910383848576/${HOOK_SECRET}"}`],
    [
      'with the slashes JSON-escaped, as Slack writes them',
      `{"response_url":"https:\\/\\/hooks.slack.com\\/commands\\/T024BE7LD\\/7910383848576\\/${HOOK_SECRET}"}`,
    ],
    ['percent-encoded in a form body', `response_url=https%3A%2F%2Fhooks.slack.com%2Factions%2FT024BE7LD%2F7910383848576%2F${HOOK_SECRET}`],
    ['on its own in a sentence', `posting to https://hooks.slack.com/actions/T024BE7LD/7910383848576/${HOOK_SECRET} failed`],
  ])('takes a response_url out %s', (_form, text) => {
    expect(scrub(text)).not.toContain(HOOK_SECRET);
    expect(scrub(text)).toContain(SCRUBBED);
  });

  it('leaves everything else as it was', () => {
    const text =
      '{"ok":true,"token_type":"bearer","expires_in":86399,"trigger_id":"7910.2147.4f0b","team_id":"T024BE7LD","text":"delete dps:personalized-offer:1a4c campaign ended","url":"https://example.slack.com/"}';
    expect(scrub(text)).toBe(text);
  });
});

describe("Bolt's logger", () => {
  function captured() {
    const lines: Array<Record<string, unknown>> = [];
    const bolt = boltLogger(createLogger('debug', { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) }));
    return { bolt, lines };
  }

  it('writes objects as JSON, scrubbed, not as [object Object]', () => {
    const { bolt, lines } = captured();
    bolt.debug('Received a message on the WebSocket:', { type: 'slash_commands', payload: { token: VERIFICATION_TOKEN, channel_id: 'C1' } });
    expect(lines.map((line) => line.msg)).toEqual([
      `Received a message on the WebSocket: {"type":"slash_commands","payload":{"token":"${SCRUBBED}","channel_id":"C1"}}`,
    ]);
    expect(lines[0]).toMatchObject({ component: 'bolt', level: 20 });
  });

  it('scrubs every level, errors, and objects JSON cannot write', () => {
    const { bolt, lines } = captured();
    const cyclic: Record<string, unknown> = { botToken: 'xoxb-1-abc' };
    cyclic.self = cyclic;
    bolt.info('token=xoxb-1-abc');
    bolt.warn(new Error('refused xapp-1-A1-abc'));
    bolt.error('failed:', cyclic);
    const text = JSON.stringify(lines);
    expect(text).not.toMatch(/xoxb-|xapp-/);
    expect(lines.map((line) => line.level)).toEqual([30, 40, 50]);
    expect(String(lines[1]?.msg)).toContain('Error: refused');
  });
});
