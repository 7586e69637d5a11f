import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseDuration } from '../src/config.js';

const valid = {
  SLACK_BOT_TOKEN: 'xoxb-test-bot-token',
  SLACK_SIGNING_SECRET: 'signing-secret-for-tests',
  ADOBE_CLIENT_ID: 'client-id-123',
  ADOBE_CLIENT_SECRET: 'fake-secret-client-secret-for-tests',
  ADOBE_ORG_ID: '0123456789ABCDEF@AdobeOrg',
};

const problems = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('configuration from the environment', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig(valid);
    expect(config.slack.apiUrl).toBe('https://slack.com/api/');
    expect(config.slack.port).toBe(3000);
    expect(config.adobe.offerApiUrl).toBe('https://platform.adobe.io/data/core/dps');
    expect(config.adobe.imsUrl).toBe('https://ims-na1.adobelogin.com');
    expect(config.adobe.sandbox).toBe('prod');
    expect(config.approval).toEqual({ approvers: null, allowSelfApproval: false, allowGuestRequests: true, allowedChannels: null, ttlMs: 30 * 60_000 });
    expect(config.verifyTimeoutMs).toBe(30_000);
    expect(config.workLeaseMs).toBe(120_000);
    expect(config.sweepIntervalMs).toBe(15_000);
    expect(config.outboxRetentionMs).toBe(30 * 86_400_000);
    expect(config.maxOpenPerUser).toBe(10);
    expect(config.slack.teamId).toBeNull();
  });

  it('reads whether guests may ask, and refuses anything but true or false', () => {
    expect(loadConfig({ ...valid, OFFER_ALLOW_GUEST_REQUESTS: 'false' }).approval.allowGuestRequests).toBe(false);
    expect(() => loadConfig({ ...valid, OFFER_ALLOW_GUEST_REQUESTS: 'no' })).toThrow(/OFFER_ALLOW_GUEST_REQUESTS: must be true or false/);
  });

  it.each(['SLACK_API_URL', 'ADOBE_OFFER_API_URL', 'ADOBE_IMS_URL'])('refuses an http:// %s, saying how to allow one', (name) => {
    expect(problems({ ...valid, [name]: 'http://127.0.0.1:8080/api' })).toEqual([
      `${name}: must be an https:// URL (OFFER_ALLOW_INSECURE_UPSTREAMS=true allows http://, for tests and local stand-ins only)`,
    ]);
  });

  it('takes http:// upstreams with OFFER_ALLOW_INSECURE_UPSTREAMS=true, and tells the Adobe clients', () => {
    expect(loadConfig(valid).adobe.allowHttp).toBe(false);
    const config = loadConfig({
      ...valid,
      OFFER_ALLOW_INSECURE_UPSTREAMS: 'true',
      SLACK_API_URL: 'http://127.0.0.1:8080/api',
      ADOBE_OFFER_API_URL: 'http://127.0.0.1:8081/data/core/dps',
      ADOBE_IMS_URL: 'http://127.0.0.1:8082',
    });
    expect(config.slack.apiUrl).toBe('http://127.0.0.1:8080/api/');
    expect(config.adobe).toMatchObject({ offerApiUrl: 'http://127.0.0.1:8081/data/core/dps', imsUrl: 'http://127.0.0.1:8082', allowHttp: true });
  });

  it('posts in the channel in English unless OFFER_CHANNEL_LANGUAGE says Swedish', () => {
    expect(loadConfig(valid).channelLanguage).toBe('en');
    expect(loadConfig({ ...valid, OFFER_CHANNEL_LANGUAGE: 'sv' }).channelLanguage).toBe('sv');
  });

  it('reads the workspace to serve and the per-user limit', () => {
    const config = loadConfig({ ...valid, SLACK_TEAM_ID: 'T024BE7LD', OFFER_MAX_OPEN_PER_USER: '3' });
    expect(config.slack.teamId).toBe('T024BE7LD');
    expect(config.maxOpenPerUser).toBe(3);
  });

  it.each([
    ['90s', 90_000],
    ['30m', 1_800_000],
    ['2h', 7_200_000],
    ['30d', 2_592_000_000],
    ['30', null],
    ['1.5h', null],
    ['-1m', null],
  ])('reads the duration %j as %j ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it('reads the outbox retention in days, and says what it takes when it is 0, too short or not a duration', () => {
    expect(loadConfig({ ...valid, OFFER_OUTBOX_RETENTION: '7d' }).outboxRetentionMs).toBe(7 * 86_400_000);
    expect(problems({ ...valid, OFFER_OUTBOX_RETENTION: '0' })).toEqual(['OFFER_OUTBOX_RETENTION: "0" is not a duration such as 90s, 30m, 2h or 30d']);
    expect(problems({ ...valid, OFFER_OUTBOX_RETENTION: '0d' })).toEqual(['OFFER_OUTBOX_RETENTION: must be between 1h and 3650d']);
    expect(problems({ ...valid, OFFER_OUTBOX_RETENTION: '30m' })).toEqual(['OFFER_OUTBOX_RETENTION: must be between 1h and 3650d']);
    expect(problems({ ...valid, OFFER_OUTBOX_RETENTION: '30 days' })).toEqual([expect.stringMatching(/^OFFER_OUTBOX_RETENTION: "30 days" is not a duration/)]);
  });

  it('reports every problem on its own line and names each variable', () => {
    const lines = problems({ SLACK_BOT_TOKEN: 'xoxp-user-token', OFFER_APPROVAL_TTL: 'soon', OFFER_APPROVERS: 'U123ABC,alice', PORT: 'eighty' });
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^SLACK_BOT_TOKEN: .*xoxb-/),
        expect.stringMatching(/^SLACK_SIGNING_SECRET: is required in HTTP mode/),
        expect.stringMatching(/^ADOBE_CLIENT_ID: /),
        expect.stringMatching(/^ADOBE_CLIENT_SECRET: is required/),
        expect.stringMatching(/^ADOBE_ORG_ID: /),
        expect.stringMatching(/^OFFER_APPROVAL_TTL: /),
        expect.stringMatching(/^OFFER_APPROVERS: .*alice/),
        expect.stringMatching(/^PORT: /),
      ]),
    );
  });

  it('never echoes a secret value in a problem', () => {
    const lines = problems({
      ...valid,
      SLACK_BOT_TOKEN: 'xoxp-SECRETVALUE',
      ADOBE_CLIENT_SECRET: 'has space SECRETVALUE',
      SLACK_SIGNING_SECRET: 'bad secret SECRETVALUE',
    });
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).not.toContain('SECRETVALUE');
  });

  it('Socket Mode needs no signing secret', () => {
    const { SLACK_SIGNING_SECRET: _, ...rest } = valid;
    expect(loadConfig({ ...rest, SLACK_APP_TOKEN: 'xapp-1-A0-test' }).slack.appToken).toBe('xapp-1-A0-test');
  });

  it('reads approver and channel lists', () => {
    const config = loadConfig({
      ...valid,
      OFFER_APPROVERS: 'U024BE7LH, W012A3CDE,S0614TZR7',
      OFFER_ALLOWED_CHANNELS: 'C024BE91L',
      OFFER_ALLOW_SELF_APPROVAL: 'true',
    });
    expect(config.approval).toMatchObject({ approvers: ['U024BE7LH', 'W012A3CDE', 'S0614TZR7'], allowedChannels: ['C024BE91L'], allowSelfApproval: true });
  });

  it.each([
    ['SLACK_API_URL', 'ftp://slack.example/api'],
    ['ADOBE_OFFER_API_URL', 'not a url'],
    ['OFFER_ALLOW_SELF_APPROVAL', 'yes'],
    ['OFFER_ALLOW_INSECURE_UPSTREAMS', 'yes'],
    ['OFFER_VERIFY_TIMEOUT', '0s'],
    ['OFFER_ALLOWED_CHANNELS', 'general'],
    ['LOG_LEVEL', 'verbose'],
    ['ADOBE_SANDBOX_NAME', 'Prod Sandbox'],
    ['SLACK_TEAM_ID', 'C024BE91L'],
    ['SLACK_TEAM_ID', 'example.slack.com'],
    ['OFFER_MAX_OPEN_PER_USER', '0'],
    ['OFFER_MAX_OPEN_PER_USER', '2.5'],
    ['OFFER_MAX_OPEN_PER_USER', 'many'],
    ['OFFER_CHANNEL_LANGUAGE', 'de'],
    ['OFFER_CHANNEL_LANGUAGE', 'sv-SE'],
  ])('refuses %s=%j', (name, value) => {
    expect(problems({ ...valid, [name]: value })).toEqual([expect.stringMatching(new RegExp(`^${name}: `))]);
  });
});
