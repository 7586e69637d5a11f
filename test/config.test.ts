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
    expect(config.approval).toEqual({
      approvers: null,
      approversBySandbox: new Map(),
      requiredApprovals: 1,
      requiredApprovalsBySandbox: new Map(),
      allowSelfApproval: false,
      allowGuestRequests: true,
      allowedChannels: null,
      ttlMs: 30 * 60_000,
    });
    expect(config.sandboxes).toEqual({ default: 'prod', byChannel: new Map() });
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

  it('maps channels to their sandboxes, the default first, and leaves every other channel to ADOBE_SANDBOX_NAME', () => {
    const config = loadConfig({ ...valid, ADOBE_SANDBOX_NAME: 'prod', OFFER_SANDBOXES: 'C0PROD=prod, C0STAGE=stage ,C0OPS=stage|dev-emea' });
    expect(config.sandboxes).toEqual({
      default: 'prod',
      byChannel: new Map([
        ['C0PROD', ['prod']],
        ['C0STAGE', ['stage']],
        ['C0OPS', ['stage', 'dev-emea']],
      ]),
    });
  });

  it('refuses a bad OFFER_SANDBOXES with one line per problem, each naming its entry', () => {
    expect(
      problems({
        ...valid,
        OFFER_SANDBOXES: 'C0PROD=prod,#stage=stage,C0DEV=,C0OPS=stage||dev,C0QA=QA_1,C0X,C0PROD=dev,C0TWO=dev|dev',
      }),
    ).toEqual([
      'OFFER_SANDBOXES: "#stage=stage" does not start with a Slack channel id (C…, G…)',
      'OFFER_SANDBOXES: "C0DEV=" has an empty sandbox name',
      'OFFER_SANDBOXES: "C0OPS=stage||dev" has an empty sandbox name',
      'OFFER_SANDBOXES: "C0QA=QA_1" names "QA_1", not a sandbox name (lower-case letters, digits and hyphens, starting with a letter or digit, at most 64 characters)',
      'OFFER_SANDBOXES: "C0X" is not channel=sandbox (such as C0PROD=prod, or C0OPS=stage|dev with the default first)',
      'OFFER_SANDBOXES: "C0PROD=dev" lists C0PROD again: give each channel once, its sandboxes separated by |',
      'OFFER_SANDBOXES: "C0TWO=dev|dev" names dev twice',
    ]);
    expect(problems({ ...valid, OFFER_SANDBOXES: ' , ' })).toEqual(['OFFER_SANDBOXES: must map channels to sandboxes, such as C0PROD=prod,C0OPS=stage|dev']);
  });

  it('refuses a channel in OFFER_SANDBOXES where OFFER_ALLOWED_CHANNELS lets nobody use /offer', () => {
    expect(problems({ ...valid, OFFER_ALLOWED_CHANNELS: 'C0PROD', OFFER_SANDBOXES: 'C0PROD=prod,C0STAGE=stage' })).toEqual([
      'OFFER_SANDBOXES: maps C0STAGE, where OFFER_ALLOWED_CHANNELS lets nobody use /offer',
    ]);
  });

  it('reads each sandbox its own approvers from OFFER_APPROVERS_<SANDBOX>, upper-cased with - as _', () => {
    const config = loadConfig({
      ...valid,
      OFFER_SANDBOXES: 'C0OPS=stage|dev-emea',
      OFFER_APPROVERS: 'U024BE7LH',
      OFFER_APPROVERS_STAGE: 'U0G9QF9C6,S0614TZR7',
      OFFER_APPROVERS_DEV_EMEA: 'W012A3CDE',
      OFFER_APPROVERS_PROD: '',
    });
    expect(config.approval.approvers).toEqual(['U024BE7LH']);
    expect(config.approval.approversBySandbox).toEqual(
      new Map([
        ['stage', ['U0G9QF9C6', 'S0614TZR7']],
        ['dev-emea', ['W012A3CDE']],
      ]),
    );
  });

  it('refuses OFFER_APPROVERS_<SANDBOX> naming no sandbox, or with a bad list, naming the variable', () => {
    expect(problems({ ...valid, OFFER_SANDBOXES: 'C0OPS=stage', OFFER_APPROVERS_STAGNG: 'U0G9QF9C6', OFFER_APPROVERS_STAGE: 'bob' })).toEqual([
      'OFFER_APPROVERS_STAGNG: names no sandbox of ADOBE_SANDBOX_NAME or OFFER_SANDBOXES (these would be: OFFER_APPROVERS_PROD, OFFER_APPROVERS_STAGE)',
      'OFFER_APPROVERS_STAGE: must be a comma-separated list of Slack user ids (U…, W…) and user group ids (S…); not one: bob',
    ]);
  });

  it('reads OFFER_REQUIRED_APPROVALS (1 by default) and a sandbox its own from OFFER_REQUIRED_APPROVALS_<SANDBOX>', () => {
    expect(loadConfig(valid).approval).toMatchObject({ requiredApprovals: 1, requiredApprovalsBySandbox: new Map() });
    const config = loadConfig({ ...valid, OFFER_SANDBOXES: 'C0OPS=stage|dev-emea', OFFER_REQUIRED_APPROVALS: '2', OFFER_REQUIRED_APPROVALS_DEV_EMEA: '1' });
    expect(config.approval.requiredApprovals).toBe(2);
    expect(config.approval.requiredApprovalsBySandbox).toEqual(new Map([['dev-emea', 1]]));
  });

  it('refuses a number of approvals outside 1–5, or a per-sandbox one naming no sandbox, one line each', () => {
    expect(problems({ ...valid, OFFER_REQUIRED_APPROVALS: '0', OFFER_REQUIRED_APPROVALS_PROD: 'two', OFFER_REQUIRED_APPROVALS_STAGNG: '2' })).toEqual([
      'OFFER_REQUIRED_APPROVALS: must be between 1 and 5',
      'OFFER_REQUIRED_APPROVALS_PROD: must be a whole number',
      'OFFER_REQUIRED_APPROVALS_STAGNG: names no sandbox of ADOBE_SANDBOX_NAME or OFFER_SANDBOXES (these would be: OFFER_REQUIRED_APPROVALS_PROD)',
    ]);
    expect(problems({ ...valid, OFFER_REQUIRED_APPROVALS: '6' })).toEqual(['OFFER_REQUIRED_APPROVALS: must be between 1 and 5']);
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
